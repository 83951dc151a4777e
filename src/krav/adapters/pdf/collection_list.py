"""The collection list (inkassoliste) as PDF: what the creditor gets by e-mail every Tuesday (R-CLM-4).

One row per claim, in the order given (the list orders claims by due date, then invoice number): the debtor's
number and name, the collection ID, the invoice number, the due date, what is outstanding (principal, fee,
interest) with its total, and the notice's deadline that has passed. A4 landscape; the table heading repeats
on every page and the sums (one per currency) come last.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from krav.adapters.pdf import layout
from krav.adapters.pdf.layout import MM, PAGE_HEIGHT, PAGE_WIDTH, Column, Pen, Piece, paginate, wrap
from krav.adapters.pdf.texts import LetterTexts, clean, format_date, format_orgno, packaged_texts
from krav.domain.collection.letters import Sender
from krav.domain.collection.schedule import transfer_day_for_list
from krav.domain.money import Money, format_amount

# landscape: the page is PAGE_HEIGHT wide and PAGE_WIDTH high
_WIDE = float(PAGE_HEIGHT)
_HIGH = float(PAGE_WIDTH)
_LEFT = 15 * MM
_RIGHT = _WIDE - 15 * MM
_SIZE = 8.5
_ROW = 4.8 * MM

_COLUMNS = (
    ("customer", 62.0, "left"),
    ("collection_id", 28.0, "left"),
    ("invoice", 24.0, "left"),
    ("due_date", 20.0, "left"),
    ("principal", 24.0, "right"),
    ("fee", 18.0, "right"),
    ("interest", 20.0, "right"),
    ("line_total", 26.0, "right"),
    ("notice_deadline", 24.0, "right"),
)


class ListRow(Protocol):
    """What the list needs of a row; :class:`CollectionListRow` and the engine's own row type both fit."""

    @property
    def debtor_number(self) -> str: ...
    @property
    def debtor_name(self) -> str: ...
    @property
    def collection_id(self) -> str: ...
    @property
    def invoice_number(self) -> str: ...
    @property
    def due_date(self) -> date: ...
    @property
    def principal(self) -> Money: ...
    @property
    def fee(self) -> Money: ...
    @property
    def interest(self) -> Money: ...
    @property
    def notice_deadline(self) -> date | None: ...
    @property
    def total(self) -> Money: ...


def _y(mm_from_top: float) -> float:
    return _HIGH - mm_from_top * MM


def _sums(rows: Sequence[ListRow]) -> dict[str, tuple[int, Money, Money, Money]]:
    sums: dict[str, tuple[int, Money, Money, Money]] = {}
    for row in rows:
        currency = row.principal.currency
        count, principal, fee, interest = sums.get(
            currency, (0, Money.zero(currency), Money.zero(currency), Money.zero(currency))
        )
        sums[currency] = (count + 1, principal + row.principal, fee + row.fee, interest + row.interest)
    return dict(sorted(sums.items()))


def render_collection_list(
    creditor: Sender,
    list_date: date,
    rows: Sequence[ListRow],
    *,
    language: str = "nb",
    texts: LetterTexts | None = None,
    automatic: bool = True,
) -> bytes:
    """The collection list of ``creditor`` for ``list_date`` as a PDF, rows in the order given. It says what the
    creditor does about it and by when: with the automatic list (``automatic``) the claims move to inkasso on the
    Thursday it names unless paused or closed before; without it, those approved move in the day's run."""
    texts = texts or packaged_texts()
    language = texts.language_of(language)
    labels = texts.labels(language)
    sums = _sums(rows)
    nok = sums.get("NOK", (0, Money.zero(), Money.zero(), Money.zero()))
    blocks = texts.render(
        "collection_list",
        language,
        {
            "count": len(rows),
            "total": format_amount(nok[1] + nok[2] + nok[3]),
            "currency": labels.get("currency_word", "kroner"),
            "list_date": format_date(list_date),
            "transfer_date": format_date(transfer_day_for_list(list_date)),
            "automatic": automatic,
            "orgno": creditor.orgno,
            "creditor": {"name": clean(creditor.name, 100), "orgno": format_orgno(creditor.orgno)},
        },
    )
    title = next((b.text for b in blocks if b.kind == "title"), "")
    columns = layout.columns(_COLUMNS, _LEFT, _RIGHT, cut=("customer", "collection_id", "invoice"))
    head = {key: labels[f"list_{key}"] if f"list_{key}" in labels else labels.get(key, key) for key, _, _ in _COLUMNS}

    pieces: list[Piece] = []
    for block in blocks:
        if block.kind == "title":
            continue
        font, shown = layout.font_for(block.text, block.kind == "bold")
        lines = wrap(shown, font, 9, _RIGHT - _LEFT)
        for index, line in enumerate(lines):
            gap = 2.5 * MM if index == len(lines) - 1 else 0.0
            pieces.append(Piece(4.2 * MM + gap, _text_drawer(line, block.kind == "bold")))

    def heading(pen: Pen, y: float) -> None:
        for column in columns:
            column.draw(pen, y - 4.2 * MM, head[column.key], 7.5, bold=True)
        pen.rule(_LEFT, y - 5.6 * MM, _RIGHT, 0.6)

    heading_piece = Piece(6.4 * MM, heading, keep_with_next=True)
    pieces.append(heading_piece)
    for row in rows:
        pieces.append(Piece(_ROW, _row_drawer(columns, _cells(row)), row=True))
    for index, (currency, (count, principal, fee, interest)) in enumerate(sums.items()):
        cells = {
            "customer": labels["list_count"].format(count=count),
            "invoice": labels["sum"] if len(sums) == 1 else f"{labels['sum']} {currency}",
            "principal": format_amount(principal),
            "fee": format_amount(fee),
            "interest": format_amount(interest),
            "line_total": format_amount(principal + fee + interest),
        }
        pieces.append(Piece(6.2 * MM, _sum_drawer(columns, cells, ruled=index == 0), row=True))

    pages = paginate(pieces, _y(33), _y(22), _y(195), heading_piece)
    buffer = io.BytesIO()
    name = clean(creditor.name, 100)
    canvas = layout.new_canvas(buffer, list_date, f"{title} {format_date(list_date)}", name, title, landscape=True)
    pen = Pen(canvas)
    who = " · ".join(
        p for p in (name, f"{labels['orgno']} {format_orgno(creditor.orgno)}", format_date(list_date)) if p
    )
    for number, page in enumerate(pages, start=1):
        if number == 1:
            pen.text(_LEFT, _y(17), title, 15, bold=True, room=_RIGHT - _LEFT)
            pen.text(_LEFT, _y(24), who, 9, room=_RIGHT - _LEFT)
        else:
            pen.text(_LEFT, _y(15), f"{title} · {who}", 8.5, bold=True, room=_RIGHT - _LEFT)
            pen.rule(_LEFT, _y(17.5), _RIGHT, 0.5)
        for piece, y in page.pieces:
            piece.draw(pen, y)
        pen.text(_RIGHT, _y(203), labels["page"].format(page=number, pages=len(pages)), 7, align="right")
        pen.end_page()
    canvas.save()
    return buffer.getvalue()


def _cells(row: ListRow) -> dict[str, str]:
    return {
        "customer": f"{clean(row.debtor_number, 30)} {clean(row.debtor_name, 120)}",
        "collection_id": clean(row.collection_id, 40),
        "invoice": clean(row.invoice_number, 40),
        "due_date": format_date(row.due_date),
        "principal": format_amount(row.principal),
        "fee": format_amount(row.fee),
        "interest": format_amount(row.interest),
        "line_total": format_amount(row.total),
        "notice_deadline": format_date(row.notice_deadline) if row.notice_deadline else "",
    }


def _text_drawer(line: str, bold: bool) -> layout.Draw:
    def draw(pen: Pen, y: float) -> None:
        pen.text(_LEFT, y - 3.2 * MM, line, 9, bold=bold)

    return draw


def _row_drawer(columns: Sequence[Column], cells: Mapping[str, str]) -> layout.Draw:
    def draw(pen: Pen, y: float) -> None:
        for column in columns:
            column.draw(pen, y - 3.5 * MM, cells[column.key], _SIZE)

    return draw


def _sum_drawer(columns: Sequence[Column], cells: Mapping[str, str], *, ruled: bool) -> layout.Draw:
    def draw(pen: Pen, y: float) -> None:
        if ruled:
            pen.rule(_LEFT, y - 0.8 * MM, _RIGHT, 0.6)
        for column in columns:
            column.draw(pen, y - 4.6 * MM, cells.get(column.key, ""), _SIZE, bold=True)

    return draw
