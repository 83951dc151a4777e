"""Lists as a Norwegian spreadsheet reads them: CSV and XLSX with amounts as numbers and dates as dates.

A :class:`Sheet` is a header and rows of typed cells; this module writes it two ways, as bytes:

- :func:`sheet_csv`: ``;``-separated, UTF-8 with a byte-order mark, lines ending CR LF (what Excel set to
  Norwegian opens by a double click). An amount is written with a decimal comma and no thousands separator
  (``12345,50``), which Norwegian Excel reads as a number; a date as ``dd.mm.åååå``. Every cell goes through
  :func:`~krav.formats.csv_safe.safe_writer`, so a name a spreadsheet would take for a formula stays text;
- :func:`sheet_xlsx`: an Excel workbook with one sheet. An amount is a number (the :class:`~decimal.Decimal` to
  the øre, never a float in Krav) shown with the format ``#,##0.00``, which Norwegian Excel displays as
  ``12 345,50``; a date is a date shown as ``dd.mm.yyyy``. Text is always written as text, never as a formula.

>>> sheet = Sheet("claims", ("invoice", "due", "principal"), ((1001, date(2025, 3, 31), Money.of("12345.5")),))
>>> sheet_csv(sheet).decode("utf-8-sig")
'invoice;due;principal\\r\\n1001;31.03.2025;12345,50\\r\\n'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from krav.domain.money import Money
from krav.formats.csv_safe import safe_writer

__all__ = ["AMOUNT_FORMAT", "DATE_FORMAT", "Cell", "Sheet", "sheet_csv", "sheet_xlsx"]

#: A cell: text, a whole number, an amount (:class:`Money` or :class:`Decimal`), a date, yes/no, or empty.
Cell = str | int | bool | Decimal | Money | date | None

#: Excel's code for ``12 345,50`` (a spreadsheet shows the separators of its language).
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "dd.mm.yyyy"

_ORE = Decimal("0.01")
_MAX_TEXT = 32_767  # the most a cell of Excel holds
_BAD_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True, slots=True)
class Sheet:
    """A list to write: its title (the workbook's sheet name), its column names and its rows."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for n, row in enumerate(self.rows, start=1):
            if len(row) != len(self.headers):
                raise ValueError(f"row {n} has {len(row)} cells for {len(self.headers)} columns")


def _amount(value: Decimal | Money) -> Decimal:
    """To the øre, as money is everywhere in Krav (an amount has at most two decimals already)."""
    return (value.amount if isinstance(value, Money) else value).quantize(_ORE)


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, Decimal | Money):
        return f"{_amount(value):.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def sheet_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV for a Norwegian spreadsheet (see the module docstring)."""
    out = io.StringIO()
    writer = safe_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows([_csv_cell(value) for value in row] for row in sheet.rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _widths(sheet: Sheet) -> Sequence[int]:
    """Each column wide enough for its header and its longest cell as CSV writes it (within reason)."""
    widths = [len(h) for h in sheet.headers]
    for row in sheet.rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(_csv_cell(value)) + (3 if isinstance(value, Decimal | Money) else 0))
    return [min(w + 2, 60) for w in widths]


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an Excel workbook (see the module docstring). openpyxl is loaded here, when a workbook is
    made, not by every start of Krav."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.cell.cell import Cell as XlsxCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def xlsx_cell(value: Cell) -> XlsxCell:
        cell = WriteOnlyCell(ws)
        if isinstance(value, bool):
            value = "ja" if value else "nei"
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]
            cell.data_type = "s"  # text stays text: openpyxl would take "=…" for a formula
        elif isinstance(value, Decimal | Money):
            cell.value = _amount(value)  # a number in the file, written from the Decimal: no float on the way
            cell.number_format = AMOUNT_FORMAT
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
        return cell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet.title.translate(_BAD_TITLE)[:31] or "Sheet")
    for i, width in enumerate(_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in sheet.headers:
        cell = xlsx_cell(name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in sheet.rows:
        ws.append([xlsx_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
