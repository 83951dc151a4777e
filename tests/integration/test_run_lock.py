"""One run at a time per database: a second ``krav run`` (or simulate, demo, outbox send) says that a run is in
progress and exits, on SQLite (a lock file beside the database) and PostgreSQL (an advisory lock).

Two runs at once used to leave the data right but crash one of them: on PostgreSQL with a ``pk_run_step``
traceback, on SQLite with ``FileNotFoundError`` when both took the same inbox file.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.adapters.db.lock import DatabaseRunLock
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.errors import RunInProgress
from krav.entrypoints import cli
from krav.services import ledger
from krav.services.daily_run import BusinessDay, run_business_day
from tests.builders import ORGNO, collaborators, consumer, invoice, make_company, post
from tests.e2e.runner import run

NOTICE_DAY = date(2025, 3, 28)


def _creditor(engine: Engine) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 2, 28), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@x.no")
        )
        uow.commit()


def test_a_run_while_another_holds_the_database_says_so_and_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    _creditor(engine)
    other = DatabaseRunLock(engine)  # as another process holds it
    with other.hold("krav run"):
        collab = replace(collaborators(folder=tmp_path, inbox=True), lock=DatabaseRunLock(engine))
        with pytest.raises(RunInProgress, match="another Krav run holds"):
            run_business_day(unit_of_work(engine), NOTICE_DAY, collab)
    uow = unit_of_work(engine)
    with uow:
        assert uow.collection.letters(1) == []
    # given back when its holder is done: the run goes now
    day = run_business_day(unit_of_work(engine), NOTICE_DAY, collab)
    assert sum(day.creditors[0].letters.values()) == 1


def test_two_runs_at_once_one_runs_and_the_other_says_a_run_is_in_progress(engine: Engine, tmp_path: Path) -> None:
    _creditor(engine)
    start = threading.Barrier(2)
    finished: list[BusinessDay] = []
    refused: list[BaseException] = []

    def work(n: int) -> None:
        collab = replace(collaborators(folder=tmp_path / str(n), inbox=True), lock=DatabaseRunLock(engine))
        start.wait()
        try:
            finished.append(run_business_day(unit_of_work(engine), NOTICE_DAY, collab))
        except BaseException as exc:  # reported below, in the test's thread
            refused.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # either the second was refused, or it came after the first had finished and found the day done
    assert all(isinstance(exc, RunInProgress) for exc in refused), refused
    assert len(finished) + len(refused) == 2
    assert len(finished) >= 1
    uow = unit_of_work(engine)
    with uow:
        assert len(uow.collection.letters(1)) == 1


def test_krav_run_exits_1_when_another_run_holds_the_database(krav: CliRunner) -> None:
    app = cli.get_app()
    other = DatabaseRunLock(app.engine)
    with other.hold("krav run"):
        out = run(krav, "run", "--date", NOTICE_DAY.isoformat(), code=1)
    assert "error: the business day 2025-03-28: another Krav run holds" in out
    assert "try again when it has finished" in out
    run(krav, "run", "--date", NOTICE_DAY.isoformat())
