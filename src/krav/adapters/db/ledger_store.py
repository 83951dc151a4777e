"""SQL storage for the ledger side: the books, the customers and the open items over one connection.

Nothing here reads collection tables (DESIGN.md, "Two sides, one contract").
"""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.book_store import SqlBooks
from krav.adapters.db.change_store import SqlChanges
from krav.adapters.db.item_store import SqlItems


class SqlLedger(SqlBooks, SqlItems, SqlChanges):
    """The ledger repository over one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._customer_ids: dict[tuple[int, str], int] = {}
