"""One run at a time per database: a PostgreSQL advisory lock, or a lock file beside the SQLite file.

``krav run``, ``krav simulate``, ``krav demo`` and ``krav outbox send`` hold it while they work, so two of them
never take the same inbox file, draw the same step twice or send the same letter twice; the second says that a
run is in progress and exits. The lock is the database's own (PostgreSQL) or the file system's (SQLite): it is
given back when its holder ends, however it ends, so a killed run never leaves it behind.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.domain.errors import RunInProgress

#: The advisory lock's key on PostgreSQL (any fixed 64-bit number Krav alone uses).
ADVISORY_KEY = 0x4B524156  # "KRAV"


class DatabaseRunLock:
    """The run lock of one database; re-entrant within the thread that holds it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.local()
        self._in_process = threading.Lock()  # a database in memory lives in this process alone

    @contextmanager
    def hold(self, what: str) -> Iterator[None]:
        """Hold the lock for ``what`` (``"krav run"``, …), or raise :class:`RunInProgress` at once."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        with self._acquire(what):
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0

    @contextmanager
    def share(self, what: str) -> Iterator[None]:
        """Hold the lock shared for ``what`` (a worker's part of a day: one creditor, one share of letters): any
        number of holders at once, none while a whole run holds it (:class:`RunInProgress` at once)."""
        if getattr(self._local, "depth", 0):  # this thread runs the whole day: its parts are its own
            yield
            return
        with self._acquire(what, shared=True):
            yield

    def _acquire(self, what: str, *, shared: bool = False) -> AbstractContextManager[None]:
        if self.engine.dialect.name == "postgresql":
            return self._advisory(what, shared=shared)
        path = _sqlite_file(self.engine)
        return self._file(path, what, shared=shared) if path is not None else self._memory(what)

    @contextmanager
    def _advisory(self, what: str, *, shared: bool) -> Iterator[None]:
        take, give = (
            (sa.func.pg_try_advisory_lock_shared, sa.func.pg_advisory_unlock_shared)
            if shared
            else (sa.func.pg_try_advisory_lock, sa.func.pg_advisory_unlock)
        )
        with self.engine.connect() as conn:
            got = conn.execute(sa.select(take(ADVISORY_KEY))).scalar_one()
            conn.commit()
            if not got:
                raise RunInProgress(f"{what}: another Krav run holds this database; try again when it has finished")
            try:
                yield
            finally:
                conn.execute(sa.select(give(ADVISORY_KEY)))
                conn.commit()

    @contextmanager
    def _file(self, path: Path, what: str, *, shared: bool) -> Iterator[None]:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                raise RunInProgress(
                    f"{what}: another Krav run holds {path}"
                    + (f" ({holder})" if holder else "")
                    + "; try again when it has finished"
                ) from None
            if not shared:  # the one holder says who it is; shared holders leave the file alone
                os.ftruncate(fd, 0)
                os.write(
                    fd, f"{what}, process {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode()
                )
            try:
                yield
            finally:
                if not shared:
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextmanager
    def _memory(self, what: str) -> Iterator[None]:
        if not self._in_process.acquire(blocking=False):
            raise RunInProgress(f"{what}: another run is working on this database")
        try:
            yield
        finally:
            self._in_process.release()


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 500).decode("utf-8", "replace").strip()


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}.run-lock")
