"""Claims from an earlier collection service, checked and taken over as if Krav had run them from the start.

:func:`check_migrated` names every contradiction of one claim in the file (its place and field): stages and
dates that contradict each other (R-CLM-2, R-CLM-3, R-CLM-4, R-CLM-5, R-CLM-13), fees above the limits of
inkassoforskriften § 1-3 (R-CLM-3), salær above the table for its date and principal (R-CLM-5), amounts that do
not add up, and an invoice that does not match the ledger. :func:`migrated_claim` builds the claim in the state
Krav itself would have left it in, so the daily run goes on from there: the deadlines already running, the
fee-bearing letters counted (§ 1-3), the payment demand's deadline the heavy salær counts from, the interest
booked up to the day given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from krav.domain.collection.claims import (
    Balances,
    Claim,
    Deadlines,
    InkassoCase,
    InterestAccount,
    Listing,
    Objection,
    Pause,
    Stage,
)
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.fees import MAX_FEE_LETTERS, MIN_DAYS_AFTER_DUE_FOR_FEE
from krav.domain.collection.letters import Recipient
from krav.domain.collection.migrated import MigratedClaim, MigratedPayment
from krav.domain.collection.schedule import DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE, transfer_day_for_list
from krav.domain.errors import Problem
from krav.domain.money import Money
from krav.domain.rates import RateTables

#: R-CLM-3, R-CLM-5, R-CLM-13: the shortest deadline of a notice, a payment demand and a notice of legal collection.
MIN_LETTER_DEADLINE_DAYS = 14

#: The stages a migrated claim may be in: open, and lettered (a claim not lettered yet is simply submitted).
STAGES = (Stage.REMINDER, Stage.NOTICE, Stage.COLLECTION_LIST, Stage.INKASSO, Stage.LEGAL)

#: The letters each stage has had, by the field of its sent date; a letter of a later stage contradicts it.
_LETTERS: dict[Stage, tuple[str, ...]] = {
    Stage.REMINDER: ("reminder_sent",),
    Stage.NOTICE: ("notice_sent",),
    Stage.COLLECTION_LIST: ("notice_sent", "listed_on"),
    Stage.INKASSO: ("notice_sent", "listed_on", "demand_sent"),
    Stage.LEGAL: ("notice_sent", "listed_on", "demand_sent", "legal_notice_sent"),
}
_LATER = ("notice_sent", "listed_on", "demand_sent", "legal_notice_sent")
_DEADLINE_OF = {
    "reminder_sent": "reminder_deadline",
    "notice_sent": "notice_deadline",
    "demand_sent": "demand_deadline",
    "legal_notice_sent": "legal_deadline",
}


@dataclass(frozen=True, slots=True)
class InvoiceInLedger:
    """The open item a migrated claim is for, as the ledger has it, and its customer."""

    customer: str
    amount: Money
    remaining: Money
    invoice_date: date
    due_date: date | None
    collection_id: str | None
    debtor: Recipient


@dataclass(frozen=True, slots=True)
class Creditor:
    """What the checks need to know of the creditor and its agreement."""

    vat_registered: bool
    automatic_collection_list: bool
    reminder_before_notice: bool
    charge_interest: bool = True


def _zero(claim: MigratedClaim) -> Money:
    return Money.zero(claim.principal.currency)


def paid(claim: MigratedClaim, part: str, before: date | None = None) -> Money:
    """What the claim's payments (before ``before``, if given) applied to ``part``."""
    return Money.sum(
        (getattr(p, part) for p in claim.payments if before is None or p.on < before), claim.principal.currency
    )


def fees_charged(claim: MigratedClaim) -> Money:
    return (claim.reminder_fee or _zero(claim)) + (claim.notice_fee or _zero(claim))


def _dates(claim: MigratedClaim, stage: Stage, today: date) -> list[Problem]:
    """R-CLM-2 … R-CLM-5, R-CLM-13: each letter of the stage reached, in order, each with its deadline."""
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(claim.where, name, message))

    needed = set(_LETTERS[stage])
    # R-CLM-13: a claim stays in inkasso after its notice of legal collection, until that deadline has passed
    allowed = needed | {"legal_notice_sent"} if stage is Stage.INKASSO else needed
    for name in _LATER:
        value = getattr(claim, name)
        if name in needed and value is None:
            bad(name, f"a claim in stage {stage.value} has had this letter; give its date")
        elif name not in allowed and value is not None:
            bad(name, f"contradicts stage {stage.value}: the claim has not come that far")
    for sent_name, deadline_name in _DEADLINE_OF.items():
        sent, deadline = getattr(claim, sent_name), getattr(claim, deadline_name)
        if sent is None and deadline is not None:
            bad(deadline_name, f"a deadline without {sent_name}")
        if sent is not None and deadline is None:
            bad(deadline_name, f"missing: the deadline of the letter sent {sent}")
        if sent is not None and sent > today:
            bad(sent_name, f"{sent} is after the import day {today}")
        if sent is not None and deadline is not None:
            least = 1 if sent_name == "reminder_sent" else MIN_LETTER_DEADLINE_DAYS
            if (deadline - sent).days < least:
                bad(deadline_name, f"{deadline} is less than {least} days after the letter of {sent}")
    if stage is Stage.REMINDER and claim.reminder_sent is None:
        bad("reminder_sent", "a claim in stage reminder has had its reminder; give its date")
    if claim.listed_on is not None and claim.listed_on > today:
        bad("listed_on", f"{claim.listed_on} is after the import day {today}")
    _in_order(claim, bad)
    return problems


def _in_order(claim: MigratedClaim, report: Callable[[str, str], None]) -> None:
    c = claim
    if c.reminder_sent and c.reminder_deadline and c.notice_sent and c.notice_sent <= c.reminder_deadline:
        report("notice_sent", f"{c.notice_sent} is not after the reminder's deadline {c.reminder_deadline}")
    if c.notice_deadline and c.listed_on and c.listed_on <= c.notice_deadline:
        report("listed_on", f"{c.listed_on} is not after the notice's deadline {c.notice_deadline}")
    if c.notice_deadline and c.demand_sent and c.demand_sent <= c.notice_deadline:
        report("demand_sent", f"a payment demand on {c.demand_sent}, before the notice's deadline {c.notice_deadline}")
    if c.listed_on and c.demand_sent and c.demand_sent < c.listed_on:
        report("demand_sent", f"{c.demand_sent} is before the claim was listed on {c.listed_on}")
    if c.demand_deadline and c.legal_notice_sent:
        earliest = c.demand_deadline + timedelta(days=DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE + 1)
        if c.legal_notice_sent < earliest:
            report(
                "legal_notice_sent",
                f"{c.legal_notice_sent} is not more than {DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE} days after the"
                f" payment demand's deadline {c.demand_deadline}",
            )


def _fees(claim: MigratedClaim, due: date, rates: RateTables) -> list[Problem]:
    """R-CLM-3 (inkassoforskriften § 1-3): each fee at most the fee of its day, only 14 days or more after the due
    date, at most two, and the second only after a missed deadline of at least 14 days in the first."""
    problems: list[Problem] = []
    charged = [
        (name, sent, fee)
        for name, sent, fee in (
            ("reminder_fee", claim.reminder_sent, claim.reminder_fee),
            ("notice_fee", claim.notice_sent, claim.notice_fee),
        )
        if fee is not None and not fee.is_zero()
    ]
    for name, sent, fee in charged:
        if fee.is_negative():
            problems.append(Problem(claim.where, name, f"{fee} is negative"))
            continue
        if sent is None:
            problems.append(Problem(claim.where, name, "a fee on a letter that was not sent"))
            continue
        limit = rates.reminder_fee(sent)
        if fee > limit:
            problems.append(Problem(claim.where, name, f"{fee} is above the § 1-3 limit of {limit} on {sent}"))
        elif (sent - due).days < MIN_DAYS_AFTER_DUE_FOR_FEE:
            problems.append(
                Problem(
                    claim.where,
                    name,
                    f"no fee may be charged on a letter sent {sent}, less than {MIN_DAYS_AFTER_DUE_FOR_FEE} days"
                    f" after the due date {due} (§ 1-3)",
                )
            )
    r_sent, r_deadline = claim.reminder_sent, claim.reminder_deadline
    short = r_sent is not None and r_deadline is not None and (r_deadline - r_sent).days < MIN_DAYS_AFTER_DUE_FOR_FEE
    if len(charged) == MAX_FEE_LETTERS and short:
        problems.append(
            Problem(
                claim.where,
                "notice_fee",
                f"a second fee only after a missed deadline of at least {MIN_DAYS_AFTER_DUE_FOR_FEE} days; the"
                f" reminder's ran {r_sent} to {r_deadline} (§ 1-3)",
            )
        )
    return problems


def check_salaer(
    claims: Sequence[MigratedClaim], ledger: Mapping[str, InvoiceInLedger | None], creditor: Creditor, rates: RateTables
) -> list[Problem]:
    """R-CLM-5, R-CLM-13: a debtor's claims that had their payment demand on the same day are one case, whose salær
    is at most the table's on their combined principal: light on the payment demand's day, heavy on the notice of
    legal collection's. A problem is named on the case's claims that carry salær."""
    cases: dict[tuple[str, date], list[MigratedClaim]] = {}
    problems: list[Problem] = []
    for claim in claims:
        salaer = claim.salaer
        if salaer is None or salaer.is_zero():
            if claim.demand_sent is not None:
                cases.setdefault((claim.customer, claim.demand_sent), []).append(claim)
            continue
        if salaer.is_negative():
            problems.append(Problem(claim.where, "salaer", f"{salaer} is negative"))
        elif claim.demand_sent is None:
            problems.append(Problem(claim.where, "salaer", "salær before a payment demand"))
        else:
            cases.setdefault((claim.customer, claim.demand_sent), []).append(claim)
    for (customer, demand_sent), case in cases.items():
        invoice = next((ledger.get(c.invoice) for c in case if ledger.get(c.invoice) is not None), None)
        charged = Money.sum((c.salaer or _zero(c) for c in case), case[0].principal.currency)
        if invoice is None or charged.is_zero() or charged.currency != "NOK":
            continue
        legal = [c.legal_notice_sent for c in case if c.legal_notice_sent is not None]
        on = max(legal) if legal else demand_sent
        principal = Money.sum((c.principal - paid(c, "principal", before=on) for c in case), charged.currency)
        limit = rates.salaer(
            principal.max(Money.zero()),
            on,
            heavy=bool(legal),
            business=invoice.debtor.kind == "business",
            creditor_vat_registered=creditor.vat_registered,
        )
        if charged > limit:
            problems += [
                Problem(
                    c.where,
                    "salaer",
                    f"{charged} for the case of {customer} of {demand_sent} is above the table's {limit} on {on}"
                    f" for principal {principal}",
                )
                for c in case
                if c.salaer is not None and c.salaer.is_positive()
            ]
    return problems


def _payment(claim: MigratedClaim, n: int, payment: MigratedPayment, today: date) -> list[Problem]:
    where = payment.where or f"{claim.where}, payments[{n}]"
    problems: list[Problem] = []
    parts = [payment.principal, payment.fees, payment.salaer, payment.interest]
    if any(p.is_negative() for p in parts) or not payment.amount.is_positive():
        problems.append(Problem(where, "amount", "amounts must be positive, the parts not negative"))
    total = Money.sum(parts, payment.amount.currency)
    if total != payment.amount:
        problems.append(
            Problem(where, "amount", f"principal, fees, salær and interest sum to {total}, not {payment.amount}")
        )
    if payment.on > today:
        problems.append(Problem(where, "date", f"{payment.on} is after the import day {today}"))
    return problems


def _amounts(claim: MigratedClaim, invoice: InvoiceInLedger, creditor: Creditor, today: date) -> list[Problem]:
    """What was charged less what was paid is what is owed, and the principal owed is the ledger's."""
    problems: list[Problem] = []
    for n, payment in enumerate(claim.payments):
        problems += _payment(claim, n, payment, today)
    if not claim.principal.is_positive():
        problems.append(Problem(claim.where, "principal", f"{claim.principal} is not positive"))
    owed = claim.principal - paid(claim, "principal")
    if owed != invoice.remaining:
        problems.append(
            Problem(
                claim.where,
                "principal",
                f"{claim.principal} less the principal paid is {owed}; the ledger says {invoice.remaining} remains",
            )
        )
    if claim.principal > invoice.amount:
        problems.append(Problem(claim.where, "principal", f"{claim.principal} is above the invoice's {invoice.amount}"))
    for part, charged in (("fees", fees_charged(claim)), ("salaer", claim.salaer or _zero(claim))):
        if paid(claim, part) > charged:
            problems.append(Problem(claim.where, "payments", f"{paid(claim, part)} paid to {part}, {charged} charged"))
    interest = claim.interest or _zero(claim)
    if interest.is_negative():
        problems.append(Problem(claim.where, "interest", f"{interest} is negative"))
    if claim.interest_to is None and not interest.is_zero():
        problems.append(Problem(claim.where, "interest_to", "missing: the day the interest was accrued to"))
    if not creditor.charge_interest and interest.is_positive():
        problems.append(Problem(claim.where, "interest", "the agreement charges no interest"))
    if claim.interest_to is not None and claim.interest_to > today:
        problems.append(Problem(claim.where, "interest_to", f"{claim.interest_to} is after the import day {today}"))
    return problems


def check_migrated(
    claim: MigratedClaim, invoice: InvoiceInLedger | None, creditor: Creditor, rates: RateTables, today: date
) -> list[Problem]:
    """Every problem of one migrated claim, each with its place and field; none means it can be taken over."""
    if invoice is None:
        return [Problem(claim.where, "invoice", f"no open item {claim.invoice} in the ledger; import it first")]
    problems: list[Problem] = []
    if invoice.customer != claim.customer:
        problems.append(
            Problem(claim.where, "customer", f"invoice {claim.invoice} is to customer {invoice.customer} in the ledger")
        )
    if invoice.collection_id is not None:
        problems.append(Problem(claim.where, "invoice", f"already in collection as {invoice.collection_id}"))
    if invoice.due_date is None:
        problems.append(Problem(claim.where, "invoice", "the open item has no due date in the ledger"))
    if claim.principal.currency != invoice.amount.currency:
        problems.append(Problem(claim.where, "currency", f"the invoice is in {invoice.amount.currency}"))
        return problems
    try:
        stage = Stage(claim.stage)
    except ValueError:
        stage = Stage.CLOSED
    if stage not in STAGES:
        problems.append(Problem(claim.where, "stage", f"{claim.stage!r} is not one of {', '.join(STAGES)}"))
        return problems
    if stage is Stage.REMINDER and not creditor.reminder_before_notice:
        problems.append(Problem(claim.where, "stage", "the agreement sends no reminder before the notice"))
    problems += _dates(claim, stage, today)
    problems += _amounts(claim, invoice, creditor, today)
    if invoice.due_date is not None:
        first = claim.reminder_sent or claim.notice_sent
        if first is not None and first <= invoice.due_date:
            problems.append(
                Problem(
                    claim.where, "reminder_sent" if claim.reminder_sent else "notice_sent", "not after the due date"
                )
            )
        problems += _fees(claim, invoice.due_date, rates)
    if claim.paused_on is not None and stage in (Stage.INKASSO, Stage.LEGAL):
        problems.append(Problem(claim.where, "paused_on", f"a claim in stage {stage.value} cannot be paused"))
    if claim.disputed_on is not None and stage is Stage.LEGAL:
        problems.append(Problem(claim.where, "disputed_on", "a claim in stage legal cannot be disputed"))
    for name in ("paused_on", "disputed_on"):
        value = getattr(claim, name)
        if value is not None and value > today:
            problems.append(Problem(claim.where, name, f"{value} is after the import day {today}"))
    return problems


def _last(*dates: date | None) -> date | None:
    given = [d for d in dates if d is not None]
    return max(given) if given else None


def migrated_claim(
    claim: MigratedClaim,
    invoice: InvoiceInLedger,
    creditor: Creditor,
    *,
    company_id: int,
    collection_id: str,
    rule_set: str,
) -> Claim:
    """The claim as Krav would hold it had it sent the earlier service's letters itself (checked first)."""
    assert invoice.due_date is not None
    stage = Stage(claim.stage)
    zero = _zero(claim)
    fees = fees_charged(claim)
    salaer = claim.salaer or zero
    first_letter = claim.reminder_sent or claim.notice_sent
    assert first_letter is not None
    fee_letters = sum(1 for f in (claim.reminder_fee, claim.notice_fee) if f is not None and f.is_positive())
    listing = Listing()
    if claim.listed_on is not None:
        transfer = transfer_day_for_list(claim.listed_on) if creditor.automatic_collection_list else None
        listing = Listing(listed_on=claim.listed_on, transfer_on=transfer)
    case = InkassoCase(salaer_nominal=zero)
    if claim.demand_sent is not None:
        case = InkassoCase(
            inkasso_on=claim.demand_sent,
            case_number=claim.earlier_id,
            demand_deadline=claim.demand_deadline,
            legal_notice_on=claim.legal_notice_sent,
            legal_deadline=claim.legal_deadline,
            salaer_level=(2 if claim.legal_notice_sent else 1) if salaer.is_positive() else 0,
            salaer_nominal=salaer,
        )
    return Claim(
        company_id,
        collection_id,
        claim.invoice,
        invoice.invoice_date,
        invoice.due_date,
        claim.principal,
        first_letter,
        invoice.debtor,
        rule_set=rule_set,
        stage=stage,
        balances=Balances(
            principal_outstanding=claim.principal - paid(claim, "principal"),
            fees_charged=fees,
            fees_outstanding=fees - paid(claim, "fees"),
            fee_letters=fee_letters,
            salaer_charged=salaer,
            salaer_outstanding=salaer - paid(claim, "salaer"),
            overpaid=zero,
        ),
        interest=InterestAccount(
            interest_booked=claim.interest or zero,
            segment_start=claim.interest_to or invoice.due_date,
            interest_paid=paid(claim, "interest"),
            interest_waived=zero,
        ),
        deadlines=Deadlines(
            first_letter_on=first_letter,
            reminder_deadline=claim.reminder_deadline,
            notice_sent_on=claim.notice_sent,
            notice_deadline=claim.notice_deadline,
            last_deadline=_last(claim.reminder_deadline, claim.notice_deadline)
            if claim.demand_sent is None
            else claim.legal_deadline or claim.demand_deadline,
        ),
        listing=listing,
        case=case,
        pause_state=Pause(claim.paused_on is not None, claim.paused_on),
        objection_state=Objection(claim.disputed_on is not None, claim.disputed_on),
    )


def migrated_history(claim: MigratedClaim, collection_id: str, today: date) -> list[Event]:
    """R-ACT-5: the imported past as events of the claim's history, each marked as imported, in date order."""
    past = "imported from the earlier service"
    events = [Event(collection_id, today, EventKind.SUBMITTED, claim.principal, f"{past}: {claim.earlier_id}")]
    letters = (
        ("reminder", claim.reminder_sent, claim.reminder_fee),
        ("notice", claim.notice_sent, claim.notice_fee),
        ("payment_demand", claim.demand_sent, None),
        ("legal_notice", claim.legal_notice_sent, None),
    )
    for kind, sent, fee in letters:
        if sent is None:
            continue
        events.append(Event(collection_id, sent, EventKind.LETTER, None, f"{kind} ({past})"))
        if fee is not None and fee.is_positive():
            events.append(Event(collection_id, sent, EventKind.FEE, fee, f"{kind} fee ({past})"))
    if claim.listed_on is not None:
        events.append(Event(collection_id, claim.listed_on, EventKind.STAGE, None, f"collection_list ({past})"))
    if claim.salaer is not None and claim.salaer.is_positive():
        on = claim.legal_notice_sent or claim.demand_sent
        assert on is not None
        events.append(Event(collection_id, on, EventKind.SALAER, claim.salaer, f"salær ({past})"))
    for p in claim.payments:
        events.append(Event(collection_id, p.on, EventKind.PAYMENT, p.amount, f"payment ({past})"))
    if claim.interest is not None and claim.interest.is_positive() and claim.interest_to is not None:
        events.append(
            Event(collection_id, claim.interest_to, EventKind.ACTION, claim.interest, f"interest to date ({past})")
        )
    if claim.kid:
        events.append(
            Event(collection_id, today, EventKind.MESSAGE, None, f"earlier KID {claim.kid}, kept for payments ({past})")
        )
    if claim.paused_on is not None:
        events.append(Event(collection_id, claim.paused_on, EventKind.ACTION, None, f"pause ({past})"))
    if claim.disputed_on is not None:
        events.append(Event(collection_id, claim.disputed_on, EventKind.OBJECTION, None, f"objection ({past})"))
    return [events[0], *sorted(events[1:], key=lambda e: e.on)]
