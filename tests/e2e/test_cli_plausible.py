"""Plausibility at the command line: each refusal names the field, exits 2 and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from tests.e2e.runner import run

ORGNO = "974760673"


def _company(krav: CliRunner) -> None:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")


def test_a_company_name_with_a_line_break_is_refused_at_create_and_at_set(krav: CliRunner) -> None:
    out = run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS\r\nBcc: x@example.com", code=2)
    assert "name: has a control character (CR, U+000D)" in out
    assert json.loads(run(krav, "company", "list", "--json")) == []
    _company(krav)
    out = run(krav, "company", "set", "--orgno", ORGNO, "--name", "Eksempel\nAS", code=2)
    assert "name: has a control character (LF, U+000A)" in out
    assert [c["name"] for c in json.loads(run(krav, "company", "list", "--json"))] == ["Eksempel AS"]


def test_a_payment_of_ten_to_the_seventeen_or_dated_year_1_is_refused(krav: CliRunner, tmp_path: Path) -> None:
    _company(krav)
    invoices = tmp_path / "fakturaer.csv"
    invoices.write_text("number;customer;invoice_date;amount\n1001;10001;2025-03-01;1000\n", "utf-8")
    customers = tmp_path / "kunder.csv"
    customers.write_text("number;name\n10001;Ola Nordmann\n", "utf-8")
    run(krav, "import", "customers", str(customers), "--company", ORGNO)
    run(krav, "import", "invoices", str(invoices), "--company", ORGNO)
    out = run(krav, "ledger", "pay", "--company", ORGNO, "1001", "100000000000000000", "--date", "2025-04-01", code=2)
    assert "amount: 100000000000000000.00 is more than the 100 000 000 000,00 Krav takes" in out
    out = run(krav, "ledger", "pay", "--company", ORGNO, "1001", "1E+3", "--date", "2025-04-01", code=2)
    assert "amount: '1E+3' is not an amount" in out
    out = run(krav, "ledger", "pay", "--company", ORGNO, "1001", "100", "--date", "0001-01-01", code=2)
    assert "--date: 0001-01-01 is not a plausible date" in out
    items = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--json"))
    assert [(i["number"], i["remaining"]) for i in items] == [("1001", "1000.00")]


def test_a_file_over_the_configured_size_is_refused_naming_its_size_before_it_is_read(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KRAV_MAX_FILE_MB", "1")
    get_settings.cache_clear()
    _company(krav)
    big = tmp_path / "stor.xml"
    big.write_bytes(b" " * (2 * 1024 * 1024))
    out = run(krav, "import", "saft", str(big), "--company", ORGNO, code=2)
    assert f"{big}: the file is 2.0 MB; Krav reads files of at most 1.0 MB" in out
    out = run(krav, "import", "payments", str(big), code=2)
    assert "the file is 2.0 MB" in out
