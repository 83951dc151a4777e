"""The public conformance scenarios (../shared/scenarios/FORMAT.md): each runs on a fresh in-memory database and
its outcome must match its ``expect``; ``krav scenario run`` exits 0, 1 or 2 as FORMAT.md says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.bootstrap import sandbox
from krav.config import get_settings
from krav.entrypoints import cli
from krav.formats.scenario import parse_scenario
from krav.services.scenario import differences, run_scenario
from tests.conftest import SCENARIOS

FILES = (
    sorted(SCENARIOS.glob("*.yaml"))
    + sorted((SCENARIOS / "generated").glob("*.yaml"))
    + sorted((SCENARIOS / "next").glob("*.yaml"))
)
PASSING = SCENARIOS / "a_notice_paid_in_time.yaml"


def test_the_public_scenarios_are_there() -> None:
    assert len(FILES) >= 22, (
        f"expected the 4 hand-written, 10 generated and 8 next scenarios (R-CLM-14, R-CLM-15) in {SCENARIOS}"
    )


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_the_public_scenario_matches_its_expect(path: Path) -> None:
    scenario = parse_scenario(path.read_bytes(), filename=str(path))
    assert scenario.expect is not None, f"{path.name} has no expect"
    with sandbox() as app:
        result = run_scenario(app.uow(), scenario, collab=app.collaborators(), figures=app.figures)
    assert differences(scenario.expect, result) == []


# -- the command ---------------------------------------------------------------------------------------------


@pytest.fixture
def krav(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KRAV_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    cli.reset_app()
    yield CliRunner()
    cli.reset_app()
    get_settings.cache_clear()


def _copy(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_scenario_run_exits_0_when_the_outcome_matches(krav: CliRunner) -> None:
    result = krav.invoke(cli.app, ["scenario", "run", str(PASSING)])
    assert result.exit_code == 0, result.output
    assert "matches its expect" in result.output


def test_scenario_run_exits_1_and_prints_each_difference_when_it_does_not_match(
    krav: CliRunner, tmp_path: Path
) -> None:
    text = PASSING.read_text(encoding="utf-8")
    assert text.count('total: "1039.79"') == 1
    altered = _copy(tmp_path, text.replace('total: "1039.79"', 'total: "1039.80"'))
    result = krav.invoke(cli.app, ["scenario", "run", str(altered)])
    assert result.exit_code == 1, result.output
    assert "1 difference(s)" in result.output
    assert "letters[0].total: expected '1039.80', got '1039.79'" in result.output


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('{id: "10001",', "{id: true,"), "customers[0].id"),  # a boolean where a string belongs
        (("run: {from: 2025-03-14, to: 2025-04-30}\n", ""), "run"),  # no run
        (("run: {from: 2025-03-14, to: 2025-04-30}", "run: {from: 2025-03-14, to: 2025-03-01}"), "run.to"),
        # unknown keys anywhere are refused, never ignored (FORMAT.md)
        (("amount: letter_total}", "amount: letter_total, paid: 2025-04-09}"), "events[0].pay_letter.paid"),
        (("amount: letter_total}", "amount: letter_total, paid_on: yesterday}"), "events[0].pay_letter.paid_on"),
        (('{debtor: "10001", letter: 1, ', '{debtor: "10001", '), "events[0].pay_letter.letter"),
        (
            (
                'pay_letter: {debtor: "10001", letter: 1, amount: letter_total}',
                'action: {invoices: ["1001"], do: stop}',
            ),
            "events[0].action.do",
        ),
        (
            (
                'pay_letter: {debtor: "10001", letter: 1, amount: letter_total}',
                'action: {invoices: ["1001"], do: dispute}',
            ),
            "events[0].action.text",
        ),
        (("  letters:\n", "  letter:\n"), "expect.letter"),
        (('{debtor: "10001", n: 1, type: notice,', '{debtor: "10001", n: 1, kind: notice,'), "expect.letters[0].kind"),
    ],
    ids=[
        "boolean-id",
        "no-run",
        "run-backwards",
        "unknown-event-key",
        "paid-on-no-date",
        "no-letter-number",
        "unknown-action",
        "dispute-without-text",
        "unknown-expect-key",
        "unknown-letter-key",
    ],
)
def test_scenario_run_exits_2_on_an_invalid_file_naming_the_field(
    krav: CliRunner, tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    text = PASSING.read_text(encoding="utf-8")
    old, new = change
    assert text.count(old) == 1
    invalid = _copy(tmp_path, text.replace(old, new))
    result = krav.invoke(cli.app, ["scenario", "run", str(invalid)])
    assert result.exit_code == 2, result.output
    assert f"{field}: " in result.output


def test_an_unquoted_country_no_is_read_as_the_string_no_yaml_1_2(krav: CliRunner, tmp_path: Path) -> None:
    text = PASSING.read_text(encoding="utf-8")
    assert text.count('country: "NO"') == 1
    unquoted = _copy(tmp_path, text.replace('country: "NO"', "country: NO"))
    assert parse_scenario(unquoted.read_bytes(), filename=str(unquoted)).customers[0].country == "NO"
    result = krav.invoke(cli.app, ["scenario", "run", str(unquoted)])
    assert result.exit_code == 0, result.output
