"""Dated rates: inkassosats, fees, forsinkelsesrente, salær, standard compensation, rule sets (DOMAIN.md §8).

Numbers that change over time are data, never constants: they live in ``krav/data/rates.toml`` (replaceable
without a release) and are read by :func:`parse_rate_tables` into an immutable :class:`RateTables`, whose
methods answer "what applies on this date". This module reads no file: the adapter
``krav.adapters.ratefile`` hands it the text.

Each table is a step function: an entry is in force from its ``valid_from`` until the next entry's. The
forsinkelsesrente is set per half-year, so a date in a half-year the table does not have uses the last known
rate, and :class:`RateLookup` says so (``from_table=False``) for the run report.

>>> from datetime import date
>>> tables = parse_rate_tables(_EXAMPLE)
>>> tables.reminder_fee(date(2025, 3, 1)), tables.reminder_fee(date(2026, 3, 1))
(Money('35.00', 'NOK'), Money('38.00', 'NOK'))
>>> tables.salaer(Money.of("1000.00"), date(2025, 3, 1), heavy=False, business=True,
...               creditor_vat_registered=False)
Money('459.37', 'NOK')
>>> tables.interest_rate(date(2027, 2, 1))
RateLookup(rate=Decimal('12.25'), from_table=False, period_start=datetime.date(2026, 7, 1))
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, NoReturn, Protocol, TypeVar

from krav.domain.errors import FileFormatError, KravError
from krav.domain.money import DEFAULT_CURRENCY, Money, round_ore, round_ore_down


class RateNotKnownError(KravError):
    """No rate or rule set is known for the date asked (before the first entry of its table)."""

    code = "rate_not_known"


class Rounding(StrEnum):
    """How a computed fee is rounded: half up to øre, half up to whole kroner, or down to øre (maxima)."""

    ORE = "ore"
    KRONE = "krone"
    ORE_DOWN = "ore_down"

    def apply(self, value: Decimal) -> Decimal:
        if self is Rounding.KRONE:
            return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return round_ore_down(value) if self is Rounding.ORE_DOWN else round_ore(value)


@dataclass(frozen=True, slots=True)
class Fraction:
    """A fee as a fraction of the inkassosats, e.g. 1/20."""

    numerator: int
    denominator: int

    def of(self, value: Decimal) -> Decimal:
        return value * self.numerator / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True, slots=True)
class AmountEntry:
    """An amount in NOK in force from ``valid_from`` (inkassosats, standard compensation)."""

    valid_from: date
    amount: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """The creditor's own fees as fractions of the inkassosats, in force from ``valid_from``."""

    valid_from: date
    reminder: Fraction
    payment_demand: Fraction
    rounding: Rounding
    source: str


@dataclass(frozen=True, slots=True)
class InterestEntry:
    """The forsinkelsesrente, percent a year, for the half-year starting ``valid_from``."""

    valid_from: date
    rate: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Bracket:
    """A salær bracket: principals up to and including ``up_to`` (``None``: no upper bound)."""

    up_to: Decimal | None
    multiple: Decimal


@dataclass(frozen=True, slots=True)
class SalaerEntry:
    """The salær table in force from ``valid_from``: light multiples by principal and the factors."""

    valid_from: date
    brackets: tuple[Bracket, ...]
    heavy_factor: Decimal
    business_factor: Decimal
    no_vat_factor: Decimal
    rounding: Rounding
    source: str

    def multiple_for(self, principal: Decimal) -> Decimal:
        """The light multiple of the bracket ``principal`` falls in."""
        for bracket in self.brackets:
            if bracket.up_to is None or principal <= bracket.up_to:
                return bracket.multiple
        raise AssertionError("the last bracket has no upper bound")  # pragma: no cover - checked on parsing


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A dated body of rules (e.g. ``inkassoloven-1988``); ``in_force_from`` is ``None`` until decided."""

    id: str
    title: str
    adopted: date
    in_force_from: date | None
    source: str


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

    >>> half_year_start(date(2025, 6, 30)), half_year_start(date(2025, 7, 1))
    (datetime.date(2025, 1, 1), datetime.date(2025, 7, 1))
    """
    return date(d.year, 1 if d.month < 7 else 7, 1)


def _next_half_year_start(d: date) -> date:
    return date(d.year, 7, 1) if d.month < 7 else date(d.year + 1, 1, 1)


@dataclass(frozen=True, slots=True)
class RateTables:
    """Every dated table of DOMAIN.md section 8, sorted by date; build it with :func:`parse_rate_tables`."""

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


# -- parsing -------------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_FRACTION = re.compile(r"^([1-9]\d*)/([1-9]\d*)$")


class _Entry:
    """Reads one ``[[table]]`` entry, raising :class:`FileFormatError` that names the table and entry."""

    def __init__(self, file: str, table: str, index: int, raw: object) -> None:
        self.file, self.table, self.index = file, table, index
        self.element = f"[[{table}]] entry {index + 1}"
        if not isinstance(raw, dict):
            self.fail("is not a table")
        self.raw: dict[str, Any] = raw
        self.used: set[str] = set()
        valid_from = raw.get("valid_from")
        if isinstance(valid_from, date) and not isinstance(valid_from, datetime):
            self.element += f" (valid_from {valid_from.isoformat()})"

    def fail(self, problem: str) -> NoReturn:
        raise FileFormatError(self.file, problem, element=self.element)

    def get(self, key: str, *, required: bool = True) -> Any:
        self.used.add(key)
        if key not in self.raw:
            return self.fail(f"{key} is missing") if required else None
        return self.raw[key]

    def date(self, key: str, *, required: bool = True) -> date | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(f"{key} must be a TOML date like 2025-01-01, got {value!r}")
        return value

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{key} must be a non-empty string, got {value!r}")
        return value

    def decimal(self, key: str, value: object = None, *, positive: bool = True) -> Decimal:
        value = self.get(key) if value is None else value
        if not isinstance(value, str):
            kind = type(value).__name__
            self.fail(f'{key} must be a decimal written as a string ("9.25"), not a TOML {kind}: {value!r}')
        if not _DECIMAL.match(value.strip()):
            self.fail(f"{key} is not a decimal number: {value!r}")
        number = Decimal(value.strip())
        if positive and number <= 0:
            self.fail(f"{key} must be greater than zero, got {value!r}")
        return number

    def fraction(self, key: str) -> Fraction:
        value = self.text(key)
        match = _FRACTION.match(value.strip())
        if not match:
            self.fail(f'{key} must be a fraction like "1/20", got {value!r}')
        return Fraction(int(match[1]), int(match[2]))

    def rounding(self, key: str) -> Rounding:
        value = self.text(key)
        if value not in {r.value for r in Rounding}:
            self.fail(f"{key} must be one of {', '.join(r.value for r in Rounding)}, got {value!r}")
        return Rounding(value)

    def done(self) -> None:
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(unknown)}")


def _amount(e: _Entry) -> AmountEntry:
    return AmountEntry(_valid_from(e), e.decimal("amount"), e.text("source"))


def _fee(e: _Entry) -> FeeEntry:
    return FeeEntry(
        _valid_from(e),
        e.fraction("reminder"),
        e.fraction("payment_demand"),
        e.rounding("rounding"),
        e.text("source"),
    )


def _interest(e: _Entry) -> InterestEntry:
    return InterestEntry(_valid_from(e), e.decimal("rate", positive=False), e.text("source"))


def _salaer(e: _Entry) -> SalaerEntry:
    raw = e.get("brackets")
    if not isinstance(raw, list) or not raw:
        e.fail('brackets must be a non-empty array of { up_to = "…", multiple = "…" }')
    brackets: list[Bracket] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) - {"up_to", "multiple"}:
            e.fail(f'bracket {n} must be {{ up_to = "…", multiple = "…" }}, got {item!r}')
        up_to = e.decimal(f"bracket {n} up_to", item["up_to"]) if "up_to" in item else None
        multiple = e.decimal(f"bracket {n} multiple", item.get("multiple"))
        last = n == len(raw)
        if (up_to is None) != last:
            e.fail(f"bracket {n}: only the last bracket, and it always, has no up_to")
        if up_to is not None and brackets and brackets[-1].up_to is not None and up_to <= brackets[-1].up_to:
            e.fail(f"bracket {n}: up_to {up_to} is not above the previous bracket's {brackets[-1].up_to}")
        brackets.append(Bracket(up_to, multiple))
    return SalaerEntry(
        _valid_from(e),
        tuple(brackets),
        e.decimal("heavy_factor"),
        e.decimal("business_factor"),
        e.decimal("no_vat_factor"),
        e.rounding("rounding"),
        e.text("source"),
    )


def _rule_set(e: _Entry) -> RuleSet:
    adopted = e.date("adopted")
    assert adopted is not None
    in_force_from = e.date("in_force_from", required=False)
    if in_force_from is not None and in_force_from < adopted:
        e.fail(f"in_force_from {in_force_from} is before adopted {adopted}")
    return RuleSet(e.text("id"), e.text("title"), adopted, in_force_from, e.text("source"))


def _valid_from(e: _Entry) -> date:
    d = e.date("valid_from")
    assert d is not None
    return d


_T = TypeVar("_T")


def _table(
    doc: dict[str, Any], file: str, name: str, read: Callable[[_Entry], _T], *, half_yearly: bool = False
) -> tuple[_T, ...]:
    raw = doc.get(name)
    if not isinstance(raw, list) or not raw:
        raise FileFormatError(file, f"the table [[{name}]] is missing or empty", element=f"[[{name}]]")
    result: list[_T] = []
    previous: date | None = None
    for index, item in enumerate(raw):
        entry = _Entry(file, name, index, item)
        value = read(entry)
        entry.done()
        valid_from = getattr(value, "valid_from", None)
        if isinstance(valid_from, date):
            if previous is not None and valid_from <= previous:
                entry.fail(
                    f"valid_from {valid_from} is not after the previous entry's {previous}: "
                    "entries must be sorted by date and must not overlap"
                )
            if half_yearly and (valid_from.day, valid_from.month) not in {(1, 1), (1, 7)}:
                entry.fail(f"valid_from {valid_from} must be 1 January or 1 July (set per half-year)")
            previous = valid_from
        result.append(value)
    return tuple(result)


_TABLES = ("inkassosats", "fee", "interest", "salaer", "standard_compensation", "rule_set")


def parse_rate_tables(text: str, *, file: str = "rates.toml") -> RateTables:
    """Parse and check the TOML text of the rates file (DOMAIN.md section 8).

    Refuses, with a :class:`FileFormatError` naming ``file``, the table and the entry: TOML that does not
    parse, a missing or unknown table or key, a date that is not after the previous entry's, a half-yearly
    rate not dated 1 January or 1 July, a number written as a TOML float or integer instead of a string, a
    salær bracket table that does not rise or lacks an open last bracket, and a duplicate rule set id.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(file, f"not valid TOML: {exc}") from exc
    unknown = sorted(set(doc) - set(_TABLES))
    if unknown:
        raise FileFormatError(file, f"unknown table(s) {', '.join(unknown)}; expected {', '.join(_TABLES)}")
    inkassosatser = _table(doc, file, "inkassosats", _amount)
    fees = _table(doc, file, "fee", _fee)
    interest_rates = _table(doc, file, "interest", _interest, half_yearly=True)
    salaer_tables = _table(doc, file, "salaer", _salaer)
    standard_compensations = _table(doc, file, "standard_compensation", _amount, half_yearly=True)
    rule_sets = _table(doc, file, "rule_set", _rule_set)
    seen: set[str] = set()
    for index, rule_set in enumerate(rule_sets):
        if rule_set.id in seen:
            element = f"[[rule_set]] entry {index + 1}"
            raise FileFormatError(file, f"duplicate id {rule_set.id!r}", element=element)
        seen.add(rule_set.id)
    return RateTables(inkassosatser, fees, interest_rates, salaer_tables, standard_compensations, rule_sets)


_EXAMPLE = """
[[inkassosats]]
valid_from = 2017-01-01
amount = "700.00"
source = "example"
[[inkassosats]]
valid_from = 2026-01-01
amount = "750.00"
source = "example"
[[fee]]
valid_from = 2020-10-01
reminder = "1/20"
payment_demand = "3/20"
rounding = "ore"
source = "example"
[[fee]]
valid_from = 2026-01-01
reminder = "1/20"
payment_demand = "3/20"
rounding = "krone"
source = "example"
[[interest]]
valid_from = 2026-07-01
rate = "12.25"
source = "example"
[[salaer]]
valid_from = 2020-10-01
brackets = [
    { up_to = "500.00", multiple = "0.25" },
    { up_to = "1000.00", multiple = "0.35" },
    { multiple = "7.2" },
]
heavy_factor = "2"
business_factor = "1.5"
no_vat_factor = "1.25"
rounding = "ore_down"
source = "example"
[[standard_compensation]]
valid_from = 2026-07-01
amount = "430.00"
source = "example"
[[rule_set]]
id = "inkassoloven-1988"
title = "example"
adopted = 1988-05-13
in_force_from = 1989-10-01
source = "example"
"""
"""A small rates file for examples and tests; the real one is ``krav/data/rates.toml``."""
