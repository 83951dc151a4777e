"""The SQL unit of work: one connection, one transaction at a time, repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db.agreements import SqlAgreements
from krav.adapters.db.collection import SqlCollection
from krav.adapters.db.company_store import SqlCompanies
from krav.adapters.db.deliveries import SqlDeliveries
from krav.adapters.db.ledger_store import SqlLedger
from krav.adapters.db.message_store import SqlImportLog, SqlOutbox


class SqlUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``; leaving the block without commit rolls everything back.

    The transaction begins on first use (on SQLite as ``BEGIN IMMEDIATE``) and ends at :meth:`commit`, which
    first runs ``before_commit`` (bootstrap gives it the relay that delivers the messages written in the
    transaction to the side that receives them).
    """

    def __init__(self, engine: Engine, *, before_commit: Callable[[SqlUnitOfWork], None]) -> None:
        self.engine = engine
        self.before_commit = before_commit
        self._conn: sa.Connection | None = None

    def __enter__(self) -> Self:
        self._conn = self.engine.connect()
        self.companies = SqlCompanies(self._conn)
        self.ledger = SqlLedger(self._conn)
        self.outbox = SqlOutbox(self._conn)
        self.imports = SqlImportLog(self._conn)
        self.agreements = SqlAgreements(self._conn)
        self.collection = SqlCollection(self._conn)
        self.deliveries = SqlDeliveries(self._conn)
        return self

    @property
    def connection(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open; use it in a with-block")
        return self._conn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()

    def commit(self) -> None:
        self.before_commit(self)
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()
