"""Corrections the creditor makes outside a voucher: an open item's due date and a customer's reminder exemption
(purrefritak, R-VAL-1 ``customer_exempt``), each kept with who, when and old → new.

The posted books stay as they were posted (R-LED-1): the voucher line keeps the due date it was posted with, and
its hash with it, so ``krav audit verify`` still passes. The open item carries the due date in force, which the
proposal and a later submission read; the change itself is kept in the append-only ``ledger_change`` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.errors import NotFound, RuleViolation
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.services.ports import ItemFilter, LedgerChange, UnitOfWork, company_id


class ItemChangeRefused(RuleViolation):
    """The item's due date cannot be changed in the ledger: settled, or sent to collection."""

    code = "item_change_refused"


@dataclass(frozen=True, slots=True)
class DueDateChange:
    """An invoice's due date, before and after; ``changed`` False when it was that date already."""

    invoice: str
    customer: str
    old: date | None
    new: date

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True, slots=True)
class ExemptChange:
    """A customer's reminder exemption, before and after."""

    customer: str
    name: str
    old: bool
    new: bool

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _invoice(uow: UnitOfWork, cid: int, orgno: str, invoice: str) -> OpenItem:
    found = uow.ledger.items(cid, ItemFilter(numbers=[invoice], debits_only=True))
    if not found:
        raise NotFound(f"no invoice {invoice} for company {orgno}; see `krav ledger items --all`")
    return found[0]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def set_due_date(uow: UnitOfWork, orgno: str, invoice: str, due_date: date, *, on: date, by: str) -> DueDateChange:
    """Set the due date of ``invoice``, an open item not sent to collection: refused for a settled item and for one
    with a collection ID (its claim has the due date now). The change is kept with who and when; the posted
    voucher line keeps its own (R-LED-1)."""
    with uow:
        cid = company_id(uow, orgno)
        item = _invoice(uow, cid, orgno, invoice)
        if item.collection_id is not None:
            raise ItemChangeRefused(
                f"invoice {invoice} was sent to collection as {item.collection_id}: its due date is the claim's "
                "and cannot be changed in the ledger"
            )
        if item.status is SettledStatus.SETTLED:
            raise ItemChangeRefused(f"invoice {invoice} is settled: only an open item's due date can be changed")
        if due_date < item.invoice_date:
            raise ItemChangeRefused(
                f"invoice {invoice}: the due date {due_date:%d.%m.%Y} is before the invoice date "
                f"{item.invoice_date:%d.%m.%Y}"
            )
        change = DueDateChange(invoice, item.customer, item.due_date, due_date)
        if change.changed:
            uow.ledger.set_item_due_date(cid, item.id, due_date)
            uow.ledger.record_change(
                cid, LedgerChange("item", invoice, "due_date", _day(item.due_date), _day(due_date), on, by)
            )
            uow.commit()
        return change


def set_customer_exempt(uow: UnitOfWork, orgno: str, customer: str, exempt: bool, *, on: date, by: str) -> ExemptChange:
    """Set or clear the customer's reminder exemption (purrefritak): while set, none of its items may be sent to
    collection (R-VAL-1 ``customer_exempt``). Kept with who and when, like every change outside a voucher."""
    with uow:
        cid = company_id(uow, orgno)
        found = uow.ledger.customers(cid, [customer]).get(customer)
        if found is None:
            raise NotFound(f"no customer {customer} for company {orgno}; see `krav ledger customers`")
        change = ExemptChange(customer, found.name, found.exempt, exempt)
        if change.changed:
            uow.ledger.set_customer_exempt(cid, customer, exempt)
            uow.ledger.record_change(
                cid,
                LedgerChange("customer", customer, "exempt", str(found.exempt).lower(), str(exempt).lower(), on, by),
            )
            uow.commit()
        return change


def changes(uow: UnitOfWork, orgno: str) -> list[LedgerChange]:
    """The changes made outside vouchers, oldest first."""
    with uow:
        return uow.ledger.changes(company_id(uow, orgno))
