"""Claims' pages kept for reading (:class:`~krav.services.ports.ClaimPages`), on both backends.

A page's stamp is read from the rows its page is made of, in one statement, by index:

* the claim's ``revision``, which the database raises on every UPDATE of the row (migration 0018);
* the last event of its history (events are only ever added, so the largest id names them all);
* the last line that put it on a letter (letters and their lines, KIDs, interest periods and payments are
  written once, together);
* the last delivery of those letters and when any of them last changed (a delivery's status, day and account
  change in place, each change writing ``updated_at``);
* whether its company charges interest (the agreement decides whether the page shows interest accrued).

So a page kept with a stamp is the page of the claim as it stands while the stamp reads the same, whoever changed
what since; what the caller adds (``salt``: the day and the rate table) covers the rest of what a page is made
from.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from krav.adapters.db import tables as t
from krav.adapters.db.types import chunks, hot_row
from krav.services.ports import FoundPage


@functools.cache
def _find_query() -> sa.Select[Any]:
    """The claim by collection ID or invoice number (the collection ID first), its stamp's parts and its kept page
    of a view — built once (building it costs more than running it)."""
    c, e, ll, d, a, p = t.claim, t.claim_event, t.letter_line, t.delivery, t.agreement, t.claim_page
    ref, view = sa.bindparam("ref", type_=sa.String), sa.bindparam("view", type_=sa.String)
    letters = sa.select(ll.c.letter_id).where(ll.c.claim_id == c.c.id).correlate(c)
    deliveries = sa.and_(d.c.kind == "letter", d.c.ref_id.in_(letters))

    def last(column: Any, *where: Any) -> Any:
        return sa.select(sa.func.max(column)).where(*where).correlate(c).scalar_subquery()

    return (
        sa.select(
            c.c.id,
            c.c.revision,
            last(e.c.id, e.c.claim_id == c.c.id).label("last_event"),
            last(ll.c.id, ll.c.claim_id == c.c.id).label("last_line"),
            last(d.c.id, deliveries).label("last_delivery"),
            last(d.c.updated_at, deliveries).label("delivery_changed"),
            a.c.charge_interest,
            p.c.stamp,
            p.c.body,
        )
        .select_from(c)
        .outerjoin(a, a.c.company_id == c.c.company_id)
        .outerjoin(p, sa.and_(p.c.claim_id == c.c.id, p.c.view == view))
        .where(
            c.c.company_id == sa.bindparam("company_id"), sa.or_(c.c.collection_id == ref, c.c.invoice_number == ref)
        )
        .order_by(sa.case((c.c.collection_id == ref, 0), else_=1))
        .limit(1)
    )


class SqlClaimPages:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def find(self, company_id: int, ref: str, *, view: str, salt: str) -> FoundPage | None:
        row = hot_row(self.conn, _find_query(), {"company_id": company_id, "ref": ref, "view": view})
        if row is None:
            return None
        changed = row["delivery_changed"] or "-"
        stamp = (
            f"{salt}|r{row['revision']}|e{row['last_event'] or 0}|l{row['last_line'] or 0}"
            f"|d{row['last_delivery'] or 0}@{changed}|i{int(bool(row['charge_interest']))}"
        )
        return FoundPage(row["id"], stamp, row["body"] if row["stamp"] == stamp else None)

    def keep(self, claim_id: int, *, view: str, as_of: date, stamp: str, body: str) -> None:
        values = {"claim_id": claim_id, "view": view, "as_of": as_of, "stamp": stamp, "body": body}
        if self.conn.dialect.name == "postgresql":
            pg = postgresql.insert(t.claim_page).values(values)
            statement: Any = pg.on_conflict_do_update(
                index_elements=["claim_id", "view"],
                set_={"as_of": pg.excluded.as_of, "stamp": pg.excluded.stamp, "body": pg.excluded.body},
            )
        else:
            lite = sqlite.insert(t.claim_page).values(values)
            statement = lite.on_conflict_do_update(
                index_elements=["claim_id", "view"],
                set_={"as_of": lite.excluded.as_of, "stamp": lite.excluded.stamp, "body": lite.excluded.body},
            )
        self.conn.execute(statement)

    def forget(self, *, claim_ids: Iterable[int] | None = None, before: date | None = None) -> int:
        p = t.claim_page
        forgotten = 0
        if claim_ids is not None:
            for chunk in chunks(sorted(set(claim_ids))):
                forgotten += self.conn.execute(sa.delete(p).where(p.c.claim_id.in_(chunk))).rowcount
        if before is not None:
            forgotten += self.conn.execute(sa.delete(p).where(p.c.as_of < before)).rowcount
        return forgotten
