"""A newer rate table checked against the one it replaces, before it is used (DOMAIN.md section 8).

Rates are data, updatable without a release; what protects the claims already computed is this check. A newer
table must:

- keep every entry of the table it replaces (dated tables by ``valid_from``, rule sets by ``id``) with the same
  values, unless the entry says in ``correction`` why the value was wrong; its ``source`` may be sharpened freely;
- add an entry dated before the last one of its table only with a ``correction`` (it changes values in force);
- have no gap in the half-yearly tables (forsinkelsesrente, standard compensation), and a forsinkelsesrente
  above zero;
- leave a rule set's ``in_force_from`` as it was, or set it where it was still open (the new Inkasso Act's date
  decided).

:func:`check_update` collects every problem as a :class:`~krav.domain.errors.Problem` instead of stopping at the
first; :class:`RateTableRefused` reports them all. Parsing (numbers as decimal strings, dates rising, a ``source``
on every entry) is :func:`~krav.domain.rate_parsing.parse_rate_tables`'s, which runs first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from itertools import pairwise
from typing import Any

from krav.domain.errors import InputError, Problem
from krav.domain.rate_entries import AmountEntry, FeeEntry, InterestEntry, RuleSet, SalaerEntry
from krav.domain.rate_tables import RateTables, half_year_start

__all__ = ["RateTableRefused", "RateUpdate", "check_update"]

_Entry = AmountEntry | FeeEntry | InterestEntry | SalaerEntry

#: The dated tables by their name in the file, and whether they are set per half-year (no gaps allowed).
_DATED: tuple[tuple[str, Callable[[RateTables], Sequence[_Entry]], bool], ...] = (
    ("inkassosats", lambda t: t.inkassosatser, False),
    ("fee", lambda t: t.fees, False),
    ("interest", lambda t: t.interest_rates, True),
    ("salaer", lambda t: t.salaer_tables, False),
    ("standard_compensation", lambda t: t.standard_compensations, True),
)
_NOT_VALUES = {"valid_from", "source", "correction", "id"}
_HOW_TO_CORRECT = 'add correction = "…" to the entry saying why, if it corrects that value'


class RateTableRefused(InputError):
    """A rate table that may not replace the one in use; lists every problem, each naming its entry and field."""

    code = "rate_table_refused"

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{file}: not loaded, nothing changed; {len(self.problems)} problem(s):\n{shown}")


@dataclass(frozen=True, slots=True)
class RateUpdate:
    """What a newer table does to the one it replaces: the entries it adds, the ones it corrects (each as a line
    to show), and the problems that refuse it."""

    added: tuple[str, ...]
    corrected: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_update(new: RateTables, old: RateTables, *, old_name: str = "the table in use") -> RateUpdate:
    """Check that ``new`` may replace ``old`` (DOMAIN.md section 8): every problem, every addition, every
    correction. ``old_name`` says in the messages which table ``old`` is (``the built-in table``, …).

    >>> from krav.domain.rates import parse_rate_tables, _EXAMPLE
    >>> old = parse_rate_tables(_EXAMPLE)
    >>> newer = _EXAMPLE + '[[interest]]\\nvalid_from = 2027-01-01\\nrate = "11.75"\\nsource = "FOR-2026-12-17-1"\\n'
    >>> check_update(parse_rate_tables(newer), old).added
    ('[[interest]] 2027-01-01: rate 11.75',)
    >>> wrong = _EXAMPLE.replace('rate = "12.25"', 'rate = "12.50"')
    >>> print(check_update(parse_rate_tables(wrong), old).problems[0])  # doctest: +NORMALIZE_WHITESPACE
    [[interest]] valid_from 2026-07-01: rate: is 12.50 here but 12.25 in the table in use; add correction = "…"
    to the entry saying why, if it corrects that value
    """
    added: list[str] = []
    corrected: list[str] = []
    problems: list[Problem] = []
    for name, entries_of, half_yearly in _DATED:
        new_entries, old_entries = entries_of(new), entries_of(old)
        _compare(name, new_entries, old_entries, old_name, added, corrected, problems)
        if half_yearly:
            problems += _gaps(name, new_entries)
    problems += [
        Problem(_where("interest", e.valid_from), "rate", f"must be greater than zero, got {e.rate}")
        for e in new.interest_rates
        if e.rate <= 0
    ]
    _compare_rule_sets(new.rule_sets, old.rule_sets, old_name, added, corrected, problems)
    return RateUpdate(tuple(added), tuple(corrected), tuple(problems))


def _compare(
    name: str,
    new: Sequence[_Entry],
    old: Sequence[_Entry],
    old_name: str,
    added: list[str],
    corrected: list[str],
    problems: list[Problem],
) -> None:
    by_date = {e.valid_from: e for e in new}
    for before in old:
        where = _where(name, before.valid_from)
        after = by_date.get(before.valid_from)
        if after is None:
            problems.append(
                Problem(where, None, f"missing: {old_name} has it ({_values(before)}); a newer table keeps every entry")
            )
            continue
        changed = _changed(after, before)
        if changed and after.correction is None:
            problems += _unstated(where, changed, old_name)
        elif changed:
            corrected.append(f"[[{name}]] {after.valid_from}: {_changes(changed)} ({after.correction})")
    known = {e.valid_from for e in old}
    last = old[-1].valid_from if old else None
    for entry in new:
        if entry.valid_from in known:
            continue
        if last is not None and entry.valid_from < last and entry.correction is None:
            problems.append(
                Problem(
                    _where(name, entry.valid_from),
                    "valid_from",
                    f"a new entry before {old_name}'s last one ({last}) changes values already in force; "
                    f"{_HOW_TO_CORRECT}",
                )
            )
        elif last is not None and entry.valid_from < last:
            corrected.append(f"{_short(name, entry)} inserted ({entry.correction})")
        else:
            added.append(_short(name, entry))


def _gaps(name: str, entries: Sequence[_Entry]) -> list[Problem]:
    problems = []
    for previous, entry in pairwise(entries):
        expected = _next_half_year(previous.valid_from)
        if entry.valid_from > expected:
            problems.append(
                Problem(
                    _where(name, entry.valid_from),
                    "valid_from",
                    f"the half-year from {expected} is missing before it: the table is set per half-year and must "
                    "have no gaps",
                )
            )
    return problems


def _compare_rule_sets(
    new: Sequence[RuleSet],
    old: Sequence[RuleSet],
    old_name: str,
    added: list[str],
    corrected: list[str],
    problems: list[Problem],
) -> None:
    by_id = {r.id: r for r in new}
    for before in old:
        where = f"[[rule_set]] id {before.id}"
        after = by_id.get(before.id)
        if after is None:
            problems.append(Problem(where, None, f"missing: {old_name} has it; a newer table keeps every rule set"))
            continue
        changed = _changed(after, before)
        if before.in_force_from is None and after.in_force_from is not None:
            # the date of a rule set adopted but not yet in force is decided: an addition, not a correction
            changed = [c for c in changed if c[0] != "in_force_from"]
            added.append(f"[[rule_set]] {after.id}: in force from {after.in_force_from}")
        if changed and after.correction is None:
            problems += _unstated(where, changed, old_name)
        elif changed:
            corrected.append(f"[[rule_set]] {after.id}: {_changes(changed)} ({after.correction})")
    known = {r.id for r in old}
    added += [f"[[rule_set]] {r.id}: {r.title}" for r in new if r.id not in known]


def _changed(after: _Entry | RuleSet, before: _Entry | RuleSet) -> list[tuple[str, str, str]]:
    """The value fields that differ, each as (field, new value, old value); ``source`` and ``correction`` are
    not values."""
    return [
        (f.name, _show(getattr(after, f.name)), _show(getattr(before, f.name)))
        for f in fields(before)
        if f.name not in _NOT_VALUES and getattr(after, f.name) != getattr(before, f.name)
    ]


def _unstated(where: str, changed: list[tuple[str, str, str]], old_name: str) -> list[Problem]:
    """A problem for each value changed without a ``correction``."""
    return [
        Problem(where, field, f"is {now} here but {was} in {old_name}; {_HOW_TO_CORRECT}")
        for field, now, was in changed
    ]


def _changes(changed: list[tuple[str, str, str]]) -> str:
    return ", ".join(f"{field} {was} → {now}" for field, now, was in changed)


def _values(entry: _Entry | RuleSet) -> str:
    return ", ".join(f"{f.name} {_show(getattr(entry, f.name))}" for f in fields(entry) if f.name not in _NOT_VALUES)


def _short(name: str, entry: _Entry) -> str:
    return f"[[{name}]] {entry.valid_from}: {_values(entry)}"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):  # salær brackets
        return "[" + ", ".join(f"{'above' if b.up_to is None else b.up_to}: {b.multiple}" for b in value) + "]"
    return str(value)  # a date, a Decimal, a Fraction, a string


def _where(name: str, valid_from: date) -> str:
    return f"[[{name}]] valid_from {valid_from}"


def _next_half_year(d: date) -> date:
    start = half_year_start(d)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)
