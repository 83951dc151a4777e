"""SQL storage for the collection side: claims, their history, letters, lists, payments, settlements, run steps.

Nothing here reads ledger tables (DESIGN.md, "Two sides, one contract").
"""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.claim_store import SqlClaims
from krav.adapters.db.letter_store import SqlLetters
from krav.adapters.db.money_store import SqlMoney


class SqlCollection(SqlClaims, SqlLetters, SqlMoney):
    """The collection repository over one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.read = {}
