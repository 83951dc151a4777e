"""SQL storage of claims, their append-only history (R-ACT-5), case numbers and the daily run's done-records."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.chains import EVENT_COUNTER, chain_length, event_links, last_event_hash, seal_events
from krav.adapters.db.claim_rows import DEBTOR_FIELDS, claim_from_row, claim_values
from krav.adapters.db.counters import next_value, next_values
from krav.adapters.db.types import chunks, execute_many, rows_where_in, unindexed, utcnow
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money
from krav.services.ports import (
    ClaimEventRecord,
    ClaimFilter,
    HistoryEntry,
    StoredChain,
    many_objects,
)


class SqlClaims:
    conn: sa.Connection
    # the claims read in this transaction, each with the row it was made from (so that saving writes what changed)
    read: dict[int, tuple[Claim, Any]]

    # -- claims ----------------------------------------------------------------------------------------------

    def add_claims(self, claims: Sequence[Claim]) -> list[Claim]:
        """Store new claims in one statement; returns them with their ids, in the same order."""
        if not claims:
            return []
        # a plain executemany, then the ids read back by the unique collection ID: RETURNING in parameter order
        # would make SQLite insert row by row
        execute_many(self.conn, t.claim.insert(), [{"company_id": c.company_id, **claim_values(c)} for c in claims])
        ids: dict[str, int] = {}
        for chunk in chunks(sorted(c.collection_id for c in claims)):
            rows = self.conn.execute(
                sa.select(t.claim.c.id, t.claim.c.collection_id).where(t.claim.c.collection_id.in_(chunk))
            )
            ids.update((r.collection_id, r.id) for r in rows)
        return [claim.stored_as(ids[claim.collection_id]) for claim in claims]

    def save_claims(self, claims: Iterable[Claim]) -> None:
        """Write the claims' state back in bulk: of a claim read in this transaction only the columns that changed
        since (one ``executemany`` per set of changed columns), of any other every column."""
        read = self.read
        changed: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for claim in claims:
            values = claim_values(claim)
            before = read.get(claim.id) if claim.id is not None else None
            if before is not None and before[0] is claim:  # this very object, made from this row
                row = before[1]
                values = {name: value for name, value in values.items() if row[name] != value}
                if not values:
                    continue
            changed[tuple(values)].append({"the_id": claim.id, **values})
        for names, rows in changed.items():
            update = t.claim.update().where(t.claim.c.id == sa.bindparam("the_id"))
            # the revision is raised here, in the same statement (else the database's trigger writes the row again)
            columns: dict[str, Any] = {name: sa.bindparam(name) for name in names}
            columns["revision"] = t.claim.c.revision + 1
            execute_many(self.conn, update.values(columns), rows)

    def claim(self, company_id: int, collection_id: str) -> Claim | None:
        row = self.conn.execute(
            sa.select(t.claim).where(t.claim.c.company_id == company_id, t.claim.c.collection_id == collection_id)
        ).one_or_none()
        return None if row is None else claim_from_row(row)

    def claims(self, company_id: int, where: ClaimFilter | None = None) -> list[Claim]:
        """Claims of one company as ``where`` narrows them, by due date and invoice number."""
        f = where or ClaimFilter()
        c = t.claim
        by_key = f.collection_ids is not None or f.ids is not None  # unique keys: their index, never the company's
        query = sa.select(c).where((unindexed(c.c.company_id) if by_key else c.c.company_id) == company_id)
        if f.open_only:
            query = query.where(c.c.stage != Stage.CLOSED.value)
        if f.due_by is not None:
            query = query.where(c.c.stage != Stage.CLOSED.value, c.c.next_action_on <= f.due_by)
        if f.letters_due:
            query = query.where(
                sa.or_(
                    c.c.paid_confirmation_due.is_(True),
                    c.c.interest_note_due.is_(True),
                    c.c.objection_answer.is_not(None),
                )
            )
        if f.stage is not None:
            query = query.where(c.c.stage == f.stage.value)
        if f.stages is not None:
            query = query.where(c.c.stage.in_([s.value for s in f.stages]))
        if f.paused is not None:
            query = query.where(c.c.paused.is_(f.paused))
        if f.debtor is not None:
            query = query.where(c.c.debtor_number == f.debtor)
        query = query.order_by(c.c.due_date, c.c.invoice_number)
        keyed: list[tuple[Any, Iterable[Any] | None]] = [
            (c.c.collection_id, f.collection_ids),
            (c.c.invoice_number, f.invoice_numbers),
            (c.c.id, f.ids),
        ]
        found = []
        with many_objects():  # a day's claims, kept while the day's work on them lasts: no walk of them meanwhile
            for row in rows_where_in(self.conn, query, keyed):
                claim = claim_from_row(row)
                self.read[row.id] = (claim, row._mapping)
                found.append(claim)
        return found

    def recipients(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, tuple[date, Recipient]]:
        """The debtor each of these claims recorded, with the day it was submitted, by collection ID: only those
        columns read, through the unique index of collection IDs."""
        c = t.claim
        debtor = [c.c[f"debtor_{name}"] for name in DEBTOR_FIELDS]
        query = sa.select(c.c.collection_id, c.c.submitted_on, *debtor).where(unindexed(c.c.company_id) == company_id)
        # the claims of one debtor recorded the same values: one Recipient for them (the columns in its order)
        shared: dict[tuple[Any, ...], Recipient] = {}
        found: dict[str, tuple[date, Recipient]] = {}
        rows: list[Any] = list(rows_where_in(self.conn, query, [(c.c.collection_id, collection_ids)]))
        for collection_id, submitted_on, *values in rows:
            key = tuple(values)
            recipient = shared.get(key)
            if recipient is None:
                recipient = shared[key] = Recipient(*key)
            found[collection_id] = (submitted_on, recipient)
        return found

    def add_events(self, company_id: int, claim_ids: dict[str, int], events: Sequence[Event], *, by: str) -> None:
        """Append events to the claims' history in one statement, each with its place in the company's chain and
        linked after the event before it (:mod:`krav.adapters.db.chains`)."""
        if not events:
            return
        now = utcnow()
        places = next_values(self.conn, company_id, EVENT_COUNTER, len(events))
        rows = [
            {
                "claim_id": claim_ids[e.collection_id],
                "company_id": company_id,
                "seq": seq,
                "on_date": e.on,
                "kind": e.kind.value,
                "by": by,
                "amount_ore": e.amount.ore if e.amount is not None else None,
                "detail": e.detail,
                "created_at": now,
            }
            for seq, e in zip(places, events, strict=True)
        ]
        execute_many(self.conn, t.claim_event.insert(), seal_events(last_event_hash(self.conn, company_id), rows))

    def event_chain(self, company_id: int) -> StoredChain:
        """The company's claim events as stored, for the audit: read as they are consumed."""
        length = chain_length(self.conn, company_id, EVENT_COUNTER)
        return StoredChain("claim_event", "claim event", length, event_links(self.conn, company_id))

    def history(self, company_id: int, claim_id: int) -> list[HistoryEntry]:
        e = t.claim_event
        rows = self.conn.execute(
            sa.select(e).where(e.c.company_id == company_id, e.c.claim_id == claim_id).order_by(e.c.id)
        ).all()
        return [
            HistoryEntry(
                date=r.on_date,
                kind=EventKind(r.kind),
                by=r.by,
                amount=Money.from_ore(r.amount_ore) if r.amount_ore is not None else None,
                detail=r.detail,
                at=r.created_at,
            )
            for r in rows
        ]

    def last_event_seq(self, company_id: int) -> int:
        e = t.claim_event
        found = self.conn.execute(sa.select(sa.func.max(e.c.seq)).where(e.c.company_id == company_id)).scalar()
        return int(found or 0)

    def events_after(self, company_id: int, after: int, limit: int) -> list[ClaimEventRecord]:
        e, c = t.claim_event, t.claim
        rows = self.conn.execute(
            sa.select(e, c.c.collection_id, c.c.invoice_number)
            .join(c, c.c.id == e.c.claim_id)
            .where(e.c.company_id == company_id, e.c.seq > after)
            .order_by(e.c.seq)
            .limit(limit)
        ).all()
        return [
            ClaimEventRecord(
                seq=r.seq,
                collection_id=r.collection_id,
                invoice_number=r.invoice_number,
                entry=HistoryEntry(
                    date=r.on_date,
                    kind=EventKind(r.kind),
                    by=r.by,
                    amount=Money.from_ore(r.amount_ore) if r.amount_ore is not None else None,
                    detail=r.detail,
                    at=r.created_at,
                ),
            )
            for r in rows
        ]

    def next_case_number(self, company_id: int) -> str:
        return f"S{company_id:03d}-{next_value(self.conn, company_id, 'case'):06d}"

    # -- run steps -------------------------------------------------------------------------------------------

    def step_done(self, company_id: int, day: date, step: str) -> bool:
        rs = t.run_step
        return (
            self.conn.execute(
                sa.select(rs.c.step).where(rs.c.company_id == company_id, rs.c.run_date == day, rs.c.step == step)
            ).scalar_one_or_none()
            is not None
        )

    def last_run_day(self, company_id: int) -> date | None:
        rs = t.run_step
        day: date | None = self.conn.execute(
            sa.select(sa.func.max(rs.c.run_date)).where(rs.c.company_id == company_id)
        ).scalar_one_or_none()
        return day

    def last_run_finished(self, company_id: int) -> datetime | None:
        rs = t.run_step
        at: datetime | None = self.conn.execute(
            sa.select(sa.func.max(rs.c.finished_at)).where(rs.c.company_id == company_id)
        ).scalar_one_or_none()
        return at

    def mark_step(self, company_id: int, day: date, step: str, summary: dict[str, Any]) -> None:
        self.conn.execute(
            t.run_step.insert().values(
                company_id=company_id,
                run_date=day,
                step=step,
                summary=json.dumps(summary, default=str, sort_keys=True),
                finished_at=utcnow(),
            )
        )
