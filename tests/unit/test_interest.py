"""Late-payment interest, forsinkelsesrente (R-CLM-6, R-TIME-4), on the real rate tables.

Hand-computed figures: interest = principal × rate / 100 × days / (365 or 366), each day at the rate of its own
half-year and by its own year, summed unrounded within a segment and rounded half up to øre once.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.allocation import allocate_direct_payment
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.interest import (
    close_segment,
    interest_accrued,
    interest_outstanding,
    open_segment,
    segment_interest,
)
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money, round_ore
from tests.builders import in_state

RATES = load_rate_tables()
DEBTOR = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
TEN = Decimal("1E-10")


def _nok(amount: str) -> Money:
    return Money.of(amount)


def _claim(principal: str = "1000.00", due: date = date(2025, 3, 14), **kw: object) -> Claim:
    claim = Claim(
        company_id=1,
        collection_id="K1",
        invoice_number="1001",
        invoice_date=due - timedelta(days=14),
        due_date=due,
        principal=_nok(principal),
        submitted_on=due + timedelta(days=14),
        debtor=DEBTOR,
    )
    return in_state(claim, **({"stage": Stage.NOTICE} | kw))


# -- the days (R-TIME-4) -------------------------------------------------------------------------------------


def test_the_due_date_itself_is_no_interest_day_r_time_4() -> None:
    due = date(2025, 3, 14)
    assert segment_interest(_nok("1000.00"), due, due, RATES) == 0
    # one day, 15 March 2025 at 12.50 %: 1000 × 0.125 / 365 = 0.3424657534…
    assert segment_interest(_nok("1000.00"), due, due + timedelta(days=1), RATES).quantize(TEN) == Decimal(
        "0.3424657534"
    )


def test_interest_days_are_end_minus_start_in_calendar_days_r_time_4() -> None:
    # 14 days from 14 March to 28 March 2025 at 12.50 %: 1000 × 0.125 × 14 / 365 = 4.7945… → 4.79
    # (rounding each day first would give 0.34 × 14 = 4.76)
    total = segment_interest(_nok("1000.00"), date(2025, 3, 14), date(2025, 3, 28), RATES)
    assert round_ore(total) == Decimal("4.79")


def test_a_day_counts_at_the_rate_of_its_own_half_year_r_clm_6() -> None:
    # 30 June 2025 is the last day at 12.50 %, 1 July 2025 the first at 12.25 %
    june = segment_interest(_nok("1000.00"), date(2025, 6, 29), date(2025, 6, 30), RATES)
    july = segment_interest(_nok("1000.00"), date(2025, 6, 30), date(2025, 7, 1), RATES)
    assert june.quantize(TEN) == Decimal("0.3424657534")  # 1000 × 0.1250 / 365
    assert july.quantize(TEN) == Decimal("0.3356164384")  # 1000 × 0.1225 / 365


def test_a_period_across_1_july_is_summed_per_half_year_unrounded_and_rounded_once_r_clm_6() -> None:
    # 2000.00 from 29 June to 1 July 2025: 30 June at 12.50 % = 250 / 365 = 0.6849…, 1 July at 12.25 % =
    # 245 / 365 = 0.6712…; once: 495 / 365 = 1.3561… → 1.36. (Rounded per period: 0.68 + 0.67 = 1.35; both days
    # at 12.50 %: 1.37; both at 12.25 %: 1.34.)
    assert round_ore(segment_interest(_nok("2000.00"), date(2025, 6, 29), date(2025, 7, 1), RATES)) == Decimal("1.36")
    # 10 000.00 from 20 June to 10 July 2025: 10 days at 12.50 % = 12 500 / 365 = 34.2465…, 10 days at 12.25 % =
    # 12 250 / 365 = 33.5616…; 24 750 / 365 = 67.8082… → 67.81
    assert round_ore(segment_interest(_nok("10000.00"), date(2025, 6, 20), date(2025, 7, 10), RATES)) == Decimal(
        "67.81"
    )


def test_a_period_across_new_year_into_a_leap_year_counts_each_day_by_its_own_year_r_clm_6() -> None:
    # 10 000.00 from 20 December 2023 to 10 January 2024:
    #   21–31 Dec 2023: 11 days at 11.75 % / 365 = 10 000 × 0.1175 × 11 / 365 = 12 925 / 365 = 35.4109589…
    #   1–10 Jan 2024:  10 days at 12.50 % / 366 = 10 000 × 0.1250 × 10 / 366 = 12 500 / 366 = 34.1530054…
    #   total 69.5639643686… → 69.56 (with 1/365 for the 2024 days it would be 69.66)
    total = segment_interest(_nok("10000.00"), date(2023, 12, 20), date(2024, 1, 10), RATES)
    assert total.quantize(TEN) == Decimal("69.5639643686")
    assert round_ore(total) == Decimal("69.56")


def test_29_february_counts_one_366th_of_the_year_r_clm_6() -> None:
    # 10 000 × 0.125 / 366 = 3.4153005464…
    leap_day = segment_interest(_nok("10000.00"), date(2024, 2, 28), date(2024, 2, 29), RATES)
    assert leap_day.quantize(TEN) == Decimal("3.4153005464")


# -- segments and the claim (R-CLM-6) -------------------------------------------------------------------------


def test_a_segment_closes_on_a_change_of_principal_and_is_rounded_when_it_closes_r_clm_6() -> None:
    claim = _claim()
    # 400 paid directly on 13 April 2025, 30 days after the due date: 1000 × 0.125 × 30 / 365 = 10.2739… → 10.27
    allocate_direct_payment(claim, _nok("400.00"), date(2025, 4, 13), RATES)
    assert claim.interest_booked == _nok("10.27")
    assert claim.segment_start == date(2025, 4, 13)
    assert claim.principal_outstanding == _nok("600.00")
    # the next segment runs on 600 from 13 April: 30 days to 13 May = 600 × 0.125 × 30 / 365 = 6.1643… → 6.16
    assert open_segment(claim, date(2025, 5, 13), RATES) == _nok("6.16")
    assert interest_accrued(claim, date(2025, 5, 13), RATES) == _nok("16.43")  # 10.27 + 6.16


def test_close_segment_books_the_rounded_open_segment_once() -> None:
    claim = _claim("2000.00", due=date(2025, 6, 29))
    close_segment(claim, date(2025, 7, 1), RATES)
    assert claim.interest_booked == _nok("1.36")  # 495 / 365 = 1.3561… (see the 1 July test)
    assert claim.segment_start == date(2025, 7, 1)
    assert open_segment(claim, date(2025, 7, 1), RATES).is_zero()


def test_without_charge_interest_no_interest_accrues_r_clm_6() -> None:
    claim = _claim()
    on = date(2025, 6, 30)
    assert interest_accrued(claim, on, RATES).is_positive()
    assert interest_accrued(claim, on, RATES, charge_interest=False) == _nok("0.00")
    assert interest_outstanding(claim, on, RATES, charge_interest=False) == _nok("0.00")
    allocate_direct_payment(claim, _nok("100.00"), date(2025, 4, 13), RATES, charge_interest=False)
    assert claim.interest_booked == _nok("0.00")


def test_interest_stops_when_the_claim_closes_r_clm_6() -> None:
    claim = _claim()
    closed_on = date(2025, 4, 13)
    claim.close(ClosedReason.CLOSED_BY_CREDITOR, closed_on)
    assert interest_accrued(claim, closed_on, RATES) == _nok("10.27")  # 30 days: 3750 / 365 = 10.2739…
    assert interest_accrued(claim, date(2025, 12, 31), RATES) == _nok("10.27")


# -- properties ------------------------------------------------------------------------------------------------

_principals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2).map(Money.of)
_starts = st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31))
_days = st.integers(min_value=0, max_value=900)


@given(_principals, _starts, _days, _days)
def test_splitting_a_period_at_any_day_keeps_the_unrounded_total_and_the_rounded_one_within_an_ore_r_clm_6(
    principal: Money, a: date, first: int, second: int
) -> None:
    """R-CLM-6: [a, c) = [a, b) + [b, c). The sum is exact up to the Decimal context's 28 significant digits
    (1/365 has no finite expansion), so "unchanged" means within 1E-18, far below an øre."""
    b = a + timedelta(days=first)
    c = b + timedelta(days=second)
    whole = segment_interest(principal, a, c, RATES)
    left, right = segment_interest(principal, a, b, RATES), segment_interest(principal, b, c, RATES)
    assert abs(whole - (left + right)) <= Decimal("1E-18")
    assert abs(round_ore(whole) - (round_ore(left) + round_ore(right))) <= Decimal("0.01")


@given(
    _principals,
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2).map(Money.of),
    _starts,
    _days,
)
def test_interest_never_grows_with_interest_r_clm_6(principal: Money, booked: Money, start: date, days: int) -> None:
    """R-CLM-6: simple interest, on the principal only: doubling the interest booked so far changes nothing in
    the open segment."""
    once = _claim(due=date(2015, 1, 1), principal_outstanding=principal, segment_start=start, interest_booked=booked)
    twice = _claim(
        due=date(2015, 1, 1), principal_outstanding=principal, segment_start=start, interest_booked=booked + booked
    )
    on = start + timedelta(days=days)
    assert open_segment(once, on, RATES) == open_segment(twice, on, RATES)
    assert interest_accrued(twice, on, RATES) - interest_accrued(once, on, RATES) == booked


@pytest.mark.parametrize("stage", [Stage.NOTICE, Stage.INKASSO])
def test_interest_runs_on_the_principal_only_not_on_fees_or_salaer_r_clm_6(stage: Stage) -> None:
    plain = _claim(stage=stage)
    costly = _claim(stage=stage, fees_outstanding=_nok("35.00"), salaer_outstanding=_nok("245.00"))
    on = date(2025, 4, 13)
    assert interest_accrued(plain, on, RATES) == interest_accrued(costly, on, RATES) == _nok("10.27")
