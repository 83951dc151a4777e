"""Interest is computed exactly and rounded once, half up: a half øre is a half øre (R-CLM-6, R-MONEY-1)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.interest import round_half_up_ore, segment_interest_ore
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
