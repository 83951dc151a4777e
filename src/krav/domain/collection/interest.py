"""Late-payment interest, forsinkelsesrente (R-CLM-6, R-TIME-4).

Interest runs on the unpaid principal only, from the due date, simple (never on interest). Days are counted as
``end - start`` (the due date itself is not an interest day). Each day earns 1/365 of the annual rate, 1/366 in
a leap year, at the rate of its half-year. A *segment* runs between two changes of the principal; within it the
rate periods are summed unrounded, and the segment is rounded to øre when it closes (or as of the day asked).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from krav.domain.calendar import days_in_year
from krav.domain.collection.claims import Claim
from krav.domain.collection.letters import InterestPeriod
from krav.domain.money import Money
from krav.domain.rates import RateTables

_HUNDRED = Decimal(100)
_YEARS = 365 * 366  # one day is 1/365 or 1/366 of a year: both are whole multiples of 1/(365·366)
_LAST_DAY = date(2100, 12, 31)


@dataclass(frozen=True, slots=True)
class DayWeights:
    """Every interest day's share of a year's rate, as integers, summed from ``first``: the interest of ``p`` øre
    over days (a, b] is exactly ``p · (cumulative[b] − cumulative[a]) / denominator`` øre."""

    first: date
    cumulative: tuple[int, ...]
    denominator: int

    def covers(self, start: date, end: date) -> bool:
        return self.first <= start + timedelta(days=1) and end <= _LAST_DAY

    def between(self, start: date, end: date) -> int:
        first = self.first.toordinal()
        return self.cumulative[end.toordinal() - first + 1] - self.cumulative[start.toordinal() - first + 1]


_last_weights: list[tuple[RateTables, DayWeights]] = []  # the table asked for last, by identity


def day_weights(rates: RateTables) -> DayWeights:
    """The table's integer day weights (:func:`_weights_of`); the one asked for last is found by identity, without
    hashing the table."""
    if _last_weights and _last_weights[0][0] is rates:
        return _last_weights[0][1]
    weights = _weights_of(rates)
    _last_weights[:] = [(rates, weights)]
    return weights


@lru_cache(maxsize=8)
def _weights_of(rates: RateTables) -> DayWeights:
    """The day weights of the rate table, built once per table (a year's rate in units of 10^-places percent)."""
    places = max((-int(e.rate.as_tuple().exponent) for e in rates.interest_rates), default=0)
    places = max(places, 0)
    scale = 10**places
    first = rates.interest_rates[0].valid_from
    cumulative = [0]
    for period in rates.interest_periods(first, _LAST_DAY + timedelta(days=1)):
        weight = int(period.rate * scale) * (_YEARS // days_in_year(period.start.year))
        for _ in range((period.end - period.start).days):
            cumulative.append(cumulative[-1] + weight)
    return DayWeights(first, tuple(cumulative), 100 * scale * _YEARS)


def _exact_ore(principal: Money, start: date, end: date, rates: RateTables) -> tuple[int, int]:
    """Interest in øre as (numerator, denominator), exact: no rounding anywhere."""
    if end <= start or not principal.is_positive():
        return 0, 1
    weights = day_weights(rates)
    if weights.covers(start, end):
        return principal.ore * weights.between(start, end), weights.denominator
    exact = segment_interest_ore(principal, start, end, rates)
    return exact.numerator, exact.denominator


def segment_interest_ore(principal: Money, start: date, end: date, rates: RateTables) -> Fraction:
    """R-CLM-6, R-TIME-4: the exact interest in øre on ``principal`` from ``start`` to ``end``, summed per rate
    period, as a fraction (no rounding at all, so a half øre is a half øre).

    The interest days are the ``end - start`` days after ``start`` up to and including ``end`` (the due date
    itself is not an interest day); each earns the rate of its own half-year and 1/365 or 1/366 of it by its
    own year.
    """
    if end <= start or not principal.is_positive():
        return Fraction(0)
    total = Fraction(0)
    one = timedelta(days=1)
    for period in rates.interest_periods(start + one, end + one):
        days = (period.end - period.start).days
        total += Fraction(principal.ore * days) * Fraction(period.rate) / (100 * days_in_year(period.start.year))
    return total


def segment_interest(principal: Money, start: date, end: date, rates: RateTables) -> Decimal:
    """The same interest in kroner as a ``Decimal`` (to 40 significant digits), for reports and checks."""
    numerator, denominator = _exact_ore(principal, start, end, rates)
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(numerator) / Decimal(denominator) / _HUNDRED


def round_half_up_ore(exact: Fraction) -> int:
    """A non-negative amount of øre given exactly, rounded half up to whole øre (R-MONEY-1)."""
    return (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)


def interest_end(claim: Claim, on: date) -> date:
    """Interest stops when the claim closes."""
    if claim.closed_on is not None and claim.closed_on < on:
        return claim.closed_on
    return on


def open_segment(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> Money:
    """The open segment's interest as of ``on``, rounded to øre (R-CLM-6)."""
    if not charge_interest:
        return Money.zero(claim.currency)
    numerator, denominator = _exact_ore(
        claim.principal_outstanding, claim.segment_start, interest_end(claim, on), rates
    )
    return Money.from_ore((2 * numerator + denominator) // (2 * denominator), claim.currency)


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
    """Book the open segment (rounded) before the principal changes on ``on`` (R-CLM-6), with its rate periods
    (R-CLM-16), so that a later letter can still state them."""
    if not charge_interest:
        claim.book_interest(on, Money.zero(claim.currency))
        return
    periods = split_segment(claim.principal_outstanding, claim.segment_start, interest_end(claim, on), rates)
    amount = Money.sum((p.amount for p in periods), claim.currency)
    claim.book_interest(on, amount, periods)


def split_segment(principal: Money, start: date, end: date, rates: RateTables) -> tuple[InterestPeriod, ...]:
    """R-CLM-16 with R-CLM-6: one segment's interest (on ``principal`` from ``start`` to ``end``) as the periods a
    letter states: from, to, rate and amount, the amounts adding up exactly to the segment's rounded interest.

    A period runs while the rate stays the same: the half-years of the table are joined where the rate does not
    change, except across a new year (a leap year's day is 1/366 of the rate, so each period can be checked as
    principal × rate × days / days of its year). The segment is summed unrounded and rounded half up once, as
    R-CLM-6 says; each period's exact amount is then rounded *down* to øre, and the øre that are left (at most one
    per period) go to the periods with the largest remainders, the earlier first on a tie (the largest-remainder
    method). So the periods always add up to the segment's interest, and none is more than one øre from its exact
    amount. For example 1 000,00 from 14.03.2025 to 20.08.2025: 108 days at 12,50 % (36,986… kroner) and 51 days
    at 12,25 % (17,116…), 54,102… in all, rounded 54,10; rounded down the periods give 36,98 and 17,11, and the
    øre left goes to the larger remainder: 36,98 + 17,12 = 54,10.
    """
    if end <= start or not principal.is_positive():
        return ()
    one = timedelta(days=1)
    # each period's exact amount as a numerator over one denominator for all: the table's integer day weights
    # where they cover the segment (as the open segment is computed), else the fractions themselves
    weights = day_weights(rates)
    whole = weights.covers(start, end)
    groups: list[tuple[date, date, Decimal, Fraction | int]] = []
    for period in rates.interest_periods(start + one, end + one):
        first, last = period.start - one, period.end - one  # as R-TIME-4 counts: the days after first up to last
        exact: Fraction | int
        if whole:
            exact = principal.ore * weights.between(first, last)
        else:
            days = (period.end - period.start).days
            exact = Fraction(principal.ore * days) * Fraction(period.rate) / (100 * days_in_year(period.start.year))
        if groups and groups[-1][2] == period.rate and groups[-1][1].year == period.start.year:
            begun, _, rate, summed = groups[-1]
            groups[-1] = (begun, last, rate, summed + exact)
        else:
            groups.append((first, last, period.rate, exact))
    if whole:
        denominator = weights.denominator
        numerators = [int(g[3]) for g in groups]
    else:  # the periods' fractions over their least common denominator
        denominator = math.lcm(*(Fraction(g[3]).denominator for g in groups))
        numerators = [int(Fraction(g[3]) * denominator) for g in groups]
    total = (2 * sum(numerators) + denominator) // (2 * denominator)  # rounded half up (R-MONEY-1)
    floors = [n // denominator for n in numerators]
    left = total - sum(floors)
    by_remainder = sorted(range(len(groups)), key=lambda i: (-(numerators[i] % denominator), i))
    for index in by_remainder[:left]:
        floors[index] += 1
    return tuple(
        InterestPeriod(first, last, rate, principal, Money.from_ore(ore, principal.currency))
        for (first, last, rate, _), ore in zip(groups, floors, strict=True)
    )


def interest_periods(
    claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True
) -> tuple[InterestPeriod, ...]:
    """R-CLM-16: all the interest the claim accrued up to ``on``, period by period: the closed segments' periods
    as they were booked, then the open segment's. They add up to the interest accrued before anything was paid
    or waived (:func:`interest_accrued` plus :attr:`Claim.interest_waived`), to the øre."""
    booked = claim.interest.booked_periods
    if not charge_interest:
        return booked
    return booked + split_segment(claim.principal_outstanding, claim.segment_start, interest_end(claim, on), rates)
