"""Lists as files for a spreadsheet: what the list commands write with ``--csv`` and ``--xlsx``.

The faces build a :class:`Sheet` of what they list (claims, ledger items, letters, unmatched payments) and get
its bytes here; :mod:`krav.formats.spreadsheet` writes them (amounts as numbers and dates as dates for a
Norwegian Excel, and no cell a spreadsheet would take for a formula).
"""

from __future__ import annotations

from enum import Enum

from krav.formats.spreadsheet import Cell, Sheet, sheet_csv, sheet_xlsx

__all__ = ["Cell", "Sheet", "SheetFormat", "sheet_bytes"]


class SheetFormat(Enum):
    """The files a list is written as, by their usual suffix."""

    CSV = "csv"
    XLSX = "xlsx"


def sheet_bytes(sheet: Sheet, kind: SheetFormat) -> bytes:
    """The sheet as a CSV file (``;``, UTF-8 with BOM, decimal comma) or an Excel workbook."""
    return sheet_csv(sheet) if kind is SheetFormat.CSV else sheet_xlsx(sheet)
