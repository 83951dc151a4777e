"""Tamper evidence for the books (R-LED-1) and the claims' history (R-ACT-5): the hash that seals a stored row,
the chain that links a company's rows in the order they were written, and the check that finds a row changed,
put out of place, or gone behind Krav's back.

A row's *content* is a mapping of its column names to values. Its canonical form is JSON with the keys sorted,
no spaces and UTF-8 text; a date is ``YYYY-MM-DD``, a timestamp UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, an amount
integer øre. The *content hash* is the SHA-256 of that form, in hex (:func:`content_hash`). A row of a chain
carries the hash of the row before it (the first row :data:`GENESIS`) and its own *chain hash*, the SHA-256 of
the two hashes side by side (:func:`link`); a row that holds other rows (a voucher its lines) names their content
hashes in its own content (:func:`with_parts`), so each line is sealed on its own and the voucher seals the lines.

>>> first = {"number": 1, "date": date(2025, 3, 1), "text": "Faktura 1001", "reverses_id": None}
>>> content_hash(first)[:16]
'37e4994f9e53c228'
>>> [hashes[1][:16] for hashes in chain(GENESIS, [first, {**first, "number": 2}])]
['862ef7551edc137d', '94e54686880fbe16']

The chain is evidence, not a lock: anyone who can write the database can compute a new chain. What it gives is
that an edit by hand (a changed amount, a deleted event) no longer matches, and that the head hash
(:attr:`ChainCheck.head`), once written down elsewhere, fixes everything before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

#: What the first row of a chain names as the row before it.
GENESIS = "0" * 64

#: A value a row's content holds: text, a whole number, a flag, a date or a UTC timestamp, the hashes of the
#: rows it holds, or nothing.
Value = str | int | bool | date | datetime | tuple[str, ...] | None


def _canonical(value: Value) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return str(value)  # an enum's value, not its name
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"a timestamp in a sealed row must carry its time zone: {value!r}")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return [str(part) for part in value]


def canonical(content: Mapping[str, Value]) -> bytes:
    """The canonical form of a row's content, the bytes its hash is taken of.

    >>> canonical({"text": "Innbetaling", "amount_ore": -25000, "due_date": None, "on": date(2025, 3, 1)})
    b'{"amount_ore":-25000,"due_date":null,"on":"2025-03-01","text":"Innbetaling"}'
    """
    plain = {key: _canonical(value) for key, value in content.items()}
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def content_hash(content: Mapping[str, Value]) -> str:
    """The SHA-256, in hex, of a row's canonical content: what seals a row that is not itself a link of a chain.

    >>> content_hash({"amount_ore": 100000, "text": "Faktura 1001"})
    '8060bf75d493120b4001d4b0fd43aedb902762cc17513acbdb01353362f3463f'
    """
    return hashlib.sha256(canonical(content)).hexdigest()


def link(previous: str, content: Mapping[str, Value]) -> str:
    """The chain hash of a row: SHA-256 of the previous row's chain hash followed by this row's content hash.

    >>> link(GENESIS, {"number": 1}) == hashlib.sha256((GENESIS + content_hash({"number": 1})).encode()).hexdigest()
    True
    """
    return hashlib.sha256((previous + content_hash(content)).encode("ascii")).hexdigest()


def chain(previous: str, contents: Iterable[Mapping[str, Value]]) -> list[tuple[str, str]]:
    """Rows written one after the other, after a row whose chain hash is ``previous``: for each row its
    (previous hash, chain hash), the pair it is stored with.

    >>> pairs = chain(GENESIS, [{"n": 1}, {"n": 2}])
    >>> pairs[0][0] == GENESIS, pairs[1][0] == pairs[0][1]
    (True, True)
    """
    pairs: list[tuple[str, str]] = []
    for content in contents:
        current = link(previous, content)
        pairs.append((previous, current))
        previous = current
    return pairs


def with_parts(content: Mapping[str, Value], part_hashes: Sequence[str | None]) -> dict[str, Value]:
    """The content of a row that holds other rows (a voucher its lines, in order): its own columns and the
    content hashes of its parts, so a part changed, added or taken away changes the row's content.

    >>> with_parts({"number": 7}, ["ab", "cd"])
    {'number': 7, 'parts': ('ab', 'cd')}
    """
    return {**content, "parts": tuple(h or "" for h in part_hashes)}


# -- the check -------------------------------------------------------------------------------------------------


class Problem(StrEnum):
    """What is wrong with a stored row."""

    CONTENT_CHANGED = "content changed"
    CHAIN_BROKEN = "chain broken"
    ROW_MISSING = "row missing"


@dataclass(frozen=True, slots=True)
class Finding:
    """A row edited behind Krav's back: its table, its id (None for a row that is gone) and what is wrong."""

    table: str
    row_id: int | None
    problem: Problem
    detail: str


@dataclass(frozen=True, slots=True)
class Sealed:
    """A stored row inside a link of a chain (a voucher line), and the content hash it was written with."""

    table: str
    id: int
    content: Mapping[str, Value]
    hash: str | None


@dataclass(frozen=True, slots=True)
class Linked:
    """A stored row of a chain: its place (``seq``, from 1), its content, the chain hash of the row it was written
    after, its own chain hash, and the rows it holds."""

    table: str
    id: int
    seq: int | None
    content: Mapping[str, Value]
    previous: str | None
    hash: str | None
    parts: tuple[Sealed, ...] = ()


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """A chain recomputed: how many rows (and rows inside them) it holds, how long it should be, the chain hash
    of its last row, and every row that does not hold."""

    table: str
    rows: int
    parts: int
    length: int
    head: str
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings


_CHANGED = "no longer matches the hash it was written with"
_UNSEALED = "was written without its hash"


def _places(place: str, first: int, last: int) -> str:
    return f"{place} {first} is gone" if first == last else f"{place}s {first}–{last} are gone"


def check_chain(table: str, links: Iterable[Linked], *, length: int, place: str) -> ChainCheck:
    """Recompute a company's chain from its stored rows, in their order, and name each row that does not hold
    (R-LED-1, R-ACT-5).

    ``length`` is how many rows were written (the chain's counter); ``place`` names a place in the chain for a
    person (``"voucher number"``). A row whose hashes no longer match its content has its *content changed*; a
    row that does not follow the one before it (or was written without a hash) *breaks the chain*; a place with
    no row is a *row missing*. Each row is judged on its own hashes, so an edited row is named alone, not the
    rows after it.

    >>> rows = [{"n": 1}, {"n": 2}, {"n": 3}]
    >>> stored = [Linked("t", i, i, r, p, h) for i, (r, (p, h)) in enumerate(zip(rows, chain(GENESIS, rows)), 1)]
    >>> check_chain("t", stored, length=3, place="row").intact
    True
    >>> edited = [stored[0], Linked("t", 2, 2, {"n": 20}, stored[1].previous, stored[1].hash), stored[2]]
    >>> [(f.row_id, f.problem.value) for f in check_chain("t", edited, length=4, place="row").findings]
    [(2, 'content changed'), (None, 'row missing')]
    """
    findings: list[Finding] = []
    rows = parts = 0
    expected, previous = 1, GENESIS
    for row in links:
        rows += 1
        for part in row.parts:
            parts += 1
            if part.hash is None:
                findings.append(Finding(part.table, part.id, Problem.CHAIN_BROKEN, _UNSEALED))
            elif part.hash != content_hash(part.content):
                findings.append(Finding(part.table, part.id, Problem.CONTENT_CHANGED, _CHANGED))
        if row.seq is None or row.seq < expected:
            why = "has no place in the chain" if row.seq is None else f"takes {place} {row.seq} a second time"
            findings.append(Finding(table, row.id, Problem.CHAIN_BROKEN, why))
            continue
        after_gap = row.seq > expected
        if after_gap:
            findings.append(Finding(table, None, Problem.ROW_MISSING, _places(place, expected, row.seq - 1)))
        if row.hash is None or row.previous is None:
            findings.append(Finding(table, row.id, Problem.CHAIN_BROKEN, _UNSEALED))
        elif row.hash != link(row.previous, row.content):
            findings.append(Finding(table, row.id, Problem.CONTENT_CHANGED, _CHANGED))
        elif not after_gap and row.previous != previous:
            findings.append(Finding(table, row.id, Problem.CHAIN_BROKEN, "does not follow the row before it"))
        previous, expected = row.hash or "", row.seq + 1
    if length >= expected:
        findings.append(Finding(table, None, Problem.ROW_MISSING, _places(place, expected, length)))
    return ChainCheck(table, rows, parts, max(length, expected - 1), previous, tuple(findings))
