"""Objections (R-CLM-15): recorded on a claim, they stop every letter, charge and move until answered; a rejection
sends the reasons with a new 14-day deadline that replaces the latest letter's, an upheld objection closes the
claim without costs.

Calendar (Norway, 2025): 10 October is a Friday, 24 October a Friday, 28 October a Tuesday, 30 October a
Thursday; 11 October a Saturday. Interest from 15 September at 12.25 % (second half of 2025).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action, Refusal, apply_action, refusal
from krav.domain.collection.claims import Claim, ClaimRefused, ClosedReason, ObjectionAnswer, Stage
from krav.domain.collection.interest import interest_outstanding
from krav.domain.collection.letters import LetterType, Recipient
from krav.domain.collection.steps import (
    Day,
    confirmations_and_interest_notes,
    draw_collection_list,
    legal_steps,
    objection_answers,
    reminder_and_notice_letters,
    transfers_to_inkasso,
)
from krav.domain.money import Money
from tests.builders import in_state

RATES = load_rate_tables()
AGREEMENT = Agreement(active=True, collection_list_email="liste@example.no")
DUE = date(2025, 9, 15)
ANSWERED = date(2025, 10, 10)  # a Friday
ANSWER_DEADLINE = date(2025, 10, 24)
DEBTOR = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
ZERO = Money.of("0.00")


def _claim(stage: Stage = Stage.NOTICE, **state: object) -> Claim:
    claim = Claim(1, "K1", "1001", DUE - timedelta(days=14), DUE, Money.of("1800.00"), DUE, DEBTOR)
    return in_state(claim, stage=stage, **state)


def _day(on: date, agreement: Agreement = AGREEMENT) -> Day:
    return Day(on, agreement, RATES)


def _disputed(stage: Stage = Stage.NOTICE, **state: object) -> Claim:
    return _claim(stage, disputed=True, disputed_on=date(2025, 10, 3), **state)


def _rejected(stage: Stage = Stage.NOTICE, **state: object) -> Claim:
    return _claim(stage, objection_answer=ObjectionAnswer.REJECTED, objection_text="Varen ble levert.", **state)


# -- what may be recorded, and when ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        (Action.DISPUTE, {"stage": Stage.NOTICE}, None),
        (Action.DISPUTE, {"stage": Stage.INKASSO}, None),  # unlike a pause, an objection is heard in inkasso
        (Action.DISPUTE, {"stage": Stage.NOTICE, "paused": True}, None),
        (Action.DISPUTE, {"stage": Stage.LEGAL}, Refusal.CLAIM_IN_LEGAL),
        (Action.DISPUTE, {"stage": Stage.CLOSED, "closed_reason": ClosedReason.PAID}, Refusal.CLAIM_CLOSED),
        (Action.DISPUTE, {"stage": Stage.NOTICE, "disputed": True}, Refusal.ALREADY_DISPUTED),
        (Action.REJECT, {"stage": Stage.NOTICE}, Refusal.NOT_DISPUTED),
        (Action.UPHOLD, {"stage": Stage.INKASSO}, Refusal.NOT_DISPUTED),
        (Action.REJECT, {"stage": Stage.NOTICE, "disputed": True}, None),
        (Action.UPHOLD, {"stage": Stage.INKASSO, "disputed": True}, None),
        (Action.REJECT, {"stage": Stage.LEGAL, "disputed": True}, Refusal.CLAIM_IN_LEGAL),
        (
            Action.UPHOLD,
            {"stage": Stage.CLOSED, "closed_reason": ClosedReason.PAID, "disputed": True},
            Refusal.CLAIM_CLOSED,
        ),
    ],
)
def test_an_objection_is_refused_on_a_closed_claim_in_legal_twice_and_an_answer_without_one_r_clm_15(
    action: Action, state: dict[str, object], expected: Refusal | None
) -> None:
    stage = state.pop("stage")
    assert isinstance(stage, Stage)
    claim = _claim(stage, **state)
    assert refusal(action, claim) is expected
    result = apply_action(action, claim, ANSWERED, text="tekst", rates=RATES)
    assert result.accepted is (expected is None)
    assert result.reason is expected


def test_a_refused_objection_changes_nothing_r_clm_15() -> None:
    claim = _claim(Stage.LEGAL)
    before = _claim(Stage.LEGAL)
    apply_action(Action.DISPUTE, claim, ANSWERED, text="tekst", rates=RATES)
    assert claim == before


def test_the_claim_itself_refuses_what_its_state_does_not_allow_r_clm_15() -> None:
    with pytest.raises(ClaimRefused, match="legal"):
        _claim(Stage.LEGAL).dispute(ANSWERED)
    with pytest.raises(ClaimRefused, match="disputed already"):
        _disputed().dispute(ANSWERED)
    with pytest.raises(ClaimRefused, match="no objection"):
        _claim().reject_objection("nei")
    with pytest.raises(ClaimRefused, match="no answer"):
        _claim().send_objection_answer(ANSWERED, ANSWER_DEADLINE)


# -- a disputed claim stands still ---------------------------------------------------------------------------------


def test_a_disputed_reminder_gets_no_notice_after_its_deadline_r_clm_15() -> None:
    claim = _disputed(Stage.REMINDER, reminder_deadline=date(2025, 9, 29), last_deadline=date(2025, 9, 29))
    result = reminder_and_notice_letters([claim], _day(date(2025, 10, 6)))
    assert result.letters == []
    assert claim.stage is Stage.REMINDER
    assert claim.fees_charged == ZERO


def test_a_disputed_claim_is_not_listed_moved_to_inkasso_or_sent_to_legal_r_clm_15() -> None:
    noticed = _disputed(Stage.NOTICE, notice_deadline=date(2025, 10, 13), last_deadline=date(2025, 10, 13))
    assert draw_collection_list([noticed], _day(date(2025, 10, 14))).listed == []
    listed = _disputed(Stage.COLLECTION_LIST, listed_on=date(2025, 10, 14), transfer_on=date(2025, 10, 16))
    assert transfers_to_inkasso([listed], _day(date(2025, 10, 16)), case_numbers=iter(["S1"])).letters == []
    assert listed.stage is Stage.COLLECTION_LIST
    assert listed.salaer_charged == ZERO
    in_inkasso = _disputed(Stage.INKASSO, demand_deadline=date(2025, 8, 1), case_number="S1")
    assert legal_steps([in_inkasso], _day(date(2025, 10, 16))).letters == []
    assert in_inkasso.case.legal_notice_on is None
    noticed_legally = _disputed(
        Stage.INKASSO, legal_notice_on=date(2025, 9, 1), legal_deadline=date(2025, 9, 15), case_number="S1"
    )
    legal_steps([noticed_legally], _day(date(2025, 10, 16)))
    assert noticed_legally.stage is Stage.INKASSO


def test_a_disputed_claim_gets_no_interest_note_until_answered_r_clm_15() -> None:
    claim = _disputed(Stage.NOTICE, interest_note_due=True, principal_outstanding=ZERO, fees_outstanding=Money.of("35"))
    result = confirmations_and_interest_notes([claim], _day(ANSWERED))
    assert result.letters == []
    assert claim.interest_note_due


def test_interest_still_accrues_on_a_disputed_claim_r_clm_15() -> None:
    claim = _disputed()
    # 1800.00 × 12.25 % × 25 / 365 = 15.1027… and × 45 / 365 = 27.1849…
    assert interest_outstanding(claim, ANSWERED, RATES) == Money.of("15.10")
    assert interest_outstanding(claim, date(2025, 10, 30), RATES) == Money.of("27.18")


def test_a_disputed_claim_waits_for_nothing_but_its_pause_expiry_r_clm_15() -> None:
    assert _disputed(last_deadline=date(2025, 10, 13)).next_action_on is None
    paused = _disputed(paused=True, paused_on=date(2025, 10, 8))
    assert paused.next_action_on == date(2026, 4, 8)


# -- a rejection: the answer and its deadline ----------------------------------------------------------------------


def test_a_rejection_sends_the_reasons_with_a_14_day_deadline_and_what_is_owed_r_clm_15() -> None:
    claim = _disputed(fees_charged=Money.of("35.00"), fees_outstanding=Money.of("35.00"))
    apply_action(Action.REJECT, claim, ANSWERED, text="Varen ble levert 02.09.2025.", rates=RATES)
    assert not claim.disputed
    assert claim.objection_answer_due is ObjectionAnswer.REJECTED
    assert claim.next_action_on is not None
    assert claim.next_action_on <= ANSWERED
    result = confirmations_and_interest_notes([claim], _day(ANSWERED))
    (letter,) = result.letters
    assert letter.type is LetterType.OBJECTION_ANSWER
    assert letter.deadline == ANSWER_DEADLINE
    assert letter.note == "Varen ble levert 02.09.2025."
    assert letter.total == Money.of("1850.10")  # 1800.00 + fee 35.00 + interest 15.10
    assert claim.objection_answer_due is None
    assert claim.deadlines.last_deadline == ANSWER_DEADLINE


def test_the_answer_goes_on_a_bank_day_r_clm_15() -> None:
    claim = _rejected()
    assert objection_answers([claim], _day(date(2025, 10, 11))).letters == []
    assert claim.objection_answer_due is ObjectionAnswer.REJECTED


def test_a_paused_claims_answer_waits_for_the_resume_r_clm_15() -> None:
    claim = _rejected(paused=True, paused_on=date(2025, 10, 6))
    assert objection_answers([claim], _day(ANSWERED)).letters == []
    claim.resume()
    assert len(objection_answers([claim], _day(ANSWERED)).letters) == 1


def test_one_answer_per_debtor_for_the_claims_rejected_that_day_r_clm_1_r_clm_15() -> None:
    first = _rejected()
    second = in_state(
        Claim(1, "K2", "1002", DUE - timedelta(days=14), DUE + timedelta(days=1), Money.of("100.00"), DUE, DEBTOR),
        stage=Stage.NOTICE,
        objection_answer=ObjectionAnswer.REJECTED,
        objection_text="Varen ble levert.",
    )
    result = objection_answers([second, first], _day(ANSWERED))
    (letter,) = result.letters
    assert [c.invoice_number for c in letter.claims] == ["1001", "1002"]
    assert letter.note == "Varen ble levert."


def test_after_a_rejected_reminder_the_notice_comes_the_day_after_the_answers_deadline_r_clm_15() -> None:
    claim = _rejected(Stage.REMINDER, reminder_deadline=date(2025, 9, 29), last_deadline=date(2025, 9, 29))
    objection_answers([claim], _day(ANSWERED))
    assert claim.deadlines.reminder_deadline == ANSWER_DEADLINE
    assert reminder_and_notice_letters([claim], _day(ANSWER_DEADLINE)).letters == []
    (notice,) = reminder_and_notice_letters([claim], _day(date(2025, 10, 27))).letters
    assert notice.type is LetterType.NOTICE


def test_after_a_rejected_notice_the_list_is_the_first_tuesday_after_the_answers_deadline_r_clm_15() -> None:
    claim = _rejected(notice_deadline=date(2025, 10, 13), last_deadline=date(2025, 10, 13))
    objection_answers([claim], _day(ANSWERED))
    assert draw_collection_list([claim], _day(date(2025, 10, 21))).listed == []
    assert draw_collection_list([claim], _day(date(2025, 10, 28))).listed == [claim]


def test_a_listed_claim_moves_on_the_first_thursday_after_the_deadline_and_earlier_approvals_are_void_r_clm_15() -> (
    None
):
    claim = _rejected(
        Stage.COLLECTION_LIST,
        listed_on=date(2025, 9, 30),
        transfer_on=date(2025, 10, 2),
        approved_on=date(2025, 10, 1),
    )
    objection_answers([claim], _day(ANSWERED))
    assert claim.listing.transfer_on == date(2025, 10, 30)
    assert claim.listing.approved_on is None
    assert transfers_to_inkasso([claim], _day(date(2025, 10, 29)), case_numbers=iter(["S1"])).letters == []
    (demand,) = transfers_to_inkasso([claim], _day(date(2025, 10, 30)), case_numbers=iter(["S1"])).letters
    assert demand.type is LetterType.PAYMENT_DEMAND


def test_without_the_automatic_list_a_listed_claim_waits_for_a_new_approval_r_clm_15() -> None:
    manual = Agreement(active=True, collection_list_email="liste@example.no", automatic_collection_list=False)
    claim = _rejected(Stage.COLLECTION_LIST, listed_on=date(2025, 9, 30), approved_on=date(2025, 10, 1))
    objection_answers([claim], _day(ANSWERED, manual))
    assert claim.listing.transfer_on is None
    assert claim.listing.approved_on is None


def test_in_inkasso_the_legal_notice_comes_more_than_28_days_after_the_answers_deadline_r_clm_15() -> None:
    claim = _rejected(Stage.INKASSO, inkasso_on=date(2025, 8, 1), demand_deadline=date(2025, 8, 15), case_number="S1")
    objection_answers([claim], _day(ANSWERED))
    assert claim.case.demand_deadline == ANSWER_DEADLINE
    # 24 October + 28 days = 21 November; the notice goes the day after (a Saturday: the next bank day)
    assert legal_steps([claim], _day(date(2025, 11, 21))).letters == []
    (notice,) = legal_steps([claim], _day(date(2025, 11, 24))).letters
    assert notice.type is LetterType.LEGAL_NOTICE


def test_after_the_legal_notice_the_move_to_legal_waits_for_the_answers_deadline_r_clm_15() -> None:
    claim = _rejected(
        Stage.INKASSO, legal_notice_on=date(2025, 9, 20), legal_deadline=date(2025, 10, 4), case_number="S1"
    )
    objection_answers([claim], _day(ANSWERED))
    legal_steps([claim], _day(ANSWER_DEADLINE))
    assert claim.stage is Stage.INKASSO
    legal_steps([claim], _day(date(2025, 10, 27)))
    assert claim.stage is Stage.LEGAL


# -- upheld: closed without costs ------------------------------------------------------------------------------------


def test_an_upheld_objection_closes_the_claim_and_waives_fees_salaer_and_interest_r_clm_15() -> None:
    claim = _disputed(
        Stage.INKASSO,
        fees_charged=Money.of("35.00"),
        fees_outstanding=Money.of("35.00"),
        salaer_charged=Money.of("280.00"),
        salaer_outstanding=Money.of("280.00"),
    )
    result = apply_action(Action.UPHOLD, claim, ANSWERED, text="Kontant betaling bekreftet.", rates=RATES)
    assert result.accepted
    assert claim.stage is Stage.CLOSED
    assert claim.closed_reason is ClosedReason.OBJECTION_UPHELD
    assert claim.fees_outstanding == claim.salaer_outstanding == ZERO
    assert interest_outstanding(claim, date(2025, 12, 31), RATES) == ZERO
    assert claim.interest_waived == Money.of("15.10")
    assert claim.principal_outstanding == Money.of("1800.00")  # the creditor credits or writes off the invoice


def test_the_upheld_answer_has_no_deadline_no_kid_and_no_amounts_r_clm_15() -> None:
    claim = _disputed(paused=True, paused_on=date(2025, 10, 6))
    apply_action(Action.UPHOLD, claim, ANSWERED, text="Kravet frafalles.", rates=RATES)
    assert claim.next_action_on is not None
    (letter,) = confirmations_and_interest_notes([claim], _day(ANSWERED)).letters
    assert letter.type is LetterType.OBJECTION_ANSWER
    assert letter.deadline is None
    assert letter.note == "Kravet frafalles."
    assert letter.total == ZERO
    assert claim.objection_answer_due is None
    assert claim.next_action_on is None
