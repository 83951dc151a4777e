"""The settlement report as PDF: what was collected for the creditor on one bank day and remitted (R-BANK-3)."""

from __future__ import annotations

import io

from krav.adapters.pdf import layout
from krav.adapters.pdf.layout import MM, Pen, top
from krav.adapters.pdf.texts import clean, format_date, format_orgno
from krav.domain.collection.settlement import SettlementReport
from krav.domain.money import Money, format_amount

_COLUMNS = (
    ("Fakturanr.", 20.0, 24.0, False),
    ("Kunde", 44.0, 52.0, False),
    ("Hovedstol", 118.0, 0.0, True),
    ("Gebyr", 136.0, 0.0, True),
    ("Renter", 154.0, 0.0, True),
    ("Overbetalt", 172.0, 0.0, True),
    ("Utbetalt", 190.0, 0.0, True),
)
_ROWS_PER_PAGE = 38


def _row(pen: Pen, y: float, cells: list[str], *, bold: bool = False) -> None:
    for (_, x, room, right), cell in zip(_COLUMNS, cells, strict=True):
        font = layout.BOLD if bold else layout.REGULAR
        shown = layout.cut_to_width(cell, font, 8, room * MM) if room else cell
        if right:
            pen.canvas.setFont(font, 8)
            pen.canvas.drawRightString(x * MM, y, shown)
        else:
            pen.canvas.setFont(font, 8)
            pen.canvas.drawString(x * MM, y, shown)


def render_settlement_report(report: SettlementReport) -> bytes:
    """The report as A4 PDF; the same report gives the same bytes."""
    buffer = io.BytesIO()
    canvas = layout.new_canvas(
        buffer,
        report.settled_on,
        f"Oppgjør {report.reference}",
        report.service.name,
        f"Oppgjør til {report.creditor.name}",
    )
    pen = Pen(canvas)
    lines = list(report.lines)
    pages = [lines[i : i + _ROWS_PER_PAGE] for i in range(0, len(lines), _ROWS_PER_PAGE)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        canvas.setFont(layout.BOLD, 14)
        canvas.drawString(20 * MM, top(22), clean(report.service.name, 60))
        canvas.setFont(layout.REGULAR, 8)
        canvas.drawString(20 * MM, top(27), f"Org.nr. {format_orgno(report.service.orgno)}")
        canvas.setFont(layout.BOLD, 16)
        canvas.drawString(20 * MM, top(45), "Oppgjør")
        canvas.setFont(layout.REGULAR, 9)
        canvas.drawString(
            20 * MM, top(52), f"Til {clean(report.creditor.name, 80)} (org.nr. {format_orgno(report.creditor.orgno)})"
        )
        canvas.drawString(20 * MM, top(57), f"Oppgjør {report.reference}, {format_date(report.settled_on)}")
        if report.to_account:
            canvas.drawString(20 * MM, top(62), f"Utbetales til konto {report.to_account}")
        y = top(75)
        _row(pen, y, [c[0] for c in _COLUMNS], bold=True)
        pen.rule(20 * MM, y - 1.6 * MM, 190 * MM, 0.6)
        for line in chunk:
            y -= 5 * MM
            _row(
                pen,
                y,
                [
                    clean(line.invoice_number, 30),
                    clean(f"{line.debtor_number} {line.debtor_name}", 80),
                    format_amount(line.principal),
                    format_amount(line.fee),
                    format_amount(line.interest),
                    format_amount(line.overpayment),
                    format_amount(line.remitted),
                ],
            )
        if number == len(pages):
            y -= 7 * MM
            pen.rule(20 * MM, y + 4.2 * MM, 190 * MM, 0.6)
            sums = {k: Money.sum(getattr(x, k) for x in lines) for k in ("principal", "fee", "interest", "overpayment")}
            _row(
                pen,
                y,
                [
                    "Sum",
                    f"{len(lines)} krav",
                    format_amount(sums["principal"]),
                    format_amount(sums["fee"]),
                    format_amount(sums["interest"]),
                    format_amount(sums["overpayment"]),
                    format_amount(report.total),
                ],
                bold=True,
            )
            costs = Money.sum(x.costs for x in lines)
            if costs.is_positive():
                y -= 6 * MM
                canvas.setFont(layout.REGULAR, 8)
                canvas.drawString(
                    20 * MM,
                    y,
                    f"Trukket: inkassokostnader for krav lukket i inkasso {format_amount(costs)} "
                    f"+ mva {format_amount(Money.sum(x.costs_vat for x in lines))} (med i utbetalt).",
                )
            salaer = Money.sum(x.salaer for x in lines)
            if salaer.is_positive():
                canvas.setFont(layout.REGULAR, 8)
                canvas.drawString(
                    20 * MM,
                    y - 8 * MM,
                    f"Inkassosalær beholdt av {clean(report.service.name, 60)}: "
                    f"{format_amount(salaer)} (ikke med i utbetalingen).",
                )
        canvas.setFont(layout.REGULAR, 7)
        canvas.drawRightString(190 * MM, top(285), f"Side {number} av {len(pages)}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
