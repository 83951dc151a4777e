"""What a letter line says beyond its amounts, in the line's own child tables (append-only, as the line is):
the interest period by period (R-CLM-16, ``letter_interest_period``) and, on a paid confirmation, what was paid
and how it was applied (R-CLM-9, ``letter_paid``). A line is named by its letter and its position on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import execute_many, key_in
from krav.domain.collection.letters import InterestPeriod, LetterLine, PaidOnClaim
from krav.domain.money import Money

#: A line's place: (letter id, position on the letter).
Place = tuple[int, int]


def write_details(conn: sa.Connection, lines: Sequence[tuple[Place, LetterLine]]) -> None:
    """Store the periods and the payments of ``lines`` (in two statements however many there are)."""
    periods: list[dict[str, Any]] = []
    paid: list[dict[str, Any]] = []
    for (letter_id, position), line in lines:
        periods.extend(
            {
                "letter_id": letter_id,
                "position": position,
                "n": n,
                "period_start": p.start,
                "period_end": p.end,
                "rate": str(p.rate),
                "principal_ore": p.principal.ore,
                "interest_ore": p.amount.ore,
            }
            for n, p in enumerate(line.interest_periods, start=1)
        )
        if line.paid is not None:
            x = line.paid
            paid.append(
                {
                    "letter_id": letter_id,
                    "position": position,
                    "paid_on": x.on,
                    "principal_ore": x.principal.ore,
                    "fee_ore": x.fee.ore,
                    "compensation_ore": x.compensation.ore,
                    "interest_ore": x.interest.ore,
                    "salaer_ore": x.salaer.ore,
                    "overpaid_ore": x.overpaid.ore,
                }
            )
    if periods:
        execute_many(conn, t.letter_interest_period.insert(), periods)
    if paid:
        execute_many(conn, t.letter_paid.insert(), paid)


def read_details(
    conn: sa.Connection, letter_ids: Iterable[int], currency: dict[Place, str]
) -> tuple[dict[Place, tuple[InterestPeriod, ...]], dict[Place, PaidOnClaim]]:
    """The periods and the payments of the lines of ``letter_ids``, by place; ``currency`` gives each line's."""
    ip, lp = t.letter_interest_period, t.letter_paid
    ids = sorted(set(letter_ids))
    periods: dict[Place, list[InterestPeriod]] = {}
    paid: dict[Place, PaidOnClaim] = {}
    for among in key_in(conn.dialect, ip.c.letter_id, ids):
        for r in conn.execute(sa.select(ip).where(among).order_by(ip.c.letter_id, ip.c.position, ip.c.n)):
            cur = currency.get((r.letter_id, r.position), "NOK")
            start: date = r.period_start
            periods.setdefault((r.letter_id, r.position), []).append(
                InterestPeriod(
                    start,
                    r.period_end,
                    Decimal(r.rate),
                    Money.from_ore(r.principal_ore, cur),
                    Money.from_ore(r.interest_ore, cur),
                )
            )
    for among in key_in(conn.dialect, lp.c.letter_id, ids):
        for r in conn.execute(sa.select(lp).where(among)):
            cur = currency.get((r.letter_id, r.position), "NOK")
            paid[(r.letter_id, r.position)] = PaidOnClaim(
                on=r.paid_on,
                principal=Money.from_ore(r.principal_ore, cur),
                fee=Money.from_ore(r.fee_ore, cur),
                compensation=Money.from_ore(r.compensation_ore, cur),
                interest=Money.from_ore(r.interest_ore, cur),
                salaer=Money.from_ore(r.salaer_ore, cur),
                overpaid=Money.from_ore(r.overpaid_ore, cur),
            )
    return {place: tuple(found) for place, found in periods.items()}, paid
