"""Letters as data: what a letter says, computed by the engine; rendering (PDF, e-mail) is an adapter's job.

One letter per debtor per day for the claims that reach the same step (R-CLM-1). Amounts per claim are what the
claim owed on the day the letter was sent, the fee or salær charged by that letter included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from krav.domain.money import Money


class LetterType(StrEnum):
    REMINDER = "reminder"  # betalingspåminnelse, no fee (R-CLM-2)
    NOTICE = "notice"  # inkassovarsel (R-CLM-3)
    INTEREST_NOTE = "interest_note"  # rentenota (R-CLM-8)
    PAYMENT_DEMAND = "payment_demand"  # betalingsoppfordring (R-CLM-5)
    LEGAL_NOTICE = "legal_notice"  # varsel om rettslig inkasso (R-CLM-13)
    PAID_CONFIRMATION = "paid_confirmation"  # bekreftelse på betalt sak (R-CLM-9)
    OBJECTION_ANSWER = "objection_answer"  # svar på innsigelse (R-CLM-15)


#: Letters that ask for money and carry a deadline, KID and account.
DEMANDING = frozenset(
    {
        LetterType.REMINDER,
        LetterType.NOTICE,
        LetterType.INTEREST_NOTE,
        LetterType.PAYMENT_DEMAND,
        LetterType.LEGAL_NOTICE,
    }
)


def asks_for_payment(kind: LetterType, deadline: date | None) -> bool:
    """A letter of ``kind`` with ``deadline`` asks for money: the demanding types, and an objection's answer that
    rejects it (it has a deadline; an upheld objection's answer has none)."""
    return kind in DEMANDING or (kind is LetterType.OBJECTION_ANSWER and deadline is not None)


def deadline_from(sent_on: date, dated: date, deadline: date | None) -> date | None:
    """R-SVC-2: a letter's deadline counts from the day it was sent. A letter dated ``dated`` with ``deadline``
    that went out on ``sent_on`` has as many days from then (calendar days, never moved: R-TIME-3).

    >>> deadline_from(date(2025, 4, 2), date(2025, 3, 28), date(2025, 4, 11))
    datetime.date(2025, 4, 16)
    >>> deadline_from(date(2025, 4, 2), date(2025, 3, 28), None) is None
    True
    """
    return None if deadline is None else sent_on + (deadline - dated)


@dataclass(frozen=True, slots=True)
class Sender:
    """Who a letter is from: the creditor, or the collection service writing on its behalf."""

    name: str
    orgno: str
    street: str | None
    postcode: str | None
    city: str | None
    email: str | None = None
    phone: str | None = None
    # the collection service's client account, and its IBAN and BIC for a debtor abroad (R-SVC-1); a demo
    # identity marks every page of its letters as a demo
    account: str | None = None
    iban: str | None = None
    bic: str | None = None
    demo: bool = False


@dataclass(frozen=True, slots=True)
class Recipient:
    """The debtor as the claim recorded them at submission."""

    number: str
    name: str
    kind: str  # consumer | business
    orgno: str | None
    street: str | None
    postcode: str | None
    city: str | None
    country: str
    email: str | None
    language: str = "nb"  # nb | en
    email_for_letters: bool = False  # the debtor gave ``email`` for letters: only then do letters go there (R-SVC-2)


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """R-CLM-16: interest on ``principal`` for the days after ``start`` up to and including ``end`` (R-TIME-4),
    at ``rate`` percent a year, rounded so that the periods of one segment add up to the segment's interest
    (:func:`krav.domain.collection.interest.split_segment`)."""

    start: date
    end: date
    rate: Decimal
    principal: Money
    amount: Money

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class PaidOnClaim:
    """R-CLM-9: what the debtor paid on a claim in all and how it was applied, for the paid confirmation; ``on``
    is the day the last payment was made (the day the debtor's bank got the order where the bank file says,
    R-CLM-14, else the day it was booked). ``overpaid`` is what went beyond the claim, to be refunded."""

    on: date
    principal: Money
    fee: Money
    compensation: Money
    interest: Money
    salaer: Money
    overpaid: Money

    @property
    def total(self) -> Money:
        return self.principal + self.fee + self.compensation + self.interest + self.salaer + self.overpaid


@dataclass(frozen=True, slots=True)
class LetterLine:
    """One claim on a letter, with what it owed on the letter's date.

    ``fee`` is the notice fees; ``compensation`` the B2B standard compensation owed besides (R-CLM-11), never
    counted as a fee. ``interest_periods`` say how the interest accrued, period by period (R-CLM-16): they add up
    to ``interest`` plus what of it was paid or waived before (:attr:`interest_deducted`). ``paid`` is what a
    paid confirmation confirms (R-CLM-9).
    """

    collection_id: str
    invoice_number: str
    invoice_date: date
    due_date: date
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    # percent a year the interest was computed at, when that is one rate; None when it spans more (R-CLM-16: the
    # periods say each), never simply the rate in force on the letter's date
    interest_rate: Decimal | None = None
    interest_from: date | None = None
    interest_paid_before: Money | None = None  # interest the claim had paid before this letter (R-CLM-12)
    fees_charged: Money | None = None  # all the fees the claim had been charged by the letter's date (R-CLM-14)
    salaer_charged: Money | None = None  # all the salær likewise
    compensation: Money | None = None  # the standard compensation owed (R-CLM-11)
    interest_periods: tuple[InterestPeriod, ...] = ()
    paid: PaidOnClaim | None = None  # on a paid confirmation (R-CLM-9)

    @property
    def total(self) -> Money:
        total = self.principal + self.fee + self.interest + self.salaer
        return total if self.compensation is None else total + self.compensation

    @property
    def interest_deducted(self) -> Money:
        """What the periods add up to beyond the interest owed: the interest paid or waived before the letter."""
        if not self.interest_periods:
            return Money.zero(self.interest.currency)
        return Money.sum((p.amount for p in self.interest_periods), self.interest.currency) - self.interest


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter to a debtor. ``n`` counts the debtor's letters from 1; ``kid`` and ``account`` say how to pay."""

    type: LetterType
    creditor: Sender
    service: Sender
    recipient: Recipient
    n: int
    sent_on: date
    deadline: date | None
    kid: str | None
    account: str | None
    lines: tuple[LetterLine, ...]
    case_number: str | None = None
    note: str | None = None  # the reasons of an answer to an objection (R-CLM-15)

    @property
    def asks_for_payment(self) -> bool:
        """Whether the letter asks for money by a deadline (and so gives the KID and the account): every
        demanding letter, and the answer that rejects an objection (R-CLM-15)."""
        return asks_for_payment(self.type, self.deadline)

    @property
    def principal(self) -> Money:
        return Money.sum(line.principal for line in self.lines)

    @property
    def fee(self) -> Money:
        return Money.sum(line.fee for line in self.lines)

    @property
    def interest(self) -> Money:
        return Money.sum(line.interest for line in self.lines)

    @property
    def salaer(self) -> Money:
        return Money.sum(line.salaer for line in self.lines)

    @property
    def compensation(self) -> Money:
        return Money.sum(line.compensation for line in self.lines if line.compensation is not None)

    @property
    def total(self) -> Money:
        return Money.sum(line.total for line in self.lines)


def letter_kid(letter_id: int, scheme: str, length: int) -> str:
    """R-BANK-1: the KID of a letter, from its (globally unique) id under the agreement's scheme.

    The first digit is a variant (normally 0), then the id zero-padded, then the check digit. A MOD11 check digit
    of 10 would end the KID in "-", which Nets' OCR records cannot carry, so such an id takes the next variant.
    """
    from krav.domain.kid import KidScheme, make_kid

    kind = KidScheme(scheme)
    width = length - 2
    if letter_id < 0 or len(str(letter_id)) > width:
        raise ValueError(f"letter id {letter_id} does not fit a KID of {length} digits")
    for variant in range(10):
        kid = make_kid(f"{variant}{letter_id:0{width}d}", kind, length)
        if not kid.endswith("-"):
            return kid
    raise AssertionError("unreachable: some variant digit gives a numeric MOD11 check digit")


@dataclass(frozen=True, slots=True)
class CollectionListRow:
    """One claim on the Tuesday collection list (R-CLM-4), as the creditor sees it."""

    debtor_number: str
    debtor_name: str
    collection_id: str
    invoice_number: str
    due_date: date
    principal: Money
    fee: Money
    interest: Money
    notice_deadline: date | None

    @property
    def total(self) -> Money:
        return self.principal + self.fee + self.interest
