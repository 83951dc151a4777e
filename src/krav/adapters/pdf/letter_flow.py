"""The flow of a letter: its text in paragraphs, the table of claims with its sums, and the payment box.

Each is cut into pieces (:class:`~krav.adapters.pdf.layout.Piece`) that :func:`~krav.adapters.pdf.layout.paginate`
spreads over the pages; the table heading is repeated on every page the table continues on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from krav.adapters.pdf import layout
from krav.adapters.pdf.countries import is_abroad
from krav.adapters.pdf.layout import LEFT_MM, MM, RIGHT_MM, Column, Draw, Pen, Piece, wrap
from krav.adapters.pdf.letter_context import LetterSums, spans_periods
from krav.adapters.pdf.letter_periods import period_pieces
from krav.adapters.pdf.texts import Block, clean, format_account, format_date, format_iban, format_rate
from krav.domain.collection.letters import Letter, LetterLine, LetterType, PaidOnClaim
from krav.domain.kid import check_kid
from krav.domain.money import Money, format_amount

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
    "invoice": (17.0, "left"),
    "invoice_date": (16.0, "left"),
    "due_date": (16.0, "left"),
    "interest_from": (16.0, "left"),
    "interest_rate": (13.0, "right"),
    "paid_on": (16.0, "left"),
    "principal": (19.0, "right"),
    "fee": (14.0, "right"),
    "compensation": (19.0, "right"),
    "interest": (15.0, "right"),
    "salaer": (18.0, "right"),  # room for "Collection fee" when every column is shown
    "overpaid": (15.0, "right"),
    "line_total": (20.0, "right"),
    "paid_total": (20.0, "right"),
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


def _keys(letter: Letter, sums: LetterSums) -> list[str]:
    """The table's columns: what each claim owes; on a paid confirmation what was paid and how it was applied
    (R-CLM-9); on the answer that upholds an objection no amounts at all (R-CLM-15)."""
    if letter.type is LetterType.OBJECTION_ANSWER and letter.deadline is None:
        return ["invoice", "invoice_date", "due_date"]
    paid = sums.paid
    if letter.type is LetterType.PAID_CONFIRMATION and paid is not None:
        keys = ["invoice", "due_date", "paid_on", "principal", "fee"]
        keys += ["compensation"] if paid.compensation.is_positive() else []
        keys += ["interest"]
        keys += ["salaer"] if paid.salaer.is_positive() else []
        keys += ["overpaid"] if paid.overpaid.is_positive() else []
        return [*keys, "paid_total"]
    keys = ["invoice", "invoice_date", "due_date"]
    if any(line.interest_from is not None or line.interest_rate is not None for line in letter.lines):
        keys += ["interest_from", "interest_rate"]
    keys += ["principal", "fee"]
    if sums.compensation.is_positive():
        keys.append("compensation")  # R-CLM-11: never in the fee column
    keys.append("interest")
    if letter.type in _SALAER_LETTERS or not sums.salaer.is_zero():
        keys.append("salaer")
    return [*keys, "line_total"]


def _columns(keys: Sequence[str]) -> list[Column]:
    return layout.columns([(key, *_COLUMNS[key]) for key in keys], LEFT_MM * MM, RIGHT_MM * MM)


def _rate_cell(line: LetterLine, labels: Mapping[str, str]) -> str:
    """The rate the claim's interest was computed at; R-CLM-16: where it spans rates, a pointer to the periods."""
    if line.interest_rate is not None:
        return f"{format_rate(line.interest_rate)} %"
    return labels["rate_periods"] if len(line.interest_periods) > 1 else ""


def _cells(line: LetterLine, labels: Mapping[str, str]) -> dict[str, str]:
    cells = {
        "invoice": clean(line.invoice_number, 40),
        "invoice_date": format_date(line.invoice_date),
        "due_date": format_date(line.due_date),
        "interest_from": format_date(line.interest_from) if line.interest_from else "",
        "interest_rate": _rate_cell(line, labels),
        "principal": format_amount(line.principal),
        "fee": format_amount(line.fee),
        "compensation": format_amount(line.compensation or Money.zero(line.principal.currency)),
        "interest": format_amount(line.interest),
        "salaer": format_amount(line.salaer),
        "line_total": format_amount(line.total),
    }
    if line.paid is not None:
        cells |= _paid_cells(line.paid)
    return cells


def _paid_cells(paid: PaidOnClaim) -> dict[str, str]:
    return {
        "paid_on": format_date(paid.on),
        "principal": format_amount(paid.principal),
        "fee": format_amount(paid.fee),
        "compensation": format_amount(paid.compensation),
        "interest": format_amount(paid.interest),
        "salaer": format_amount(paid.salaer),
        "overpaid": format_amount(paid.overpaid),
        "paid_total": format_amount(paid.total),
    }


def _totals(labels: Mapping[str, str], sums: LetterSums) -> dict[str, str]:
    totals = {
        "invoice": labels["sum"],
        "principal": format_amount(sums.principal),
        "fee": format_amount(sums.fee),
        "compensation": format_amount(sums.compensation),
        "interest": format_amount(sums.interest),
        "salaer": format_amount(sums.salaer),
        "line_total": format_amount(sums.total),
    }
    if sums.paid is not None:
        totals |= _paid_cells(sums.paid) | {"paid_on": ""}
    return totals


def table_pieces(letter: Letter, labels: Mapping[str, str], sums: LetterSums) -> tuple[Piece, list[Piece]]:
    """The table heading (repeated on each next page), and the pieces of the table: heading, a row per claim,
    the sums, the interest per rate period where a claim's interest spans more than one (R-CLM-16) and, on a
    letter that asks for money, the payment box."""
    keys = _keys(letter, sums)
    columns = _columns(keys)
    left, right = LEFT_MM * MM, RIGHT_MM * MM

    def heading(pen: Pen, y: float) -> None:
        baseline = y - 4.2 * MM
        for column in columns:
            column.draw(pen, baseline, labels[column.key], TABLE_HEADING_SIZE, bold=True)
        pen.rule(left, y - 5.6 * MM, right, 0.6)

    heading_piece = Piece(6.4 * MM, heading, keep_with_next=True)
    pieces = [Piece(2 * MM, _nothing), heading_piece]
    for line in letter.lines:
        pieces.append(Piece(ROW_HEIGHT * MM, _row_drawer(columns, _cells(line, labels)), row=True))
    if keys == ["invoice", "invoice_date", "due_date"]:
        return heading_piece, pieces  # no amounts, no sums

    totals = _totals(labels, sums)
    demanding = letter.asks_for_payment
    periods = period_pieces(letter, labels) if spans_periods(letter) else []

    def sum_row(pen: Pen, y: float) -> None:
        pen.rule(left, y - 0.8 * MM, right, 0.6)
        baseline = y - 4.8 * MM
        for column in columns:
            column.draw(pen, baseline, totals.get(column.key, ""), TABLE_SIZE, bold=True)

    pieces.append(Piece(6.5 * MM, sum_row, row=True, keep_with_next=demanding and not periods))
    pieces.extend(periods)
    if demanding:
        abroad = is_abroad(letter.recipient.country)
        pieces.append(Piece((28 if abroad else 20) * MM, _payment_drawer(letter, labels, sums, abroad=abroad)))
    return heading_piece, pieces


def _row_drawer(columns: Sequence[Column], cells: Mapping[str, str]) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        baseline = y - 3.1 * MM
        for column in columns:
            column.draw(pen, baseline, cells[column.key], TABLE_SIZE)

    return draw


def _payment_drawer(letter: Letter, labels: Mapping[str, str], sums: LetterSums, *, abroad: bool) -> Draw:
    """The payment box: amount, deadline, account and KID; for a debtor abroad, the account's IBAN and BIC under
    them (R-SVC-1)."""
    currency = labels.get("currency_short", "kr") if sums.total.currency == "NOK" else sums.total.currency
    cells = (
        (labels["amount_due"], f"{format_amount(sums.total)} {currency}", 42.0),
        (labels["deadline"], format_date(letter.deadline) if letter.deadline else "", 36.0),
        (labels["account"], format_account(letter.account or ""), 40.0),
        (labels["kid"], check_kid(letter.kid or "", field="kid"), 52.0),
    )
    international = _international(letter) if abroad else None

    def draw(pen: Pen, y: float) -> None:
        box_top = y - 3 * MM
        height = 16 * MM
        full = (24 if international else 16) * MM
        pen.box(LEFT_MM * MM, box_top, (RIGHT_MM - LEFT_MM) * MM, full, 1.0)
        x = LEFT_MM * MM
        for index, (label, value, cell_mm) in enumerate(cells):
            if index:
                pen.canvas.setLineWidth(0.4)
                pen.canvas.line(x, box_top, x, box_top - height)
            pen.text(x + 2.5 * MM, box_top - 5 * MM, label, 7.5)
            pen.text(x + 2.5 * MM, box_top - 11.5 * MM, value, 11.5, bold=True, room=(cell_mm - 4) * MM, shrink=True)
            x += cell_mm * MM
        if international:
            pen.rule(LEFT_MM * MM, box_top - height, RIGHT_MM * MM, 0.4)
            iban, bic = international
            text = f"{labels['iban']} {iban} · {labels['bic']} {bic}"
            pen.text(LEFT_MM * MM + 2.5 * MM, box_top - height - 5.5 * MM, text, 10, bold=True, room=165 * MM)

    return draw


def _international(letter: Letter) -> tuple[str, str] | None:
    """The IBAN and BIC to pay from abroad: the service's client account's, when the letter's account is it (a
    creditor's own account has no IBAN in Krav, so none is given)."""
    service = letter.service
    if not service.iban or not service.bic or (letter.account or "") != (service.account or ""):
        return None
    return format_iban(service.iban), clean(service.bic, 11)


def _nothing(pen: Pen, y: float) -> None:
    return None
