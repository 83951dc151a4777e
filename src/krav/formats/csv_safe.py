"""CSV that a spreadsheet opens as data, never as formulas: every CSV Krav writes goes through :func:`safe_writer`.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (also after blanks), or with a tab, CR or LF, may be a
formula to Excel and LibreOffice: a debtor named ``=HYPERLINK("http://x","y")`` would be a link in the creditor's
settlement report, ``+cmd|' /C calc'!A0`` a command (OWASP "CSV injection"). Such a cell gets a leading ``'``,
which the spreadsheet shows as text and hides. Plain numbers keep their sign: ``-1 234,50`` and ``-12.5`` are
numbers, not formulas, and stay as written so that sums still work.

>>> safe_cell('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> safe_cell("-1 234,50"), safe_cell("-2+3"), safe_cell(1001)
('-1 234,50', "'-2+3", '1001')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["FORMULA_START", "is_plain_number", "safe_cell", "safe_writer"]

#: What a spreadsheet reads as the start of a formula (OWASP: ``=``, ``+``, ``-``, ``@``, tab, CR), and LF.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

# a sign, digits in groups of a space or no-break space (1 234,50) or none, and one decimal comma or point
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,3}([ \u00a0]\d{3})*([.,]\d+)?|[+-]?\d+([.,]\d+)?")


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a number and nothing else (``-1 234,50``, ``+12.5``, ``1001``)."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def safe_cell(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet takes for a formula (``None`` is the empty cell)."""
    text = "" if value is None else str(value)
    formula = text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
    if formula and not is_plain_number(text):
        return "'" + text
    return text


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeWriter:
    """A ``csv.writer`` whose every cell passes :func:`safe_cell` first."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: Any, **options: Any) -> SafeWriter:
    """``csv.writer(out, **options)`` that neutralises formula-leading cells (see the module docstring)."""
    return SafeWriter(csv.writer(out, **options))
