"""Every public scenario, run day by day, keeps the creditor's ledger balanced after every step (R-LED-1, R-LED-3,
R-LED-5 … R-LED-7).

The scenario runs through :func:`krav.services.scenario.run_scenario` (the daily run, its inbox and delivery),
which tells the test where it stands; the books are checked after the set-up, after each outside event and after
each day's run: the trial balance totals 0.00 in each currency, and each customer's open items sum to what the
receivables account says the customer owes (``ledger.balance(...).balanced``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from krav.bootstrap import sandbox
from krav.domain.money import Money
from krav.formats.scenario import parse_scenario
from krav.services import ledger
from krav.services.ports import UnitOfWork
from krav.services.scenario import run_scenario
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
    orgno = scenario.creditor_orgno
    checks: list[str] = []
    trial: dict[str, Money] = {}
    with sandbox() as app:
        uow = app.uow()

        def check(when: str) -> None:
            nonlocal trial
            trial = _check(uow, orgno, when)
            checks.append(when)

        run_scenario(uow, scenario, collab=app.collaborators(), figures=app.figures, observe=check)
    days = (scenario.end - scenario.start).days + 1
    assert sum(1 for when in checks if when.endswith("after the run")) == days
    assert len(checks) == 1 + len(scenario.events) + days
    if scenario.invoices:
        # the check looked at real books: the invoices are on the receivables and sales accounts
        assert any(not amount.is_zero() for amount in trial.values())
