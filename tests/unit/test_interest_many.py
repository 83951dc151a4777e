"""Late interest for many claims at once (R-CLM-6): the columns give the same øre as the one-claim path, row by
row, including rows too large for 64 bits and segments outside the day weights."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.allocation import allocate_direct_payment
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.interest import (
    interest_accrued,
    interest_outstanding,
    round_half_up_ore,
    segment_interest_ore,
)
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money
from krav.services.collection.interest_many import claims_interest, open_segments_ore
from tests.builders import in_state

RATES = load_rate_tables()
DEBTOR = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)


def _one_by_one(principal: int, start: date, end: date) -> int:
    if principal <= 0 or end <= start:
        return 0
    return round_half_up_ore(segment_interest_ore(Money.from_ore(principal), start, end, RATES))


def _columns(rows: list[tuple[int, date, date]]) -> np.ndarray:
    return open_segments_ore(
        np.array([p for p, _, _ in rows], dtype=np.int64),
        np.array([s.toordinal() for _, s, _ in rows], dtype=np.int64),
        np.array([e.toordinal() for _, _, e in rows], dtype=np.int64),
        RATES,
    )


_segments = st.tuples(
    st.one_of(
        st.integers(min_value=-1_000, max_value=10**9),  # nothing, a debit turned credit, up to 10 million kroner
        st.integers(min_value=10**13, max_value=10**17),  # so large that principal × weights passes 2⁶³
    ),
    st.dates(min_value=date(2014, 12, 31), max_value=date(2099, 12, 31)),
    st.one_of(
        st.integers(min_value=-30, max_value=12_000),  # ends just before the start, on it, up to 33 years after
        st.integers(min_value=-40_000, max_value=-30),  # ends long before the start, and before the rate table
    ),
)


@settings(max_examples=300)
@given(st.lists(_segments, min_size=1, max_size=40))
def test_the_columns_give_each_segment_the_same_ore_as_the_exact_fractions_r_clm_6(
    drawn: list[tuple[int, date, int]],
) -> None:
    rows = [(p, start, start + timedelta(days=days)) for p, start, days in drawn]
    assert _columns(rows).tolist() == [_one_by_one(*row) for row in rows]


def test_a_thousand_ordinary_claims_get_the_same_ore_as_one_by_one_r_clm_6() -> None:
    """Principals up to a million kroner over the rate table's years: the columns alone, no row worked out apart
    (the common case of the daily run)."""
    rng = random.Random(20261207)
    rows = []
    for _ in range(1_000):
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(4_300))
        rows.append((rng.randrange(1, 10**8), start, start + timedelta(days=rng.randrange(0, 1_500))))
    assert _columns(rows).tolist() == [_one_by_one(*row) for row in rows]


def test_the_half_ore_rounds_up_and_rows_past_64_bits_or_the_table_are_worked_out_exactly_r_clm_6() -> None:
    """34 221,75 kr due 31.08.2024 earns exactly 9 810,235 kr to 31.12.2026 (see test_interest_exact); the same
    principal times ten million no longer fits the columns' 64 bits; a segment ending in 2101 runs past the day
    weights (they end with 2100)."""
    half = (3_422_175, date(2024, 8, 31), date(2026, 12, 31))
    huge = (3_422_175 * 10**7, date(2024, 8, 31), date(2026, 12, 31))
    late = (100_000, date(2100, 6, 1), date(2101, 3, 1))
    nothing = (100_000, date(2025, 3, 1), date(2025, 3, 1))
    got = _columns([half, huge, late, nothing]).tolist()
    assert _columns([half, (100_000, date(2015, 1, 10), date(1990, 1, 1))]).tolist() == [981_024, 0]
    assert got[0] == 981_024
    assert got[1] == round_half_up_ore(segment_interest_ore(Money.from_ore(huge[0]), huge[1], huge[2], RATES))
    assert got[1] > 2**63 // 10**8  # really past what principal × weights could hold in 64 bits
    assert got[2] == _one_by_one(*late) > 0
    assert got[3] == 0


def _claim(n: int, principal: str, due: date) -> Claim:
    claim = Claim(
        company_id=1,
        collection_id=f"K{n}",
        invoice_number=str(1000 + n),
        invoice_date=due - timedelta(days=14),
        due_date=due,
        principal=Money.of(principal),
        submitted_on=due + timedelta(days=14),
        debtor=DEBTOR,
    )
    return in_state(claim, stage=Stage.NOTICE)


def test_every_claims_interest_accrued_and_outstanding_as_claim_by_claim_r_clm_6() -> None:
    """Claims with booked, paid and waived interest, a closed one and an over-paid one: the columns give each
    the same accrued and outstanding interest as :func:`interest_accrued` and :func:`interest_outstanding`."""
    on = date(2026, 5, 20)
    plain = _claim(1, "1000.00", date(2025, 3, 14))
    part_paid = _claim(2, "2500.00", date(2025, 1, 31))
    allocate_direct_payment(part_paid, Money.of("400.00"), date(2025, 4, 13), RATES)  # books a segment
    waived = _claim(3, "800.00", date(2024, 11, 30))
    allocate_direct_payment(waived, Money.of("100.00"), date(2025, 2, 1), RATES)
    waived.waive_interest(Money.of("5.00"))
    closed = _claim(4, "1200.00", date(2025, 6, 30))
    closed.close(ClosedReason.CLOSED_BY_CREDITOR, date(2025, 9, 1))
    interest_paid = _claim(5, "300.00", date(2024, 6, 30))
    allocate_direct_payment(interest_paid, Money.of("330.00"), date(2025, 6, 30), RATES)  # pays interest too
    claims = [plain, part_paid, waived, closed, interest_paid]
    assert interest_paid.interest_paid.is_positive()
    assert waived.interest_waived.is_positive()
    for charge in (True, False):
        got = claims_interest(claims, on, RATES, charge_interest=charge)
        assert got.accrued == [interest_accrued(c, on, RATES, charge_interest=charge) for c in claims]
        assert got.outstanding == [interest_outstanding(c, on, RATES, charge_interest=charge) for c in claims]
    assert claims_interest(claims, on, RATES).accrued[0] == interest_accrued(plain, on, RATES) > Money.of("100")
    assert claims_interest([], on, RATES).accrued == []
