"""Claims brought from an earlier collection service, as a migration file describes them (docs/migration.md).

Values only: what the earlier service knew about each open claim — the invoice and debtor, the stage reached,
the letters sent with their dates, deadlines and fees, the salær charged, the interest accrued up to a day, the
payments received and how each was applied, and a pause or objection in force. The checks and the claim built
from them are :mod:`krav.domain.collection.migration`'s; the codec is :mod:`krav.formats.claims_import`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.money import Money


@dataclass(frozen=True, slots=True)
class MigratedPayment:
    """A payment the earlier service received, and how it was applied (the four parts sum to ``amount``)."""

    on: date
    amount: Money
    principal: Money
    fees: Money
    salaer: Money
    interest: Money
    where: str | None = None  # its place in the file, where it is not the claim's


@dataclass(frozen=True, slots=True)
class MigratedClaim:
    """One open claim of the earlier service; ``where`` names its place in the file (``line 3``)."""

    where: str
    invoice: str
    customer: str
    stage: str
    earlier_id: str
    principal: Money  # the invoice's principal when collection began
    kid: str | None = None
    letter_amount: Money | None = None  # what the claim owed on its latest letter, the one ``kid`` is for
    reminder_sent: date | None = None
    reminder_deadline: date | None = None
    reminder_fee: Money | None = None
    notice_sent: date | None = None
    notice_deadline: date | None = None
    notice_fee: Money | None = None
    listed_on: date | None = None
    demand_sent: date | None = None
    demand_deadline: date | None = None
    salaer: Money | None = None
    legal_notice_sent: date | None = None
    legal_deadline: date | None = None
    interest_to: date | None = None
    interest: Money | None = None
    payments: tuple[MigratedPayment, ...] = ()
    paused_on: date | None = None
    disputed_on: date | None = None
