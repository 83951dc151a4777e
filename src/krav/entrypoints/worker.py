"""Krav's worker processes (``krav worker``, PostgreSQL): Procrastinate runs the jobs of
:mod:`krav.services.jobs` — the business day each morning, one creditor's day, a share of its letters — and
re-queues the jobs of a worker that died.

Each process wires Krav once (its own engine) and runs one job at a time: rendering letters is work for a
processor, so the parallelism is in processes, not threads.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from datetime import date

import procrastinate
from procrastinate.manager import JobManager

from krav.bootstrap import App as Krav
from krav.bootstrap import bootstrap
from krav.entrypoints.clock import oslo_today
from krav.services import jobs
from krav.services.ports import JOB_QUEUE

log = logging.getLogger("krav.worker")

#: when the schedule defers the business day (cron, UTC): 04:30 UTC is 05:30 or 06:30 in Oslo
DAILY_CRON = "30 4 * * *"
#: how long a worker may be silent before its jobs are given to another (seconds)
STALLED_AFTER = 60.0

#: a creditor's day or a share of letters is tried again after 2, 4, 8 … 512 s (about 17 minutes in all: long
#: enough for a whole `krav run` holding the database to end), then left failed for the operator
RETRY = procrastinate.RetryStrategy(max_attempts=10, exponential_wait=2)


def make_queue_app(krav: Krav, *, periodic: bool = True) -> procrastinate.App:
    """A Procrastinate application on ``krav``'s database with Krav's tasks; ``periodic``: with the morning
    schedule and the re-queueing of stalled jobs (a worker that works once through the queue has neither)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=krav.job_queue_url()))

    @app.task(name=jobs.BUSINESS_DAY, queue=JOB_QUEUE)
    def business_day(on: str) -> None:
        start = jobs.business_day(krav.uow(), krav.collaborators(), date.fromisoformat(on))
        for problem in start.problems:
            log.warning("the start of %s: %s", on, problem)

    @app.task(name=jobs.CREDITOR_DAY, queue=JOB_QUEUE, retry=RETRY)
    def creditor_day(orgno: str, on: str) -> None:
        jobs.creditor_day(krav.uow(), krav.collaborators(), orgno, date.fromisoformat(on))

    @app.task(name=jobs.DELIVER, queue=JOB_QUEUE, retry=RETRY)
    def deliver(company_id: int, on: str, share: int, shares: int) -> None:
        report = jobs.deliver_share(
            krav.uow(), krav.collaborators(inbox=False), company_id, date.fromisoformat(on), share, shares
        )
        if report.failed:
            log.warning(
                "company %s, share %s of %s: %s deliveries failed", company_id, share + 1, shares, report.failed
            )

    if periodic:
        _schedule(app, krav)
    return app


def _schedule(app: procrastinate.App, krav: Krav) -> None:
    """The morning's business day, and every minute the jobs of a worker that stopped given to another."""

    @app.periodic(cron=DAILY_CRON)
    @app.task(name="krav.schedule", queue=JOB_QUEUE)
    def schedule(timestamp: int) -> None:
        jobs.queue_business_day(krav.uow(), oslo_today())

    @app.periodic(cron="* * * * *")
    @app.task(name="krav.requeue_stalled", queue=JOB_QUEUE, pass_context=True)
    async def requeue_stalled(context: procrastinate.JobContext, timestamp: int) -> None:
        await requeue_stalled_jobs(context.app.job_manager)


async def requeue_stalled_jobs(manager: JobManager, silent_for: float = STALLED_AFTER) -> list[int]:
    """Queue again the jobs held by workers silent for ``silent_for`` seconds (killed, lost); their ids."""
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=silent_for))
    for job in stalled:
        log.warning("job %s (%s) was left by a worker that stopped; queued again", job.id, job.task_name)
        await manager.retry_job(job)
    return [job.id for job in stalled if job.id is not None]


def work(*, once: bool = False, krav: Krav | None = None) -> None:
    """Run one worker in this process until stopped (``once``: until the queue is empty, without the schedule)."""
    krav = krav or bootstrap()
    started = time.perf_counter()
    app = make_queue_app(krav, periodic=not once)
    with app.open():
        app.run_worker(
            queues=[JOB_QUEUE],
            concurrency=1,
            wait=not once,
            install_signal_handlers=not once,
            stalled_worker_timeout=STALLED_AFTER,
            delete_jobs="successful",
        )
    log.info("worker stopped after %.1f s", time.perf_counter() - started)


def work_in_processes(processes: int, *, once: bool = False) -> int:
    """``processes`` workers side by side; the number that ended with an error. The workers are forked from this
    process (Krav is imported once), each wiring its own connections."""
    if processes == 1:
        _child(once)
        return 0
    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=_child, args=(once,), name=f"krav-worker-{n + 1}") for n in range(processes)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    return sum(1 for c in children if c.exitcode != 0)


def _child(once: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(processName)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the database's check before work, said every start
    work(once=once)
