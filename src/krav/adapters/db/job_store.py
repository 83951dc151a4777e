"""The job queue in the database: Procrastinate's tables on PostgreSQL, written through its SQL functions on
the unit of work's own connection, so that a job is queued exactly when the transaction that defers it commits.

SQLite holds no queue (:class:`~krav.services.ports.NoJobQueue`): there the command does the work itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from krav.services.ports import JOB_QUEUE, NO_JOB_QUEUE, JobQueue, JobRecord, JobRequest


def job_queue(conn: sa.Connection) -> JobQueue:
    """The queue of ``conn``'s database: Procrastinate's on PostgreSQL, none on SQLite."""
    return SqlJobs(conn) if conn.dialect.name == "postgresql" else NO_JOB_QUEUE


class SqlJobs:
    """Procrastinate's ``procrastinate_jobs`` as Krav's job queue (PostgreSQL)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._available: bool | None = None

    @property
    def available(self) -> bool:
        if self._available is None:
            found = self.conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar()
            self._available = found is not None
        return self._available

    def defer(self, jobs: Sequence[JobRequest]) -> list[int]:
        if not jobs:
            return []
        if not self.available:
            NO_JOB_QUEUE.defer(jobs)
        rows: list[str] = []
        params: dict[str, object] = {"queue": JOB_QUEUE}
        for n, job in enumerate(jobs):
            rows.append(
                f"ROW(:queue, :task_{n}, 0, :lock_{n}, NULL, CAST(:args_{n} AS jsonb), NULL)"
                "::procrastinate_job_to_defer_v1"
            )
            params |= {f"task_{n}": job.task, f"lock_{n}": job.lock, f"args_{n}": json.dumps(dict(job.args))}
        sql = f"SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[{', '.join(rows)}])) AS id"
        return [int(i) for i in self.conn.execute(sa.text(sql), params).scalars()]

    def listed(self, *, statuses: Sequence[str] = (), limit: int = 100) -> list[JobRecord]:
        if not self.available:
            return []
        params: dict[str, object] = {"limit": limit, "statuses": list(statuses), "any": not statuses}
        return [
            JobRecord(
                id=r.id,
                task=r.task_name,
                args=dict(r.args),
                status=r.status,
                attempts=r.attempts,
                lock=r.lock,
                at=_iso(r.at),
            )
            for r in self.conn.execute(_LISTED, params)
        ]

    def retry(self, job_id: int) -> bool:
        if not self.available:
            return False
        found = self.conn.execute(
            sa.text("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'failed'"), {"id": job_id}
        ).first()
        if found is None:
            return False
        self.conn.execute(sa.text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id})
        return True


#: the newest jobs first, of the statuses asked for (all when ``any``), with when each last changed
_LISTED = sa.text(
    "SELECT j.id, j.task_name, j.args, j.status::text AS status, j.attempts, j.lock, "
    "(SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS at "
    "FROM procrastinate_jobs j WHERE :any OR j.status::text IN :statuses ORDER BY j.id DESC LIMIT :limit"
).bindparams(sa.bindparam("statuses", expanding=True, type_=sa.String))


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="seconds")
