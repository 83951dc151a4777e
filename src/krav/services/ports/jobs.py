"""The job queue: work handed to Krav's worker processes (``krav worker``), written in the transaction of the
change that causes it, so that it is queued when that transaction commits and never when it rolls back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from krav.domain.errors import KravError

#: the queue every Krav job goes to (one queue; locks order the work of one creditor)
JOB_QUEUE = "krav"

#: what a job's arguments may hold: they travel as JSON
JobArg = str | int


@dataclass(frozen=True)
class JobRequest:
    """One job to run: the task's name, its arguments, and the lock it must hold (jobs with the same lock run
    one after another, in the order they were deferred; none: it may run beside any other)."""

    task: str
    args: Mapping[str, JobArg] = field(default_factory=dict)
    lock: str | None = None


@dataclass(frozen=True)
class JobRecord:
    """A job as the queue holds it, for the operator (``krav jobs``)."""

    id: int
    task: str
    args: Mapping[str, object]
    status: str  # todo, doing, succeeded, failed, cancelled, aborted
    attempts: int
    lock: str | None
    at: str | None  # when it was last started, failed or finished, ISO 8601 (None: never started)


class JobQueue(Protocol):
    """The queue as one unit of work sees it (``uow.jobs``)."""

    @property
    def available(self) -> bool:
        """Whether this database holds a job queue (PostgreSQL); on SQLite the work runs in the command's own
        process (``krav run``) and nothing is deferred."""
        ...

    def defer(self, jobs: Sequence[JobRequest]) -> list[int]:
        """Queue ``jobs`` in the open transaction; their ids. Raises :class:`JobsUnavailable` where
        :attr:`available` is false."""
        ...

    def listed(self, *, statuses: Sequence[str] = (), limit: int = 100) -> list[JobRecord]:
        """The newest jobs first, of the given statuses (all when empty)."""
        ...

    def retry(self, job_id: int) -> bool:
        """Queue a failed job again at once; False when no failed job has this id."""
        ...


class JobsUnavailable(KravError):
    """The database holds no job queue (SQLite): workers need PostgreSQL."""

    code = "jobs_unavailable"


class NoJobQueue:
    """The queue of a database that holds none (SQLite): nothing can be deferred, nothing is listed."""

    available = False

    def defer(self, jobs: Sequence[JobRequest]) -> list[int]:
        raise JobsUnavailable(
            "workers need PostgreSQL (KRAV_DATABASE_URL=postgresql+psycopg://…); on SQLite `krav run` does the "
            "day's work in its own process"
        )

    def listed(self, *, statuses: Sequence[str] = (), limit: int = 100) -> list[JobRecord]:
        return []

    def retry(self, job_id: int) -> bool:
        return False


#: the one queue of every database without one
NO_JOB_QUEUE = NoJobQueue()
