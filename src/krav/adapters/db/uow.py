"""The SQL unit of work: one connection, one transaction at a time, repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar, cast

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
from krav.adapters.db.page_store import SqlClaimPages
from krav.adapters.db.personal_data_store import SqlPersonalData
from krav.domain.errors import DatabaseBusy
from krav.services.ports import JobQueue

_R = TypeVar("_R")


class SqlUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``; leaving the block without commit rolls everything back.

    The transaction begins on first use (on SQLite as ``BEGIN IMMEDIATE``) and ends at :meth:`commit`, which
    first runs ``before_commit`` (bootstrap gives it the relay that delivers the messages written in the
    transaction to the side that receives them).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        before_commit: Callable[[SqlUnitOfWork], None],
        read_only: bool = False,
        glance: bool = False,
        lock_wait_ms: int | None = None,
    ) -> None:
        self.engine = engine
        self.before_commit = before_commit
        self.read_only = read_only or glance
        self.glance = glance
        self.lock_wait_ms = lock_wait_ms
        self._conn: sa.Connection | None = None
        self._repositories: dict[Callable[[sa.Connection], object], object] = {}
        self._depth = 0

    def __enter__(self) -> Self:
        if self.glance and self._conn is not None:
            # a glance holds no transaction, so its blocks may nest: the inner ones read on the outer one's
            # connection (a request's reads, one connection)
            self._depth += 1
            return self
        self._depth = 1
        self._conn = self.engine.connect()
        if self.glance:
            # one read that needs no transaction: each statement reads the last commit on its own
            if self.engine.dialect.name == "sqlite":
                self._conn.execution_options(krav_glance=True)
            else:
                self._conn.execution_options(isolation_level="AUTOCOMMIT")
        elif self.read_only:
            # on SQLite a reader begins a deferred transaction: it reads the last commit and waits for no writer
            self._conn.execution_options(krav_read_only=True)
        elif self.lock_wait_ms is not None:
            # on SQLite a writer that gives up after this long when another writes (raising DatabaseBusy)
            self._conn.execution_options(krav_lock_wait_ms=self.lock_wait_ms)
        self._repositories = {}
        return self

    def _repository(self, kind: Callable[[sa.Connection], _R]) -> _R:
        """The repository ``kind`` on this transaction's connection, made the first time it is asked for (a
        request that reads one row pays for one repository, not eleven)."""
        found = self._repositories.get(kind)
        if found is None:
            found = self._repositories[kind] = kind(self.connection)
        return cast(_R, found)

    @property
    def companies(self) -> SqlCompanies:
        return self._repository(SqlCompanies)

    @property
    def ledger(self) -> SqlLedger:
        return self._repository(SqlLedger)

    @property
    def outbox(self) -> SqlOutbox:
        return self._repository(SqlOutbox)

    @property
    def imports(self) -> SqlImportLog:
        return self._repository(SqlImportLog)

    @property
    def agreements(self) -> SqlAgreements:
        return self._repository(SqlAgreements)

    @property
    def collection(self) -> SqlCollection:
        return self._repository(SqlCollection)

    @property
    def deliveries(self) -> SqlDeliveries:
        return self._repository(SqlDeliveries)

    @property
    def personal_data(self) -> SqlPersonalData:
        return self._repository(SqlPersonalData)

    @property
    def access(self) -> SqlAccess:
        return self._repository(SqlAccess)

    @property
    def jobs(self) -> JobQueue:
        return self._repository(job_queue)

    @property
    def pages(self) -> SqlClaimPages:
        return self._repository(SqlClaimPages)

    @property
    def connection(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open; use it in a with-block")
        return self._conn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        conn, self._conn = self._conn, None
        self._repositories = {}
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
