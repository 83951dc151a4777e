"""CSV that a spreadsheet opens as data (OWASP CSV injection): krav.formats.csv_safe."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from krav.domain.money import Money, format_amount
from krav.formats.csv_safe import FORMULA_START, is_plain_number, safe_cell, safe_writer


def _runs_as_formula(cell: str) -> bool:
    """What a spreadsheet may take for a formula: a formula character first (after blanks too), or a tab/CR/LF."""
    return cell.startswith(FORMULA_START) or cell.lstrip().startswith(FORMULA_START)


def test_the_payloads_of_owasp_are_written_as_text() -> None:
    for payload in ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "=1+1"):
        assert safe_cell(payload) == "'" + payload
    assert safe_cell("\t=1+1") == "'\t=1+1"
    assert safe_cell("  =1+1") == "'  =1+1"


def test_plain_numbers_names_and_empty_cells_are_left_alone() -> None:
    for cell in ("-1 234,50", "-12.5", "+47", "1001", "Ola Nordmann", "", "2025-04-01", "O'Brien"):
        assert safe_cell(cell) == cell
    assert safe_cell(None) == ""
    assert safe_cell(-12) == "-12"


def test_a_row_written_and_read_back_keeps_numbers_and_neutralises_formulas() -> None:
    out = io.StringIO()
    safe_writer(out, delimiter=";").writerow(["=1+1", "-1 234,50", 'a;"b"', None])
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == ["'=1+1", "-1 234,50", 'a;"b"', ""]


@given(st.text())
def test_no_cell_that_may_run_as_a_formula_gets_through_unless_it_is_a_plain_number(text: str) -> None:
    cell = safe_cell(text)
    assert not _runs_as_formula(cell) or is_plain_number(cell)
    assert cell in (text, "'" + text)  # the value itself is never changed, at most marked as text


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_as_krav_writes_them_stay_numbers(amount: Decimal) -> None:
    for written in (format_amount(Money.of(amount)), f"{amount:.2f}", f"{amount:.2f}".replace(".", ",")):
        assert safe_cell(written) == written


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_whole_numbers_stay_numbers(number: int) -> None:
    assert safe_cell(number) == str(number)
