"""SQL storage of the message table between the two sides, and of the log of imported files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.codec import decode_message, encode_message
from krav.adapters.db.types import execute_many, key_in, utcnow
from krav.domain.messages import Direction, LedgerReport, Message, MessageKind, direction_of
from krav.services.ports import ImportRecord, PendingMessage

#: what the ledger reports to the service (R-LED-5)
_REPORTS = (MessageKind.DIRECT_PAYMENT.value, MessageKind.CREDIT.value)


class SqlOutbox:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _row(company_id: int, message: Message, on: date, handled_at: datetime | None) -> dict[str, Any]:
        return {
            "company_id": company_id,
            "direction": direction_of(message.kind).value,
            "kind": message.kind.value,
            "collection_id": getattr(message, "collection_id", None),
            "on_date": on,
            "payload": encode_message(message),
            "created_at": utcnow(),
            "handled_at": handled_at,
        }

    def add(self, company_id: int, message: Message, *, on: date, handled: bool = False) -> None:
        self.conn.execute(t.message.insert().values(self._row(company_id, message, on, utcnow() if handled else None)))

    def add_many(self, company_id: int, messages: Sequence[Message], *, on: date) -> None:
        if messages:
            execute_many(self.conn, t.message.insert(), [self._row(company_id, m, on, None) for m in messages])

    def pending(self, kinds: Iterable[MessageKind]) -> list[PendingMessage]:
        """Unhandled messages of these kinds (the partial index ``ix_message_unhandled``), oldest first."""
        rows = self.conn.execute(_pending_statement(), {"the_kinds": [k.value for k in kinds]})
        return [PendingMessage(r.id, r.company_id, decode_message(r.payload)) for r in rows]

    def pending_reports(self, company_id: int, up_to: date) -> list[tuple[int, LedgerReport]]:
        """Direct payments and credits the ledger reported that the service has not applied yet (R-LED-5)."""
        m = t.message
        rows = self.conn.execute(
            sa.select(m.c.id, m.c.payload)
            .where(
                m.c.company_id == company_id,
                m.c.direction == Direction.TO_SERVICE.value,
                m.c.kind.in_(_REPORTS),
                m.c.handled_at.is_(None),
                m.c.on_date <= up_to,
            )
            .order_by(m.c.on_date, m.c.id)
        )
        return [(r.id, decode_message(r.payload)) for r in rows]

    def mark_handled(self, message_ids: Iterable[int]) -> None:
        now = utcnow()
        for among in key_in(self.conn.dialect, t.message.c.id, sorted(set(message_ids))):
            self.conn.execute(t.message.update().where(among).values(handled_at=now))

    def reports(self, company_id: int) -> list[LedgerReport]:
        rows = self.conn.execute(
            sa.select(t.message.c.payload)
            .where(
                t.message.c.company_id == company_id,
                t.message.c.direction == Direction.TO_SERVICE.value,
                t.message.c.kind.in_(_REPORTS),
            )
            .order_by(t.message.c.id)
        ).scalars()
        return [decode_message(p) for p in rows]


class SqlImportLog:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None:
        f = t.imported_file
        row = self.conn.execute(
            sa.select(f).where(f.c.company_id == company_id, f.c.kind == kind, f.c.sha256 == sha256)
        ).one_or_none()
        if row is None:
            return None
        return ImportRecord(row.kind, row.sha256, row.filename, row.imported_at.isoformat(), row.summary)

    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None:
        self.conn.execute(
            t.imported_file.insert().values(
                company_id=company_id,
                kind=kind,
                sha256=sha256,
                filename=filename,
                imported_at=utcnow(),
                summary=summary,
            )
        )


@cache
def _pending_statement() -> sa.Select[Any]:
    """:meth:`SqlOutbox.pending`'s query, made once: the relay asks it before every commit."""
    m = t.message
    return (
        sa.select(m.c.id, m.c.company_id, m.c.payload)
        .where(m.c.handled_at.is_(None), m.c.kind.in_(sa.bindparam("the_kinds", expanding=True)))
        .order_by(m.c.id)
    )
