"""Letters as PDF: a :class:`~krav.domain.collection.letters.Letter` turned into an A4 page a debtor can read.

What every letter shows: the service's letterhead; the debtor's address in the envelope window; the date, the
customer number and, on letters that ask for money, the deadline; the creditor (oppdragsgiver) with its
organisation number and contact; the letter's text (``templates/<language>/<type>.j2``); a table of the claims
(invoice number, invoice date, due date, principal, fee, interest and, where charged, salær — with the interest
rate and the date it runs from when the letter carries them, as inkassoloven § 10 second paragraph (c, d)
requires of a payment demand); the sums; and a payment box with the total, the deadline, the account number and
the KID. A paid confirmation has neither deadline nor payment box.

Up to about fifteen claims fit on the first page; more continue on the next pages under a repeated table
heading, and the sums and the payment box always come last. The same letter always gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from krav.adapters.pdf import collection_list, layout
from krav.adapters.pdf.collection_list import ListRow
from krav.adapters.pdf.layout import LEFT_MM, MM, RIGHT_MM, Column, Draw, Page, Pen, Piece, paginate, top, wrap
from krav.adapters.pdf.texts import (
    Block,
    LetterTexts,
    clean,
    format_account,
    format_date,
    format_orgno,
    format_rate,
    packaged_texts,
)
from krav.domain.collection.letters import DEMANDING, Letter, LetterLine, LetterType, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.errors import FieldError, FileFormatError
from krav.domain.kid import check_kid
from krav.domain.money import Money, format_amount

# -- where things go on the first page (millimetres from the top-left corner of the A4 sheet) -----------------
#
# The address sits where the window of a C5, C6/5 or DL (E65) window envelope shows it. DIN 5008 form B puts
# the address field 20 mm from the left edge and 45 mm from the top, 85 × 45 mm, matching the DIN 680 window
# (90 × 45 mm, 20 mm from the left, 15 mm from the bottom of a DL envelope); the window envelopes sold in
# Norway have it about 15 mm from the left and 39–44 mm from the top, 30–35 mm high (E6/5: 40 mm and 30 mm).
# The address is drawn inside all of these: from 25 mm to 105 mm across, its lines between 51 and 68 mm down,
# with the return address in small type just above it (DIN 5008's return-address line).
ADDRESS_X = 25.0
ADDRESS_ROOM = 80.0
RETURN_BASELINE = 47.5
ADDRESS_BASELINE = 54.0
ADDRESS_STEP = 4.3
INFO_X = 122.0
INFO_VALUE_X = 147.0
FLOW_TOP_FIRST = 90.0
FLOW_TOP_NEXT = 28.0
FLOW_BOTTOM = 274.0

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


@dataclass(frozen=True, slots=True)
class _Sums:
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    total: Money


class LetterRenderer:
    """Renders letters and collection lists as PDF with one set of texts (the packaged one by default)."""

    def __init__(self, texts: LetterTexts | None = None) -> None:
        self.texts = texts or packaged_texts()

    def render_letter(self, letter: Letter) -> bytes:
        """One letter as a complete PDF."""
        return self.render_letters([letter])

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        """Every letter in one PDF, each starting on a new page (the daily print batch)."""
        if not letters:
            raise FieldError("letters", "nothing to render; give at least one letter")
        laid_out = [self._lay_out(letter) for letter in letters]
        first = laid_out[0]
        buffer = io.BytesIO()
        created = max(letter.sent_on for letter in letters)
        subject = first.title if len(letters) == 1 else f"{len(letters)} letters"
        canvas = layout.new_canvas(
            buffer, created, f"{first.title} {format_date(created)}", first.service_name, subject
        )
        pen = Pen(canvas)
        for item in laid_out:
            item.draw(pen)
        canvas.save()
        return buffer.getvalue()

    def render_settlement_report(self, report: SettlementReport) -> bytes:
        """The settlement report of one bank day (R-BANK-3)."""
        from krav.adapters.pdf.settlement import render_settlement_report

        return render_settlement_report(report)

    def render_collection_list(self, creditor: Sender, list_date: date, rows: Sequence[ListRow]) -> bytes:
        """The collection list of ``creditor`` for ``list_date``, rows in the order given (R-CLM-4)."""
        return collection_list.render_collection_list(creditor, list_date, rows, texts=self.texts)

    def _lay_out(self, letter: Letter) -> _LaidOut:
        _check(letter)
        language = self.texts.language_of(letter.recipient.language)
        labels = self.texts.labels(language)
        sums = _sums(letter)
        blocks = self.texts.render(letter.type.value, language, _context(letter, labels, sums))
        titles = [b.text for b in blocks if b.kind == "title"]
        if not titles:
            raise FileFormatError(f"{language}/{letter.type.value}.j2", "a letter template needs a '# headline' line")
        pieces = _text_pieces(blocks)
        heading, table = _table_pieces(letter, labels, sums)
        pieces.extend(table)
        pages = paginate(pieces, top(FLOW_TOP_FIRST), top(FLOW_TOP_NEXT), top(FLOW_BOTTOM), heading)
        return _LaidOut(letter, labels, titles[0], pages)


@dataclass(frozen=True, slots=True)
class _LaidOut:
    letter: Letter
    labels: Mapping[str, str]
    title: str
    pages: list[Page]

    @property
    def service_name(self) -> str:
        return clean(self.letter.service.name, 80)

    def draw(self, pen: Pen) -> None:
        count = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            if number == 1:
                _draw_first_page_head(pen, self.letter, self.labels)
            else:
                _draw_next_page_head(pen, self.letter, self.labels, self.title)
            for piece, y in page.pieces:
                piece.draw(pen, y)
            _draw_footer(pen, self.letter.service, self.labels, number, count)
            pen.end_page()


# -- checks and numbers -----------------------------------------------------------------------------------------


def _where(letter: Letter) -> str:
    return (
        f"{letter.type.value} letter of {format_date(letter.sent_on)} to customer {clean(letter.recipient.number, 40)}"
    )


def _check(letter: Letter) -> None:
    where = _where(letter)
    if not letter.lines:
        raise FieldError("lines", "a letter needs at least one claim", where=where)
    if letter.type in DEMANDING:
        for field, value in (("deadline", letter.deadline), ("kid", letter.kid), ("account", letter.account)):
            if not value:
                raise FieldError(field, f"a {letter.type.value} letter asks for money and must carry it", where=where)
        format_account(letter.account or "", where=where)
        check_kid(letter.kid or "", where=where, field="kid")


def _sums(letter: Letter) -> _Sums:
    currency = letter.lines[0].principal.currency
    try:
        principal = Money.sum((line.principal for line in letter.lines), currency)
        fee = Money.sum((line.fee for line in letter.lines), currency)
        interest = Money.sum((line.interest for line in letter.lines), currency)
        salaer = Money.sum((line.salaer for line in letter.lines), currency)
    except ValueError as exc:
        raise FieldError(
            "lines", f"the claims of one letter must be in one currency: {exc}", where=_where(letter)
        ) from exc
    return _Sums(principal, fee, interest, salaer, principal + fee + interest + salaer)


def _party(sender: Sender) -> dict[str, str]:
    return {
        "name": clean(sender.name, 100),
        "orgno": format_orgno(sender.orgno),
        "street": clean(sender.street, 80),
        "place": clean(f"{sender.postcode or ''} {sender.city or ''}", 60),
        "phone": clean(sender.phone, 40),
        "email": clean(sender.email, 80),
    }


def _context(letter: Letter, labels: Mapping[str, str], sums: _Sums) -> dict[str, object]:
    """What a template may print: plain, cleaned text and numbers; no domain objects."""
    rates = sorted({line.interest_rate for line in letter.lines if line.interest_rate is not None})
    starts = sorted({line.interest_from for line in letter.lines if line.interest_from is not None})
    currency = sums.total.currency
    return {
        "type": letter.type.value,
        "n": letter.n,
        "sent_on": format_date(letter.sent_on),
        "deadline": format_date(letter.deadline) if letter.deadline else "",
        "kid": check_kid(letter.kid, field="kid") if letter.kid else "",
        "account": format_account(letter.account) if letter.account else "",
        "case_number": clean(letter.case_number, 40),
        "currency": labels.get("currency_word", "kroner") if currency == "NOK" else currency,
        "total": format_amount(sums.total),
        "principal": format_amount(sums.principal),
        "fee": format_amount(sums.fee),
        "interest": format_amount(sums.interest),
        "salaer": format_amount(sums.salaer),
        "has_fee": sums.fee.is_positive(),
        "has_interest": sums.interest.is_positive(),
        "has_salaer": sums.salaer.is_positive(),
        "count": len(letter.lines),
        "invoices": clean(", ".join(clean(line.invoice_number, 40) for line in letter.lines), 240),
        "rates": [format_rate(rate) for rate in rates],
        "interest_from": format_date(starts[0]) if starts else "",
        "creditor": _party(letter.creditor),
        "service": _party(letter.service),
        "recipient": {
            "name": clean(letter.recipient.name, 80),
            "number": clean(letter.recipient.number, 40),
            "business": letter.recipient.kind == "business",
        },
        "consumer": letter.recipient.kind != "business",
    }


# -- the flow: text, table, payment box --------------------------------------------------------------------------


def _text_pieces(blocks: Sequence[Block]) -> list[Piece]:
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


def _columns(letter: Letter, sums: _Sums) -> list[Column]:
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


def _table_pieces(letter: Letter, labels: Mapping[str, str], sums: _Sums) -> tuple[Piece, list[Piece]]:
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
    demanding = letter.type in DEMANDING

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


def _payment_drawer(letter: Letter, labels: Mapping[str, str], sums: _Sums) -> Draw:
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


# -- page furniture -------------------------------------------------------------------------------------------------


def _contact(party: Mapping[str, str], labels: Mapping[str, str]) -> str:
    parts = []
    if party["phone"]:
        parts.append(f"{labels['phone']} {party['phone']}")
    if party["email"]:
        parts.append(party["email"])
    return " · ".join(parts)


def _address_lines(letter: Letter) -> list[str]:
    recipient = letter.recipient
    lines = [
        clean(recipient.name),
        clean(recipient.street, 80),
        clean(f"{recipient.postcode or ''} {recipient.city or ''}", 80),
    ]
    country = clean(recipient.country, 40)
    if country and country.upper() not in ("NO", "NOR", "NORGE", "NORWAY"):
        lines.append(country.upper())
    return [line for line in lines if line]


def _draw_first_page_head(pen: Pen, letter: Letter, labels: Mapping[str, str]) -> None:
    service = _party(letter.service)
    creditor = _party(letter.creditor)
    left = LEFT_MM * MM
    # letterhead: the collection service that writes
    pen.text(left, top(20), service["name"], 13, bold=True, room=95 * MM)
    head = [
        ", ".join(part for part in (service["street"], service["place"]) if part),
        f"{labels['orgno']} {service['orgno']}" if service["orgno"] else "",
        _contact(service, labels),
    ]
    for index, line in enumerate(part for part in head if part):
        pen.text(left, top(25 + 3.7 * index), line, 8, room=95 * MM)

    # the envelope window: return address, then the debtor
    sender = " · ".join(part for part in (service["name"], service["street"], service["place"]) if part)
    pen.text(ADDRESS_X * MM, top(RETURN_BASELINE), sender, 6.5, room=ADDRESS_ROOM * MM)
    for index, line in enumerate(_address_lines(letter)[:4]):
        pen.text(ADDRESS_X * MM, top(ADDRESS_BASELINE + ADDRESS_STEP * index), line, 10, room=ADDRESS_ROOM * MM)

    # the reference box on the right, and the creditor the letter is about
    rows = [(labels["date"], format_date(letter.sent_on), False)]
    rows.append((labels["customer_number"], clean(letter.recipient.number, 40), False))
    if letter.case_number:
        rows.append((labels["case_number"], clean(letter.case_number, 40), False))
    if letter.type in DEMANDING and letter.deadline:
        rows.append((labels["deadline"], format_date(letter.deadline), True))
    value_room = (RIGHT_MM - INFO_VALUE_X) * MM
    for index, (label, value, bold) in enumerate(rows):
        y = top(47 + 4 * index)
        pen.text(INFO_X * MM, y, label, 8.5, bold=bold, room=(INFO_VALUE_X - INFO_X - 1) * MM)
        pen.text(INFO_VALUE_X * MM, y, value, 8.5, bold=bold, room=value_room)
    creditor_lines = [
        (labels["creditor"], True),
        (creditor["name"], True),
        (f"{labels['orgno']} {creditor['orgno']}" if creditor["orgno"] else "", False),
        (", ".join(part for part in (creditor["street"], creditor["place"]) if part), False),
        (_contact(creditor, labels), False),
    ]
    y_mm = 47.0 + 4 * len(rows) + 3
    for text, bold in creditor_lines:
        if text:
            pen.text(INFO_X * MM, top(y_mm), text, 8.5 if bold else 8, bold=bold, room=(RIGHT_MM - INFO_X) * MM)
            y_mm += 3.8


def _draw_next_page_head(pen: Pen, letter: Letter, labels: Mapping[str, str], title: str) -> None:
    left, right = LEFT_MM * MM, RIGHT_MM * MM
    pen.text(left, top(16), clean(letter.service.name, 80), 9, bold=True, room=80 * MM)
    pen.text(right, top(16), f"{title} {format_date(letter.sent_on)}", 9, bold=True, align="right", room=85 * MM)
    who = f"{clean(letter.recipient.name, 80)} · {labels['customer_number']} {clean(letter.recipient.number, 40)}"
    pen.text(right, top(20.5), who, 8, align="right", room=120 * MM)
    pen.rule(left, top(23), right, 0.5)


def _draw_footer(pen: Pen, service_sender: Sender, labels: Mapping[str, str], number: int, count: int) -> None:
    service = _party(service_sender)
    left, right = LEFT_MM * MM, RIGHT_MM * MM
    pen.rule(left, top(278), right, 0.4)
    parts = [service["name"], ", ".join(p for p in (service["street"], service["place"]) if p)]
    if service["orgno"]:
        parts.append(f"{labels['orgno']} {service['orgno']}")
    parts.append(_contact(service, labels))
    pen.text(left, top(282), " · ".join(p for p in parts if p), 7, room=140 * MM)
    pen.text(right, top(282), labels["page"].format(page=number, pages=count), 7, align="right", room=28 * MM)
    if number < count:
        pen.text(right, top(286), labels["continued"], 7, align="right", room=60 * MM)


# -- module API -------------------------------------------------------------------------------------------------------


@cache
def default_renderer() -> LetterRenderer:
    """The renderer with the packaged texts."""
    return LetterRenderer()


def render_letter(letter: Letter) -> bytes:
    """``letter`` as a complete PDF: A4, address in the envelope window, deterministic bytes."""
    return default_renderer().render_letter(letter)


def render_letters(letters: Sequence[Letter]) -> bytes:
    """All ``letters`` in one PDF, each starting on a new page (the daily print batch)."""
    return default_renderer().render_letters(letters)
