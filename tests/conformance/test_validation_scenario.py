"""The shared scenario c_validation_reasons.yaml: items that may not be sent stay in the proposal with their
reasons and the valid one goes alone (R-VAL-1, R-VAL-2, R-AGR-1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from krav.bootstrap import sandbox
from krav.config import get_settings
from krav.formats.scenario import parse_scenario
from krav.services import scenario as scenarios
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "c_validation_reasons.yaml"


@pytest.fixture
def outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The scenario parsed and run on a fresh in-memory database, as `krav scenario run` does."""
    assert SCENARIO.is_file(), f"the shared scenario is missing at {SCENARIO}"
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KRAV_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    scenario = parse_scenario(SCENARIO.read_bytes(), filename=str(SCENARIO))
    with sandbox() as krav:
        yield scenario, scenarios.run_scenario(krav.uow(), scenario, collab=krav.collaborators(), figures=krav.figures)
    get_settings.cache_clear()


def test_the_validation_scenario_matches_its_expect_r_val_1_r_val_2(outcome: tuple[Any, dict[str, Any]]) -> None:
    scenario, result = outcome
    assert scenario.expect is not None
    assert scenarios.differences(scenario.expect, result) == []


def test_the_validation_scenario_leaves_exactly_these_items_in_the_proposal_with_these_reasons_r_val_1(
    outcome: tuple[Any, dict[str, Any]],
) -> None:
    _, result = outcome
    assert result["proposal"] == [
        {"invoice": "3001", "valid": False, "reasons": ["customer_address_missing"]},  # no postcode
        {"invoice": "3002", "valid": False, "reasons": ["customer_orgno_invalid"]},  # business, bad MOD11
        {"invoice": "3003", "valid": False, "reasons": ["customer_exempt"]},
        {"invoice": "3004", "valid": False, "reasons": ["item_exempt"]},
        {"invoice": "3005", "valid": False, "reasons": ["days_not_passed"]},  # due 25.03, 14 days not passed
    ]
    assert [(c["invoice"], c["principal"]) for c in result["claims"]] == [("3006", "600.00")]
