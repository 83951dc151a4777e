"""Whether an open item may be sent to collection, and every reason why not (R-VAL-1).

Each rule is one function that returns its :class:`Reason` or ``None``; :func:`validate_item` runs them all,
so the user sees every failing reason at once, grouped by category, in Norwegian and English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import compress

from krav.domain.agreement import Agreement, effective_days_before_transfer, sendable_from
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.party import (
    Customer,
    CustomerKind,
    is_valid_email,
    is_valid_norwegian_postcode,
    is_valid_orgno,
)

SUPPORTED_CURRENCIES = frozenset({"NOK"})


class Category(StrEnum):
    OPEN_ITEM = "open_item"
    AGREEMENT = "agreement"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason an item may not be sent: its code, category and what to do, in bokmål and English."""

    code: str
    category: Category
    message_nb: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """What validation looks at: the item, its customer, and the facts around them."""

    item: OpenItem
    customer: Customer
    voucher_type_mapped: bool  # the item's voucher type maps to the collection voucher type *invoice*
    customer_has_unmatched_entries: bool


Rule = Callable[[Candidate, Agreement, date], Reason | None]


def _reason(code: str, category: Category, nb: str, en: str) -> Reason:
    return Reason(code, category, nb, en)


# -- open item ---------------------------------------------------------------------------------------------------


def item_not_open(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_not_open``: the settled status must be 1 (fully open) or 2 (partly open)."""
    if c.item.status in (SettledStatus.OPEN, SettledStatus.PARTLY_OPEN):
        return None
    return _reason(
        "item_not_open",
        Category.OPEN_ITEM,
        f"Posten er ikke åpen (oppgjortstatus {int(c.item.status)}); bare helt eller delvis åpne poster kan sendes.",
        f"The item is not open (settled status {int(c.item.status)}); only fully or partly open items can be sent.",
    )


def item_already_reminded(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_already_reminded``: number of reminders and reminded-on date must be empty."""
    if c.item.reminder_count == 0 and c.item.reminded_on is None:
        return None
    return _reason(
        "item_already_reminded",
        Category.OPEN_ITEM,
        "Posten er allerede purret i reskontroen. Tøm feltene Antall purringer og Purret pr. dato.",
        "The item has already been reminded in the ledger. Clear the fields number of reminders and reminded on.",
    )


def item_already_submitted(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_already_submitted``: an item with a collection ID has been sent already (R-VAL-3)."""
    if not c.item.collection_id:
        return None
    return _reason(
        "item_already_submitted",
        Category.OPEN_ITEM,
        f"Posten er allerede sendt til innfordring (innfordrings-ID {c.item.collection_id}).",
        f"The item has already been sent to collection (collection ID {c.item.collection_id}).",
    )


def item_no_due_date(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_no_due_date``."""
    if c.item.due_date is not None:
        return None
    return _reason(
        "item_no_due_date",
        Category.OPEN_ITEM,
        "Posten mangler forfallsdato. Registrer forfallsdato på fakturaen.",
        "The item has no due date. Enter the invoice's due date.",
    )


def item_not_positive(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_not_positive``: the amount must be positive."""
    if c.item.amount.is_positive():
        return None
    return _reason(
        "item_not_positive",
        Category.OPEN_ITEM,
        "Beløpet er ikke positivt; bare fakturaer med beløp over null kan sendes.",
        "The amount is not positive; only invoices above zero can be sent.",
    )


def item_currency_unsupported(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_currency_unsupported``: collection is in NOK."""
    if c.item.currency in SUPPORTED_CURRENCIES:
        return None
    return _reason(
        "item_currency_unsupported",
        Category.OPEN_ITEM,
        f"Valutaen {c.item.currency} støttes ikke; innfordring skjer i NOK.",
        f"The currency {c.item.currency} is not supported; collection is in NOK.",
    )


def item_exempt(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``item_exempt``: the invoice carries purrefritak."""
    if not c.item.exempt:
        return None
    return _reason(
        "item_exempt",
        Category.OPEN_ITEM,
        "Fakturaen har purrefritak. Fjern purrefritaket om den skal sendes.",
        "The invoice is exempt from reminders. Remove the exemption to send it.",
    )


def customer_unmatched_entries(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_unmatched_entries``: the customer has unmatched payments or credit notes."""
    if not c.customer_has_unmatched_entries:
        return None
    return _reason(
        "customer_unmatched_entries",
        Category.OPEN_ITEM,
        "Kunden har umatchede innbetalinger eller kreditnotaer. Match dem mot fakturaene først.",
        "The customer has unmatched payments or credit notes. Match them against the invoices first.",
    )


# -- agreement ---------------------------------------------------------------------------------------------------


def agreement_inactive(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``agreement_inactive``: nothing is sent before the agreement is activated (section 10), nor on a
    business day before the day it was activated."""
    if a.active and (a.activated_on is None or a.activated_on <= today):
        return None
    if a.active and a.activated_on is not None:
        since = a.activated_on.strftime("%d.%m.%Y")
        return _reason(
            "agreement_inactive",
            Category.AGREEMENT,
            f"Innfordringsavtalen er aktiv fra {since}, etter denne dagen.",
            f"The collection agreement is active from {since}, after this day.",
        )
    return _reason(
        "agreement_inactive",
        Category.AGREEMENT,
        "Innfordringsavtalen er ikke aktivert. Fyll ut avtalen og godta vilkårene.",
        "The collection agreement is not active. Complete the agreement and accept the terms.",
    )


def days_not_passed(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``days_not_passed`` (R-AGR-1): the days before transfer after the due date have not passed."""
    earliest = sendable_from(c.item.due_date, a)  # None without a due date (item_no_due_date says so)
    if earliest is None or today >= earliest:
        return None
    return _days_not_passed(effective_days_before_transfer(a), earliest)


@lru_cache(maxsize=1024)
def _days_not_passed(days: int, earliest: date) -> Reason:
    """The reason of :func:`days_not_passed`, one for each day an item may be sent from (items due the same day
    share it: a proposal holds thousands)."""
    return _reason(
        "days_not_passed",
        Category.AGREEMENT,
        f"Løpedagene ({days} dager etter forfall) er ikke passert; posten kan sendes fra {earliest:%d.%m.%Y}.",
        f"The days before transfer ({days} days after the due date) have not passed; it can be sent from {earliest}.",
    )


def voucher_type_unmapped(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``voucher_type_unmapped``: the item's voucher type is not mapped to the collection voucher type
    *invoice* (R-LED-2: only those are sent)."""
    if c.voucher_type_mapped:
        return None
    return _reason(
        "voucher_type_unmapped",
        Category.AGREEMENT,
        f"Bilagsart {c.item.voucher_type} har ikke innfordring-bilagsart Faktura. Sett den under Bilagsarter.",
        f"Voucher type {c.item.voucher_type} is not mapped to the collection voucher type invoice. Map it under "
        "voucher types.",
    )


def below_minimum(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``below_minimum``: what remains is below the agreement's minimum amount."""
    if c.item.currency != a.minimum_amount.currency or c.item.remaining >= a.minimum_amount:
        return None
    return _reason(
        "below_minimum",
        Category.AGREEMENT,
        f"Restbeløpet er under avtalens minstebeløp ({a.minimum_amount.amount} kr).",
        f"The remaining amount is below the agreement's minimum amount (NOK {a.minimum_amount.amount}).",
    )


# -- customer ----------------------------------------------------------------------------------------------------


def customer_exempt(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_exempt``: the customer carries purrefritak."""
    if not c.customer.exempt:
        return None
    return _reason(
        "customer_exempt",
        Category.CUSTOMER,
        "Kunden har purrefritak. Fjern purrefritaket på kunden om posten skal sendes.",
        "The customer is exempt from reminders. Remove the customer's exemption to send the item.",
    )


def customer_restricted(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """Krav's own reason beside R-VAL-1's table, ``customer_restricted``: the debtor has the processing of their
    personal data restricted (GDPR art. 18), so nothing new of theirs goes to collection."""
    if c.customer.restricted_on is None:
        return None
    since = c.customer.restricted_on
    return _reason(
        "customer_restricted",
        Category.CUSTOMER,
        f"Behandlingen av kundens personopplysninger er begrenset fra {since:%d.%m.%Y} (personvernforordningen "
        "art. 18). Posten kan ikke sendes til innfordring før begrensningen er opphevet.",
        f"Processing of the customer's personal data is restricted from {since:%d.%m.%Y} (GDPR art. 18). The item "
        "cannot be sent to collection until the restriction is lifted.",
    )


def customer_name_missing(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_name_missing``."""
    if c.customer.name and c.customer.name.strip():
        return None
    return _reason(
        "customer_name_missing",
        Category.CUSTOMER,
        "Kunden mangler navn.",
        "The customer has no name.",
    )


def customer_address_missing(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_address_missing``: street, postcode or city missing."""
    if c.customer.address.is_complete():
        return None
    missing = [
        label
        for label, value in (
            ("gateadresse/street", c.customer.address.street),
            ("postnummer/postcode", c.customer.address.postcode),
            ("poststed/city", c.customer.address.city),
        )
        if not (value and value.strip())
    ]
    return _reason(
        "customer_address_missing",
        Category.CUSTOMER,
        "Kundens adresse er ufullstendig; mangler " + ", ".join(m.split("/")[0] for m in missing) + ".",
        "The customer's address is incomplete; missing " + ", ".join(m.split("/")[1] for m in missing) + ".",
    )


def customer_postcode_invalid(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_postcode_invalid``: a Norwegian postcode is four digits (a missing one is reported as
    ``customer_address_missing``)."""
    postcode = (c.customer.address.postcode or "").strip()
    if not postcode or c.customer.address.country != "NO" or is_valid_norwegian_postcode(postcode):
        return None
    return _reason(
        "customer_postcode_invalid",
        Category.CUSTOMER,
        f"Postnummeret {postcode!r} er ikke et norsk postnummer (fire siffer).",
        f"The postcode {postcode!r} is not a Norwegian postcode (four digits).",
    )


def customer_orgno_invalid(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_orgno_invalid``: a business needs a valid organisation number (R-PARTY-1)."""
    if c.customer.kind is not CustomerKind.BUSINESS or is_valid_orgno(c.customer.orgno):
        return None
    shown = c.customer.orgno or ""
    return _reason(
        "customer_orgno_invalid",
        Category.CUSTOMER,
        f"Bedriftskunden har ikke gyldig organisasjonsnummer ({shown or 'mangler'}).",
        f"The business customer has no valid organisation number ({shown or 'missing'}).",
    )


def customer_email_missing(c: Candidate, a: Agreement, today: date) -> Reason | None:
    """R-VAL-1 ``customer_email_missing``: the agreement requires an e-mail and it is missing or invalid."""
    if not a.require_email or is_valid_email(c.customer.email):
        return None
    return _reason(
        "customer_email_missing",
        Category.CUSTOMER,
        "Avtalen krever e-postadresse, og kunden mangler gyldig e-post.",
        "The agreement requires an e-mail address, and the customer has no valid one.",
    )


#: Every rule of R-VAL-1, in the order of DOMAIN.md's table.
RULES: tuple[Rule, ...] = (
    item_not_open,
    item_already_reminded,
    item_already_submitted,
    item_no_due_date,
    item_not_positive,
    item_currency_unsupported,
    item_exempt,
    customer_unmatched_entries,
    agreement_inactive,
    days_not_passed,
    voucher_type_unmapped,
    below_minimum,
    customer_exempt,
    customer_name_missing,
    customer_address_missing,
    customer_postcode_invalid,
    customer_orgno_invalid,
    customer_email_missing,
)

REASON_CODES: tuple[str, ...] = tuple(rule.__name__ for rule in RULES)

#: What :func:`validate_item` runs: DOMAIN.md's rules, and Krav's own ``customer_restricted`` (data protection)
#: after ``customer_exempt``. It only ever applies to a restricted customer, so DOMAIN.md's codes are unchanged.
CHECKS: tuple[Rule, ...] = (
    *RULES[: RULES.index(customer_exempt) + 1],
    customer_restricted,
    *RULES[RULES.index(customer_exempt) + 1 :],
)


def validate_item(candidate: Candidate, agreement: Agreement, today: date) -> list[Reason]:
    """R-VAL-1: every failing reason for sending ``candidate`` on ``today``; empty means it may be sent."""
    return [reason for rule in CHECKS if (reason := rule(candidate, agreement, today)) is not None]


#: The checks that read only the agreement and the day, and those that read only the candidate's customer (and
#: whether that customer has unmatched entries): :func:`validate_items` decides them once per call and once per
#: customer. Every other check reads the item.
AGREEMENT_CHECKS: frozenset[Rule] = frozenset({agreement_inactive})
CUSTOMER_CHECKS: frozenset[Rule] = frozenset(
    {
        customer_unmatched_entries,
        customer_exempt,
        customer_restricted,
        customer_name_missing,
        customer_address_missing,
        customer_postcode_invalid,
        customer_orgno_invalid,
        customer_email_missing,
    }
)


def validate_items(candidates: Sequence[Candidate], agreement: Agreement, today: date) -> list[tuple[Reason, ...]]:
    """R-VAL-1 for many candidates at once: for each, the reasons :func:`validate_item` gives, in the same order.

    The checks of :data:`AGREEMENT_CHECKS` run once, those of :data:`CUSTOMER_CHECKS` once per customer (the
    candidates of one customer share it; the same values give the same reasons), the item's own per candidate,
    rule by rule over all the candidates.
    """
    if not candidates:
        return []
    order = {rule: n for n, rule in enumerate(CHECKS)}
    item_checks = [rule for rule in CHECKS if rule not in AGREEMENT_CHECKS and rule not in CUSTOMER_CHECKS]
    customer_checks = [rule for rule in CHECKS if rule in CUSTOMER_CHECKS]
    first = candidates[0]
    of_agreement = [
        (order[rule], reason)
        for rule in CHECKS
        if rule in AGREEMENT_CHECKS and (reason := rule(first, agreement, today))
    ]
    # each item check over every candidate: a column of reasons (None where it passes) per check, and the
    # positions of the candidates that fail one or more
    columns = [[rule(candidate, agreement, today) for candidate in candidates] for rule in item_checks]
    failing: set[int] = set()
    positions = range(len(candidates))
    for column in columns:
        failing.update(compress(positions, column))
    # by the customer's identity (the candidates hold their customers for the whole call), apart for those with
    # and without unmatched entries
    of_customer: tuple[dict[int, list[tuple[int, Reason]]], dict[int, list[tuple[int, Reason]]]] = ({}, {})
    out: list[tuple[Reason, ...]] = []
    append = out.append
    for position, candidate in enumerate(candidates):
        known = of_customer[candidate.customer_has_unmatched_entries]
        customer_reasons = known.get(id(candidate.customer))
        if customer_reasons is None:
            customer_reasons = known[id(candidate.customer)] = [
                (order[rule], reason) for rule in customer_checks if (reason := rule(candidate, agreement, today))
            ]
        if not (customer_reasons or of_agreement or position in failing):
            append(())
        else:
            item_reasons = [
                (order[rule], reason)
                for rule, column in zip(item_checks, columns, strict=True)
                if (reason := column[position])
            ]
            append(tuple(reason for _, reason in sorted([*item_reasons, *of_agreement, *customer_reasons])))
    return out
