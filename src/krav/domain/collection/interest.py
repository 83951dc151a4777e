"""Late-payment interest, forsinkelsesrente (R-CLM-6, R-TIME-4).

Interest runs on the unpaid principal only, from the due date, simple (never on interest). Days are counted as
``end - start`` (the due date itself is not an interest day). Each day earns 1/365 of the annual rate, 1/366 in
a leap year, at the rate of its half-year. A *segment* runs between two changes of the principal; within it the
rate periods are summed unrounded, and the segment is rounded to øre when it closes (or as of the day asked).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from krav.domain.calendar import days_in_year
from krav.domain.collection.claims import Claim
from krav.domain.money import Money, round_ore
from krav.domain.rates import RateTables

_HUNDRED = Decimal(100)


def segment_interest(principal: Money, start: date, end: date, rates: RateTables) -> Decimal:
    """R-CLM-6, R-TIME-4: the unrounded interest on ``principal`` from ``start`` to ``end``, summed per rate
    period.

    The interest days are the ``end - start`` days after ``start`` up to and including ``end`` (the due date
    itself is not an interest day); each earns the rate of its own half-year and 1/365 or 1/366 of it by its
    own year.
    """
    if end <= start or not principal.is_positive():
        return Decimal(0)
    total = Decimal(0)
    one = timedelta(days=1)
    for period in rates.interest_periods(start + one, end + one):
        days = (period.end - period.start).days
        total += principal.amount * period.rate / _HUNDRED * days / days_in_year(period.start.year)
    return total


def interest_end(claim: Claim, on: date) -> date:
    """Interest stops when the claim closes."""
    if claim.closed_on is not None and claim.closed_on < on:
        return claim.closed_on
    return on


def open_segment(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> Money:
    """The open segment's interest as of ``on``, rounded to øre (R-CLM-6)."""
    if not charge_interest or claim.segment_start is None:
        return Money.zero(claim.currency)
    amount = segment_interest(claim.principal_outstanding, claim.segment_start, interest_end(claim, on), rates)
    return Money(round_ore(amount), claim.currency)


def interest_accrued(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> Money:
    """All interest accrued up to ``on``: the closed segments plus the open one, less what was waived."""
    return (
        claim.interest_booked + open_segment(claim, on, rates, charge_interest=charge_interest) - claim.interest_waived
    )


def interest_outstanding(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> Money:
    """Interest accrued up to ``on`` and not yet paid or waived."""
    owed = interest_accrued(claim, on, rates, charge_interest=charge_interest) - claim.interest_paid
    return owed.max(Money.zero(claim.currency))


def close_segment(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> None:
    """Book the open segment (rounded) before the principal changes on ``on`` (R-CLM-6)."""
    booked = open_segment(claim, on, rates, charge_interest=charge_interest)
    claim.interest_booked = claim.interest_booked + booked
    claim.segment_start = max(on, claim.segment_start or on)


def interest_rate_on(on: date, rates: RateTables) -> Decimal:
    """The annual rate in percent in force on ``on``, for the letters."""
    return rates.interest_rate(on).rate
