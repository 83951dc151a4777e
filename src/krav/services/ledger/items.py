"""The customer sub-ledger: open items, the ledger's own reminders and exemptions, and the balance checks
(R-LED-1, R-LED-3, R-AGR-2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from krav.domain.agreement import ledger_sends_reminders
from krav.domain.errors import MatchingRefused, NotFound, RuleViolation
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.messages import LedgerReport
from krav.domain.money import Money
from krav.services.ports import ItemFilter, UnitOfWork, company_id


@dataclass(frozen=True, slots=True)
class LedgerBalance:
    """The ledger's own checks: every account sums to zero overall, and the sub-ledger equals receivables."""

    trial_balance: dict[str, Money]
    total: dict[str, Money]
    subledger_mismatches: dict[str, tuple[Money, Money]] = field(default_factory=dict)
    account_names: dict[str, str] = field(default_factory=dict)  # the chart's name of each account number
    customers_checked: int = 0  # customers whose receivables were held against their open items

    @property
    def balanced(self) -> bool:
        return all(m.is_zero() for m in self.total.values()) and not self.subledger_mismatches


def open_items(
    uow: UnitOfWork,
    orgno: str,
    *,
    customer: str | None = None,
    open_only: bool = True,
    numbers: Sequence[str] | None = None,
) -> list[OpenItem]:
    """The company's items (open ones unless ``open_only`` is false; of one customer, or with these numbers)."""
    with uow:
        where = ItemFilter(customer=customer, open_only=open_only, numbers=list(numbers) if numbers else None)
        return uow.ledger.items(company_id(uow, orgno), where)


def balance(uow: UnitOfWork, orgno: str) -> LedgerBalance:
    """The trial balance and the sub-ledger check (R-LED-1, R-LED-3)."""
    with uow:
        cid = company_id(uow, orgno)
        trial = uow.ledger.trial_balance(cid)
        totals: dict[str, Money] = {}
        for key, amount in trial.items():
            currency = key.split()[-1]
            totals[currency] = totals.get(currency, Money.zero(currency)) + amount
        gl = uow.ledger.receivables_by_customer(cid)
        sub = uow.ledger.subledger_by_customer(cid)
        mismatches = {
            number: (gl.get(number, Money.zero()), sub.get(number, Money.zero()))
            for number in sorted(set(gl) | set(sub))
            if gl.get(number, Money.zero()) != sub.get(number, Money.zero())
        }
        names = {number: account.name for number, account in uow.ledger.accounts(cid).items()}
        return LedgerBalance(trial, totals, mismatches, names, len(set(gl) | set(sub)))


def reported_messages(uow: UnitOfWork, orgno: str) -> list[LedgerReport]:
    with uow:
        return uow.outbox.reports(company_id(uow, orgno))


class LedgerRemindersOff(RuleViolation):
    """R-AGR-2: while the collection agreement is active, the ledger sends no reminders of its own."""

    code = "ledger_reminders_off"


def remind(uow: UnitOfWork, orgno: str, item_ids: Sequence[int], *, on: date) -> list[OpenItem]:
    """The ledger's own reminder (purring) for creditors not using the collection service: records it on the
    items (number of reminders, reminded-on date). Refused while the collection agreement is active (R-AGR-2);
    an item reminded this way is not sent to collection later (``item_already_reminded``)."""
    with uow:
        cid = company_id(uow, orgno)
        if not ledger_sends_reminders(uow.agreements.get(cid)):  # R-AGR-2
            raise LedgerRemindersOff(
                "the collection agreement is active: reminders are sent by the collection service, not the ledger"
            )
        items = uow.ledger.items(cid, ItemFilter(ids=item_ids))
        missing = sorted(set(item_ids) - {i.id for i in items})
        if missing:
            raise NotFound(f"no open item with id {', '.join(map(str, missing))} for company {orgno}")
        closed = [i.number for i in items if i.status is SettledStatus.SETTLED or not i.is_debit]
        if closed:
            raise MatchingRefused(f"only open invoices can be reminded, not {', '.join(closed)}")
        uow.ledger.mark_reminded(cid, item_ids, on)
        uow.commit()
        return uow.ledger.items(cid, ItemFilter(ids=item_ids))


def set_exempt(uow: UnitOfWork, orgno: str, item_id: int, exempt: bool) -> None:
    """Set or clear an item's reminder exemption (purrefritak)."""
    with uow:
        if not uow.ledger.set_item_exempt(company_id(uow, orgno), item_id, exempt):
            raise NotFound(f"no open item with id {item_id} for company {orgno}")
        uow.commit()
