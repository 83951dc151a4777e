"""The flow of a letter: its text in paragraphs, the table of claims with its sums, and the payment box.

Each is cut into pieces (:class:`~krav.adapters.pdf.layout.Piece`) that :func:`~krav.adapters.pdf.layout.paginate`
spreads over the pages; the table heading is repeated on every page the table continues on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from krav.adapters.pdf import layout
from krav.adapters.pdf.layout import LEFT_MM, MM, RIGHT_MM, Column, Draw, Pen, Piece, wrap
from krav.adapters.pdf.letter_context import LetterSums
from krav.adapters.pdf.texts import Block, clean, format_account, format_date, format_rate
from krav.domain.collection.letters import Letter, LetterLine, LetterType
from krav.domain.kid import check_kid
from krav.domain.money import format_amount

__all__ = [
    "BODY_LEADING",
    "BODY_SIZE",
    "PARAGRAPH_GAP",
    "ROW_HEIGHT",
    "TABLE_HEADING_SIZE",
    "TABLE_SIZE",
    "table_pieces",
    "text_pieces",
]

BODY_SIZE = 9.5
BODY_LEADING = 11.8 / MM  # in mm
PARAGRAPH_GAP = 1.9
TABLE_SIZE = 8.5
TABLE_HEADING_SIZE = 7.5
ROW_HEIGHT = 4.2

# table columns: key, relative width (mm before scaling to the text width), alignment
_COLUMNS = {
    "invoice": (19.0, "left"),
    "invoice_date": (16.5, "left"),
    "due_date": (16.5, "left"),
    "interest_from": (16.5, "left"),
    "interest_rate": (12.0, "right"),
    "principal": (20.0, "right"),
    "fee": (15.0, "right"),
    "interest": (16.0, "right"),
    "salaer": (17.0, "right"),
    "line_total": (21.5, "right"),
}
_SALAER_LETTERS = frozenset({LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE})


def text_pieces(blocks: Sequence[Block]) -> list[Piece]:
    """The rendered template as pieces: the title, headings, and paragraphs and bullets wrapped to lines."""
    pieces: list[Piece] = []
    room = (RIGHT_MM - LEFT_MM) * MM
    left = LEFT_MM * MM
    leading = BODY_LEADING * MM
    for block in blocks:
        if block.kind == "title":
            pieces.append(Piece(11 * MM, _title_drawer(block.text), keep_with_next=True))
        elif block.kind == "heading":
            pieces.append(
                Piece(
                    6.5 * MM, _line_drawer(left, block.text, 10.5, True, 2.2 * MM + 0.75 * leading), keep_with_next=True
                )
            )
        else:
            bold = block.kind == "bold"
            bullet = block.kind == "bullet"
            indent = 4.5 * MM if bullet else 0.0
            font, shown = layout.font_for(block.text, bold)
            lines = wrap(shown, font, BODY_SIZE, room - indent)
            for index, line in enumerate(lines):
                last = index == len(lines) - 1
                height = (
                    leading
                    + (PARAGRAPH_GAP * MM if last and not bullet else 0.0)
                    + (0.8 * MM if last and bullet else 0.0)
                )
                marker = "•" if bullet and index == 0 else ""
                pieces.append(Piece(height, _body_drawer(left, indent, line, bold, marker)))
    return pieces


def _title_drawer(text: str) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        pen.text(LEFT_MM * MM, y - 7 * MM, text, 15, bold=True, room=(RIGHT_MM - LEFT_MM) * MM)

    return draw


def _line_drawer(x: float, text: str, size: float, bold: bool, drop: float) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        pen.text(x, y - drop, text, size, bold=bold, room=(RIGHT_MM - LEFT_MM) * MM)

    return draw


def _body_drawer(left: float, indent: float, line: str, bold: bool, marker: str) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        baseline = y - 0.75 * BODY_LEADING * MM
        if marker:
            pen.text(left + 1 * MM, baseline, marker, BODY_SIZE)
        pen.text(left + indent, baseline, line, BODY_SIZE, bold=bold)

    return draw


def _columns(letter: Letter, sums: LetterSums) -> list[Column]:
    keys = ["invoice", "invoice_date", "due_date"]
    if any(line.interest_rate is not None for line in letter.lines):
        keys += ["interest_from", "interest_rate"]
    keys += ["principal", "fee", "interest"]
    if letter.type in _SALAER_LETTERS or not sums.salaer.is_zero():
        keys.append("salaer")
    keys.append("line_total")
    return layout.columns([(key, *_COLUMNS[key]) for key in keys], LEFT_MM * MM, RIGHT_MM * MM)


def _cells(line: LetterLine) -> dict[str, str]:
    return {
        "invoice": clean(line.invoice_number, 40),
        "invoice_date": format_date(line.invoice_date),
        "due_date": format_date(line.due_date),
        "interest_from": format_date(line.interest_from) if line.interest_from else "",
        "interest_rate": f"{format_rate(line.interest_rate)} %" if line.interest_rate is not None else "",
        "principal": format_amount(line.principal),
        "fee": format_amount(line.fee),
        "interest": format_amount(line.interest),
        "salaer": format_amount(line.salaer),
        "line_total": format_amount(line.total),
    }


def table_pieces(letter: Letter, labels: Mapping[str, str], sums: LetterSums) -> tuple[Piece, list[Piece]]:
    """The table heading (repeated on each next page), and the pieces of the table: heading, a row per claim,
    the sums and, on a letter that asks for money, the payment box."""
    columns = _columns(letter, sums)
    left, right = LEFT_MM * MM, RIGHT_MM * MM

    def heading(pen: Pen, y: float) -> None:
        baseline = y - 4.2 * MM
        for column in columns:
            column.draw(pen, baseline, labels[column.key], TABLE_HEADING_SIZE, bold=True)
        pen.rule(left, y - 5.6 * MM, right, 0.6)

    heading_piece = Piece(6.4 * MM, heading, keep_with_next=True)
    pieces = [Piece(2 * MM, _nothing), heading_piece]
    for line in letter.lines:
        pieces.append(Piece(ROW_HEIGHT * MM, _row_drawer(columns, _cells(line)), row=True))

    totals = {
        "invoice": labels["sum"],
        "principal": format_amount(sums.principal),
        "fee": format_amount(sums.fee),
        "interest": format_amount(sums.interest),
        "salaer": format_amount(sums.salaer),
        "line_total": format_amount(sums.total),
    }
    demanding = letter.asks_for_payment

    def sum_row(pen: Pen, y: float) -> None:
        pen.rule(left, y - 0.8 * MM, right, 0.6)
        baseline = y - 4.8 * MM
        for column in columns:
            column.draw(pen, baseline, totals.get(column.key, ""), TABLE_SIZE, bold=True)

    pieces.append(Piece(6.5 * MM, sum_row, row=True, keep_with_next=demanding))
    if demanding:
        pieces.append(Piece(20 * MM, _payment_drawer(letter, labels, sums)))
    return heading_piece, pieces


def _row_drawer(columns: Sequence[Column], cells: Mapping[str, str]) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        baseline = y - 3.1 * MM
        for column in columns:
            column.draw(pen, baseline, cells[column.key], TABLE_SIZE)

    return draw


def _payment_drawer(letter: Letter, labels: Mapping[str, str], sums: LetterSums) -> Draw:
    currency = labels.get("currency_short", "kr") if sums.total.currency == "NOK" else sums.total.currency
    cells = (
        (labels["amount_due"], f"{format_amount(sums.total)} {currency}", 42.0),
        (labels["deadline"], format_date(letter.deadline) if letter.deadline else "", 36.0),
        (labels["account"], format_account(letter.account or ""), 40.0),
        (labels["kid"], check_kid(letter.kid or "", field="kid"), 52.0),
    )

    def draw(pen: Pen, y: float) -> None:
        box_top = y - 3 * MM
        height = 16 * MM
        pen.box(LEFT_MM * MM, box_top, (RIGHT_MM - LEFT_MM) * MM, height, 1.0)
        x = LEFT_MM * MM
        for index, (label, value, cell_mm) in enumerate(cells):
            if index:
                pen.canvas.setLineWidth(0.4)
                pen.canvas.line(x, box_top, x, box_top - height)
            pen.text(x + 2.5 * MM, box_top - 5 * MM, label, 7.5)
            pen.text(x + 2.5 * MM, box_top - 11.5 * MM, value, 11.5, bold=True, room=(cell_mm - 4) * MM, shrink=True)
            x += cell_mm * MM

    return draw


def _nothing(pen: Pen, y: float) -> None:
    return None
