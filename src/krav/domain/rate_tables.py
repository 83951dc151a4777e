"""The dated rate tables and what they answer for a date: inkassosats, fees, forsinkelsesrente and its
half-year periods, salær, standard compensation and the rule set in force (DOMAIN.md section 8).

Each table is a step function: an entry is in force from its ``valid_from`` until the next entry's. The
forsinkelsesrente and the standard compensation are set per half-year, so a date in a half-year the table does
not have uses the last known value, and :class:`RateLookup` and :class:`AmountLookup` say so
(``from_table=False``). :meth:`RateTables.check` answers, for a letter's date, whether the table knows every
half-yearly value of that day and what would be assumed if not; :meth:`RateTables.known_until` is the last day
it knows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar

from krav.domain.errors import KravError
from krav.domain.money import DEFAULT_CURRENCY, Money
from krav.domain.rate_entries import AmountEntry, FeeEntry, InterestEntry, RuleSet, SalaerEntry

__all__ = [
    "AmountLookup",
    "RateCheck",
    "RateLookup",
    "RateNotKnownError",
    "RatePeriod",
    "RateTables",
    "half_year_start",
]


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
class AmountLookup:
    """The standard compensation for a date: ``from_table`` is False when its half-year is not in the table
    and the last known amount (of the half-year starting ``period_start``) was used instead."""

    amount: Money
    from_table: bool
    period_start: date


@dataclass(frozen=True, slots=True)
class RateCheck:
    """What the table knows for the day ``on``: the forsinkelsesrente and the standard compensation of its
    half-year, each from the table or assumed (the last known value), and ``known_until``, the last day for which
    the table has both (DOMAIN.md section 8).

    ``standard_compensation`` is ``None`` for a day before the standard compensation's table starts (2016), when
    there is none to print. A real run prints no value it does not know (``known`` is False: hold the letter and
    name the table to load); a simulation may go on with the assumed values and say so (:meth:`assumption`).
    """

    on: date
    known_until: date
    interest: RateLookup
    standard_compensation: AmountLookup | None

    @property
    def known(self) -> bool:
        """True when every half-yearly value of ``on`` is the table's own, none assumed."""
        compensation = self.standard_compensation
        return self.interest.from_table and (compensation is None or compensation.from_table)

    @property
    def needed_from(self) -> date:
        """The first half-year a newer table must cover for ``on`` to be known: the day after ``known_until``, or
        the half-year of ``on`` where the table has a gap before its end."""
        return half_year_start(self.on) if self.on <= self.known_until else self.known_until + timedelta(days=1)

    def assumption(self) -> str | None:
        """``None`` when the values are known; else one sentence for a run report saying what is assumed.

        >>> from datetime import date
        >>> from krav.domain.rates import parse_rate_tables, _EXAMPLE
        >>> print(parse_rate_tables(_EXAMPLE).check(date(2027, 2, 1)).assumption())  # doctest: +NORMALIZE_WHITESPACE
        no rates are known for 2027-02-01 (the rate table ends 2026-12-31): assumed the last known
        forsinkelsesrente 12.25 % (from 2026-07-01) and standard compensation 430.00 NOK (from 2026-07-01);
        a rate table covering the half-year from 2027-01-01 is needed
        """
        if self.known:
            return None
        assumed = []
        if not self.interest.from_table:
            rate, since = self.interest.rate, self.interest.period_start
            assumed.append(f"forsinkelsesrente {rate} % (from {since.isoformat()})")
        compensation = self.standard_compensation
        if compensation is not None and not compensation.from_table:
            since = compensation.period_start
            assumed.append(f"standard compensation {compensation.amount} (from {since.isoformat()})")
        return (
            f"no rates are known for {self.on.isoformat()} (the rate table ends {self.known_until.isoformat()}): "
            f"assumed the last known {' and '.join(assumed)}; a rate table covering the half-year from "
            f"{self.needed_from.isoformat()} is needed"
        )


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

    def known_until(self) -> date:
        """The last day for which both half-yearly tables, forsinkelsesrente and standard compensation, have
        their own entry: after it their values are assumed (DOMAIN.md section 8).

        The other tables (inkassosats, fees, salær) are in force until an entry replaces them, so they do not end.
        """
        last = min(self.interest_rates[-1].valid_from, self.standard_compensations[-1].valid_from)
        return _next_half_year_start(last) - timedelta(days=1)

    def check(self, on: date) -> RateCheck:
        """Whether the table knows the forsinkelsesrente and standard compensation of ``on``'s half-year, and
        what would be assumed if not (DOMAIN.md section 8: a missing period uses the last known rate, and the
        report says so). Ask it with a letter's date before printing a rate on it.

        Raises :class:`RateNotKnownError` for a day before the first forsinkelsesrente.
        """
        compensation = None
        if self.standard_compensations and on >= self.standard_compensations[0].valid_from:
            compensation = self.standard_compensation_lookup(on)
        return RateCheck(on, self.known_until(), self.interest_rate(on), compensation)

    def is_known(self, on: date) -> bool:
        """True when the table has its own forsinkelsesrente and standard compensation for ``on``'s half-year
        (``check(on).known``)."""
        return self.check(on).known

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

    def standard_compensation_lookup(self, on: date) -> AmountLookup:
        """The standard compensation for ``on`` with whether its half-year is in the table (``from_table``), as
        :meth:`interest_rate` does for the forsinkelsesrente."""
        entry = _in_force(self.standard_compensations, on, "standard compensation")
        return AmountLookup(Money.of(entry.amount), entry.valid_from == half_year_start(on), entry.valid_from)

    def rule_set_on(self, d: date) -> RuleSet:
        """The rule set in force on ``d``: the latest whose ``in_force_from`` is on or before it (DOMAIN.md
        section 8: a new set takes over from its date without touching older claims)."""
        in_force = [r for r in self.rule_sets if r.in_force_from is not None and r.in_force_from <= d]
        if not in_force:
            raise RateNotKnownError(f"no rule set is in force on {d.isoformat()}")
        return max(in_force, key=lambda r: r.in_force_from or d)
