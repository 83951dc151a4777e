"""Running a `krav` command in tests: its output, after checking its exit code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from krav.entrypoints import cli


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(cli.app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def import_ola_and_kari(runner: CliRunner, tmp_path: Path, orgno: str) -> None:
    """Two debtors of ``orgno`` from CSV — Ola Nordmann (10001, who gave his e-mail for letters) and Kari Nordmann
    (20001, no e-mail) — with one invoice each, 1001 of 1 000,00 and 2001 of 800,00, due 14 March 2025."""
    customers = tmp_path / "kunder.csv"
    customers.write_text(
        "number;name;street;postcode;city;email;email_for_letters\n"
        "10001;Ola Nordmann;Storgata 1;0155;Oslo;ola@example.no;ja\n"
        "20001;Kari Nordmann;Kirkegata 2;7011;Trondheim;;\n",
        "utf-8",
    )
    run(runner, "import", "customers", str(customers), "--company", orgno)
    invoices = tmp_path / "fakturaer.csv"
    invoices.write_text(
        "number;customer;invoice_date;due_date;amount\n"
        "1001;10001;2025-02-28;2025-03-14;1 000,00\n"
        "2001;20001;2025-02-28;2025-03-14;800,00\n",
        "utf-8",
    )
    run(runner, "import", "invoices", str(invoices), "--company", orgno)
