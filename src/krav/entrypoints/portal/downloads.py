"""Files to download from the portal's lists and reports: a :class:`~krav.services.exports.Sheet` as CSV for a
Norwegian spreadsheet (UTF-8 with a BOM, ``;`` between fields, amounts with a decimal comma, dates as
dd.mm.åååå) or as an Excel workbook (amounts as numbers, dates as dates) — the files ``--csv`` and ``--xlsx``
write on the command line."""

from __future__ import annotations

from fastapi import Response

from krav.domain.errors import NotFound
from krav.services.exports import Sheet, SheetFormat, sheet_bytes

_MEDIA = {
    SheetFormat.CSV: "text/csv; charset=utf-8",
    SheetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sheet_format(suffix: str) -> SheetFormat:
    """The format a file's suffix asks for (``csv`` or ``xlsx``); NotFound for another."""
    try:
        return SheetFormat(suffix)
    except ValueError:
        raise NotFound(f"no file of type {suffix!r}: csv or xlsx") from None


def sheet_file(sheet: Sheet, kind: SheetFormat, name: str) -> Response:
    """The sheet as a file named ``name`` with the format's suffix, to download."""
    return Response(
        sheet_bytes(sheet, kind),
        media_type=_MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind.value}"'},
    )
