"""`krav rates` end to end: the table in use with the source of every value, exported, edited and loaded again,
and used by every command from then on (DOMAIN.md section 8; docs/rates.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from krav.entrypoints import cli
from tests.e2e.runner import run

NEXT_HALF_YEAR = """
[[interest]]
valid_from = 2027-01-01
rate = "11.75"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"

[[standard_compensation]]
valid_from = 2027-01-01
amount = "440.00"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"
"""


def _line(out: str, start: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(start))


def test_krav_rates_shows_the_built_in_table_in_norwegian_formats_with_every_source(krav: CliRunner) -> None:
    out = run(krav, "rates")
    assert out == run(krav, "rates", "show")
    assert out.startswith("Rate table in use: built-in (shipped with this release of Krav)\n")
    assert "Forsinkelsesrente and standard compensation known to 31.12.2026 inclusive." in out
    assert _line(out, "  01.01.2026      750,00  ").endswith(
        "§ 1-1 tredje ledd as amended from 1 January 2026 (DOMAIN.md section 8)"
    )
    assert _line(out, "  01.07.2025     12,25 %  ").endswith(
        "fra 1. juli 2025 (forsinkelsesrenteloven § 3 første ledd)"
    )
    assert "FOR-2025-06-23-1321" in _line(out, "  01.07.2025     12,25 %  ")
    assert _line(out, "  01.10.2020  1/20; 3/20; rounded to øre  Inkassoforskriften")
    assert "up to 1 000,00: 0,35" in _line(out, "  01.10.2020  up to 500,00: 0,25")
    assert "creditor outside VAT × 1,25; rounded down to øre" in out
    h2_2023 = _line(out, "  01.07.2023      410,00  ")
    assert "UNCONFIRMED" in h2_2023
    assert "FOR-2023-06-22-1075" in h2_2023
    assert "  inkassoloven-2026: New Inkasso Act (LOV-2026-05-22-19)" in out
    assert "adopted 22.05.2026, not yet in force" in out


def test_krav_rates_says_when_a_date_is_beyond_the_table(krav: CliRunner) -> None:
    assert "31.12.2026 is covered." in run(krav, "rates", "show", "--date", "2026-12-31")
    out = run(krav, "rates", "show", "--date", "2027-02-01")
    assert (
        "01.02.2027 is NOT covered: its half-year's forsinkelsesrente or standard compensation is not in the table; "
        "load a table covering the half-year from 01.01.2027 (krav rates load FILE)." in out
    )
    shown = json.loads(run(krav, "rates", "show", "--date", "2027-02-01", "--json"))
    assert (shown["origin"], shown["known_until"], shown["known"]) == ("built-in", "2026-12-31", False)
    assert shown["assumption"].startswith("no rates are known for 2027-02-01 (the rate table ends 2026-12-31)")
    assert shown["tables"]["standard_compensation"][15] == {
        "valid_from": "2023-07-01",
        "amount": "410.00",
        "source": shown["tables"]["standard_compensation"][15]["source"],
        "correction": None,
    }
    assert shown["tables"]["fee"][1]["reminder"] == "1/20"


def test_a_table_exported_edited_and_loaded_is_used_by_every_command(krav: CliRunner, tmp_path: Path) -> None:
    """DOMAIN.md section 8: a real run never prints a rate it does not know: a day whose half-year is missing from
    the table is held, exit 1, naming the table to load; once a newer table is loaded, every command uses it and
    the day runs."""
    run(krav, "init")
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS", "--account", "86011117947")
    held = run(krav, "run", "--date", "2027-02-01", code=1)
    assert "the rate table ends 31.12.2026" in held
    assert "Load a table covering the half-year from 01.01.2027 with `krav rates load FILE`" in held

    table = tmp_path / "rates-2027.toml"
    assert "edit it, then: krav rates load" in run(krav, "rates", "export", str(table))
    table.write_text(table.read_text(encoding="utf-8") + NEXT_HALF_YEAR, encoding="utf-8")
    out = run(krav, "rates", "load", str(table))
    assert out.startswith("Rate table in use: loaded on ")
    assert f"from {table.resolve()}, kept in " in out
    assert "known to 30.06.2027 inclusive; every command uses this table from now on." in out
    assert (
        "added: [[interest]] 2027-01-01: rate 11.75\nadded: [[standard_compensation]] 2027-01-01: amount 440.00" in out
    )

    shown = run(krav, "rates", "show", "--date", "2027-02-01")
    assert f"from {table.resolve()}, kept in {get_settings().home / 'rates' / 'current.toml'}" in shown
    assert "01.02.2027 is covered." in shown
    assert _line(shown, "  01.01.2027     11,75 %  ").endswith("fra 1. januar 2027")
    ran = run(krav, "run", "--date", "2027-02-01")
    assert "held" not in ran
    assert "note:" not in ran

    again = tmp_path / "again.toml"
    run(krav, "rates", "export", str(again))
    assert again.read_text(encoding="utf-8") == table.read_text(encoding="utf-8")


def test_a_refused_table_exits_2_naming_each_entry_and_field_and_changes_nothing(
    krav: CliRunner, tmp_path: Path
) -> None:
    table = tmp_path / "wrong.toml"
    run(krav, "rates", "export", str(table))
    text = table.read_text(encoding="utf-8")
    start = text.index("[[standard_compensation]]\nvalid_from = 2023-07-01")
    text = text[:start] + text[start:].replace('amount = "410.00"', 'amount = "460.00"', 1)
    table.write_text(text + NEXT_HALF_YEAR.replace("2027-01-01", "2027-07-01"), encoding="utf-8")
    result = krav.invoke(cli.app, ["rates", "load", str(table)])
    assert result.exit_code == 2, result.output
    assert f"error: {table}: not loaded, nothing changed; 3 problem(s):" in result.output
    assert (
        "  - [[standard_compensation]] valid_from 2023-07-01: amount: is 460.00 here but 410.00 in the built-in "
        'table; add correction = "…" to the entry saying why, if it corrects that value' in result.output
    )
    assert (
        "  - [[interest]] valid_from 2027-07-01: valid_from: the half-year from 2027-01-01 is missing" in result.output
    )
    assert "Rate table in use: built-in" in run(krav, "rates")
    assert not (get_settings().home / "rates").exists()


def test_a_table_correcting_a_value_says_so_and_shows_the_correction(krav: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "corrected.toml"
    run(krav, "rates", "export", str(table))
    text = table.read_text(encoding="utf-8")
    start = text.index("[[standard_compensation]]\nvalid_from = 2023-07-01")
    fixed = 'amount = "460.00"\ncorrection = "FOR-2023-06-22-1075 § 2: 460 kroner"'
    table.write_text(text[:start] + text[start:].replace('amount = "410.00"', fixed, 1), encoding="utf-8")
    out = run(krav, "rates", "load", str(table))
    assert (
        "corrected: [[standard_compensation]] 2023-07-01: amount 410.00 → 460.00 (FOR-2023-06-22-1075 § 2: 460 "
        "kroner)" in out
    )
    shown = run(krav, "rates")
    assert "  01.07.2023      460,00  UNCONFIRMED" in shown
    assert "              corrected: FOR-2023-06-22-1075 § 2: 460 kroner" in shown


def test_export_does_not_overwrite_a_file_unless_told(krav: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "rates.toml"
    table.write_text("mine", encoding="utf-8")
    result = krav.invoke(cli.app, ["rates", "export", str(table)])
    assert result.exit_code == 2
    assert f"error: {table} exists; pass --force to overwrite it" in result.output
    assert table.read_text(encoding="utf-8") == "mine"
    run(krav, "rates", "export", str(table), "--force")
    assert table.read_text(encoding="utf-8").startswith("# Krav — dated rates")


def test_loading_a_missing_file_or_under_krav_rates_file_is_refused(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = krav.invoke(cli.app, ["rates", "load", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml: cannot read the file" in result.output
    table = tmp_path / "operator.toml"
    run(krav, "rates", "export", str(table))
    monkeypatch.setenv("KRAV_RATES_FILE", str(table))
    get_settings.cache_clear()
    cli.reset_app()
    assert f"Rate table in use: KRAV_RATES_FILE ({table.resolve()})" in run(krav, "rates")
    result = krav.invoke(cli.app, ["rates", "load", str(table)])
    assert result.exit_code == 1
    assert "KRAV_RATES_FILE is set" in result.output
