"""Reading the rates file: the TOML text of ``krav/data/rates.toml`` checked and turned into
:class:`~krav.domain.rate_tables.RateTables` (DOMAIN.md section 8).

Every table and key is checked: numbers are decimals written as strings, dates rise from entry to entry,
half-yearly rates start on 1 January or 1 July, every entry names its ``source`` (and may say in
``correction`` why it changes an earlier table's value). A mistake raises a :class:`FileFormatError` that names
the file, the table and the entry. This module reads no file: the adapters hand it the text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from krav.domain.errors import FileFormatError
from krav.domain.rate_entries import (
    AmountEntry,
    Bracket,
    FeeEntry,
    Fraction,
    InterestEntry,
    Rounding,
    RuleSet,
    SalaerEntry,
)
from krav.domain.rate_tables import RateTables

__all__ = ["parse_rate_tables"]

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

    def optional_text(self, key: str) -> str | None:
        value = self.get(key, required=False)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.fail(f"{key} must be a non-empty string when given, got {value!r}")
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
    return AmountEntry(_valid_from(e), e.decimal("amount"), e.text("source"), e.optional_text("correction"))


def _fee(e: _Entry) -> FeeEntry:
    return FeeEntry(
        _valid_from(e),
        e.fraction("reminder"),
        e.fraction("payment_demand"),
        e.rounding("rounding"),
        e.text("source"),
        e.optional_text("correction"),
    )


def _interest(e: _Entry) -> InterestEntry:
    return InterestEntry(
        _valid_from(e), e.decimal("rate", positive=False), e.text("source"), e.optional_text("correction")
    )


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
        e.optional_text("correction"),
    )


def _rule_set(e: _Entry) -> RuleSet:
    adopted = e.date("adopted")
    assert adopted is not None
    in_force_from = e.date("in_force_from", required=False)
    if in_force_from is not None and in_force_from < adopted:
        e.fail(f"in_force_from {in_force_from} is before adopted {adopted}")
    return RuleSet(
        e.text("id"), e.text("title"), adopted, in_force_from, e.text("source"), e.optional_text("correction")
    )


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
