"""Interest is computed exactly and rounded once, half up: a half øre is a half øre (R-CLM-6, R-MONEY-1)."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.interest import round_half_up_ore, segment_interest_ore, split_segment
from krav.domain.money import Money


def test_an_exact_half_ore_of_interest_rounds_up_r_clm_6() -> None:
    """34 221,75 kr due 31.08.2024, interest to 31.12.2026 (the days after the due date, each at its half-year's
    rate): 2024 H2 122 days at 12.50 %/366, 2025 H1 181 days at 12.50 %/365, H2 184 days at 12.25 %/365, 2026 H1
    181 days at 12.00 %/365, H2 184 days at 12.25 %/365 — exactly 981 023,5 øre, which a 28-digit Decimal sum
    gives as 9 810,234999… and rounds down."""
    exact = segment_interest_ore(Money.of("34221.75"), date(2024, 8, 31), date(2026, 12, 31), load_rate_tables())
    by_hand = Fraction(3_422_175) * (
        Fraction(122 * 1250, 366 * 10_000)
        + Fraction(181 * 1250, 365 * 10_000)
        + Fraction(184 * 1225, 365 * 10_000)
        + Fraction(181 * 1200, 365 * 10_000)
        + Fraction(184 * 1225, 365 * 10_000)
    )
    assert exact == by_hand == Fraction(1_962_047, 2)
    assert round_half_up_ore(exact) == 981_024


def test_rounding_half_up_of_exact_ore() -> None:
    assert round_half_up_ore(Fraction(5, 2)) == 3
    assert round_half_up_ore(Fraction(249, 100)) == 2
    assert round_half_up_ore(Fraction(0)) == 0


def _periods_by_hand(principal: Money, start: date, end: date) -> list[tuple[date, date, int]]:
    """R-CLM-16 worked independently: each interest day at its half-year's rate and 1/365 or 1/366 of it, days
    joined while the rate and the year stay the same, the sum rounded half up once, each period rounded down and
    the øre left to the largest remainders (the earlier first)."""
    rates = load_rate_tables()
    spans: list[tuple[date, date, Decimal]] = []  # (the day before the first, the last, the rate)
    exact: list[Fraction] = []
    day = start
    while day < end:
        day += timedelta(days=1)
        (rate,) = {p.rate for p in rates.interest_periods(day, day + timedelta(days=1))}
        share = Fraction(principal.ore) * Fraction(rate) / 100 / (366 if calendar.isleap(day.year) else 365)
        if spans and spans[-1][2] == rate and spans[-1][1].year == day.year:
            spans[-1] = (spans[-1][0], day, rate)
            exact[-1] += share
        else:
            spans.append((day - timedelta(days=1), day, rate))
            exact.append(share)
    total = round_half_up_ore(sum(exact, Fraction(0)))
    floors = [x.numerator // x.denominator for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))[: total - sum(floors)]:
        floors[i] += 1
    return [(first, last, ore) for (first, last, _), ore in zip(spans, floors, strict=True)]


def test_a_segments_periods_are_worked_out_to_the_ore_as_by_hand_r_clm_16() -> None:
    """The periods a letter states (split_segment, on the table's integer day weights) against the same periods
    worked day by day with fractions, for many principals and spans, one beyond the weights' last day."""
    rng = random.Random(16)
    cases = [(Money.of("34221.75"), date(2024, 8, 31), date(2026, 12, 31))]
    cases += [(Money.of("1000.00"), date(2100, 10, 1), date(2101, 2, 3))]  # past the weights: fractions
    for _ in range(60):
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        end = start + timedelta(days=rng.randrange(1, 900))
        cases.append((Money.from_ore(rng.randrange(1, 50_000_000)), start, end))
    rates = load_rate_tables()
    for principal, start, end in cases:
        found = [(p.start, p.end, p.amount.ore) for p in split_segment(principal, start, end, rates)]
        assert found == _periods_by_hand(principal, start, end), (principal, start, end)
        assert sum(ore for _, _, ore in found) == round_half_up_ore(segment_interest_ore(principal, start, end, rates))
