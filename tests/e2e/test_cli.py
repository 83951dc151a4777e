"""The `krav` command line end to end, on a fresh SQLite database per test."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from krav.entrypoints import cli
from tests.e2e.runner import run

SAFT = "ExampleFile SAF-T Financial_888888888_20180228235959.xml"


def test_a_user_creates_a_company_imports_saft_and_lists_the_open_items(krav: CliRunner, fixtures_dir: Path) -> None:
    assert "database ready" in run(krav, "init")
    out = run(krav, "import", "saft", str(fixtures_dir / "saft" / SAFT), "--company", "888888888")
    assert "4 open item(s) imported" in out
    items = json.loads(run(krav, "ledger", "items", "--company", "888888888", "--json"))
    assert sorted(i["number"] for i in items) == ["1011-3", "1041", "1054", "78"]
    assert "nothing changed" in run(krav, "import", "saft", str(fixtures_dir / "saft" / SAFT), "--company", "888888888")
    balance = run(krav, "ledger", "balance", "--company", "888888888")
    assert "1500   Kundefordringer" in balance  # the accounts with their names
    assert "sum of every account: 0,00 NOK" in balance
    assert "customer sub-ledger: 3 customer(s)' open items held against account 1500 Kundefordringer" in balance
    assert balance.strip().endswith("balanced")


def test_posting_a_voucher_file_and_matching_by_hand(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS", "--account", "86011117947")
    customers = tmp_path / "kunder.csv"
    customers.write_text("number;name;street;postcode;city\n10001;Ola Nordmann;Storgata 1;0155;Oslo\n", "utf-8")
    run(krav, "import", "customers", str(customers), "--company", "974760673")
    vouchers = tmp_path / "bilag.json"
    vouchers.write_text(
        json.dumps(
            {
                "vouchers": [
                    {
                        "type": 11,
                        "date": "2025-03-01",
                        "lines": [
                            {
                                "account": "1500",
                                "amount": "1000.00",
                                "customer": "10001",
                                "item": "1001",
                                "due_date": "2025-03-15",
                            },
                            {"account": "3000", "amount": "-1000.00"},
                        ],
                    },
                    {
                        "type": 1,
                        "date": "2025-03-20",
                        "lines": [
                            {"account": "1920", "amount": 1000.00},
                            {"account": "1500", "amount": "-1000.00", "customer": "10001"},
                        ],
                    },
                ]
            }
        ),
        "utf-8",
    )
    assert "posted 2 voucher(s): 1, 2" in run(krav, "ledger", "post", str(vouchers), "--company", "974760673")
    items = json.loads(run(krav, "ledger", "items", "--company", "974760673", "--json"))
    ids = [str(i["id"]) for i in items]
    out = run(
        krav, "ledger", "match", "--company", "974760673", "--items", ids[0], "--items", ids[1], "--date", "2025-03-21"
    )
    assert "matched 1 000,00" in out
    assert json.loads(run(krav, "ledger", "items", "--company", "974760673", "--json")) == []


def test_bad_input_exits_2_with_the_file_line_and_field(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS")
    vouchers = tmp_path / "bilag.json"
    vouchers.write_text('{"vouchers": [{"type": 1, "date": "2025-13-01", "lines": []}]}', "utf-8")
    result = krav.invoke(cli.app, ["ledger", "post", str(vouchers), "--company", "974760673"])
    assert result.exit_code == 2
    assert "bilag.json, voucher 1: date: '2025-13-01' is not a date" in result.output
    result = krav.invoke(cli.app, ["company", "create", "--orgno", "123456789", "--name", "Feil AS"])
    assert result.exit_code == 2
    assert "not a valid Norwegian organisation number" in result.output


def test_an_unbalanced_voucher_exits_1_and_posts_nothing(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS")
    vouchers = tmp_path / "bilag.json"
    vouchers.write_text(
        '{"type": 1, "date": "2025-03-01", "lines": [{"account": "1920", "amount": "10"}, '
        '{"account": "3000", "amount": "-9"}]}',
        "utf-8",
    )
    result = krav.invoke(cli.app, ["ledger", "post", str(vouchers), "--company", "974760673"])
    assert result.exit_code == 1
    assert "sum to 1.00, not 0.00" in result.output
    assert json.loads(run(krav, "ledger", "balance", "--company", "974760673", "--json"))["accounts"] == {}


def test_an_unknown_company_is_named_with_the_database_it_was_looked_for_in(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "init")
    result = krav.invoke(cli.app, ["ledger", "items", "--company", "974760673"])
    assert result.exit_code == 1
    assert "no company with organisation number 974760673" in result.output
    assert f"looked in sqlite:///{tmp_path / 'home' / 'krav.sqlite3'}" in result.output
    as_json = krav.invoke(cli.app, ["ledger", "items", "--company", "974760673", "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["error"]["code"] == "not_found"


def test_a_command_on_a_home_without_a_database_says_where_it_looked_and_creates_nothing(
    krav: CliRunner, tmp_path: Path
) -> None:
    """A forgotten KRAV_HOME: the command names the database it did not find, and leaves no empty one behind."""
    home = tmp_path / "home"
    for command in (["ledger", "items", "--company", "974760673"], ["claims", "list", "--company", "974760673"]):
        result = krav.invoke(cli.app, command)
        assert result.exit_code == 1, result.output
        assert f"no Krav database at {home / 'krav.sqlite3'}" in result.output
        assert "krav init" in result.output
    assert not (home / "krav.sqlite3").exists()


def test_dates_are_taken_as_norwegians_write_them_and_as_iso(krav: CliRunner) -> None:
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS")
    norwegian = json.loads(run(krav, "proposal", "--company", "974760673", "--date", "1.4.2025", "--json"))
    iso = json.loads(run(krav, "proposal", "--company", "974760673", "--date", "2025-04-01", "--json"))
    assert norwegian == iso
    bad = krav.invoke(cli.app, ["proposal", "--company", "974760673", "--date", "31.02.2025", "--json"])
    assert bad.exit_code == 2
    assert json.loads(bad.stdout) == {
        "error": {
            "code": "invalid_input",
            "message": "--date: '31.02.2025' is not a date (dd.mm.åååå or YYYY-MM-DD)",
            "exit_code": 2,
        }
    }


def test_krav_says_its_version(krav: CliRunner) -> None:
    assert run(krav, "--version").startswith("krav ")


def test_the_demo_loads_a_creditor_with_customers_and_overdue_items(krav: CliRunner) -> None:
    out = run(krav, "demo", "--date", "2025-06-02")
    assert "loaded the demo creditor" in out
    assert "Open items on 02.06.2025" in out
    again = run(krav, "demo", "--date", "2025-06-02")
    assert "loaded the demo creditor" not in again


def test_a_company_gets_its_bank_account_later_and_a_bad_one_is_refused(krav: CliRunner) -> None:
    run(krav, "company", "create", "--orgno", "974760673", "--name", "Eksempel AS")
    result = krav.invoke(cli.app, ["company", "set", "--orgno", "974760673", "--account", "86011117940"])
    assert result.exit_code == 2
    assert "not a valid Norwegian bank account number" in result.output
    run(krav, "company", "set", "--orgno", "974760673", "--account", "8601 11 17947", "--city", "Oslo")
    companies = json.loads(run(krav, "company", "list", "--json"))
    assert companies[0]["bank_account"] == "86011117947"
    assert companies[0]["address"]["city"] == "Oslo"


def test_company_commands_take_company_as_every_other_command_does_and_imports_report_norwegian_formats(
    krav: CliRunner, tmp_path: Path
) -> None:
    assert "created company 974760673" in run(krav, "company", "create", "--company", "974760673", "--name", "X AS")
    assert "updated company 974760673" in run(krav, "company", "set", "-c", "974760673", "--city", "Oslo")
    customers = tmp_path / "kunder.csv"
    customers.write_text("number;name;street;postcode;city\n10001;Ola Nordmann;Storgata 1;0155;Oslo\n", "utf-8")
    run(krav, "import", "customers", str(customers), "--company", "974760673")
    invoices = tmp_path / "fakturaer.csv"
    invoices.write_text("number;customer;invoice_date;due_date;amount\n1001;10001;2025-02-14;2025-02-28;1250.5\n")
    out = run(krav, "import", "invoices", str(invoices), "--company", "974760673")
    assert "14.02.2025  28.02.2025  1 250,50   1 250,50" in out
    assert "2025-02-14" not in out
