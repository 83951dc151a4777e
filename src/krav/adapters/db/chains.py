"""The hash chains over the posted vouchers (with their lines) and over the claims' history, as stored.

Which columns make a row's content is decided here, once, for the three places that need it: the stores that
write a voucher or a batch of events (:mod:`~krav.adapters.db.book_store`, :mod:`~krav.adapters.db.claim_store`),
migration 0007 that sealed the rows written before it, and the readers :func:`voucher_links` and
:func:`event_links` that ``krav audit verify`` checks (:mod:`krav.domain.audit` holds the hashing rule).

* A voucher line's content: its columns but the voucher id, and its voucher's number (known before the voucher
  has an id), sealed in ``line_hash``.
* A voucher's content: its columns but the id, and the hashes of its lines in line order; the company's
  vouchers form a chain by number (``prev_hash``, ``chain_hash``). The voucher numbers are the places in the chain,
  and the ``voucher`` counter says how many there are.
* A claim event's content: its columns but the id, with ``seq``, its place in the company's chain, handed out by
  the ``claim_event`` counter. Taking those numbers locks the counter row until the transaction ends, so two
  writers never fork a company's chain; the unique index on (company, seq) holds it as well.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.domain.audit import GENESIS, Linked, Sealed, Value, chain, content_hash, with_parts

VOUCHER_COLUMNS = ("company_id", "batch_id", "number", "voucher_type", "date", "text", "reverses_id")
LINE_COLUMNS = (
    "company_id",
    "line_no",
    "account",
    "customer_id",
    "amount_ore",
    "currency",
    "item",
    "settles",
    "due_date",
    "kid",
    "reference",
    "text",
)
EVENT_COLUMNS = ("company_id", "claim_id", "seq", "on_date", "kind", "by", "amount_ore", "detail", "created_at")

#: the counter that hands out a company's places in the chain of claim events
EVENT_COUNTER = "claim_event"
#: the counter that numbers a company's vouchers: the places in the chain of vouchers
VOUCHER_COUNTER = "voucher"

#: how many rows a reader takes from the database at a time
_YIELD_PER = 2000


def line_content(row: Mapping[Any, Any], voucher_number: int) -> dict[str, Value]:
    return {**{name: row[name] for name in LINE_COLUMNS}, "voucher_number": voucher_number}


def voucher_content(row: Mapping[Any, Any], line_hashes: Sequence[str | None]) -> dict[str, Value]:
    return with_parts({name: row[name] for name in VOUCHER_COLUMNS}, line_hashes)


def event_content(row: Mapping[Any, Any]) -> dict[str, Value]:
    return {name: row[name] for name in EVENT_COLUMNS}


def seal_voucher(
    previous: str, voucher: Mapping[str, Any], lines: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A voucher's row and its lines' rows with their hashes, the voucher linked after ``previous``."""
    sealed_lines = [{**line, "line_hash": content_hash(line_content(line, voucher["number"]))} for line in lines]
    content = voucher_content(voucher, [line["line_hash"] for line in sealed_lines])
    ((prev_hash, chain_hash),) = chain(previous, [content])
    return {**voucher, "prev_hash": prev_hash, "chain_hash": chain_hash}, sealed_lines


def seal_events(previous: str, events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Events' rows (with their ``seq``) and their hashes, linked one after the other after ``previous``."""
    pairs = chain(previous, [event_content(e) for e in events])
    return [{**e, "prev_hash": p, "chain_hash": h} for e, (p, h) in zip(events, pairs, strict=True)]


def last_voucher_hash(conn: sa.Connection, company_id: int, before: int) -> str:
    """The chain hash of the company's voucher numbered last before ``before`` (:data:`GENESIS` for the first)."""
    v = t.voucher
    row = conn.execute(
        sa.select(v.c.chain_hash)
        .where(v.c.company_id == company_id, v.c.number < before)
        .order_by(v.c.number.desc())
        .limit(1)
    ).one_or_none()
    return GENESIS if row is None else row.chain_hash or ""


def last_event_hash(conn: sa.Connection, company_id: int) -> str:
    """The chain hash of the company's last claim event (:data:`GENESIS` before the first)."""
    e = t.claim_event
    row = conn.execute(
        sa.select(e.c.chain_hash)
        .where(e.c.company_id == company_id, e.c.seq.is_not(None))
        .order_by(e.c.seq.desc())
        .limit(1)
    ).one_or_none()
    return GENESIS if row is None else row.chain_hash or ""


def chain_length(conn: sa.Connection, company_id: int, counter: str) -> int:
    """How many rows a chain should hold: the value of its counter (0 before the first row)."""
    c = t.counter
    value = conn.execute(
        sa.select(c.c.value).where(c.c.company_id == company_id, c.c.name == counter)
    ).scalar_one_or_none()
    return int(value or 0)


def voucher_links(conn: sa.Connection, company_id: int) -> Iterator[Linked]:
    """The company's vouchers as stored, by number, each with its lines: read as they are consumed."""
    v, line = t.voucher, t.voucher_line
    query = (
        sa.select(
            v.c.id,
            *(v.c[name] for name in VOUCHER_COLUMNS),
            v.c.prev_hash,
            v.c.chain_hash,
            line.c.id.label("line_id"),
            *(line.c[name].label(f"line_{name}") for name in LINE_COLUMNS),
            line.c.line_hash,
        )
        .outerjoin(line, line.c.voucher_id == v.c.id)
        .where(v.c.company_id == company_id)
        .order_by(v.c.number, line.c.line_no, line.c.id)
        .execution_options(yield_per=_YIELD_PER)
    )
    head: sa.RowMapping | None = None
    lines: list[Sealed] = []
    for row in conn.execute(query).mappings():
        if head is not None and row["id"] != head["id"]:
            yield _voucher_link(head, lines)
            lines = []
        head = row
        if row["line_id"] is not None:
            content = line_content({name: row[f"line_{name}"] for name in LINE_COLUMNS}, row["number"])
            lines.append(Sealed("voucher_line", row["line_id"], content, row["line_hash"]))
    if head is not None:
        yield _voucher_link(head, lines)


def _voucher_link(row: sa.RowMapping, lines: list[Sealed]) -> Linked:
    content = voucher_content(row, [line.hash for line in lines])
    return Linked("voucher", row["id"], row["number"], content, row["prev_hash"], row["chain_hash"], tuple(lines))


def event_links(conn: sa.Connection, company_id: int) -> Iterator[Linked]:
    """The company's claim events as stored, by their place in the chain (those without one last)."""
    e = t.claim_event
    query = (
        sa.select(e.c.id, *(e.c[name] for name in EVENT_COLUMNS), e.c.prev_hash, e.c.chain_hash)
        .where(e.c.company_id == company_id)
        .order_by(e.c.seq.is_(None), e.c.seq, e.c.id)
        .execution_options(yield_per=_YIELD_PER)
    )
    for row in conn.execute(query).mappings():
        yield Linked("claim_event", row["id"], row["seq"], event_content(row), row["prev_hash"], row["chain_hash"])
