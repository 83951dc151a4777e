"""The daily run's hot queries on PostgreSQL read the claims due through an index, never every claim.

A creditor with many claims of which few are due on a notice day: each claim step of the day (R-TIME-5) and
the delivery's lookup of a letter's claims are run as the run runs them, their SQL is caught as it goes to the
database, and PostgreSQL's ``EXPLAIN`` of each must show no sequential scan of the claim table (the table is
analysed first, as autovacuum would after a load this size). Without the index of due claims, the steps'
queries would scan the table, and this test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.claim_rows import claim_values
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import Recipient
from krav.domain.collection.steps import Day
from krav.domain.money import Money
from krav.services.collection import CreditorDay
from krav.services.collection import day as service_day
from krav.services.ports import ClaimFilter
from tests.builders import RATES, SERVICE, make_company
from tests.conftest import _truncate_postgres

pytestmark = pytest.mark.postgres

CLAIMS = 20_000
DUE_EVERY = 100  # one claim in a hundred is due on the notice day
NOTICE_DAY = date(2025, 11, 18)  # a Tuesday: the collection list's step looks too
STEPS = (
    service_day.pause_expiry,
    service_day.letters,
    service_day.inkasso,
    service_day.legal,
    service_day.collection_list,
)


@pytest.fixture
def postgres(postgres_schema_url: str) -> Iterator[Engine]:
    from krav.adapters.db.engine import make_engine

    engine = make_engine(postgres_schema_url)
    _truncate_postgres(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _rows(company_id: int) -> list[dict[str, Any]]:
    """Claims as a creditor's long history leaves them: most closed or waiting for a later day, a few due."""
    rows = []
    stages = (Stage.NEW, Stage.REMINDER, Stage.NOTICE, Stage.COLLECTION_LIST, Stage.INKASSO)
    for n in range(CLAIMS):
        debtor = Recipient(
            f"{10000 + n // 5}", "Ola Nordmann", "consumer", None, "Storgata 1", "0150", "Oslo", "NO", None
        )
        claim = Claim(
            company_id, f"K1-{n:07d}", f"F{n:07d}", date(2025, 9, 1), date(2025, 9, 15), Money.of("1000.00"),
            date(2025, 10, 1), debtor,
        )  # fmt: skip
        row = {"company_id": company_id, **claim_values(claim)}
        if n % DUE_EVERY == 0:
            row.update(stage=stages[n // DUE_EVERY % len(stages)].value, next_action_on=NOTICE_DAY)
        elif n % 2:
            row.update(
                stage=Stage.CLOSED.value, closed_reason="paid", closed_on=date(2025, 10, 20), next_action_on=None
            )
        else:
            row.update(stage=Stage.REMINDER.value, next_action_on=NOTICE_DAY + timedelta(days=1 + n % 60))
        rows.append(row)
    return rows


def _caught(engine: Engine) -> tuple[list[tuple[str, Any]], Any]:
    statements: list[tuple[str, Any]] = []

    def catch(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not executemany and statement.lstrip().upper().startswith("SELECT") and " claim" in statement:
            statements.append((statement, parameters))

    return statements, catch


def _scans_of_claims(plan: Any) -> list[str]:
    """The nodes of a JSON plan that read the claim table sequentially."""
    found = []
    nodes = [plan]
    while nodes:
        node = nodes.pop()
        if isinstance(node, dict):
            if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "claim":
                found.append(str(node.get("Filter", "")))
            nodes.extend(node.values())
        elif isinstance(node, list):
            nodes.extend(node)
    return found


def test_the_claim_steps_of_a_notice_day_and_the_letters_lookup_read_no_claim_they_do_not_need(
    postgres: Engine,
) -> None:
    uow = unit_of_work(postgres)
    company = make_company(uow)
    assert company.id is not None
    agreement = Agreement(active=True, activated_on=date(2025, 9, 1), accepted_by="test", reminder_before_notice=True)
    with uow:
        uow.agreements.save(company.id, agreement)
        uow.commit()
    with postgres.begin() as conn:
        conn.execute(t.claim.insert(), _rows(company.id))
        conn.execute(sa.text("analyze claim"))
    statements, catch = _caught(postgres)
    sa.event.listen(postgres, "before_cursor_execute", catch)
    try:
        ctx = CreditorDay(company, company.id, Day(NOTICE_DAY, agreement, RATES), SERVICE)
        for step in STEPS:
            with uow:  # each step as the run runs it; nothing is kept
                step(uow, ctx)
        with uow:  # the delivery's lookup of the claims a part of the day's letters are written on
            named = [f"K1-{n:07d}" for n in range(0, CLAIMS, CLAIMS // 50)]
            assert len(uow.collection.claims(company.id, ClaimFilter(collection_ids=named))) == len(named)
    finally:
        sa.event.remove(postgres, "before_cursor_execute", catch)
    assert len(statements) >= len(STEPS) + 1
    with postgres.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
            assert _scans_of_claims(plan) == [], f"a sequential scan of every claim for:\n{statement}\n{plan}"
