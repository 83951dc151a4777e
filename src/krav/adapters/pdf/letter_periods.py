"""The interest per rate period under a letter's table of claims (R-CLM-16).

When a claim's interest spans more than one rate period (the table changes on 1 January and 1 July), the letter
states each period: its first and last interest day (both included: the due date itself is no interest day,
R-TIME-4), the days, the rate, the amount it ran on and the interest, so the debtor can check each as amount ×
rate × days / days of the year. The periods of a claim add up to all the interest it accrued;
what of that was paid or waived before the letter is deducted on a line of its own, and the claim's interest in
all closes it: the same amount as in the claim's row of the table above, to the øre.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from krav.adapters.pdf import layout
from krav.adapters.pdf.layout import LEFT_MM, MM, RIGHT_MM, Column, Draw, Pen, Piece
from krav.adapters.pdf.texts import clean, format_date, format_rate
from krav.domain.collection.letters import Letter, LetterLine
from krav.domain.money import format_amount

__all__ = ["period_pieces"]

_SIZE = 8.0
_ROW = 4.0
_COLUMNS = (
    ("invoice", 22.0, "left"),
    ("start", 20.0, "left"),
    ("end", 20.0, "left"),
    ("days", 12.0, "right"),
    ("rate", 16.0, "right"),
    ("principal", 24.0, "right"),
    ("interest", 22.0, "right"),
)


def period_pieces(letter: Letter, labels: Mapping[str, str]) -> list[Piece]:
    """The heading, the column heads and a row per period of each claim whose interest spans more than one, with
    the deduction (if any) and the claim's interest in all."""
    columns = layout.columns(list(_COLUMNS), LEFT_MM * MM, RIGHT_MM * MM)
    pieces = [
        Piece(9 * MM, _heading(labels["periods_heading"]), keep_with_next=True),
        Piece(5 * MM, _row(columns, _heads(labels), bold=True, rule=True), keep_with_next=True),
    ]
    for line in letter.lines:
        if len(line.interest_periods) < 2:
            continue
        for cells in _period_rows(line):
            pieces.append(Piece(_ROW * MM, _row(columns, cells)))
        deducted = line.interest_deducted
        if not deducted.is_zero():
            label = labels["interest_deducted"] if deducted.is_positive() else labels["interest_earlier"]
            amount = format_amount(-deducted)
            pieces.append(Piece(_ROW * MM, _row(columns, {"invoice": "", "start": label, "interest": amount})))
        total = {"invoice": "", "start": labels["interest_sum"], "interest": format_amount(line.interest)}
        pieces.append(Piece((_ROW + 1) * MM, _row(columns, total, bold=True)))
    return pieces


def _heads(labels: Mapping[str, str]) -> dict[str, str]:
    return {
        "invoice": labels["invoice"],
        "start": labels["period_from"],
        "end": labels["period_to"],
        "days": labels["days"],
        "rate": labels["interest_rate"],
        "principal": labels["interest_base"],
        "interest": labels["interest"],
    }


def _period_rows(line: LetterLine) -> list[dict[str, str]]:
    return [
        {
            "invoice": clean(line.invoice_number, 40),
            "start": format_date(p.start + timedelta(days=1)),  # the first interest day (R-TIME-4)
            "end": format_date(p.end),
            "days": str(p.days),
            "rate": f"{format_rate(p.rate)} %",
            "principal": format_amount(p.principal),
            "interest": format_amount(p.amount),
        }
        for p in line.interest_periods
    ]


def _heading(text: str) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        pen.text(LEFT_MM * MM, y - 6.5 * MM, text, 9, bold=True, room=(RIGHT_MM - LEFT_MM) * MM)

    return draw


def _row(columns: Sequence[Column], cells: Mapping[str, str], *, bold: bool = False, rule: bool = False) -> Draw:
    def draw(pen: Pen, y: float) -> None:
        baseline = y - 3.0 * MM
        for column in columns:
            text = cells.get(column.key, "")
            if column.key == "start" and "end" not in cells and text:
                # a label spanning the period columns (deduction, sum): drawn from the first of them
                pen.text(column.x + 0.8 * MM, baseline, text, _SIZE, bold=bold, room=70 * MM)
                continue
            column.draw(pen, baseline, text, _SIZE, bold=bold)
        if rule:
            pen.rule(LEFT_MM * MM, y - 4.2 * MM, RIGHT_MM * MM, 0.5)

    return draw
