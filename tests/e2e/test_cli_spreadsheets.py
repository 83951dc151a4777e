"""CSV as Norwegian systems write it, in and out through the `krav` command line (docs/imports.md, docs/ledger.md):
customers and invoices imported from a Windows-1252 tab-separated file with Norwegian column names, and the
lists of claims, ledger items, letters and unmatched payments written as CSV and XLSX for a Norwegian Excel.

Debtor 10001 (Bjørn) owes invoice 1001, 1 000,00; debtor 20001 (Kari) owes 2001, 12 345,50; both due 14 March
2025. The notices go out on Friday 28 March 2025, deadline 11 April.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from tests.e2e.runner import run

ORGNO = "974760673"
KUNDER = (
    "Kundenr\tKundenavn\tType\tGateadresse\tPostnr\tPoststed\tE-post\tE-post for brev\n"
    "10001\tBjørn Ærlig\tPrivat\tÅsveien 3\t0575\tOslo\tbjorn@example.no\tja\n"
    "20001\tKari Øvrebø\tPrivat\tKirkegata 2\t7011\tTrondheim\t\t\n"
)
FAKTURAER = (
    "Fakturanr\tKundenr\tFakturadato\tForfallsdato\tBeløp\tTekst\n"
    "1001\t10001\t28.02.2025\t14.03.2025\t1 000,00\tRørlegger\n"
    "2001\t20001\t28.02.2025\t14.03.2025\t12 345,50\tTømrer\n"
)


def import_norwegian_files(krav: CliRunner, tmp_path: Path) -> tuple[str, str]:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    kunder, fakturaer = tmp_path / "kunder.txt", tmp_path / "fakturaer.txt"
    kunder.write_bytes(KUNDER.encode("cp1252"))
    fakturaer.write_bytes(FAKTURAER.encode("cp1252"))
    customers = run(krav, "import", "customers", str(kunder), "--company", ORGNO)
    invoices = json.loads(run(krav, "import", "invoices", str(fakturaer), "--company", ORGNO, "--json"))
    assert invoices["extra"] == {"encoding": "Windows-1252", "delimiter": "tab"}
    assert invoices["notes"] == ["read as Windows-1252: the file is not UTF-8"]
    return customers, json.dumps(invoices)


def send_the_notices(krav: CliRunner) -> None:
    run(krav, "agreement", "set", "--company", ORGNO, "collection_list_email=liste@example.no", "--date", "2025-03-01")
    run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-03-01")
    assert "2 inkassovarsel" in run(krav, "run", "--date", "2025-03-28")


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(path: Path, title: str) -> Worksheet:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [title]
    sheet = book[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def column(sheet: Worksheet, name: str) -> list[openpyxl.cell.cell.Cell]:
    headers = [cell.value for cell in sheet[1]]
    return [row[headers.index(name)] for row in sheet.iter_rows(min_row=2)]  # type: ignore[misc]


def amount(cell: openpyxl.cell.cell.Cell) -> Decimal:
    assert cell.data_type == "n"
    assert cell.number_format == "#,##0.00"  # Norwegian Excel shows 12 345,50
    return Decimal(str(cell.value)).quantize(Decimal("0.01"))


def test_a_norwegian_windows_1252_tab_file_imports_customers_and_invoices(krav: CliRunner, tmp_path: Path) -> None:
    customers, _ = import_norwegian_files(krav, tmp_path)
    assert "customers 2 created" in customers
    assert "note: read as Windows-1252: the file is not UTF-8" in customers
    shown = run(krav, "ledger", "customers", "--company", ORGNO)
    assert "Bjørn Ærlig" in shown
    assert "Åsveien 3" in shown
    items = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--json"))
    assert [(i["number"], i["customer"], i["amount"], i["due_date"]) for i in items] == [
        ("1001", "10001", "1000.00", "2025-03-14"),
        ("2001", "20001", "12345.50", "2025-03-14"),
    ]


def test_a_norwegian_file_with_a_wrong_value_is_refused_naming_the_file_line_and_column(
    krav: CliRunner, tmp_path: Path
) -> None:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    kunder = tmp_path / "kunder.txt"
    kunder.write_bytes("Kundenr\tKundenavn\tOrg.nr.\n10001\tBjørn AS\t974760672\n".encode("cp1252"))
    out = run(krav, "import", "customers", str(kunder), "--company", ORGNO, code=2)
    assert "kunder.txt, line 2: Org.nr.: '974760672' is not a valid Norwegian organisation number" in out


def test_the_ledger_items_as_csv_and_xlsx(krav: CliRunner, tmp_path: Path) -> None:
    import_norwegian_files(krav, tmp_path)
    target_csv, target_xlsx = tmp_path / "poster.csv", tmp_path / "poster.xlsx"
    out = run(krav, "ledger", "items", "--company", ORGNO, "--csv", str(target_csv), "--xlsx", str(target_xlsx))
    assert f"wrote {target_csv} (2 row(s), CSV)" in out
    assert f"wrote {target_xlsx} (2 row(s), XLSX)" in out

    rows = read_csv(target_csv)
    assert [(r["number"], r["invoice_date"], r["due_date"], r["amount"], r["remaining"]) for r in rows] == [
        ("1001", "28.02.2025", "14.03.2025", "1000,00", "1000,00"),
        ("2001", "28.02.2025", "14.03.2025", "12345,50", "12345,50"),
    ]
    sheet = read_xlsx(target_xlsx, "items")
    assert [amount(c) for c in column(sheet, "amount")] == [Decimal("1000.00"), Decimal("12345.50")]
    due = column(sheet, "due_date")
    assert [c.value.date() for c in due if c.is_date] == [date(2025, 3, 14)] * 2  # type: ignore[union-attr]
    assert {c.number_format for c in due} == {"dd.mm.yyyy"}
    assert [c.value for c in column(sheet, "number")] == ["1001", "2001"]


def test_claims_and_letters_as_csv_and_xlsx(krav: CliRunner, tmp_path: Path) -> None:
    import_norwegian_files(krav, tmp_path)
    send_the_notices(krav)

    run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-03-28", "--csv", str(tmp_path / "krav.csv"))
    claims = read_csv(tmp_path / "krav.csv")
    assert [(c["invoice"], c["debtor_name"], c["due_date"], c["principal"], c["fee"]) for c in claims] == [
        ("1001", "Bjørn Ærlig", "14.03.2025", "1000,00", "35,00"),
        ("2001", "Kari Øvrebø", "14.03.2025", "12345,50", "35,00"),
    ]
    run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-03-28", "--xlsx", str(tmp_path / "krav.xlsx"))
    sheet = read_xlsx(tmp_path / "krav.xlsx", "claims")
    assert [amount(c) for c in column(sheet, "principal")] == [Decimal("1000.00"), Decimal("12345.50")]
    assert [amount(c) for c in column(sheet, "fee")] == [Decimal("35.00")] * 2

    run(krav, "letters", "list", "--company", ORGNO, "--csv", str(tmp_path / "brev.csv"))
    letters = read_csv(tmp_path / "brev.csv")
    assert [(lt["debtor"], lt["type"], lt["deadline"], lt["invoices"]) for lt in letters] == [
        ("10001", "notice", "11.04.2025", "1001"),
        ("20001", "notice", "11.04.2025", "2001"),
    ]
    assert letters[0]["total"] == "1039,79"  # 1000 + 35.00 fee + 4.79 interest, as the letter says
    run(krav, "letters", "list", "--company", ORGNO, "--xlsx", str(tmp_path / "brev.xlsx"))
    sheet = read_xlsx(tmp_path / "brev.xlsx", "letters")
    assert amount(column(sheet, "total")[0]) == Decimal("1039.79")
    assert [c.number_format for c in column(sheet, "deadline")] == ["dd.mm.yyyy"] * 2


def test_the_unmatched_payments_as_csv_and_xlsx(krav: CliRunner, tmp_path: Path, fixtures_dir: Path) -> None:
    run(krav, "import", "payments", str(fixtures_dir / "ocr" / "netsgiro_ocr_giro_transactions.txt"))
    run(krav, "payments", "unmatched", "--csv", str(tmp_path / "ukjente.csv"), "--xlsx", str(tmp_path / "u.xlsx"))
    rows = read_csv(tmp_path / "ukjente.csv")
    assert len(rows) == 20
    assert sum(Decimal(r["amount"].replace(",", ".")) for r in rows) == Decimal("51449.00")
    assert rows[0]["reason"] == "no letter with KID 0000531"
    sheet = read_xlsx(tmp_path / "u.xlsx", "unmatched payments")
    assert sum(amount(c) for c in column(sheet, "amount")) == Decimal("51449.00")


def test_json_and_a_spreadsheet_file_at_once_are_refused(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    out = run(krav, "payments", "unmatched", "--json", "--csv", str(tmp_path / "x.csv"), code=2)
    assert json.loads(out)["error"]["message"].startswith("--json prints the list")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("option", ["--csv", "--xlsx"])
def test_a_file_that_cannot_be_written_is_an_input_error(krav: CliRunner, tmp_path: Path, option: str) -> None:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    out = run(krav, "payments", "unmatched", option, str(tmp_path / "no-such-folder" / "x"), code=2)
    assert "cannot write the file" in out
