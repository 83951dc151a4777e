"""The dated rate tables and what they answer for a date: inkassosats, fees, forsinkelsesrente and its
half-year periods, salær, standard compensation and the rule set in force (DOMAIN.md section 8).

Each table is a step function: an entry is in force from its ``valid_from`` until the next entry's. The
forsinkelsesrente is set per half-year, so a date in a half-year the table does not have uses the last known
rate, and :class:`RateLookup` says so (``from_table=False``) for the run report.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from krav.domain.errors import KravError
from krav.domain.money import DEFAULT_CURRENCY, Money
from krav.domain.rate_entries import AmountEntry, FeeEntry, InterestEntry, RuleSet, SalaerEntry

__all__ = ["RateLookup", "RateNotKnownError", "RatePeriod", "RateTables", "half_year_start"]


class RateNotKnownError(KravError):
    """No rate or rule set is known for the date asked (before the first entry of its table)."""

    code = "rate_not_known"


@dataclass(frozen=True, slots=True)
class RateLookup:
    """The forsinkelsesrente for a date: ``from_table`` is False when its half-year is not in the table and
    the last known rate (of the half-year starting ``period_start``) was used instead."""

    rate: Decimal
    from_table: bool
    period_start: date


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """A stretch ``[start, end)`` under one rate (% a year), ``from_table`` as in :class:`RateLookup`."""

    start: date
    end: date
    rate: Decimal
    from_table: bool

    @property
    def days(self) -> int:
        """Interest days in the period: end − start (R-TIME-4)."""
        return (self.end - self.start).days


class _Dated(Protocol):
    @property
    def valid_from(self) -> date: ...


_D = TypeVar("_D", bound=_Dated)


def _in_force(entries: Sequence[_D], on: date, table: str) -> _D:
    i = bisect_right(entries, on, key=lambda e: e.valid_from)
    if i == 0:
        first = entries[0].valid_from if entries else None
        raise RateNotKnownError(f"no {table} is known for {on.isoformat()}: the table starts {first}")
    return entries[i - 1]


def half_year_start(d: date) -> date:
    """1 January or 1 July on or before ``d``: the start of its forsinkelsesrente period.

    >>> from datetime import date
    >>> half_year_start(date(2025, 6, 30)), half_year_start(date(2025, 7, 1))
    (datetime.date(2025, 1, 1), datetime.date(2025, 7, 1))
    """
    return date(d.year, 1 if d.month < 7 else 7, 1)


def _next_half_year_start(d: date) -> date:
    return date(d.year, 7, 1) if d.month < 7 else date(d.year + 1, 1, 1)


@dataclass(frozen=True, slots=True)
class RateTables:
    """Every dated table of DOMAIN.md section 8, sorted by date; build it with :func:`~krav.domain.rates.parse_rate_tables`."""

    inkassosatser: tuple[AmountEntry, ...]
    fees: tuple[FeeEntry, ...]
    interest_rates: tuple[InterestEntry, ...]
    salaer_tables: tuple[SalaerEntry, ...]
    standard_compensations: tuple[AmountEntry, ...]
    rule_sets: tuple[RuleSet, ...]

    def inkassosats(self, on: date) -> Decimal:
        """The inkassosats (NOK) in force on ``on``; the fees of R-CLM-3 and the salær of R-CLM-5 are computed
        from it (DOMAIN.md section 8)."""
        return _in_force(self.inkassosatser, on, "inkassosats").amount

    def reminder_fee(self, on: date) -> Money:
        """The fee for a reminder or collection notice sent on ``on`` (R-CLM-3, inkassoforskriften § 1-2).

        1/10 of the inkassosats before 2020-10-01, 1/20 from then; rounded to øre, from 2026 to whole kroner.
        Whether a fee may be charged at all (14 days after due, at most two) is decided by the caller.
        """
        fee = _in_force(self.fees, on, "fee")
        return Money.of(fee.rounding.apply(fee.reminder.of(self.inkassosats(on))))

    def creditor_payment_demand_fee(self, on: date) -> Money:
        """The fee for a payment demand the creditor sends itself on ``on`` (3/10, from 2020-10-01 3/20 of the
        inkassosats; inkassoforskriften § 1-2 third paragraph; DOMAIN.md section 8)."""
        fee = _in_force(self.fees, on, "fee")
        return Money.of(fee.rounding.apply(fee.payment_demand.of(self.inkassosats(on))))

    def interest_rate(self, on: date) -> RateLookup:
        """The forsinkelsesrente (percent a year) for the day ``on`` (R-CLM-6).

        A half-year missing from the table uses the last known rate with ``from_table=False``, so that the
        run report can say so (DOMAIN.md section 8).
        """
        entry = _in_force(self.interest_rates, on, "forsinkelsesrente")
        return RateLookup(entry.rate, entry.valid_from == half_year_start(on), entry.valid_from)

    def interest_periods(self, start: date, end: date) -> list[RatePeriod]:
        """The rate periods covering ``[start, end)``, split at each 1 January and 1 July (R-CLM-6, R-TIME-4).

        Splitting at each half-year keeps every period within one calendar year, so its days count 1/365 or
        1/366 alike. ``start == end`` gives no period.
        """
        if end < start:
            raise ValueError(f"interest period ends {end} before it starts {start}")
        periods: list[RatePeriod] = []
        cursor = start
        while cursor < end:
            stop = min(_next_half_year_start(cursor), end)
            lookup = self.interest_rate(cursor)
            periods.append(RatePeriod(cursor, stop, lookup.rate, lookup.from_table))
            cursor = stop
        return periods

    def salaer(
        self,
        principal: Money,
        on: date,
        *,
        heavy: bool,
        business: bool,
        creditor_vat_registered: bool,
        brackets_on: date | None = None,
    ) -> Money:
        """The maximum salær (collection costs) for ``principal`` on ``on`` (R-CLM-5; inkassoforskr. ch. 2).

        The light multiple of the principal's bracket times the inkassosats in force on ``on``; × 2 when
        ``heavy``; × 1.5 for a business debtor; × 1.25 when the creditor is not VAT-registered; rounded down
        to øre, as the table gives maxima. ``brackets_on`` picks the bracket table by another date than ``on``
        where a transitional rule says so (e.g. a claim's due date around the 2020-10-01 reform).
        """
        if principal.currency != DEFAULT_CURRENCY:
            raise ValueError(f"salær brackets are in NOK; convert the principal first ({principal})")
        if principal.is_negative():
            raise ValueError(f"salær of a negative principal: {principal}")
        table = _in_force(self.salaer_tables, brackets_on or on, "salær table")
        value = self.inkassosats(on) * table.multiple_for(principal.amount)
        if heavy:
            value *= table.heavy_factor
        if business:
            value *= table.business_factor
        if not creditor_vat_registered:
            value *= table.no_vat_factor
        return Money.of(table.rounding.apply(value))

    def standard_compensation(self, on: date) -> Money:
        """The B2B standard compensation (EUR 40 in NOK) for the half-year of ``on`` (R-CLM-11); a half-year
        missing from the table uses the last known amount."""
        return Money.of(_in_force(self.standard_compensations, on, "standard compensation").amount)

    def rule_set_on(self, d: date) -> RuleSet:
        """The rule set in force on ``d``: the latest whose ``in_force_from`` is on or before it (DOMAIN.md
        section 8: a new set takes over from its date without touching older claims)."""
        in_force = [r for r in self.rule_sets if r.in_force_from is not None and r.in_force_from <= d]
        if not in_force:
            raise RateNotKnownError(f"no rule set is in force on {d.isoformat()}")
        return max(in_force, key=lambda r: r.in_force_from or d)
