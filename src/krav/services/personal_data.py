"""A debtor's rights over their personal data: access (GDPR art. 15), restriction (art. 18) and erasure (art. 17).

* :func:`export` reads everything Krav holds on one customer of one creditor — never another creditor's customer
  of the same number: tenants never see each other.
* :func:`restrict` marks the customer restricted: none of its items is valid for collection any more
  (``customer_restricted``), and each of its open claims that can be paused is paused, so the daily run sends it
  no letter. A claim in inkasso or legal collection cannot be paused (R-ACT-4) and goes on: the creditor's claim is
  a legal claim, and art. 18(2) lets restricted data be processed "for the establishment, exercise or defence of
  legal claims". The result names those claims.
* :func:`erase` erases the customer's personal fields, once no claim of it is open or owes a letter, no item of
  it is open in the ledger, and the books' retention has run (bokføringsloven § 13,
  :mod:`krav.domain.personal_data`); it is refused before, saying from which day it is allowed.

Each change is kept in the ledger's change log (who, when, old → new), by customer number: never a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from krav.domain.collection.actions import Action, apply_action
from krav.domain.collection.claims import Claim
from krav.domain.collection.events import EventKind
from krav.domain.collection.steps import Day, StepResult
from krav.domain.errors import NotFound, RuleViolation
from krav.domain.party import Company, Customer
from krav.domain.personal_data import erasable_from, erased, retention_ends
from krav.domain.rates import RateTables
from krav.services.collection.day import save_changes
from krav.services.personal_data_export import PersonalDataExport, read_export
from krav.services.ports import ClaimFilter, DocumentKind, ItemFilter, LedgerChange, UnitOfWork, company_and_id

__all__ = [
    "Erasure",
    "ErasureRefused",
    "PersonalDataExport",
    "Restriction",
    "erase",
    "export",
    "restrict",
]


class ErasureRefused(RuleViolation):
    """The customer's personal data may not be erased yet: a claim or item is open, or the books keep it."""

    code = "erasure_refused"


def _customer(uow: UnitOfWork, company_id: int, orgno: str, number: str) -> Customer:
    found = uow.ledger.customers(company_id, [number]).get(number)
    if found is None:
        raise NotFound(f"no customer {number} for company {orgno}; see `krav ledger customers`")
    return found


# -- access (art. 15) ---------------------------------------------------------------------------------------------


def export(uow: UnitOfWork, orgno: str, number: str, *, on: date) -> PersonalDataExport:
    """Everything Krav holds on customer ``number`` of the creditor ``orgno``, as of ``on``."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        return read_export(uow, company, _customer(uow, cid, orgno, number), on=on)


# -- restriction (art. 18) ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restriction:
    """A customer's restriction before and after, with what it did to the customer's open claims: ``paused`` by
    it, paused ``already``, and ``continuing`` (in inkasso or legal collection: a lawful collection goes on)."""

    customer: str
    old: date | None
    new: date | None
    paused: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    continuing: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.old != self.new


def restrict(
    uow: UnitOfWork, orgno: str, number: str, *, on: date, by: str, rates: RateTables, lift: bool = False
) -> Restriction:
    """Restrict the processing of customer ``number``'s data from ``on`` (``lift``: lift the restriction). Its
    open claims that can be paused are paused (their history says why); lifting resumes none of them — the
    creditor resumes each (``krav claims resume``) when the reason for the restriction is gone."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        customer = _customer(uow, cid, orgno, number)
        if lift:
            result = Restriction(number, customer.restricted_on, None)
        else:
            claims = _pause_claims(uow, company, number, on=on, by=by, rates=rates)
            result = Restriction(number, customer.restricted_on, customer.restricted_on or on, *claims)
        if result.changed:
            uow.personal_data.set_restricted(cid, number, result.new)
            uow.ledger.record_change(
                cid, LedgerChange("customer", number, "restricted", _day(result.old), _day(result.new), on, by)
            )
        uow.commit()
        return result


def _pause_claims(
    uow: UnitOfWork, company: Company, number: str, *, on: date, by: str, rates: RateTables
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Pause each open claim of the debtor that can be: the invoices paused, paused already, and going on."""
    assert company.id is not None  # a stored company always has its id
    cid = company.id
    agreement = uow.agreements.get(cid)
    claims = uow.collection.claims(cid, ClaimFilter(debtor=number, open_only=True))
    result = StepResult()
    paused: list[str] = []
    already: list[str] = []
    continuing: list[str] = []
    for claim in claims:
        if claim.paused:
            already.append(claim.invoice_number)
            continue
        outcome = apply_action(Action.PAUSE, claim, on)
        if not outcome.accepted:
            continuing.append(claim.invoice_number)
            continue
        paused.append(claim.invoice_number)
        result.event(claim, on, EventKind.ACTION, detail="pause: customer_restricted (GDPR art. 18)")
    day = Day(on, agreement, rates, creditor_vat_registered=company.vat_registered)
    save_changes(uow, company, day, claims, result, by=by)
    return tuple(paused), tuple(already), tuple(continuing)


# -- erasure (art. 17) --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Erasure:
    """What erasing a customer changed, by table, and the archived letters kept (the archive is append-only)."""

    customer: str
    erased_on: date
    already: bool = False
    changed: dict[str, int] = field(default_factory=dict)
    documents_kept: tuple[str, ...] = ()


def erase(uow: UnitOfWork, orgno: str, number: str, *, on: date, by: str) -> Erasure:
    """Erase customer ``number``'s personal fields on ``on``, or :class:`ErasureRefused` saying why not and, where
    the books keep them, from which day it is allowed."""
    with uow:
        _company, cid = company_and_id(uow, orgno)
        customer = _customer(uow, cid, orgno, number)
        if customer.erased_on is not None:
            return Erasure(number, customer.erased_on, already=True)
        _refuse_while_open(uow, cid, number)
        latest = uow.personal_data.latest_record(cid, number)
        allowed = erasable_from(latest)
        if latest is not None and allowed is not None and on < allowed:
            raise ErasureRefused(
                f"customer {number}: its latest accounting record, of {latest:%d.%m.%Y}, is kept until "
                f"{retention_ends(latest):%d.%m.%Y} (bokføringsloven § 13, five years after the end of the "
                f"financial year); erasure is allowed from {allowed:%d.%m.%Y}"
            )
        changed = uow.personal_data.erase(cid, erased(customer, on))
        letters = uow.collection.letters(cid, debtor=number)
        kept = tuple(
            doc.sha256
            for letter in letters
            if (doc := uow.deliveries.document(cid, DocumentKind.LETTER, str(letter.id))) is not None
        )
        uow.ledger.record_change(cid, LedgerChange("customer", number, "erased", None, on.isoformat(), on, by))
        uow.commit()
        return Erasure(number, on, changed=changed, documents_kept=kept)


def _refuse_while_open(uow: UnitOfWork, cid: int, number: str) -> None:
    """Refuse erasure while the debtor owes, or is owed, anything: an open claim, a claim that owes the debtor a
    letter, an open item in the ledger."""
    open_claims = uow.collection.claims(cid, ClaimFilter(debtor=number, open_only=True))
    owed_letters = uow.collection.claims(cid, ClaimFilter(debtor=number, letters_due=True))
    if open_claims or owed_letters:
        invoices = _invoices([*open_claims, *owed_letters])
        raise ErasureRefused(
            f"customer {number}: its claims for invoice {invoices} are open or owe the debtor a letter; erasure is "
            "allowed once they are closed and their letters sent"
        )
    items = uow.ledger.items(cid, ItemFilter(customer=number, open_only=True))
    if items:
        numbers = ", ".join(sorted({i.number for i in items}))
        raise ErasureRefused(
            f"customer {number}: item {numbers} is open in the ledger; erasure is allowed once it is settled"
        )


def _invoices(claims: list[Claim]) -> str:
    return ", ".join(sorted({c.invoice_number for c in claims}))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
