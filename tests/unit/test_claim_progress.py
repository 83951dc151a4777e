"""Why a claim is (not) moving: its next step and the earliest day, or what holds it (`krav claims list`).

A claim of 1 000,00 due Friday 14 March 2025, submitted that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.letters import Recipient
from krav.domain.collection.progress import Holding, NextStep, Progress, claim_progress
from krav.domain.money import Money
from tests.builders import in_state

DUE = date(2025, 3, 14)


def _claim(stage: Stage = Stage.NEW, **state: object) -> Claim:
    debtor = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
    claim = Claim(1, "K1", "1001", DUE - timedelta(days=14), DUE, Money.of("1000.00"), DUE, debtor)
    return in_state(claim, stage=stage, **state)


def test_a_new_claim_gets_its_first_letter_the_day_it_was_submitted() -> None:
    assert claim_progress(_claim()) == Progress(NextStep.FIRST_LETTER, DUE)


def test_a_reminder_is_followed_by_the_notice_the_day_after_its_deadline() -> None:
    claim = _claim(Stage.REMINDER, first_letter_on=date(2025, 3, 28), reminder_deadline=date(2025, 4, 4))
    assert claim_progress(claim) == Progress(NextStep.NOTICE, date(2025, 4, 5))


def test_a_notice_goes_on_the_list_of_the_first_tuesday_after_its_deadline_r_clm_4() -> None:
    """Deadline Friday 11 April 2025: the run looks again on the 12th; the list is drawn Tuesday 15 April."""
    claim = _claim(
        Stage.NOTICE,
        notice_sent_on=date(2025, 3, 28),
        notice_deadline=date(2025, 4, 11),
        last_deadline=date(2025, 4, 11),
    )
    assert claim_progress(claim) == Progress(NextStep.COLLECTION_LIST, date(2025, 4, 15))


def test_a_listed_claim_waits_for_approval_without_the_automatic_list_and_else_moves_on_its_thursday() -> None:
    waiting = _claim(Stage.COLLECTION_LIST)
    assert claim_progress(waiting) == Progress(NextStep.INKASSO, None, Holding.AWAITING_APPROVAL)
    automatic = _claim(Stage.COLLECTION_LIST, transfer_on=date(2025, 4, 17))
    assert claim_progress(automatic) == Progress(NextStep.INKASSO, date(2025, 4, 17))


def test_a_paused_claim_is_held_and_closes_six_months_after_the_pause_r_act_1() -> None:
    claim = _claim(Stage.NOTICE, paused=True, paused_on=date(2025, 4, 1), notice_deadline=date(2025, 4, 11))
    assert claim_progress(claim) == Progress(NextStep.PAUSE_ENDS, date(2025, 10, 1), Holding.PAUSED)


def test_a_disputed_claim_is_held_until_the_objection_is_answered_r_clm_15() -> None:
    claim = _claim(Stage.NOTICE, disputed=True, disputed_on=date(2025, 4, 2), notice_deadline=date(2025, 4, 11))
    assert claim.disputed
    assert claim_progress(claim) == Progress(None, None, Holding.DISPUTED)


def test_a_claim_whose_letter_could_not_be_sent_is_held_r_svc_2() -> None:
    claim = _claim(Stage.NOTICE, letter_unsent_since=date(2025, 3, 28), notice_deadline=date(2025, 4, 11))
    assert claim_progress(claim) == Progress(None, None, Holding.LETTER_UNSENT)


def test_in_inkasso_the_legal_notice_comes_after_the_demand_and_then_legal_collection() -> None:
    demand = _claim(Stage.INKASSO, demand_deadline=date(2025, 5, 2))
    assert claim_progress(demand).step is NextStep.LEGAL_NOTICE
    assert claim_progress(demand).on == demand.next_action_on
    legal = _claim(
        Stage.INKASSO,
        demand_deadline=date(2025, 5, 2),
        legal_notice_on=date(2025, 6, 2),
        legal_deadline=date(2025, 6, 16),
    )
    assert claim_progress(legal) == Progress(NextStep.LEGAL, date(2025, 6, 17))


def test_a_closed_claim_has_no_next_step() -> None:
    claim = _claim(Stage.CLOSED, closed_reason=ClosedReason.CLOSED_BY_CREDITOR, closed_on=date(2025, 4, 2))
    assert claim_progress(claim) == Progress(None, None)
