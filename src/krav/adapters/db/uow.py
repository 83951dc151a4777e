"""The SQL unit of work: one connection, one transaction at a time, repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db.access_store import SqlAccess
from krav.adapters.db.agreements import SqlAgreements
from krav.adapters.db.collection import SqlCollection
from krav.adapters.db.company_store import SqlCompanies
from krav.adapters.db.deliveries import SqlDeliveries
from krav.adapters.db.job_store import job_queue
from krav.adapters.db.ledger_store import SqlLedger
from krav.adapters.db.message_store import SqlImportLog, SqlOutbox
from krav.adapters.db.personal_data_store import SqlPersonalData
from krav.domain.errors import DatabaseBusy


class SqlUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``; leaving the block without commit rolls everything back.

    The transaction begins on first use (on SQLite as ``BEGIN IMMEDIATE``) and ends at :meth:`commit`, which
    first runs ``before_commit`` (bootstrap gives it the relay that delivers the messages written in the
    transaction to the side that receives them).
    """

    def __init__(
        self, engine: Engine, *, before_commit: Callable[[SqlUnitOfWork], None], read_only: bool = False
    ) -> None:
        self.engine = engine
        self.before_commit = before_commit
        self.read_only = read_only
        self._conn: sa.Connection | None = None

    def __enter__(self) -> Self:
        self._conn = self.engine.connect()
        if self.read_only:
            # on SQLite a reader begins a deferred transaction: it reads the last commit and waits for no writer
            self._conn.execution_options(krav_read_only=True)
        self.companies = SqlCompanies(self._conn)
        self.ledger = SqlLedger(self._conn)
        self.outbox = SqlOutbox(self._conn)
        self.imports = SqlImportLog(self._conn)
        self.agreements = SqlAgreements(self._conn)
        self.collection = SqlCollection(self._conn)
        self.deliveries = SqlDeliveries(self._conn)
        self.personal_data = SqlPersonalData(self._conn)
        self.access = SqlAccess(self._conn)
        self.jobs = job_queue(self._conn)
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
        if isinstance(exc, sa.exc.OperationalError) and "database is locked" in str(exc):
            raise DatabaseBusy(
                "the database is busy: another Krav command has been writing to it for a while (an import or a "
                "run); try again when it has finished"
            ) from exc

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a reading unit of work cannot commit")
        self.before_commit(self)
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()
