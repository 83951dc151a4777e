"""What a payment or a credit covers, to the øre (R-CLM-7, R-CLM-8, R-CLM-9, R-CLM-10, R-CLM-12, R-CLM-14).

Interest figures: principal × 12.50 % × days / 365 (2025, first half-year), rounded half up to øre.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import AllocationOrder
from krav.domain.collection.allocation import (
    Applied,
    LetterTerms,
    allocate_client_payment,
    allocate_direct_payment,
    apply_credit,
    owed,
    paid_by_deadline,
    settle_if_paid,
)
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.interest import interest_accrued, interest_outstanding
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money
from tests.builders import in_state

RATES = load_rate_tables()
DEBTOR = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
DUE = date(2025, 3, 14)
NOTICE_SENT = date(2025, 3, 28)  # 14 days after DUE: interest 1000 × 0.125 × 14 / 365 = 4.7945… → 4.79
NOTICE_DEADLINE = date(2025, 4, 11)


def _nok(amount: str) -> Money:
    return Money.of(amount)


ZERO = _nok("0.00")


def _claim(
    cid: str = "K1",
    invoice: str = "1001",
    due: date = DUE,
    principal: str = "1000.00",
    *,
    fees: str = "0.00",
    salaer: str = "0.00",
    stage: Stage = Stage.NOTICE,
) -> Claim:
    claim = Claim(
        company_id=1,
        collection_id=cid,
        invoice_number=invoice,
        invoice_date=due - timedelta(days=14),
        due_date=due,
        principal=_nok(principal),
        submitted_on=due + timedelta(days=14),
        debtor=DEBTOR,
    )
    return in_state(
        claim,
        stage=stage,
        fees_charged=_nok(fees),
        fees_outstanding=_nok(fees),
        salaer_charged=_nok(salaer),
        salaer_outstanding=_nok(salaer),
    )


def _parts(a: Applied) -> tuple[Money, Money, Money, Money, Money]:
    return a.principal, a.fee, a.interest, a.salaer, a.overpaid


def _notice_letter(claim: Claim) -> LetterTerms:
    """The notice sent on NOTICE_SENT: principal 1000.00 + fee 35.00 + interest 4.79 = 1039.79."""
    return LetterTerms(NOTICE_SENT, NOTICE_DEADLINE, _nok("1039.79"), {claim.collection_id: _nok("4.79")})


# -- R-CLM-7: the client account --------------------------------------------------------------------------------


def test_a_client_payment_covers_the_oldest_claim_first_costs_then_interest_then_principal_r_clm_7() -> None:
    older = _claim("K1", "1001", DUE, "1000.00", fees="35.00", salaer="245.00", stage=Stage.INKASSO)
    # a lower invoice number but a later due date: it comes second
    newer = _claim("K2", "0999", date(2025, 3, 20), "500.00", stage=Stage.INKASSO)
    applied = allocate_client_payment([newer, older], _nok("300.00"), NOTICE_SENT, RATES)
    assert [a.collection_id for a in applied] == ["K1", "K2"]
    # 300.00 = fee 35.00 + salær 245.00 + interest 4.79 + principal 15.21
    assert _parts(applied[0]) == (_nok("15.21"), _nok("35.00"), _nok("4.79"), _nok("245.00"), ZERO)
    assert _parts(applied[1]) == (ZERO, ZERO, ZERO, ZERO, ZERO)
    assert older.principal_outstanding == _nok("984.79")
    assert older.fees_outstanding == older.salaer_outstanding == ZERO
    assert newer.principal_outstanding == _nok("500.00")


@pytest.mark.parametrize(
    ("amount", "fee", "salaer", "interest"),
    [
        ("30.00", "30.00", "0.00", "0.00"),  # the fee first
        ("282.00", "35.00", "245.00", "2.00"),  # then the salær, then 2.00 of the 4.79 interest
    ],
)
def test_within_a_claim_fees_come_before_salaer_and_both_before_interest_r_clm_7(
    amount: str, fee: str, salaer: str, interest: str
) -> None:
    claim = _claim(fees="35.00", salaer="245.00", stage=Stage.INKASSO)
    applied = allocate_client_payment([claim], _nok(amount), NOTICE_SENT, RATES)
    assert _parts(applied[0]) == (ZERO, _nok(fee), _nok(interest), _nok(salaer), ZERO)
    assert claim.principal_outstanding == _nok("1000.00")


def test_what_the_oldest_claim_leaves_goes_on_to_the_next_in_the_same_order_r_clm_7() -> None:
    older = _claim("K1", "1001", DUE, "1000.00", fees="35.00", salaer="245.00", stage=Stage.INKASSO)
    newer = _claim("K2", "1002", date(2025, 3, 20), "500.00", fees="10.00", stage=Stage.INKASSO)
    applied = allocate_client_payment([older, newer], _nok("1300.00"), NOTICE_SENT, RATES)
    # K1 takes 35.00 + 245.00 + 4.79 + 1000.00 = 1284.79; 15.21 is left for K2:
    # fee 10.00, interest 500 × 0.125 × 8 / 365 = 1.3698… → 1.37, principal 3.84
    assert _parts(applied[0]) == (_nok("1000.00"), _nok("35.00"), _nok("4.79"), _nok("245.00"), ZERO)
    assert _parts(applied[1]) == (_nok("3.84"), _nok("10.00"), _nok("1.37"), ZERO, ZERO)
    assert newer.principal_outstanding == _nok("496.16")


def test_the_agreement_may_set_principal_then_interest_then_costs_r_clm_7() -> None:
    claim = _claim(fees="35.00", salaer="245.00", stage=Stage.INKASSO)
    applied = allocate_client_payment(
        [claim], _nok("1010.00"), NOTICE_SENT, RATES, order=AllocationOrder.PRINCIPAL_INTEREST_COSTS
    )
    # 1010.00 = principal 1000.00 + interest 4.79 + fee 5.21; the salær gets nothing
    assert _parts(applied[0]) == (_nok("1000.00"), _nok("5.21"), _nok("4.79"), ZERO, ZERO)
    assert claim.fees_outstanding == _nok("29.79")
    assert claim.salaer_outstanding == _nok("245.00")


def test_a_payment_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        allocate_client_payment([_claim()], ZERO, NOTICE_SENT, RATES)
    with pytest.raises(ValueError, match="positive"):
        allocate_direct_payment(_claim(), _nok("-1.00"), NOTICE_SENT, RATES)


# -- R-CLM-12: paying the letter settles the letter ---------------------------------------------------------------


@pytest.mark.parametrize("paid_on", [date(2025, 4, 10), NOTICE_DEADLINE])
def test_the_letter_total_paid_by_the_deadline_settles_in_full_and_waives_later_interest_r_clm_12(
    paid_on: date,
) -> None:
    claim = _claim(fees="35.00")
    applied = allocate_client_payment([claim], _nok("1039.79"), paid_on, RATES, letter=_notice_letter(claim))
    # interest owed on 10 April: 27 days = 3375 / 365 = 9.2465… → 9.25; on 11 April: 28 days = 3500 / 365 = 9.5890…
    # → 9.59. The letter stated 4.79: the rest (4.46 or 4.80) is waived.
    waived = _nok("4.46") if paid_on == date(2025, 4, 10) else _nok("4.80")
    assert _parts(applied[0]) == (_nok("1000.00"), _nok("35.00"), _nok("4.79"), ZERO, ZERO)
    assert applied[0].waived_interest == waived
    assert owed(claim, paid_on, RATES) == ZERO
    assert interest_accrued(claim, paid_on, RATES) == _nok("4.79")
    assert settle_if_paid(claim, paid_on, RATES)
    assert claim.closed_reason is ClosedReason.PAID


def test_the_letter_total_paid_after_the_deadline_does_not_settle_the_letter_r_clm_12() -> None:
    claim = _claim(fees="35.00")
    paid_on = date(2025, 4, 14)
    applied = allocate_client_payment([claim], _nok("1039.79"), paid_on, RATES, letter=_notice_letter(claim))
    # 31 days: 3875 / 365 = 10.6164… → 10.62 owed; 1039.79 − 35.00 − 10.62 = 994.17 of the principal
    assert _parts(applied[0]) == (_nok("994.17"), _nok("35.00"), _nok("10.62"), ZERO, ZERO)
    assert applied[0].waived_interest == ZERO
    assert claim.principal_outstanding == _nok("5.83")
    assert not settle_if_paid(claim, paid_on, RATES)
    assert claim.is_open


def test_less_than_the_letter_total_by_the_deadline_waives_nothing_r_clm_12() -> None:
    claim = _claim(fees="35.00")
    applied = allocate_client_payment([claim], _nok("1039.78"), date(2025, 4, 10), RATES, letter=_notice_letter(claim))
    # 1039.78 − 35.00 − 9.25 = 995.53 of the principal
    assert _parts(applied[0]) == (_nok("995.53"), _nok("35.00"), _nok("9.25"), ZERO, ZERO)
    assert applied[0].waived_interest == ZERO
    assert claim.principal_outstanding == _nok("4.47")


def test_above_the_letter_total_is_an_overpayment_r_clm_12() -> None:
    claim = _claim(fees="35.00")
    applied = allocate_client_payment([claim], _nok("1100.00"), date(2025, 4, 10), RATES, letter=_notice_letter(claim))
    assert _parts(applied[0]) == (_nok("1000.00"), _nok("35.00"), _nok("4.79"), ZERO, _nok("60.21"))  # 1100 − 1039.79
    assert claim.overpaid == _nok("60.21")
    assert owed(claim, date(2025, 4, 10), RATES) == ZERO


def test_a_letter_of_two_claims_paid_in_time_settles_both_r_clm_12() -> None:
    first = _claim("K1", "1001", DUE, "1000.00", fees="35.00")
    second = _claim("K2", "1002", DUE, "500.00")
    # on NOTICE_SENT: K1 1000.00 + 35.00 + 4.79; K2 500.00 + 2.40 (500 × 0.125 × 14 / 365 = 2.3972… → 2.40);
    # total 1542.19
    letter = LetterTerms(NOTICE_SENT, NOTICE_DEADLINE, _nok("1542.19"), {"K1": _nok("4.79"), "K2": _nok("2.40")})
    paid_on = date(2025, 4, 10)
    applied = allocate_client_payment([first, second], _nok("1542.19"), paid_on, RATES, letter=letter)
    assert _parts(applied[1]) == (_nok("500.00"), ZERO, _nok("2.40"), ZERO, ZERO)
    # K2 owed 500 × 0.125 × 27 / 365 = 4.6232… → 4.62 on 10 April; 2.22 waived
    assert applied[1].waived_interest == _nok("2.22")
    assert all(settle_if_paid(c, paid_on, RATES) for c in (first, second))


# -- direct payments -------------------------------------------------------------------------------------------


def test_a_direct_payment_covers_principal_then_fees_then_interest_and_the_rest_is_overpayment_r_clm_7() -> None:
    claim = _claim(fees="35.00")
    paid_on = date(2025, 4, 10)  # interest 27 days = 9.25
    applied = allocate_direct_payment(claim, _nok("1050.00"), paid_on, RATES)
    # 1050.00 = principal 1000.00 + fee 35.00 + interest 9.25 + overpayment 5.75
    assert _parts(applied) == (_nok("1000.00"), _nok("35.00"), _nok("9.25"), ZERO, _nok("5.75"))
    assert claim.overpaid == _nok("5.75")
    assert owed(claim, paid_on, RATES) == ZERO


def test_a_short_direct_payment_stops_at_the_fees_before_the_interest_r_clm_7() -> None:
    claim = _claim(fees="35.00")
    paid_on = date(2025, 4, 10)
    applied = allocate_direct_payment(claim, _nok("1020.00"), paid_on, RATES)
    assert _parts(applied) == (_nok("1000.00"), _nok("20.00"), ZERO, ZERO, ZERO)
    assert claim.fees_outstanding == _nok("15.00")
    assert interest_outstanding(claim, paid_on, RATES) == _nok("9.25")


# -- R-CLM-10: credit notes ------------------------------------------------------------------------------------


def test_a_partial_credit_reduces_the_principal_r_clm_10() -> None:
    claim = _claim(fees="35.00")
    applied = apply_credit(claim, _nok("200.00"), date(2025, 4, 10), RATES)
    assert _parts(applied) == (_nok("200.00"), ZERO, ZERO, ZERO, ZERO)
    assert claim.principal_outstanding == _nok("800.00")
    assert claim.fees_outstanding == _nok("35.00")
    assert claim.interest_booked == _nok("9.25")  # the segment on 1000.00 closes at the credit
    assert claim.is_open


def test_a_full_credit_closes_the_claim_as_credited_and_waives_fees_interest_and_salaer_r_clm_10() -> None:
    claim = _claim(fees="35.00", salaer="245.00", stage=Stage.INKASSO)
    on = date(2025, 4, 10)
    applied = apply_credit(claim, _nok("1200.00"), on, RATES)  # more than the principal: only 1000.00 credited
    assert applied.principal == _nok("1000.00")
    assert applied.waived_interest == _nok("9.25")
    assert claim.closed_reason is ClosedReason.CREDITED
    assert claim.closed_on == on
    assert claim.fees_outstanding == claim.salaer_outstanding == ZERO
    assert owed(claim, on, RATES) == ZERO
    assert owed(claim, date(2025, 12, 31), RATES) == ZERO
    assert not settle_if_paid(claim, on, RATES)
    assert not claim.paid_confirmation_due
    assert not claim.interest_note_due


# -- R-CLM-9 and R-CLM-8 after money came in ----------------------------------------------------------------------


def test_paid_in_full_closes_the_claim_as_paid_with_a_confirmation_due_r_clm_9() -> None:
    claim = _claim(fees="35.00")
    on = date(2025, 4, 10)
    allocate_client_payment([claim], _nok("1044.25"), on, RATES)  # 35.00 + 9.25 + 1000.00
    assert settle_if_paid(claim, on, RATES)
    assert (claim.stage, claim.closed_reason, claim.closed_on) == (Stage.CLOSED, ClosedReason.PAID, on)
    assert claim.paid_confirmation_due
    assert not settle_if_paid(claim, on, RATES)  # closed once


def test_a_claim_still_owing_an_ore_stays_open() -> None:
    claim = _claim(fees="35.00")
    on = date(2025, 4, 10)
    allocate_client_payment([claim], _nok("1044.24"), on, RATES)
    assert not settle_if_paid(claim, on, RATES)
    assert claim.is_open
    assert not claim.paid_confirmation_due


@pytest.mark.parametrize("stage", [Stage.REMINDER, Stage.NOTICE])
def test_principal_paid_with_interest_left_makes_an_interest_note_due_in_reminder_or_notice_r_clm_8(
    stage: Stage,
) -> None:
    claim = _claim(stage=stage)
    on = date(2025, 4, 10)
    allocate_direct_payment(claim, _nok("1000.00"), on, RATES)
    assert not settle_if_paid(claim, on, RATES)
    assert claim.interest_note_due
    assert claim.is_open
    assert interest_outstanding(claim, on, RATES) == _nok("9.25")


@pytest.mark.parametrize("stage", [Stage.COLLECTION_LIST, Stage.INKASSO, Stage.LEGAL])
def test_principal_paid_with_interest_left_after_the_notice_stage_makes_no_interest_note_r_clm_8(
    stage: Stage,
) -> None:
    claim = _claim(stage=stage)
    on = date(2025, 4, 10)
    allocate_direct_payment(claim, _nok("1000.00"), on, RATES)
    assert not settle_if_paid(claim, on, RATES)
    assert not claim.interest_note_due
    assert claim.stage is stage


def test_a_claim_gets_one_interest_note_only_r_clm_8() -> None:
    claim = in_state(_claim(), interest_note_on=date(2025, 4, 1))
    allocate_direct_payment(claim, _nok("1000.00"), date(2025, 4, 10), RATES)
    assert not settle_if_paid(claim, date(2025, 4, 10), RATES)
    assert not claim.interest_note_due


# -- properties ------------------------------------------------------------------------------------------------

_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2).map(Money.of)
_costs = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("2000"), places=2).map(Money.of)
_claims = st.builds(
    lambda n, due, principal, fees, salaer, stage: _claim(
        f"K{n}",
        f"{1000 + n}",
        due,
        str(principal.amount),
        fees=str(fees.amount),
        salaer=str(salaer.amount),
        stage=stage,
    ),
    st.integers(min_value=0, max_value=999),
    st.dates(min_value=date(2016, 1, 1), max_value=date(2025, 12, 31)),
    _amounts,
    _costs,
    _costs,
    st.sampled_from([Stage.REMINDER, Stage.NOTICE, Stage.COLLECTION_LIST, Stage.INKASSO, Stage.LEGAL]),
)


def _unique(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.collection_id, claim)
    return list(seen.values())


def _assert_whole(applied: list[Applied], amount: Money, claims: list[Claim], on: date) -> None:
    covered = Money.sum(a.total for a in applied)
    assert covered == amount
    for a in applied:
        for part in (*_parts(a), a.waived_interest):
            assert not part.is_negative(), a
    for claim in claims:
        for left in (claim.principal_outstanding, claim.fees_outstanding, claim.salaer_outstanding, claim.overpaid):
            assert not left.is_negative(), claim
        assert not interest_outstanding(claim, on, RATES).is_negative()


@given(
    st.lists(_claims, min_size=1, max_size=4).map(_unique),
    _amounts,
    st.integers(min_value=0, max_value=400),
    st.sampled_from(list(AllocationOrder)),
    st.booleans(),
)
def test_a_client_payment_is_covered_to_the_ore_and_nothing_goes_negative_r_clm_7(
    claims: list[Claim], amount: Money, days: int, order: AllocationOrder, with_letter: bool
) -> None:
    on = max(c.due_date for c in claims) + timedelta(days=days)
    letter = None
    if with_letter:
        stated = {c.collection_id: interest_outstanding(c, on - timedelta(days=days // 2), RATES) for c in claims}
        total = Money.sum(c.principal_outstanding + c.costs_outstanding + stated[c.collection_id] for c in claims)
        letter = LetterTerms(on - timedelta(days=days // 2), on, total, stated)
    applied = allocate_client_payment(claims, amount, on, RATES, order=order, letter=letter)
    _assert_whole(applied, amount, claims, on)


@given(_claims, _amounts, st.integers(min_value=0, max_value=400))
def test_a_direct_payment_is_covered_to_the_ore_and_nothing_goes_negative_r_clm_7(
    claim: Claim, amount: Money, days: int
) -> None:
    on = claim.due_date + timedelta(days=days)
    applied = allocate_direct_payment(claim, amount, on, RATES)
    _assert_whole([applied], amount, [claim], on)


@given(_claims, st.lists(_amounts, min_size=1, max_size=4), st.integers(min_value=0, max_value=400))
def test_payments_one_after_another_never_cover_more_than_was_owed_r_clm_7(
    claim: Claim, amounts: list[Money], days: int
) -> None:
    on = claim.due_date + timedelta(days=days)
    before = owed(claim, on, RATES)
    taken = ZERO
    for amount in amounts:
        applied = allocate_client_payment([claim], amount, on, RATES)
        _assert_whole(applied, amount, [claim], on)
        taken = taken + Money.sum(a.total - a.overpaid for a in applied)
    assert taken == before - owed(claim, on, RATES)


# -- R-CLM-14: the day the debtor's bank got the order ----------------------------------------------------------

REMINDER_SENT = date(2025, 3, 21)
REMINDER_DEADLINE = date(2025, 3, 28)  # a Friday; five bank days later is Friday 4 April


def _reminder_letter(claim: Claim) -> LetterTerms:
    """The reminder of REMINDER_SENT: principal 1000.00 + interest 7 days (1000 × 0.125 × 7 / 365 = 2.397… → 2.40),
    when the claim had been charged nothing."""
    return LetterTerms(
        REMINDER_SENT,
        REMINDER_DEADLINE,
        _nok("1002.40"),
        {claim.collection_id: _nok("2.40")},
        {claim.collection_id: (ZERO, ZERO)},
    )


@pytest.mark.parametrize(
    ("ordered_on", "received_on", "in_time"),
    [
        (REMINDER_DEADLINE, date(2025, 4, 4), True),  # ordered on the deadline, booked the fifth bank day after
        (date(2025, 3, 26), date(2025, 4, 4), True),
        (REMINDER_DEADLINE, date(2025, 4, 7), False),  # the sixth bank day after: too long in transit
        (date(2025, 3, 29), date(2025, 4, 1), False),  # ordered the day after the deadline: late however it arrives
        (None, REMINDER_DEADLINE, True),  # no order date in the file: the booking date counts
        (None, date(2025, 3, 31), False),
        (date(2025, 4, 2), date(2025, 3, 28), True),  # an order date after the booking is the booking's
    ],
)
def test_a_payment_is_made_when_the_debtors_bank_got_the_order_r_clm_14(
    ordered_on: date | None, received_on: date, in_time: bool
) -> None:
    assert paid_by_deadline(REMINDER_DEADLINE, received_on, ordered_on) is in_time


def test_a_letter_paid_in_time_waives_the_fee_charged_after_it_though_the_claim_moved_on_r_clm_14() -> None:
    claim = _claim(fees="35.00", stage=Stage.NOTICE)  # the notice of 31 March charged 35.00 after the reminder
    on = date(2025, 4, 2)
    applied = allocate_client_payment(
        [claim], _nok("1002.40"), on, RATES, letter=_reminder_letter(claim), ordered_on=REMINDER_DEADLINE
    )
    assert _parts(applied[0]) == (_nok("1000.00"), ZERO, _nok("2.40"), ZERO, ZERO)
    assert applied[0].waived_costs == _nok("35.00")
    assert claim.fees_charged == claim.fees_outstanding == ZERO
    assert settle_if_paid(claim, on, RATES)
    assert claim.closed_reason is ClosedReason.PAID


def test_a_notice_paid_in_time_waives_the_salaer_of_the_inkasso_that_followed_but_not_its_own_fee_r_clm_14() -> None:
    claim = _claim(fees="35.00", salaer="280.00", stage=Stage.INKASSO)
    letter = LetterTerms(
        NOTICE_SENT,
        NOTICE_DEADLINE,
        _nok("1039.79"),
        {claim.collection_id: _nok("4.79")},
        {claim.collection_id: (_nok("35.00"), ZERO)},
    )
    on = date(2025, 4, 16)  # the third bank day after the deadline
    applied = allocate_client_payment([claim], _nok("1039.79"), on, RATES, letter=letter, ordered_on=NOTICE_DEADLINE)
    assert _parts(applied[0]) == (_nok("1000.00"), _nok("35.00"), _nok("4.79"), ZERO, ZERO)
    assert applied[0].waived_costs == _nok("280.00")
    assert claim.salaer_charged == claim.salaer_outstanding == ZERO
    assert claim.fees_charged == _nok("35.00")
    assert settle_if_paid(claim, on, RATES)


def test_a_payment_ordered_after_the_deadline_is_late_and_waives_nothing_r_clm_14() -> None:
    claim = _claim(fees="35.00", stage=Stage.NOTICE)
    on = date(2025, 4, 2)
    applied = allocate_client_payment(
        [claim], _nok("1002.40"), on, RATES, letter=_reminder_letter(claim), ordered_on=date(2025, 3, 31)
    )
    # as of 2 April (19 days: 1000 × 0.125 × 19 / 365 = 6.5068… → 6.51): fee 35.00, interest 6.51, principal 960.89
    assert _parts(applied[0]) == (_nok("960.89"), _nok("35.00"), _nok("6.51"), ZERO, ZERO)
    assert applied[0].waived_costs is None
    assert claim.fees_charged == _nok("35.00")
    assert claim.principal_outstanding == _nok("39.11")
