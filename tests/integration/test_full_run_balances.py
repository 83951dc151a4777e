"""Every public scenario, run day by day, keeps the creditor's ledger balanced after every step (R-LED-1, R-LED-3,
R-LED-5 … R-LED-7).

The loop is that of :func:`krav.services.scenario.run_scenario`, with the books checked after each outside event
and after each day's run: the trial balance totals 0.00 in each currency, and each customer's open items sum to
what the receivables account says the customer owes (``ledger.balance(...).balanced``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from krav.bootstrap import bootstrap
from krav.domain.money import Money
from krav.formats.scenario import ScenarioEvent, parse_scenario
from krav.services import collection, ledger
from krav.services.ports import UnitOfWork
from krav.services.scenario import _apply_event, _setup
from tests.conftest import SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "generated").glob("*.yaml"))


def _check(uow: UnitOfWork, orgno: str, when: str) -> dict[str, Money]:
    balance = ledger.balance(uow, orgno)
    assert all(total.is_zero() for total in balance.total.values()), f"{when}: trial balance totals {balance.total}"
    assert balance.subledger_mismatches == {}, f"{when}: receivables ≠ sub-ledger {balance.subledger_mismatches}"
    assert balance.balanced, when
    return balance.trial_balance


def test_every_public_scenario_is_here() -> None:
    assert len(FILES) >= 14, f"expected the 4 hand-written and 10 generated scenarios in {SCENARIOS}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_the_ledger_balances_after_every_day_of_a_public_scenario_r_led_1_r_led_3(path: Path) -> None:
    scenario = parse_scenario(path.read_bytes(), filename=str(path))
    app = bootstrap(database_url="sqlite://")
    try:
        uow = app.uow()
        orgno = scenario.creditor_orgno
        _setup(uow, scenario)
        _check(uow, orgno, "after the set-up")
        actions: list[dict[str, Any]] = []
        by_day: dict[date, list[ScenarioEvent]] = {}
        for event in scenario.events:
            by_day.setdefault(event.on, []).append(event)
        checked = 0
        day = scenario.start
        trial: dict[str, Money] = {}
        while day <= scenario.end:
            for event in by_day.get(day, []):
                _apply_event(uow, scenario, event, app.rates, actions, app.service)
                _check(uow, orgno, f"{day} after events[{event.index}].{event.kind}")
            collection.run_day(uow, orgno, day, rates=app.rates, service=app.service)
            trial = _check(uow, orgno, f"{day} after the run")
            checked += 1
            day += timedelta(days=1)
    finally:
        app.close()
    assert checked == (scenario.end - scenario.start).days + 1
    if scenario.invoices:
        # the check looked at real books: the invoices are on the receivables and sales accounts
        assert any(not amount.is_zero() for amount in trial.values())
