"""Lists as a Norwegian spreadsheet reads them: CSV with decimal commas and dd.mm.åååå, XLSX with numbers and
dates in Norwegian formats, and never a formula from a name."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.domain.money import Money, parse_decimal
from krav.formats.spreadsheet import AMOUNT_FORMAT, DATE_FORMAT, Sheet, sheet_csv, sheet_xlsx

SHEET = Sheet(
    "claims",
    ("invoice", "debtor", "due", "principal", "fee", "letters", "paused", "closed"),
    (
        ("1001", "Ola Nordmann", date(2025, 3, 14), Money.of("12345.5"), Decimal("35"), 2, False, None),
        ("1002", '=HYPERLINK("http://x","y")', date(2025, 12, 1), Money.of("-1000"), Decimal("0.00"), 0, True, "paid"),
    ),
)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the mark that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_has_semicolons_decimal_commas_without_separators_and_norwegian_dates() -> None:
    data = sheet_csv(SHEET)
    assert b"\r\n" in data
    assert csv_rows(data) == [
        ["invoice", "debtor", "due", "principal", "fee", "letters", "paused", "closed"],
        ["1001", "Ola Nordmann", "14.03.2025", "12345,50", "35,00", "2", "nei", ""],
        ["1002", '\'=HYPERLINK("http://x","y")', "01.12.2025", "-1000,00", "0,00", "0", "ja", "paid"],
    ]


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_a_csv_amount_reads_back_to_the_same_amount(ore: int) -> None:
    money = Money.from_ore(ore)
    (_, (cell,)) = csv_rows(sheet_csv(Sheet("s", ("amount",), ((money,),))))
    assert parse_decimal(cell) == money.amount


def test_xlsx_has_amounts_as_numbers_in_the_norwegian_amount_format_and_dates_as_dates() -> None:
    book = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(SHEET)))
    ws = book["claims"]
    assert [c.value for c in ws[1]] == list(SHEET.headers)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    invoice, _debtor, due, principal, fee, letters, paused, closed = ws[2]
    assert (invoice.value, invoice.data_type) == ("1001", "s")  # a number of the creditor's stays text
    assert (due.value.date(), due.is_date, due.number_format) == (date(2025, 3, 14), True, DATE_FORMAT)
    assert (Decimal(str(principal.value)), principal.data_type, principal.number_format) == (
        Decimal("12345.50"),
        "n",
        AMOUNT_FORMAT,
    )
    assert (Decimal(str(fee.value)), fee.number_format) == (Decimal("35"), AMOUNT_FORMAT)
    assert (letters.value, paused.value, closed.value) == (2, "nei", None)
    assert Decimal(str(ws["D3"].value)) == Decimal("-1000")


def test_xlsx_writes_a_formula_like_name_as_text_never_as_a_formula() -> None:
    book = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(SHEET)))
    cell = book["claims"]["B3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")


def test_xlsx_drops_control_characters_and_makes_a_sheet_name_excel_takes() -> None:
    sheet = Sheet("unmatched payments: [all]/x", ("payer",), (("Ola\x01 Nordmann",),))
    book = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(sheet)))
    assert book.sheetnames == ["unmatched payments_ _all__x"]
    assert book.active is not None
    assert book.active["A2"].value == "Ola Nordmann"


def test_a_row_with_more_or_fewer_cells_than_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells for 2 columns"):
        Sheet("s", ("a", "b"), (("x",),))
