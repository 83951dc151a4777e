"""SQL storage of what the creditor changes outside a voucher: an open item's due date and a customer's reminder
exemption, each kept in the append-only ``ledger_change`` table with who, when and old → new (R-LED-1: the posted
voucher line keeps the due date it was posted with, and its hash stays as it was)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import utcnow
from krav.domain.errors import NotFound
from krav.services.ports import LedgerChange


class SqlChanges:
    conn: sa.Connection

    def set_item_due_date(self, company_id: int, item_id: int, due_date: date) -> None:
        oi = t.open_item
        done = self.conn.execute(
            oi.update().where(oi.c.company_id == company_id, oi.c.id == item_id).values(due_date=due_date)
        ).rowcount
        if not done:
            raise NotFound(f"no open item with id {item_id}")

    def set_customer_exempt(self, company_id: int, number: str, exempt: bool) -> None:
        cust = t.customer
        done = self.conn.execute(
            cust.update().where(cust.c.company_id == company_id, cust.c.number == number).values(exempt=exempt)
        ).rowcount
        if not done:
            raise NotFound(f"no customer {number}")

    def record_change(self, company_id: int, change: LedgerChange) -> None:
        self.conn.execute(
            t.ledger_change.insert().values(
                company_id=company_id,
                subject=change.subject,
                number=change.number,
                field=change.field,
                old=change.old,
                new=change.new,
                on_date=change.on,
                by=change.by,
                changed_at=utcnow(),
            )
        )

    def changes(self, company_id: int) -> list[LedgerChange]:
        lc = t.ledger_change
        rows = self.conn.execute(sa.select(lc).where(lc.c.company_id == company_id).order_by(lc.c.id))
        return [LedgerChange(r.subject, r.number, r.field, r.old, r.new, r.on_date, r.by) for r in rows]
