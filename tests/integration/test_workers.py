"""The daily run on workers (PostgreSQL, Procrastinate): a business day queued ends as ``krav run`` ends it, jobs
are queued exactly when their transaction commits, a creditor's day waits while a whole run holds the database,
letters are cut into shares that are each sent once, a job that keeps failing is shown to the operator and can
be tried again, and the jobs of a worker that stopped are queued again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from krav.adapters.db.lock import DatabaseRunLock
from krav.bootstrap import App, bootstrap
from krav.domain.agreement import Agreement
from krav.domain.errors import RunInProgress
from krav.entrypoints import cli
from krav.entrypoints.worker import make_queue_app, requeue_stalled_jobs, work
from krav.services import jobs, ledger
from krav.services.daily_run import STEPS
from krav.services.ports import DeliveryStatus, JobRequest
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.conftest import _truncate_postgres

pytestmark = pytest.mark.postgres

NOTICE_DAY = date(2025, 3, 28)
DEBTORS = [f"1000{n}" for n in range(1, 8)]  # seven debtors, one overdue invoice each: seven notices
QUEUE_TABLES = "procrastinate_jobs, procrastinate_workers, procrastinate_periodic_defers, procrastinate_events"


@pytest.fixture
def krav_pg(postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """Krav on an empty PostgreSQL schema with the job queue's tables, and an empty queue."""
    monkeypatch.setenv("KRAV_DATABASE_URL", postgres_schema_url)
    app = bootstrap(database_url=postgres_schema_url)
    app.job_queue_url()
    _truncate_postgres(app.engine)
    with app.engine.begin() as conn:
        conn.execute(sa.text(f"truncate {QUEUE_TABLES} restart identity cascade"))
    cli.reset_app()
    try:
        yield app
    finally:
        cli.reset_app()
        app.close()


def _creditor(app: App) -> None:
    uow = app.uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer(d) for d in DEBTORS])
    for n, debtor in enumerate(DEBTORS):
        post(uow, invoice(f"10{n:02d}", debtor, "1000.00", date(2025, 2, 28), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@x.no")
        )
        uow.commit()


def _jobs(app: App, *statuses: str) -> list[tuple[str, str]]:
    with app.reader() as uow:
        return [(j.task, j.status) for j in uow.jobs.listed(statuses=statuses)]


def _deliveries(app: App) -> list[DeliveryStatus]:
    with app.reader() as uow:
        return [d.status for d in uow.deliveries.deliveries()]


def test_a_business_day_on_the_workers_ends_as_a_run_ends_it(krav_pg: App) -> None:
    _creditor(krav_pg)
    jobs.queue_business_day(krav_pg.uow(), NOTICE_DAY)
    assert _jobs(krav_pg) == [(jobs.BUSINESS_DAY, "todo")]

    work(once=True, krav=krav_pg)

    assert _jobs(krav_pg) == []  # every job done (and the done ones cleared)
    with krav_pg.reader() as uow:
        letters = uow.collection.letters(1)
        assert len(letters) == len(DEBTORS)
        assert all(uow.collection.step_done(1, NOTICE_DAY, s.name) for s in STEPS)
    assert _deliveries(krav_pg) == [DeliveryStatus.SENT] * len(DEBTORS)
    batches = list((krav_pg.print_dir / ORGNO / NOTICE_DAY.isoformat()).glob("utskrift-*.pdf"))
    assert batches, "the notices were printed"

    # the same day queued again changes nothing
    jobs.queue_business_day(krav_pg.uow(), NOTICE_DAY)
    work(once=True, krav=krav_pg)
    with krav_pg.reader() as uow:
        assert len(uow.collection.letters(1)) == len(DEBTORS)
    assert _deliveries(krav_pg) == [DeliveryStatus.SENT] * len(DEBTORS)


def test_a_job_is_queued_when_its_transaction_commits_and_never_when_it_rolls_back(krav_pg: App) -> None:
    uow = krav_pg.uow()
    with uow:
        uow.jobs.defer([JobRequest(jobs.BUSINESS_DAY, {"on": "2025-03-28"})])
        uow.rollback()
    assert _jobs(krav_pg) == []
    with uow:
        ids = uow.jobs.defer([JobRequest(jobs.CREDITOR_DAY, {"orgno": ORGNO, "on": "2025-03-28"}, lock="creditor:x")])
        assert _jobs(krav_pg) == []  # not seen by anyone before the commit
        uow.commit()
    assert len(ids) == 1
    assert _jobs(krav_pg) == [(jobs.CREDITOR_DAY, "todo")]


def test_a_creditors_day_waits_while_a_whole_run_holds_the_database(krav_pg: App) -> None:
    _creditor(krav_pg)
    whole_run = DatabaseRunLock(krav_pg.engine)  # as `krav run` in another process
    with whole_run.hold("krav run"), pytest.raises(RunInProgress):
        jobs.creditor_day(krav_pg.uow(), krav_pg.collaborators(inbox=False), ORGNO, NOTICE_DAY)
    with krav_pg.reader() as uow:
        assert uow.collection.letters(1) == []
    # two workers' parts of a day hold it side by side
    with (
        DatabaseRunLock(krav_pg.engine).share("a"),
        DatabaseRunLock(krav_pg.engine).share("b"),
        pytest.raises(RunInProgress),
        DatabaseRunLock(krav_pg.engine).hold("krav run"),
    ):
        pass


def test_letters_are_cut_into_shares_each_sent_once(krav_pg: App, monkeypatch: pytest.MonkeyPatch) -> None:
    _creditor(krav_pg)
    monkeypatch.setattr(jobs, "SHARE", 2)
    report = jobs.creditor_day(krav_pg.uow(), krav_pg.collaborators(inbox=False), ORGNO, NOTICE_DAY)
    assert not report.failed
    assert _jobs(krav_pg) == [(jobs.DELIVER, "todo")] * 4  # seven letters, two a share
    work(once=True, krav=krav_pg)
    assert _deliveries(krav_pg) == [DeliveryStatus.SENT] * len(DEBTORS)
    folder = krav_pg.print_dir / ORGNO / NOTICE_DAY.isoformat()
    manifests = sorted(folder.glob("utskrift-*.csv"))
    assert len(manifests) == 4  # one print batch a share
    printed = sum(len(m.read_text("utf-8").splitlines()) - 1 for m in manifests)
    assert printed == len(DEBTORS)  # each letter in exactly one batch


def test_a_job_that_keeps_failing_is_listed_and_can_be_tried_again(krav_pg: App) -> None:
    runner = CliRunner()
    with krav_pg.uow() as uow:
        (job,) = uow.jobs.defer([JobRequest(jobs.CREDITOR_DAY, {"orgno": "999999999", "on": "2025-03-28"})])
        uow.commit()
    with krav_pg.engine.begin() as conn:  # as a worker leaves a job after its last try
        conn.execute(
            sa.text("update procrastinate_jobs set status = 'failed', attempts = 5 where id = :id"), {"id": job}
        )

    listed = runner.invoke(cli.app, ["jobs", "list", "--status", "failed"])
    assert listed.exit_code == 0, listed.output
    assert "creditor_day" in listed.output
    assert "orgno 999999999" in listed.output
    assert "28.03.2025" in listed.output
    as_json = runner.invoke(cli.app, ["jobs", "list", "--json"])
    assert json.loads(as_json.output)[0] | {"at": None} == {
        "id": job,
        "task": jobs.CREDITOR_DAY,
        "args": {"orgno": "999999999", "on": "2025-03-28"},
        "status": "failed",
        "attempts": 5,
        "lock": None,
        "at": None,
    }

    retried = runner.invoke(cli.app, ["jobs", "retry", str(job)])
    assert retried.exit_code == 0, retried.output
    assert _jobs(krav_pg) == [(jobs.CREDITOR_DAY, "todo")]
    again = runner.invoke(cli.app, ["jobs", "retry", str(job)])
    assert again.exit_code == 1
    assert f"no failed job {job}" in again.output

    bad = runner.invoke(cli.app, ["jobs", "list", "--status", "lost"])
    assert bad.exit_code == 2
    assert "unknown status lost" in bad.output


def test_the_jobs_of_a_worker_that_stopped_are_queued_again(krav_pg: App) -> None:
    with krav_pg.uow() as uow:
        (job,) = uow.jobs.defer([JobRequest(jobs.BUSINESS_DAY, {"on": "2025-03-28"})])
        uow.commit()
    with krav_pg.engine.begin() as conn:  # a worker took it, then was killed: its heartbeat stopped long ago
        worker = conn.execute(
            sa.text(
                "insert into procrastinate_workers (last_heartbeat) values (now() - interval '1 hour') returning id"
            )
        ).scalar_one()
        conn.execute(
            sa.text("update procrastinate_jobs set status = 'doing', worker_id = :w where id = :id"),
            {"w": worker, "id": job},
        )
    app = make_queue_app(krav_pg, periodic=False)

    async def requeue() -> list[int]:
        async with app.open_async():
            return await requeue_stalled_jobs(app.job_manager, silent_for=60)

    assert asyncio.run(requeue()) == [job]
    assert _jobs(krav_pg) == [(jobs.BUSINESS_DAY, "todo")]


def test_shares_grow_with_the_letters_within_bounds() -> None:
    assert jobs.shares_for(0).count == 1
    assert jobs.shares_for(jobs.SHARE).count == 1
    assert jobs.shares_for(jobs.SHARE + 1).count == 2
    assert jobs.shares_for(10**6).count == jobs.MAX_SHARES


@pytest.mark.parametrize("command", [["worker", "--once"], ["jobs", "list"], ["jobs", "day"]])
def test_on_sqlite_the_workers_say_they_need_postgresql(krav: CliRunner, command: list[str]) -> None:
    result = krav.invoke(cli.app, command)
    assert result.exit_code == 1
    assert "workers need PostgreSQL" in result.output
