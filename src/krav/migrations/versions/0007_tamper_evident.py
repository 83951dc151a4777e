"""tamper-evident books: hash chains over the vouchers and the claims' history, and triggers that refuse
overwriting, emptying and editing the records of money

Revision ID: 0007
Revises: 0006

* ``voucher.prev_hash`` and ``voucher.chain_hash``, ``voucher_line.line_hash``, ``claim_event.seq``,
  ``prev_hash`` and ``chain_hash`` with a unique index on (company, seq): the chains of
  :mod:`krav.adapters.db.chains`. The rows written before this revision are sealed here, in the order they were
  written (vouchers by number, events by id), with the same content rule the stores write with, and the
  ``claim_event`` counter of each company is set to its number of events. Filling the columns needs UPDATE on
  append-only tables, so their UPDATE trigger is lifted for that, inside this revision's transaction. The new
  columns stay nullable: SQLite makes a column NOT NULL only by rebuilding the table, which drops its triggers.
* ``settlement`` becomes append-only; ``allocation`` changes only its ``settlement_id``, once, from NULL;
  ``client_payment`` never changes its amount, date, KID, reference, source or bank fields (its status, reason,
  day applied and letter may change). Neither loses a row.
* Every guarded table refuses INSERT OR REPLACE on SQLite and TRUNCATE on PostgreSQL
  (:func:`krav.migrations.append_only.refuse_replace_and_truncate` says why a trigger, not a pragma).

Plain ``add_column``, ``create_index`` and SQL: no table with triggers is copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from krav.adapters.db import tables as t
from krav.adapters.db.chains import (
    EVENT_COLUMNS,
    EVENT_COUNTER,
    LINE_COLUMNS,
    VOUCHER_COLUMNS,
    line_content,
    seal_events,
    voucher_content,
)
from krav.adapters.db.types import chunks
from krav.domain.audit import GENESIS, chain, content_hash
from krav.migrations.append_only import (
    drop_append_only,
    drop_frozen,
    drop_replace_and_truncate,
    freeze_columns,
    make_append_only,
    refuse_replace_and_truncate,
    updates_allowed,
)

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: the tables append-only before this revision, and the one it adds
APPEND_ONLY = (
    "batch",
    "voucher",
    "voucher_line",
    "item_match",
    "claim_event",
    "agreement_change",
    "letter",
    "letter_kid",
    "letter_line",
    "document",
    "settlement",
)
ALLOCATION_FROZEN = (
    "id",
    "company_id",
    "claim_id",
    "on_date",
    "channel",
    "payment_id",
    "principal_ore",
    "fee_ore",
    "interest_ore",
    "salaer_ore",
    "overpaid_ore",
)
PAYMENT_FROZEN = (
    "id",
    "received_on",
    "amount_ore",
    "currency",
    "kid",
    "reference",
    "payer",
    "source",
    "bank_id",
    "filename",
    "created_at",
)
ALLOCATION_REASON = "keeps what was allocated: only its settlement is set, once, and no row is deleted"
PAYMENT_REASON = (
    "keeps each payment as the bank reported it: amount, date, KID, reference, source and bank fields never "
    "change, and no row is deleted"
)
GUARDED = (*APPEND_ONLY, "allocation", "client_payment")


def upgrade() -> None:
    op.add_column("voucher", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("voucher", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.add_column("voucher_line", sa.Column("line_hash", sa.String(length=64), nullable=True))
    op.add_column("claim_event", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("claim_event", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("claim_event", sa.Column("chain_hash", sa.String(length=64), nullable=True))

    conn = op.get_bind()
    companies = list(conn.execute(sa.select(t.company.c.id).order_by(t.company.c.id)).scalars())
    with updates_allowed("voucher"), updates_allowed("voucher_line"):
        for company_id in companies:
            _seal_vouchers(conn, company_id)
    with updates_allowed("claim_event"):
        for company_id in companies:
            _seal_events(conn, company_id)
    op.create_index("ux_claim_event_company_seq", "claim_event", ["company_id", "seq"], unique=True)

    make_append_only("settlement")
    freeze_columns("allocation", ALLOCATION_FROZEN, set_once=("settlement_id",), reason=ALLOCATION_REASON)
    freeze_columns("client_payment", PAYMENT_FROZEN, reason=PAYMENT_REASON)
    for table in APPEND_ONLY:
        refuse_replace_and_truncate(table)
    refuse_replace_and_truncate("allocation", ALLOCATION_REASON)
    refuse_replace_and_truncate("client_payment", PAYMENT_REASON)


def downgrade() -> None:
    for table in GUARDED:
        drop_replace_and_truncate(table)
    drop_frozen("client_payment")
    drop_frozen("allocation")
    drop_append_only("settlement")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS krav_refuse()")
    op.execute(sa.delete(t.counter).where(t.counter.c.name == EVENT_COUNTER))
    op.drop_index("ux_claim_event_company_seq", table_name="claim_event")
    for table, column in (
        ("claim_event", "chain_hash"),
        ("claim_event", "prev_hash"),
        ("claim_event", "seq"),
        ("voucher_line", "line_hash"),
        ("voucher", "chain_hash"),
        ("voucher", "prev_hash"),
    ):
        op.drop_column(table, column)


def _voucher_rows(conn: sa.Connection, company_id: int) -> Iterator[tuple[sa.RowMapping, list[sa.RowMapping]]]:
    """The company's vouchers by number, each with its lines in line order."""
    v, line = t.voucher, t.voucher_line
    heads = conn.execute(
        sa.select(v.c.id, *(v.c[name] for name in VOUCHER_COLUMNS))
        .where(v.c.company_id == company_id)
        .order_by(v.c.number)
    ).mappings()
    lines: dict[int, list[sa.RowMapping]] = {}
    for row in conn.execute(
        sa.select(line.c.id, line.c.voucher_id, *(line.c[name] for name in LINE_COLUMNS))
        .where(line.c.company_id == company_id)
        .order_by(line.c.voucher_id, line.c.line_no, line.c.id)
    ).mappings():
        lines.setdefault(row["voucher_id"], []).append(row)
    for head in heads:
        yield head, lines.get(head["id"], [])


def _seal_vouchers(conn: sa.Connection, company_id: int) -> None:
    voucher_hashes: list[dict[str, object]] = []
    line_hashes: list[dict[str, object]] = []
    previous = GENESIS
    for head, lines in _voucher_rows(conn, company_id):
        hashes = [content_hash(line_content(line, head["number"])) for line in lines]
        line_hashes += [{"the_id": line["id"], "line_hash": h} for line, h in zip(lines, hashes, strict=True)]
        ((prev_hash, chain_hash),) = chain(previous, [voucher_content(head, hashes)])
        voucher_hashes.append({"the_id": head["id"], "prev_hash": prev_hash, "chain_hash": chain_hash})
        previous = chain_hash
    _update(conn, t.voucher, voucher_hashes)
    _update(conn, t.voucher_line, line_hashes)


def _seal_events(conn: sa.Connection, company_id: int) -> None:
    e = t.claim_event
    rows = [
        {**row, "seq": seq}
        for seq, row in enumerate(
            conn.execute(
                sa.select(e.c.id, *(e.c[name] for name in EVENT_COLUMNS if name != "seq"))
                .where(e.c.company_id == company_id)
                .order_by(e.c.id)
            ).mappings(),
            start=1,
        )
    ]
    if not rows:
        return
    sealed = seal_events(GENESIS, rows)
    _update(
        conn,
        e,
        [
            {"the_id": r["id"], "seq": r["seq"], "prev_hash": r["prev_hash"], "chain_hash": r["chain_hash"]}
            for r in sealed
        ],
    )
    conn.execute(sa.insert(t.counter).values(company_id=company_id, name=EVENT_COUNTER, value=len(rows)))


def _update(conn: sa.Connection, table: sa.Table, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    values: dict[str, Any] = {name: sa.bindparam(name) for name in rows[0] if name != "the_id"}
    statement = table.update().where(table.c.id == sa.bindparam("the_id")).values(values)
    for chunk in chunks(rows):
        conn.execute(statement, list(chunk))
