"""The steps of a collection day as pure decisions on claims (R-CLM-1 … R-CLM-13, R-TIME-3, R-ACT-1, R-ACT-4).

Each test builds claims and a :class:`Day` (an agreement and the real rate tables), runs a step and reads the
letters it decided and what it did to the claims. Calendar facts used below (Norway): 29 May 2025 is Ascension
Day (a Thursday), 17 May 2022 Constitution Day (a Tuesday), 9 June 2025 Whit Monday; 5 April 2025 a Saturday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.calendar import is_bank_day
from krav.domain.collection.actions import Action, Refusal, apply_action
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.fees import (
    claim_standard_compensation,
    notice_fee,
    set_off_against_compensation,
)
from krav.domain.collection.letters import LetterType, Recipient
from krav.domain.collection.schedule import pause_expiry, transfer_day_after_resume, transfer_day_for_list
from krav.domain.collection.steps import (
    Day,
    StepResult,
    confirmations_and_interest_notes,
    draw_collection_list,
    expire_pauses,
    legal_steps,
    reminder_and_notice_letters,
    transfers_to_inkasso,
)
from krav.domain.money import Money
from tests.builders import in_state

RATES = load_rate_tables()
AGREEMENT = Agreement(active=True, collection_list_email="liste@example.no")
ASCENSION_2025 = date(2025, 5, 29)
CONSTITUTION_DAY_2022 = date(2022, 5, 17)
SATURDAY = date(2025, 4, 5)


def _nok(amount: str) -> Money:
    return Money.of(amount)


ZERO = _nok("0.00")


def _debtor(number: str = "10001", kind: str = "consumer") -> Recipient:
    orgno = "974760673" if kind == "business" else None
    return Recipient(number, f"Kunde {number}", kind, orgno, "Storgata 1", "0155", "Oslo", "NO", None)


def _claim(
    cid: str = "K1",
    invoice: str = "1001",
    due: date = date(2025, 3, 14),
    principal: str = "1000.00",
    *,
    debtor: str = "10001",
    kind: str = "consumer",
    stage: Stage = Stage.NEW,
    **state: object,
) -> Claim:
    claim = Claim(
        company_id=1,
        collection_id=cid,
        invoice_number=invoice,
        invoice_date=due - timedelta(days=14),
        due_date=due,
        principal=_nok(principal),
        submitted_on=due + timedelta(days=14),
        debtor=_debtor(debtor, kind),
    )
    return in_state(claim, stage=stage, **state)


def _day(today: date, *, vat_registered: bool = True, **agreement: object) -> Day:
    return Day(today, replace(AGREEMENT, **agreement), RATES, creditor_vat_registered=vat_registered)


def _letters(result: StepResult) -> list[tuple[LetterType, str, list[str]]]:
    return [(lt.type, lt.recipient.number, [c.invoice_number for c in lt.claims]) for lt in result.letters]


def _listed(
    claim_id: str,
    listed_on: date,
    transfer_on: date | None,
    invoice: str = "1001",
    *,
    debtor: str = "10001",
    kind: str = "consumer",
    **kw: object,
) -> Claim:
    return _claim(
        claim_id,
        invoice,
        debtor=debtor,
        kind=kind,
        stage=Stage.COLLECTION_LIST,
        listed_on=listed_on,
        transfer_on=transfer_on,
        notice_sent_on=date(2025, 3, 28),
        notice_deadline=date(2025, 4, 11),
        last_deadline=date(2025, 4, 11),
        fees_charged=_nok("35.00"),
        fees_outstanding=_nok("35.00"),
        **kw,
    )


def _in_inkasso(cid: str, invoice: str, principal: str, demand_deadline: date, **kw: object) -> Claim:
    state: dict[str, object] = {
        "inkasso_on": demand_deadline - timedelta(days=14),
        "case_number": "S001-000001",
        "demand_deadline": demand_deadline,
        "last_deadline": demand_deadline,
    }
    return _claim(cid, invoice, principal=principal, stage=Stage.INKASSO, **(state | kw))


# -- R-CLM-1: one letter per debtor per step ------------------------------------------------------------------


def test_one_letter_per_debtor_per_step_claims_by_due_date_then_invoice_number_fee_on_the_first_r_clm_1() -> None:
    a_late = _claim("K2", "1002", date(2025, 3, 14), "200.00")
    a_same_day_lower_number = _claim("K3", "1001", date(2025, 3, 14), "300.00")
    a_oldest = _claim("K1", "1003", date(2025, 3, 10), "100.00")
    b = _claim("K4", "1000", date(2025, 3, 1), "400.00", debtor="10002")
    result = reminder_and_notice_letters([a_late, b, a_same_day_lower_number, a_oldest], _day(date(2025, 3, 28)))
    assert _letters(result) == [
        (LetterType.NOTICE, "10001", ["1003", "1001", "1002"]),
        (LetterType.NOTICE, "10002", ["1000"]),
    ]
    # one fee per letter (1/20 of 700 = 35.00), carried by the letter's first claim only
    assert [c.fees_charged for c in (a_oldest, a_same_day_lower_number, a_late)] == [_nok("35.00"), ZERO, ZERO]
    assert b.fees_charged == _nok("35.00")
    assert [line.fee for line in result.letters[0].lines] == [_nok("35.00"), ZERO, ZERO]
    assert all(c.stage is Stage.NOTICE for c in (a_late, a_same_day_lower_number, a_oldest, b))


def test_a_debtor_gets_one_letter_per_step_a_reminder_and_a_notice_on_the_same_day_are_two_r_clm_1() -> None:
    new = _claim("K1", "1001", date(2025, 3, 21))
    reminded = _claim(
        "K2",
        "1002",
        date(2025, 3, 7),
        stage=Stage.REMINDER,
        reminder_deadline=date(2025, 3, 21),
        first_letter_on=date(2025, 3, 14),
    )
    result = reminder_and_notice_letters([new, reminded], _day(date(2025, 3, 28), reminder_before_notice=True))
    assert _letters(result) == [(LetterType.REMINDER, "10001", ["1001"]), (LetterType.NOTICE, "10001", ["1002"])]


# -- R-CLM-2: the reminder ----------------------------------------------------------------------------------------


def test_a_reminder_has_no_fee_and_its_deadline_is_the_agreements_reminder_deadline_r_clm_2() -> None:
    claim = _claim(due=date(2025, 3, 14))
    sent = date(2025, 3, 21)
    result = reminder_and_notice_letters([claim], _day(sent, reminder_before_notice=True, reminder_deadline_days=10))
    assert _letters(result) == [(LetterType.REMINDER, "10001", ["1001"])]
    letter = result.letters[0]
    assert letter.deadline == date(2025, 3, 31)  # 21 March + 10 days
    assert letter.lines[0].fee == ZERO
    assert claim.fees_charged == ZERO
    assert (claim.stage, claim.deadlines.reminder_deadline, claim.deadlines.first_letter_on) == (
        Stage.REMINDER,
        date(2025, 3, 31),
        sent,
    )


def test_the_notice_follows_the_day_after_the_reminder_deadline_has_passed_r_clm_2_r_clm_3() -> None:
    claim = _claim(due=date(2025, 3, 14))
    reminder_and_notice_letters([claim], _day(date(2025, 3, 21), reminder_before_notice=True))  # deadline 28 March
    on_deadline = reminder_and_notice_letters([claim], _day(date(2025, 3, 28), reminder_before_notice=True))
    assert on_deadline.letters == []
    after = reminder_and_notice_letters([claim], _day(date(2025, 3, 31), reminder_before_notice=True))
    assert _letters(after) == [(LetterType.NOTICE, "10001", ["1001"])]
    assert after.letters[0].deadline == date(2025, 4, 14)
    assert claim.fees_charged == _nok("35.00")  # sent 17 days after the due date: the fee applies


# -- R-CLM-3: the collection notice -------------------------------------------------------------------------------


def test_the_notice_deadline_is_sent_plus_14_days_and_not_moved_off_a_holiday_r_clm_3() -> None:
    claim = _claim(due=date(2025, 4, 28))
    result = reminder_and_notice_letters([claim], _day(date(2025, 5, 15)))
    assert result.letters[0].deadline == ASCENSION_2025  # 15 May + 14 days, a holiday, and kept
    assert not is_bank_day(ASCENSION_2025)
    assert claim.deadlines.notice_deadline == claim.deadlines.last_deadline == ASCENSION_2025


@pytest.mark.parametrize(
    ("due", "sent", "fee"),
    [
        (date(2025, 3, 14), date(2025, 3, 28), "35.00"),  # 700 / 20
        (date(2019, 9, 1), date(2019, 9, 20), "70.00"),  # 700 / 10 before 2020-10-01
        (date(2020, 9, 1), date(2020, 9, 30), "70.00"),  # the last day of 1/10
        (date(2020, 9, 1), date(2020, 10, 1), "35.00"),  # the first day of 1/20
        (date(2026, 1, 5), date(2026, 1, 20), "38.00"),  # 750 / 20 = 37.50, from 2026 rounded to whole kroner
    ],
)
def test_the_notice_fee_is_the_dated_share_of_the_inkassosats_on_the_day_sent_r_clm_3(
    due: date, sent: date, fee: str
) -> None:
    assert notice_fee(_claim(due=due), sent, RATES) == _nok(fee)


def test_no_notice_fee_when_sent_less_than_14_days_after_the_due_date_r_clm_3() -> None:
    due = date(2025, 3, 14)
    assert notice_fee(_claim(due=due), due + timedelta(days=13), RATES) == ZERO
    assert notice_fee(_claim(due=due), due + timedelta(days=14), RATES) == _nok("35.00")
    claim = _claim(due=date(2025, 3, 20))
    result = reminder_and_notice_letters([claim], _day(date(2025, 3, 28)))  # 8 days after the due date
    assert _letters(result) == [(LetterType.NOTICE, "10001", ["1001"])]
    assert claim.fees_charged == ZERO
    assert claim.fee_letters == 0


def _noticed_once(deadline_days: int = 14) -> Claim:
    sent = date(2025, 3, 28)
    return _claim(
        fee_letters=1, notice_sent_on=sent, notice_deadline=sent + timedelta(days=deadline_days), stage=Stage.NOTICE
    )


def test_a_second_fee_bearing_letter_only_after_a_missed_deadline_of_at_least_14_days_r_clm_3() -> None:
    assert notice_fee(_noticed_once(), date(2025, 4, 11), RATES) == ZERO  # the deadline day: not missed yet
    assert notice_fee(_noticed_once(), date(2025, 4, 12), RATES) == _nok("35.00")
    assert notice_fee(_noticed_once(deadline_days=10), date(2025, 4, 30), RATES) == ZERO  # a 10-day deadline


def test_at_most_two_fee_bearing_letters_per_claim_r_clm_3() -> None:
    claim = in_state(_noticed_once(), fee_letters=2)
    assert notice_fee(claim, date(2025, 6, 30), RATES) == ZERO


# -- R-CLM-4: the collection list ---------------------------------------------------------------------------------


def _noticed(cid: str, invoice: str, deadline: date, due: date = date(2025, 3, 14), **kw: object) -> Claim:
    return _claim(
        cid,
        invoice,
        due,
        stage=Stage.NOTICE,
        notice_sent_on=deadline - timedelta(days=14),
        notice_deadline=deadline,
        last_deadline=deadline,
        **kw,
    )


def test_the_list_takes_claims_whose_deadline_passed_before_the_tuesday_not_on_it_r_clm_4() -> None:
    passed = _noticed("K1", "1001", date(2025, 4, 14))  # Monday
    on_the_day = _noticed("K2", "1002", date(2025, 4, 15))  # the Tuesday itself
    tuesday = date(2025, 4, 15)
    result = draw_collection_list([passed, on_the_day], _day(tuesday))
    assert result.listed == [passed]
    assert (passed.stage, passed.listing.listed_on) == (Stage.COLLECTION_LIST, tuesday)
    assert on_the_day.stage is Stage.NOTICE
    nxt = draw_collection_list([passed, on_the_day], _day(date(2025, 4, 22)))
    assert nxt.listed == [on_the_day]  # the next Tuesday; the listed one is not listed again


def test_the_list_is_drawn_on_tuesdays_only_r_clm_4() -> None:
    claim = _noticed("K1", "1001", date(2025, 4, 11))
    for day in (date(2025, 4, 14), date(2025, 4, 16), date(2025, 4, 17)):
        assert draw_collection_list([claim], _day(day)).listed == []
    assert draw_collection_list([claim], _day(date(2025, 4, 15))).listed == [claim]


def test_the_list_runs_by_due_date_then_invoice_number_across_debtors_r_clm_4() -> None:
    c = _noticed("K3", "1003", date(2025, 4, 11), due=date(2025, 3, 1), debtor="10002")
    b = _noticed("K2", "1001", date(2025, 4, 11), due=date(2025, 3, 14))
    a = _noticed("K1", "1002", date(2025, 4, 11), due=date(2025, 3, 14))
    result = draw_collection_list([a, b, c], _day(date(2025, 4, 15)))
    assert [x.invoice_number for x in result.listed] == ["1003", "1001", "1002"]


def test_a_holiday_tuesday_moves_the_list_to_the_next_bank_day_r_clm_4() -> None:
    claim = _noticed("K1", "1001", date(2022, 5, 13), due=date(2022, 4, 15))
    assert not is_bank_day(CONSTITUTION_DAY_2022)
    assert draw_collection_list([claim], _day(CONSTITUTION_DAY_2022)).listed == []
    result = draw_collection_list([claim], _day(date(2022, 5, 18)))
    assert result.listed == [claim]
    assert claim.listing.listed_on == date(2022, 5, 18)
    assert claim.listing.transfer_on == date(2022, 5, 19)  # the Thursday of that week


def test_paused_closed_and_reminded_only_claims_are_not_listed_r_clm_4() -> None:
    paused = _noticed("K1", "1001", date(2025, 4, 11), paused=True, paused_on=date(2025, 4, 1))
    closed = _noticed("K2", "1002", date(2025, 4, 11))
    closed.close(ClosedReason.CLOSED_BY_CREDITOR, date(2025, 4, 12))
    reminded = _claim(
        "K3", "1003", stage=Stage.REMINDER, reminder_deadline=date(2025, 4, 1), last_deadline=date(2025, 4, 1)
    )
    assert draw_collection_list([paused, closed, reminded], _day(date(2025, 4, 15))).listed == []


def test_with_the_automatic_list_claims_move_on_the_following_thursday_bank_day_moved_r_clm_4() -> None:
    tuesday = date(2025, 5, 27)
    assert transfer_day_for_list(tuesday) == date(2025, 5, 30)  # Thursday 29 May is Ascension Day
    claim = _noticed("K1", "1001", date(2025, 5, 23))
    draw_collection_list([claim], _day(tuesday))
    assert claim.listing.transfer_on == date(2025, 5, 30)
    for day in (date(2025, 5, 28), ASCENSION_2025):
        assert transfers_to_inkasso([claim], _day(day), case_numbers=["S1"]).letters == []
        assert claim.stage is Stage.COLLECTION_LIST
    result = transfers_to_inkasso([claim], _day(date(2025, 5, 30)), case_numbers=["S1"])
    assert _letters(result) == [(LetterType.PAYMENT_DEMAND, "10001", ["1001"])]
    assert (claim.stage, claim.case.inkasso_on) == (Stage.INKASSO, date(2025, 5, 30))


def test_without_the_automatic_list_only_approved_claims_move_r_clm_4() -> None:
    claim = _noticed("K1", "1001", date(2025, 5, 30))
    draw_collection_list([claim], _day(date(2025, 6, 3), automatic_collection_list=False))
    assert claim.listing.transfer_on is None
    assert (
        transfers_to_inkasso(
            [claim], _day(date(2025, 6, 12), automatic_collection_list=False), case_numbers=["S1"]
        ).letters
        == []
    )
    claim = in_state(claim, approved_on=date(2025, 6, 13))
    result = transfers_to_inkasso(
        [claim], _day(date(2025, 6, 13), automatic_collection_list=False), case_numbers=["S1"]
    )
    assert [lt.type for lt in result.letters] == [LetterType.PAYMENT_DEMAND]
    assert claim.stage is Stage.INKASSO


def test_a_listed_claim_paused_or_closed_before_its_thursday_does_not_move_r_clm_4() -> None:
    thursday = date(2025, 6, 5)
    paused = _listed("K1", date(2025, 6, 3), thursday, paused=True, paused_on=date(2025, 6, 4))
    closed = _listed("K2", date(2025, 6, 3), thursday)
    closed.close(ClosedReason.CLOSED_BY_CREDITOR, date(2025, 6, 4))
    assert transfers_to_inkasso([paused, closed], _day(thursday), case_numbers=["S1"]).letters == []
    assert paused.stage is Stage.COLLECTION_LIST
    assert closed.stage is Stage.CLOSED


# -- R-CLM-5: inkasso -------------------------------------------------------------------------------------------


def test_one_case_per_debtor_and_day_one_demand_one_light_salaer_on_the_combined_principal_r_clm_5() -> None:
    thursday = date(2025, 6, 5)
    a1 = _listed("K1", date(2025, 6, 3), thursday, "1001", principal_outstanding=_nok("300.00"))
    a2 = _listed("K2", date(2025, 6, 3), thursday, "1002", principal_outstanding=_nok("400.00"))
    b = _listed("K3", date(2025, 6, 3), thursday, "1003", debtor="10002")
    result = transfers_to_inkasso([a2, b, a1], _day(thursday), case_numbers=["S1", "S2", "S3"])
    assert _letters(result) == [
        (LetterType.PAYMENT_DEMAND, "10001", ["1001", "1002"]),
        (LetterType.PAYMENT_DEMAND, "10002", ["1003"]),
    ]
    # one salær on 300 + 400 = 700 (bracket up to 1000: 0.35 × 700 = 245.00), not 2 × 0.25 × 700 = 350.00
    assert (a1.salaer_charged, a2.salaer_charged) == (_nok("245.00"), ZERO)
    assert b.salaer_charged == _nok("245.00")  # 1000.00 is in the same bracket
    assert [line.salaer for line in result.letters[0].lines] == [_nok("245.00"), ZERO]
    assert (a1.case.case_number, a2.case.case_number, b.case.case_number) == ("S1", "S1", "S2")
    assert result.letters[0].deadline == date(2025, 6, 19)  # + 14 days
    assert a1.case.demand_deadline == a2.case.demand_deadline == date(2025, 6, 19)
    assert a1.case.salaer_level == 1


@pytest.mark.parametrize(
    ("kind", "vat_registered", "salaer"),
    [
        ("consumer", True, "245.00"),  # 0.35 × 700
        ("business", True, "367.50"),  # 245.00 × 1.5
        ("consumer", False, "306.25"),  # 245.00 × 1.25
        ("business", False, "459.37"),  # 245.00 × 1.5 × 1.25 = 459.375, rounded down (a maximum)
    ],
)
def test_the_salaer_is_raised_for_business_debtors_and_creditors_outside_vat_r_clm_5(
    kind: str, vat_registered: bool, salaer: str
) -> None:
    thursday = date(2025, 6, 5)
    claim = _listed("K1", date(2025, 6, 3), thursday, kind=kind)
    transfers_to_inkasso([claim], _day(thursday, vat_registered=vat_registered), case_numbers=["S1"])
    assert claim.salaer_charged == claim.salaer_outstanding == _nok(salaer)


# -- R-CLM-13: legal collection ---------------------------------------------------------------------------------


def test_the_legal_notice_comes_only_when_the_demand_deadline_passed_by_more_than_28_days_r_clm_13() -> None:
    deadline = date(2025, 5, 6)
    a1 = _in_inkasso("K1", "1001", "300.00", deadline, salaer_charged=_nok("245.00"), salaer_outstanding=_nok("245.00"))
    a2 = _in_inkasso("K2", "1002", "400.00", deadline)
    assert legal_steps([a1, a2], _day(date(2025, 6, 3))).letters == []  # 28 days after
    result = legal_steps([a1, a2], _day(date(2025, 6, 4)))  # 29 days after
    assert _letters(result) == [(LetterType.LEGAL_NOTICE, "10001", ["1001", "1002"])]
    # raised to heavy on that letter: 2 × 0.35 × 700 = 490.00, i.e. 245.00 on top of the light 245.00
    assert a1.salaer_charged == a1.salaer_outstanding == _nok("490.00")
    assert a2.salaer_charged == ZERO
    assert a1.case.salaer_level == 2
    assert [line.salaer for line in result.letters[0].lines] == [_nok("490.00"), ZERO]
    assert result.letters[0].deadline == a1.case.legal_deadline == date(2025, 6, 18)
    assert result.letters[0].case_number == "S001-000001"
    assert legal_steps([a1, a2], _day(date(2025, 6, 5))).letters == []  # once


def test_the_claim_goes_to_legal_the_bank_day_after_the_legal_deadline_passed_r_clm_13() -> None:
    claim = _in_inkasso(
        "K1",
        "1001",
        "1000.00",
        date(2025, 4, 24),
        legal_notice_on=date(2025, 5, 23),
        legal_deadline=date(2025, 6, 6),  # a Friday; 7–8 June a weekend, 9 June Whit Monday
        last_deadline=date(2025, 6, 6),
    )
    for day in (date(2025, 6, 6), date(2025, 6, 7), date(2025, 6, 8), date(2025, 6, 9)):
        legal_steps([claim], _day(day))
        assert claim.stage is Stage.INKASSO, day
    result = legal_steps([claim], _day(date(2025, 6, 10)))
    assert claim.stage is Stage.LEGAL
    assert result.letters == []
    assert [(e.kind, e.detail) for e in result.events] == [("stage", "legal")]


def test_no_letters_go_out_by_themselves_in_legal_r_clm_13() -> None:
    claim = _in_inkasso(
        "K1",
        "1001",
        "1000.00",
        date(2025, 4, 24),
        legal_notice_on=date(2025, 5, 23),
        legal_deadline=date(2025, 6, 6),
        last_deadline=date(2025, 6, 6),
    )
    claim = in_state(claim, stage=Stage.LEGAL)
    for day in (date(2025, 6, 10), date(2025, 7, 1), date(2025, 9, 30)):
        d = _day(day)
        results = [
            reminder_and_notice_letters([claim], d),
            transfers_to_inkasso([claim], d, case_numbers=["S9"]),
            legal_steps([claim], d),
            draw_collection_list([claim], d),
            confirmations_and_interest_notes([claim], d),
        ]
        assert [r.letters for r in results] == [[]] * 5
        assert claim.stage is Stage.LEGAL


# -- R-CLM-11: B2B standard compensation ------------------------------------------------------------------------


def test_the_standard_compensation_tops_the_notice_fee_up_to_its_amount_once_per_claim_r_clm_11() -> None:
    claim = _claim(kind="business")
    reminder_and_notice_letters([claim], _day(date(2025, 3, 28), claim_standard_compensation=True))
    # the notice fee 35.00, then the compensation for the first half of 2025 (470.00) adds 435.00: owed 470.00
    assert claim.fees_charged == claim.fees_outstanding == _nok("470.00")
    assert claim.compensation_state.compensation == _nok("435.00")
    assert claim_standard_compensation(claim, RATES) == ZERO  # once per claim
    assert claim.fees_charged == _nok("470.00")


def test_no_standard_compensation_for_consumers_or_when_the_agreement_does_not_claim_it_r_clm_11() -> None:
    consumer = _claim("K1")
    business = _claim("K2", debtor="20001", kind="business")
    reminder_and_notice_letters([consumer], _day(date(2025, 3, 28), claim_standard_compensation=True))
    reminder_and_notice_letters([business], _day(date(2025, 3, 28)))
    assert consumer.fees_charged == business.fees_charged == _nok("35.00")


def test_later_salaer_is_set_off_against_the_compensation_the_larger_is_owed_r_clm_11() -> None:
    claim = _claim(kind="business")
    reminder_and_notice_letters([claim], _day(date(2025, 3, 28), claim_standard_compensation=True))
    assert set_off_against_compensation(claim, _nok("100.00")) == ZERO  # 100 of the 435.00 used
    assert set_off_against_compensation(claim, _nok("400.00")) == _nok("65.00")  # 335.00 left, 65.00 added
    assert claim.compensation_state.compensation == ZERO


def test_with_light_salaer_the_debtor_owes_the_compensation_not_both_r_clm_11() -> None:
    claim = _claim(kind="business")
    ag = {"claim_standard_compensation": True}
    reminder_and_notice_letters([claim], _day(date(2025, 3, 28), **ag))
    draw_collection_list([claim], _day(date(2025, 4, 15), **ag))
    transfers_to_inkasso([claim], _day(date(2025, 4, 22), **ag), case_numbers=["S1"])
    # costs: fee 35.00 + light business salær 0.35 × 700 × 1.5 = 367.50 → 402.50 < 470.00: 470.00 owed in all
    assert claim.fees_charged + claim.salaer_charged == _nok("470.00")


def test_with_heavy_salaer_the_debtor_owes_the_costs_not_the_costs_and_the_compensation_r_clm_11() -> None:
    claim = _claim(kind="business")
    ag = {"claim_standard_compensation": True}
    reminder_and_notice_letters([claim], _day(date(2025, 3, 28), **ag))
    draw_collection_list([claim], _day(date(2025, 4, 15), **ag))
    transfers_to_inkasso([claim], _day(date(2025, 4, 22), **ag), case_numbers=["S1"])
    assert claim.case.demand_deadline == date(2025, 5, 6)
    legal_steps([claim], _day(date(2025, 6, 4), **ag))
    # costs: fee 35.00 + heavy business salær 2 × 0.35 × 700 × 1.5 = 735.00 → 770.00 > 470.00: 770.00 owed in all
    assert claim.fees_charged + claim.salaer_charged == _nok("770.00")


# -- R-TIME-3: nothing happens on a non-bank day ----------------------------------------------------------------


def _one_of_everything(today: date) -> list[Claim]:
    """A claim due for each step on ``today`` (or on the first bank day after it)."""
    earlier = today - timedelta(days=60)
    return [
        _claim("K1", "1001", earlier),  # new: its first letter
        _claim("K2", "1002", earlier, stage=Stage.REMINDER, reminder_deadline=today - timedelta(days=3)),
        _noticed("K3", "1003", today - timedelta(days=10), due=earlier),  # for the list
        _listed("K4", today - timedelta(days=7), today - timedelta(days=1), "1004"),
        _in_inkasso("K5", "1005", "1000.00", today - timedelta(days=40)),  # legal notice due
        _in_inkasso(
            "K6",
            "1006",
            "1000.00",
            today - timedelta(days=80),
            legal_notice_on=today - timedelta(days=30),
            legal_deadline=today - timedelta(days=16),
        ),
        _claim("K7", "1007", earlier, stage=Stage.NOTICE, paused=True, paused_on=today - timedelta(days=200)),
        _claim("K8", "1008", earlier, stage=Stage.CLOSED, closed_reason=ClosedReason.PAID, paid_confirmation_due=True),
    ]


def _all_steps(claims: list[Claim], day: Day) -> list[StepResult]:
    return [
        expire_pauses(claims, day),
        confirmations_and_interest_notes(claims, day),
        reminder_and_notice_letters(claims, day),
        transfers_to_inkasso(claims, day, case_numbers=iter(["S1", "S2", "S3"])),
        legal_steps(claims, day),
        draw_collection_list(claims, day),
    ]


@pytest.mark.parametrize(
    ("today", "next_bank_day", "listed"),
    [
        (SATURDAY, date(2025, 4, 7), []),  # Monday 7 April: no list
        (CONSTITUTION_DAY_2022, date(2022, 5, 18), ["1003"]),  # the holiday Tuesday's list is drawn on Wednesday
    ],
)
def test_no_letters_and_no_stage_moves_on_a_non_bank_day_they_happen_on_the_next_r_time_3(
    today: date, next_bank_day: date, listed: list[str]
) -> None:
    claims = _one_of_everything(today)
    before = [(c.stage, c.paused, c.paid_confirmation_due) for c in claims]
    results = _all_steps(claims, _day(today))
    assert [(r.letters, r.events, r.listed) for r in results] == [([], [], [])] * 6
    assert [(c.stage, c.paused, c.paid_confirmation_due) for c in claims] == before
    results = _all_steps(claims, _day(next_bank_day))
    assert sorted((lt.type.value, *(c.invoice_number for c in lt.claims)) for r in results for lt in r.letters) == [
        ("legal_notice", "1005"),
        ("notice", "1001", "1002"),  # the new claim's first letter and the reminded claim's notice: one letter
        ("paid_confirmation", "1008"),
        ("payment_demand", "1004"),
    ]
    assert [c.invoice_number for r in results for c in r.listed] == listed
    assert claims[6].closed_reason is ClosedReason.PAUSE_EXPIRED
    assert claims[5].stage is Stage.LEGAL


# -- R-ACT-1: pause, expiry and resume -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paused_on", "expires"),
    [
        (date(2025, 3, 31), date(2025, 9, 30)),  # a Tuesday, the same day of the month
        (date(2025, 8, 31), date(2026, 3, 2)),  # 28 February 2026 (no 31st) is a Saturday: the next bank day
        (date(2025, 6, 17), date(2025, 12, 17)),
    ],
)
def test_a_pause_expires_six_months_later_on_the_same_day_or_the_months_last_bank_day_moved_r_act_1(
    paused_on: date, expires: date
) -> None:
    assert pause_expiry(paused_on) == expires
    claim = _noticed("K1", "1001", paused_on - timedelta(days=1), paused=True, paused_on=paused_on)
    assert expire_pauses([claim], _day(expires - timedelta(days=1))).events == []
    assert claim.is_open
    result = expire_pauses([claim], _day(expires))
    assert (claim.closed_reason, claim.closed_on) == (ClosedReason.PAUSE_EXPIRED, expires)
    assert [(e.kind, e.detail) for e in result.events] == [("closed", "pause_expired")]


def test_while_paused_there_are_no_letters_or_moves_and_resume_continues_where_it_stood_r_act_1() -> None:
    claim = _noticed("K1", "1001", date(2025, 4, 11))
    assert apply_action(Action.PAUSE, claim, date(2025, 4, 1)).accepted
    assert draw_collection_list([claim], _day(date(2025, 4, 15))).listed == []
    assert apply_action(Action.RESUME, claim, date(2025, 4, 28)).accepted
    assert (claim.paused, claim.stage) == (False, Stage.NOTICE)
    # the deadline passed during the pause is simply passed: the next Tuesday lists the claim
    assert draw_collection_list([claim], _day(date(2025, 4, 29))).listed == [claim]


@pytest.mark.parametrize(
    ("resumed_on", "moves_on"),
    [(date(2025, 6, 10), date(2025, 6, 12)), (date(2025, 5, 26), date(2025, 5, 30))],  # 29 May: Ascension Day
)
def test_a_listed_claim_whose_thursday_passed_in_a_pause_moves_on_the_next_thursday_after_resume_r_act_1(
    resumed_on: date, moves_on: date
) -> None:
    listed_on = resumed_on - timedelta(days=14)
    thursday = listed_on + timedelta(days=2)
    claim = _listed("K1", listed_on, thursday)
    apply_action(Action.PAUSE, claim, listed_on + timedelta(days=1))
    assert transfers_to_inkasso([claim], _day(thursday), case_numbers=["S1"]).letters == []
    apply_action(Action.RESUME, claim, resumed_on)
    assert claim.listing.transfer_on == moves_on == transfer_day_after_resume(resumed_on)
    assert transfers_to_inkasso([claim], _day(moves_on - timedelta(days=1)), case_numbers=["S1"]).letters == []
    result = transfers_to_inkasso([claim], _day(moves_on), case_numbers=["S1"])
    assert [lt.type for lt in result.letters] == [LetterType.PAYMENT_DEMAND]
    assert claim.stage is Stage.INKASSO


# -- R-ACT-4 and the refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.INKASSO, Stage.LEGAL])
def test_in_inkasso_pause_and_resume_are_refused_close_and_message_accepted_r_act_4(stage: Stage) -> None:
    claim = in_state(_in_inkasso("K1", "1001", "1000.00", date(2025, 5, 6)), stage=stage)
    on = date(2025, 5, 12)
    for action in (Action.PAUSE, Action.RESUME):
        result = apply_action(action, claim, on)
        assert (result.accepted, result.reason) == (False, Refusal.CLAIM_IN_INKASSO)
        assert "inkasso" in result.message_en
    assert (claim.paused, claim.stage) == (False, stage)
    assert apply_action(Action.MESSAGE, claim, on).accepted
    assert claim.stage is stage
    closed = apply_action(Action.CLOSE, claim, on)
    assert (closed.accepted, closed.reason) == (True, None)
    assert (claim.closed_reason, claim.closed_on) == (ClosedReason.CLOSED_BY_CREDITOR, on)


@pytest.mark.parametrize("action", [Action.PAUSE, Action.RESUME, Action.CLOSE])
def test_actions_on_a_closed_claim_are_refused_claim_closed_r_act_4(action: Action) -> None:
    claim = _noticed("K1", "1001", date(2025, 4, 11))
    claim.close(ClosedReason.PAID, date(2025, 4, 10))
    result = apply_action(action, claim, date(2025, 4, 14))
    assert (result.accepted, result.reason) == (False, Refusal.CLAIM_CLOSED)
    assert (claim.closed_reason, claim.closed_on) == (ClosedReason.PAID, date(2025, 4, 10))


def test_resume_of_a_claim_not_paused_is_refused_not_paused_r_act_1() -> None:
    claim = _noticed("K1", "1001", date(2025, 4, 11))
    result = apply_action(Action.RESUME, claim, date(2025, 4, 3))
    assert (result.accepted, result.reason) == (False, Refusal.NOT_PAUSED)


def test_pausing_a_paused_claim_is_refused_already_paused_and_keeps_the_first_pause_date_r_act_1() -> None:
    claim = _noticed("K1", "1001", date(2025, 4, 11))
    assert apply_action(Action.PAUSE, claim, date(2025, 4, 1)).accepted
    result = apply_action(Action.PAUSE, claim, date(2025, 4, 8))
    assert (result.accepted, result.reason) == (False, Refusal.ALREADY_PAUSED)
    assert claim.paused_on == date(2025, 4, 1)


# -- R-CLM-9 and R-CLM-8: confirmations and interest notes --------------------------------------------------------


def test_one_paid_confirmation_per_debtor_for_the_claims_closed_that_day_r_clm_9() -> None:
    on = date(2025, 4, 10)
    claims = [
        _claim("K1", "1001", stage=Stage.CLOSED, closed_reason=ClosedReason.PAID, paid_confirmation_due=True),
        _claim("K2", "1002", stage=Stage.CLOSED, closed_reason=ClosedReason.PAID, paid_confirmation_due=True),
        _claim("K3", "1003", debtor="10002", stage=Stage.CLOSED, paid_confirmation_due=True),
    ]
    result = confirmations_and_interest_notes(claims, _day(on))
    assert _letters(result) == [
        (LetterType.PAID_CONFIRMATION, "10001", ["1001", "1002"]),
        (LetterType.PAID_CONFIRMATION, "10002", ["1003"]),
    ]
    assert not any(c.paid_confirmation_due for c in claims)
    assert confirmations_and_interest_notes(claims, _day(on)).letters == []


def test_an_interest_note_has_a_14_day_deadline_and_the_claim_is_listed_when_unpaid_r_clm_8() -> None:
    claim = _noticed(
        "K1",
        "1001",
        date(2025, 4, 11),
        interest_note_due=True,
        principal_outstanding=ZERO,
        fees_outstanding=_nok("35.00"),
    )
    result = confirmations_and_interest_notes([claim], _day(date(2025, 4, 7)))
    assert _letters(result) == [(LetterType.INTEREST_NOTE, "10001", ["1001"])]
    assert result.letters[0].deadline == claim.deadlines.last_deadline == date(2025, 4, 21)
    assert not claim.interest_note_due
    assert draw_collection_list([claim], _day(date(2025, 4, 15))).listed == []  # the note's deadline runs
    assert draw_collection_list([claim], _day(date(2025, 4, 22))).listed == [claim]
