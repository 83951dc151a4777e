"""CSV as Norwegian systems write it: the encoding, the delimiter and the column names of a file to import.

Norwegian ERPs and spreadsheets write CSV in more than one way, and Krav reads the ways that are common:

- **encoding**: UTF-8, with or without a byte-order mark (Excel: *CSV UTF-8*), or Windows-1252 (Excel:
  *CSV (semikolondelt)*, and most older Norwegian systems). A file is decoded as UTF-8 first; only a file that is
  not valid UTF-8 is read as Windows-1252. A file with a UTF-8 byte-order mark is UTF-8 or refused, and UTF-16
  (Excel: *Unicode-tekst*) is refused with what to do instead;
- **delimiter**: ``;``, ``,`` or a tab, whichever the header line holds most of (``;`` on a tie). With ``,`` a
  Norwegian amount such as ``1 250,00`` must be in double quotes;
- **column names**: each file's columns have other names, as :class:`Columns` lists them (``Kundenr``,
  ``Fakturadato``, ``Beløp`` …). A name is matched without regard to case or surrounding spaces. It is a table,
  not a guess: a name that is neither a column nor one of its other names refuses the file, naming it.

Every problem names the file, the line and the column as the file names it.

>>> cp1252 = "Kundenr\\tNavn\\n1001\\tBjørn Ærlig\\n".encode("cp1252")
>>> sniff(cp1252, filename="kunder.txt")
Dialect(encoding='Windows-1252', bom=False, delimiter='\\t')
>>> columns = Columns(("number", "name"), ("number",), {"kundenr": "number", "navn": "name"})
>>> [row.values for row in read_rows(cp1252, "kunder.txt", columns)]
[{'number': '1001', 'name': 'Bjørn Ærlig'}]
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from krav.domain.errors import FieldError, FileFormatError, ImportRefused, Problem

__all__ = ["CP1252", "UTF8", "Columns", "Dialect", "Row", "header_key", "read_rows", "sniff"]

UTF8 = "UTF-8"
CP1252 = "Windows-1252"
DELIMITERS = (";", "\t", ",")  # in this order on a tie
DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}

# æ, ø, å, Æ, Ø, Å as UTF-8: a file holding them beside bytes that are not UTF-8 is two files pasted together or
# damaged, and as Windows-1252 it would read "Ã¸" where the creditor wrote "ø"
_UTF8_NORWEGIAN = re.compile(b"|".join(re.escape(c.encode()) for c in "æøåÆØÅ"))
_SPACES = re.compile(r"\s+")

T = TypeVar("T")


def header_key(name: str) -> str:
    """A column name as it is matched: composed Unicode (a Mac may write ``å`` as ``a`` and a ring), no case,
    no surrounding spaces, inner spaces as one.

    >>> header_key("  Org.nr. "), header_key("Betalingsfrist  (dager)"), header_key("SPRA\\u030aK")
    ('org.nr.', 'betalingsfrist (dager)', 'språk')
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name).strip()).casefold()


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns a file may have, the ones it must have, and their other names (by :func:`header_key`)."""

    names: tuple[str, ...]
    required: tuple[str, ...]
    aliases: Mapping[str, str]

    def column(self, written: str) -> str | None:
        """The column a header names, or None when it names none."""
        key = header_key(written)
        if key in self.names:
            return key
        return self.aliases.get(key)

    def other_names(self, column: str) -> list[str]:
        return [alias for alias, name in self.aliases.items() if name == column]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How a file is written: its encoding (:data:`UTF8` or :data:`CP1252`), whether it starts with a UTF-8
    byte-order mark, and its delimiter."""

    encoding: str
    bom: bool
    delimiter: str

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES[self.delimiter]


def sniff(data: bytes, *, filename: str) -> Dialect:
    """The encoding and the delimiter of a CSV file, as :func:`read_rows` reads it."""
    return _dialect(data, filename)[1]


def _decode(data: bytes, filename: str) -> tuple[str, str, bool]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileFormatError(
            filename,
            "the file is UTF-16 (Excel: Unicode text); save it as CSV UTF-8 or CSV (semicolon-separated)",
            line=1,
        )
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data  # offsets below count in the body, lines alike
    try:
        return body.decode("utf-8"), UTF8, bom
    except UnicodeDecodeError as exc:
        if bom:  # the mark says UTF-8: a byte that is not is damage, not another encoding
            raise _not_decodable(body, exc.start, filename, "not UTF-8 though it starts with a UTF-8 mark") from exc
        utf8_error = exc.start
    mixed = _UTF8_NORWEGIAN.search(data)
    if mixed is not None:
        raise FileFormatError(
            filename,
            f"mixes UTF-8 (line {_line_of(data, mixed.start())}) with bytes that are not UTF-8 (line "
            f"{_line_of(data, utf8_error)}, byte 0x{data[utf8_error]:02x}); save the whole file as CSV UTF-8",
            line=_line_of(data, utf8_error),
        )
    try:
        return data.decode("cp1252"), CP1252, False
    except UnicodeDecodeError as exc:
        raise _not_decodable(data, exc.start, filename, "neither UTF-8 nor Windows-1252") from exc


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _not_decodable(data: bytes, offset: int, filename: str, what: str) -> FileFormatError:
    return FileFormatError(
        filename,
        f"{what} (byte 0x{data[offset]:02x}); save the file as UTF-8 (in Excel: CSV UTF-8)",
        line=_line_of(data, offset),
    )


def _dialect(data: bytes, filename: str) -> tuple[str, Dialect]:
    text, encoding, bom = _decode(data, filename)
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=lambda d: (header.count(d), -DELIMITERS.index(d)))
    return text, Dialect(encoding, bom, delimiter)


class Row:
    """One data row: its values by column, the problems found in it so far, and each column's name as the file
    writes it (a problem names the column the creditor sees)."""

    def __init__(self, filename: str, line: int, values: dict[str, str], names: Mapping[str, str]) -> None:
        self.line = line
        self.where = f"{filename}, line {line}"
        self.values = values
        self.names = names
        self.problems: list[Problem] = []

    def problem(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.where, None if field is None else self.names.get(field, field), message))

    def get(self, column: str) -> str | None:
        value = self.values.get(column, "").strip()
        return value or None

    def text(self, column: str) -> str | None:
        """A required text: reported when empty."""
        text = self.get(column)
        if text is None:
            self.problem(column, "is empty; this column needs a value on every row")
        return text

    def required(self, column: str, read: Callable[[str], T]) -> T | None:
        """A required value: reported when empty or unreadable."""
        text = self.text(column)
        return None if text is None else self._read(column, text, read)

    def field(self, column: str, read: Callable[[str], T], *, default: T) -> T:
        text = self.get(column)
        if text is None:
            return default
        value = self._read(column, text, read)
        return default if value is None else value

    def _read(self, column: str, text: str, read: Callable[[str], T]) -> T | None:
        try:
            return read(text)
        except FieldError as exc:
            self.problem(column, exc.problem)
        except ValueError as exc:
            self.problem(column, str(exc))
        return None


def read_rows(data: bytes, filename: str, columns: Columns) -> list[Row]:
    """The data rows of a CSV file whose first line names its columns (by :attr:`Columns.names` or one of their
    other names); a header that names an unknown column, one twice, or lacks a required one refuses the file."""
    text, dialect = _dialect(data, filename)
    delimiter = dialect.delimiter
    if not text.strip():
        raise FileFormatError(
            filename, f"the file is empty; the first line must name the columns: {', '.join(columns.names)}"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    names: dict[str, str] = {}
    header_at = 0
    rows: list[Row] = []
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not any(field.strip() for field in record):
                continue
            if header is None:
                header_at = start
                header, names = _header(record, f"{filename}, line {start}", columns, filename)
                continue
            row = Row(filename, start, dict(zip(header, record, strict=False)), names)
            if len(record) > len(header) and any(field.strip() for field in record[len(header) :]):
                row.problem(
                    None,
                    f"{len(record)} fields but the header on line {header_at} names {len(header)} columns "
                    f"(is a value with {DELIMITER_NAMES[delimiter]} {delimiter!r} in it missing its quotes?)",
                )
            rows.append(row)
    except csv.Error as exc:
        raise FileFormatError(filename, f"not a readable CSV file: {exc}", line=reader.line_num) from exc
    return rows


def _header(record: Sequence[str], where: str, columns: Columns, filename: str) -> tuple[list[str], dict[str, str]]:
    """The header's columns in order, and the names the file gives the ones it calls otherwise; refuses the file
    with every problem of the header."""
    problems: list[Problem] = []
    header: list[str] = []
    names: dict[str, str] = {}
    for written in record:
        shown = written.strip()
        column = columns.column(written)
        if not shown:
            problems.append(Problem(where, None, "a column has no name"))
        elif column is None:
            problems.append(
                Problem(
                    where,
                    shown,
                    f"unknown column; the columns are: {', '.join(columns.names)} (other names: docs/imports.md)",
                )
            )
        elif column in names or column in header:
            first = names.get(column, column)
            also = "" if header_key(first) == header_key(shown) else f" as {first!r}"
            problems.append(Problem(where, shown, f"column named twice (column {column}, already{also})"))
        elif header_key(shown) != column:
            names[column] = shown
        header.append(column or header_key(written))
    for column in columns.required:
        if column not in header:
            other = columns.other_names(column)
            hint = f" (other names: {', '.join(other)})" if other else ""
            problems.append(Problem(where, column, f"required column is missing from the header{hint}"))
    if problems:
        raise ImportRefused(filename, problems)
    return header, names
