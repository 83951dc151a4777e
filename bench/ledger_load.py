"""What the benchmarks share to load a ledger in bulk, as a take-over of an existing ledger would: the one
opening-balance voucher whose receivable lines the open items point to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.domain.ledger.voucher_types import OUTGOING_INVOICE


def opening_voucher(conn: sa.Connection, company_id: int, on: date) -> int:
    """A batch with one opening-balance voucher of receivables dated ``on`` (its lines are the caller's); its id."""
    batch_id = conn.execute(
        t.batch.insert()
        .values(company_id=company_id, text="Inngående balanse", source="bench", posted_at=datetime.now(UTC))
        .returning(t.batch.c.id)
    ).scalar_one()
    voucher_id: int = conn.execute(
        t.voucher.insert()
        .values(
            company_id=company_id,
            batch_id=batch_id,
            number=1,
            voucher_type=OUTGOING_INVOICE,
            date=on,
            text="Inngående balanse, kundefordringer",
        )
        .returning(t.voucher.c.id)
    ).scalar_one()
    return voucher_id
