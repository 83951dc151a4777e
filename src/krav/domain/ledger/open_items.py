"""Open items: the customer sub-ledger (R-LED-3).

Every line on a receivables account is an item: a debit is an invoice (or fee, or interest), a credit is a
payment or credit note not yet matched. ``remaining`` carries the sign of ``amount``. The settled status follows
from the two: 1 fully open, 2 partly open, 3 settled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum

from krav.domain.money import Money


class SettledStatus(IntEnum):
    """R-LED-3 settled status (oppgjortstatus)."""

    OPEN = 1
    PARTLY_OPEN = 2
    SETTLED = 3


def settled_status(amount: Money, remaining: Money) -> SettledStatus:
    """R-LED-3: 1 when nothing is settled, 3 when nothing remains, 2 in between."""
    if remaining.is_zero():
        return SettledStatus.SETTLED
    if remaining is amount or remaining == amount:
        return SettledStatus.OPEN
    return SettledStatus.PARTLY_OPEN


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An item of the customer sub-ledger with its collection fields."""

    id: int
    customer: str
    number: str
    voucher_type: int
    amount: Money
    remaining: Money
    invoice_date: date
    due_date: date | None = None
    reminder_count: int = 0
    reminded_on: date | None = None
    exempt: bool = False
    collection_id: str | None = None
    fee_outstanding: Money | None = None
    interest_outstanding: Money | None = None
    kid: str | None = None
    reference: str | None = None
    voucher_id: int | None = None

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def status(self) -> SettledStatus:
        return settled_status(self.amount, self.remaining)

    @property
    def is_debit(self) -> bool:
        return self.amount.is_positive()

    def settled_by(self, amount: Money) -> OpenItem:
        """This item after ``amount`` (positive, at most what remains) of it is settled."""
        if amount.is_negative() or amount > abs(self.remaining):
            raise ValueError(f"cannot settle {amount} of item {self.number}: {self.remaining} remains")
        step = amount if self.is_debit else -amount
        return replace(self, remaining=self.remaining - step)
