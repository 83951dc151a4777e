"""R-SVC-2 in the domain: a claim whose latest letter could not be sent takes no step until it has been, and the
letter counts from the day it went (its deadline with it).

The claims are due 14 March 2025; a letter written on Friday 28 March could not be sent until Wednesday 2 April,
five days later, so every date it gave its claims moves by five days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.calendar import is_bank_day
from krav.domain.collection.claims import Claim, ClosedReason, ObjectionAnswer, Stage
from krav.domain.collection.letters import Recipient, deadline_from
from krav.domain.collection.schedule import DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE, transfer_day_after_resume
from krav.domain.collection.steps import (
    Day,
    StepResult,
    confirmations_and_interest_notes,
    draw_collection_list,
    legal_steps,
    reminder_and_notice_letters,
    transfers_to_inkasso,
)
from krav.domain.money import Money
from tests.builders import in_state

RATES = load_rate_tables()
AGREEMENT = Agreement(active=True, collection_list_email="liste@example.no")
WRITTEN = date(2025, 3, 28)  # a Friday
SENT = date(2025, 4, 2)  # the Wednesday after: five days later
LATE = SENT - WRITTEN


def _debtor() -> Recipient:
    return Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)


def _claim(stage: Stage = Stage.NEW, **state: object) -> Claim:
    due = date(2025, 3, 14)
    claim = Claim(1, "K1", "1001", due - timedelta(days=14), due, Money.of("1000.00"), due, _debtor())
    return in_state(claim, stage=stage, **state)


def _day(today: date, **agreement: object) -> Day:
    return Day(today, replace(AGREEMENT, **agreement), RATES)


def _reminded(on: date = WRITTEN) -> Claim:
    claim = _claim()
    reminder_and_notice_letters([claim], _day(on, reminder_before_notice=True, reminder_deadline_days=14))
    assert claim.stage is Stage.REMINDER
    return claim


def _noticed(on: date = WRITTEN) -> Claim:
    claim = _claim()
    reminder_and_notice_letters([claim], _day(on))
    assert claim.stage is Stage.NOTICE
    return claim


def _in_inkasso(demand_deadline: date, **kw: object) -> Claim:
    state: dict[str, object] = {
        "inkasso_on": demand_deadline - timedelta(days=14),
        "case_number": "S001-000001",
        "demand_deadline": demand_deadline,
        "last_deadline": demand_deadline,
        "notice_sent_on": date(2025, 3, 28),
        "notice_deadline": date(2025, 4, 11),
    }
    return _claim(Stage.INKASSO, **(state | kw))


# -- a claim that waits takes no step ----------------------------------------------------------------------------

Step = Callable[[Claim, date], StepResult]


def _letters_step(claim: Claim, on: date) -> StepResult:
    return reminder_and_notice_letters([claim], _day(on, reminder_before_notice=True))


def _list_step(claim: Claim, on: date) -> StepResult:
    return draw_collection_list([claim], _day(on))


def _inkasso_step(claim: Claim, on: date) -> StepResult:
    return transfers_to_inkasso([claim], _day(on), case_numbers=["S001-000001"])


def _legal_step(claim: Claim, on: date) -> StepResult:
    return legal_steps([claim], _day(on))


def _confirmations_step(claim: Claim, on: date) -> StepResult:
    return confirmations_and_interest_notes([claim], _day(on))


#: Each a claim with a step due on its day, and the step: the new claim's first letter, the notice after the
#: reminder's deadline, the Tuesday list, the transfer on Thursday, the notice of legal collection, the move to
#: legal, an interest note, a paid confirmation, and the answer to an objection.
DUE: dict[str, tuple[Callable[[], Claim], Step, date]] = {
    "first letter": (lambda: _claim(), _letters_step, date(2025, 4, 1)),
    "notice after the reminder": (lambda: _reminded(date(2025, 3, 17)), _letters_step, date(2025, 4, 1)),
    "collection list": (lambda: _noticed(date(2025, 3, 28)), _list_step, date(2025, 4, 15)),
    "transfer to inkasso": (
        lambda: _claim(
            Stage.COLLECTION_LIST,
            listed_on=date(2025, 4, 15),
            transfer_on=date(2025, 4, 22),
            notice_sent_on=date(2025, 3, 28),
            notice_deadline=date(2025, 4, 11),
            last_deadline=date(2025, 4, 11),
        ),
        _inkasso_step,
        date(2025, 4, 22),
    ),
    "notice of legal collection": (lambda: _in_inkasso(date(2025, 5, 6)), _legal_step, date(2025, 6, 4)),
    "move to legal": (
        lambda: _in_inkasso(
            date(2025, 5, 6), legal_notice_on=date(2025, 6, 4), legal_deadline=date(2025, 6, 18), salaer_level=2
        ),
        _legal_step,
        date(2025, 6, 19),
    ),
    "interest note": (
        lambda: _claim(
            Stage.REMINDER,
            first_letter_on=date(2025, 3, 17),
            reminder_deadline=date(2025, 3, 24),
            last_deadline=date(2025, 3, 24),
            interest_note_due=True,
            principal_outstanding=Money.of("0.00"),
        ),
        _confirmations_step,
        date(2025, 4, 1),
    ),
    "paid confirmation": (
        lambda: _claim(
            Stage.CLOSED,
            closed_reason=ClosedReason.PAID,
            closed_on=date(2025, 3, 31),
            paid_confirmation_due=True,
            principal_outstanding=Money.of("0.00"),
        ),
        _confirmations_step,
        date(2025, 4, 1),
    ),
    "answer to an objection": (
        lambda: _noticed(date(2025, 3, 28)).stored_as(1),
        _confirmations_step,
        date(2025, 4, 1),
    ),
}


def _answer_due(claim: Claim) -> Claim:
    """The noticed claim with an objection rejected, its answer due (R-CLM-15)."""
    claim.dispute(date(2025, 3, 31))
    claim.reject_objection("The invoice is right.")
    assert claim.objection_answer_due is ObjectionAnswer.REJECTED
    return claim


def _made(what: str) -> Claim:
    claim = DUE[what][0]()
    return _answer_due(claim) if what == "answer to an objection" else claim


@pytest.mark.parametrize("what", sorted(DUE))
def test_a_claim_takes_its_due_step_when_its_latest_letter_went(what: str) -> None:
    """The control: each claim of :data:`DUE` does take its step on its day, and is looked at by then."""
    _, step, on = DUE[what]
    claim = _made(what)
    before = claim.stage, claim.deadlines, claim.listing, claim.case, claim.balances, claim.due, claim.objection_state
    assert claim.next_action_on is not None
    assert claim.next_action_on <= on
    result = step(claim, on)
    after = claim.stage, claim.deadlines, claim.listing, claim.case, claim.balances, claim.due, claim.objection_state
    assert result.letters or result.listed or result.events
    assert after != before


@pytest.mark.parametrize("what", sorted(DUE))
def test_a_claim_whose_latest_letter_could_not_be_sent_takes_no_step_and_is_not_looked_at_r_svc_2(what: str) -> None:
    _, step, on = DUE[what]
    claim = _made(what)
    claim.wait_for_letter(WRITTEN)
    assert claim.letter_unsent
    assert claim.next_action_on is None
    before = claim.stage, claim.deadlines, claim.listing, claim.case, claim.balances, claim.due, claim.objection_state
    for day in (on, on + timedelta(days=7), on + timedelta(days=60)):
        result = step(claim, day)
        assert (result.letters, result.listed, result.events) == ([], [], [])
    after = claim.stage, claim.deadlines, claim.listing, claim.case, claim.balances, claim.due, claim.objection_state
    assert after == before  # no letter, fee, salær, listing or stage move


def test_a_paused_claim_that_waits_still_expires_six_months_after_its_pause_r_svc_2_r_act_1() -> None:
    claim = _noticed()
    claim.wait_for_letter(WRITTEN)
    claim.pause(date(2025, 3, 31))
    assert claim.next_action_on == date(2025, 9, 30)


def test_waiting_again_keeps_the_day_it_first_could_not_be_sent() -> None:
    claim = _noticed()
    claim.wait_for_letter(WRITTEN)
    claim.wait_for_letter(date(2025, 3, 31))
    assert claim.unsent_state.letter_unsent_since == WRITTEN


# -- when it went: counted from the day it was sent ----------------------------------------------------------------


def test_a_letter_sent_the_day_it_was_written_releases_the_claim_and_moves_nothing() -> None:
    claim = _noticed()
    deadlines = claim.deadlines
    claim.wait_for_letter(WRITTEN)
    assert deadlines.last_deadline == date(2025, 4, 11)
    claim.letter_sent(WRITTEN, WRITTEN, deadlines.last_deadline)
    assert not claim.letter_unsent
    assert claim.deadlines == deadlines
    assert claim.next_action_on == date(2025, 4, 12)


def test_a_notice_sent_late_counts_from_the_day_it_went_and_the_next_step_comes_then_r_svc_2() -> None:
    claim = _noticed()
    assert claim.deadlines.notice_deadline == date(2025, 4, 11)
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, deadline_from(SENT, WRITTEN, date(2025, 4, 11)))
    d = claim.deadlines
    assert not claim.letter_unsent
    assert (d.first_letter_on, d.notice_sent_on) == (SENT, SENT)
    assert (d.notice_deadline, d.last_deadline) == (date(2025, 4, 16), date(2025, 4, 16))
    assert claim.next_action_on == date(2025, 4, 17)
    # R-CLM-4: not on the list of Tuesday 15 April (its deadline has not passed), on that of 22 April
    assert draw_collection_list([claim], _day(date(2025, 4, 15))).listed == []
    assert draw_collection_list([claim], _day(date(2025, 4, 22))).listed == [claim]


def test_a_reminder_sent_late_moves_its_deadline_and_the_notice_comes_the_day_after_it_r_svc_2() -> None:
    claim = _reminded()
    assert claim.deadlines.reminder_deadline == date(2025, 4, 11)
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, date(2025, 4, 16))
    d = claim.deadlines
    assert (d.first_letter_on, d.reminder_deadline, d.last_deadline) == (SENT, date(2025, 4, 16), date(2025, 4, 16))
    assert d.notice_sent_on is None
    assert claim.next_action_on == date(2025, 4, 17)
    # Monday 14 to Wednesday 16 April are bank days after the old deadline; Easter ends on Tuesday 22 April
    notices = [reminder_and_notice_letters([claim], _day(on, reminder_before_notice=True)) for on in _days(4, 12, 16)]
    assert all(result.letters == [] for result in notices)
    assert reminder_and_notice_letters([claim], _day(date(2025, 4, 22), reminder_before_notice=True)).letters


def _days(month: int, first: int, last: int) -> list[date]:
    return [date(2025, month, n) for n in range(first, last + 1)]


def test_a_notice_after_a_reminder_sent_late_moves_the_notice_and_leaves_the_reminders_dates() -> None:
    claim = _reminded(date(2025, 3, 10))  # reminder deadline 24 March
    reminder_and_notice_letters([claim], _day(WRITTEN, reminder_before_notice=True))
    assert claim.stage is Stage.NOTICE
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, date(2025, 4, 16))
    d = claim.deadlines
    assert (d.first_letter_on, d.reminder_deadline) == (date(2025, 3, 10), date(2025, 3, 24))
    assert (d.notice_sent_on, d.notice_deadline, d.last_deadline) == (SENT, date(2025, 4, 16), date(2025, 4, 16))


def test_a_payment_demand_sent_late_moves_its_deadline_and_the_notice_of_legal_collection_with_it_r_svc_2() -> None:
    claim = _in_inkasso(date(2025, 4, 11), inkasso_on=WRITTEN)
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, date(2025, 4, 16))
    assert (claim.case.demand_deadline, claim.deadlines.last_deadline) == (date(2025, 4, 16), date(2025, 4, 16))
    first_legal = date(2025, 4, 16) + timedelta(days=DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE + 1)
    assert claim.next_action_on == first_legal
    assert legal_steps([claim], _day(first_legal - timedelta(days=1))).letters == []
    assert legal_steps([claim], _day(_bank_day_on_or_after(first_legal))).letters


def _bank_day_on_or_after(on: date) -> date:
    while not is_bank_day(on):
        on += timedelta(days=1)
    return on


def test_a_notice_of_legal_collection_sent_late_moves_the_day_the_claim_goes_to_legal_r_svc_2() -> None:
    claim = _in_inkasso(
        date(2025, 2, 28), legal_notice_on=WRITTEN, legal_deadline=date(2025, 4, 11), last_deadline=date(2025, 4, 11)
    )
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, date(2025, 4, 16))
    assert (claim.case.legal_notice_on, claim.case.legal_deadline) == (SENT, date(2025, 4, 16))
    assert claim.case.demand_deadline == date(2025, 2, 28)
    for on in _days(4, 14, 16):  # bank days after the old deadline, up to the new one
        legal_steps([claim], _day(on))
        assert claim.stage is Stage.INKASSO
    legal_steps([claim], _day(date(2025, 4, 22)))  # the first bank day after it (Easter)
    assert claim.stage is Stage.LEGAL


def test_an_interest_note_sent_late_counts_from_the_day_it_went() -> None:
    claim = DUE["interest note"][0]()
    confirmations_and_interest_notes([claim], _day(WRITTEN))
    assert (claim.deadlines.interest_note_on, claim.deadlines.last_deadline) == (WRITTEN, date(2025, 4, 11))
    claim.wait_for_letter(WRITTEN)
    claim.letter_sent(WRITTEN, SENT, date(2025, 4, 16))
    d = claim.deadlines
    assert (d.interest_note_on, d.last_deadline) == (SENT, date(2025, 4, 16))
    assert (d.first_letter_on, d.reminder_deadline) == (date(2025, 3, 17), date(2025, 3, 24))
    assert claim.next_action_on == date(2025, 4, 17)


def test_a_listed_claims_answer_sent_late_moves_its_transfer_to_the_thursday_after_the_moved_deadline_r_svc_2() -> None:
    """R-CLM-15: a listed claim's transfer after an answer waits for the Thursday after the answer's deadline.
    The answer written Monday 2 June (deadline 16 June, transfer Thursday 19 June) went on Friday 6 June: its
    deadline is 20 June, and the transfer waits for Thursday 26 June."""
    written, sent = date(2025, 6, 2), date(2025, 6, 6)
    claim = _claim(
        Stage.COLLECTION_LIST,
        listed_on=date(2025, 5, 27),
        transfer_on=date(2025, 5, 30),
        notice_sent_on=date(2025, 5, 9),
        notice_deadline=date(2025, 5, 23),
        last_deadline=date(2025, 5, 23),
    ).stored_as(1)
    claim.dispute(date(2025, 5, 28))
    claim.reject_objection("The invoice is right.")
    confirmations_and_interest_notes([claim], _day(written))
    assert (claim.deadlines.last_deadline, claim.listing.transfer_on) == (date(2025, 6, 16), date(2025, 6, 19))
    claim.wait_for_letter(written)
    claim.letter_sent(written, sent, deadline_from(sent, written, date(2025, 6, 16)))
    assert claim.deadlines.last_deadline == date(2025, 6, 20)
    assert claim.listing.transfer_on == transfer_day_after_resume(date(2025, 6, 21)) == date(2025, 6, 26)
    assert (claim.listing.listed_on, claim.deadlines.notice_deadline) == (date(2025, 5, 27), date(2025, 5, 23))
    assert claim.next_action_on == date(2025, 6, 26)
    assert _inkasso_step(claim, date(2025, 6, 19)).letters == []
    assert _inkasso_step(claim, date(2025, 6, 26)).letters


def test_a_listed_claim_without_a_transfer_day_gets_none_when_its_answer_went_late() -> None:
    """Without the automatic list a listed claim waits for the creditor's approval: a late answer gives it no
    Thursday of its own."""
    claim = _claim(Stage.COLLECTION_LIST, listed_on=date(2025, 5, 27), last_deadline=date(2025, 6, 16))
    claim.wait_for_letter(date(2025, 6, 2))
    claim.letter_sent(date(2025, 6, 2), date(2025, 6, 6), date(2025, 6, 20))
    assert claim.listing.transfer_on is None
    assert claim.deadlines.last_deadline == date(2025, 6, 20)


# -- the deadline counts from the day it went ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_on", "dated", "deadline", "expected"),
    [
        (date(2025, 3, 28), date(2025, 3, 28), date(2025, 4, 11), date(2025, 4, 11)),  # sent the day it was written
        (date(2025, 4, 2), date(2025, 3, 28), date(2025, 4, 11), date(2025, 4, 16)),  # five days later
        (date(2025, 4, 3), date(2025, 3, 28), date(2025, 4, 4), date(2025, 4, 10)),  # a reminder of 7 days
        (date(2025, 5, 15), date(2025, 5, 14), date(2025, 5, 28), date(2025, 5, 29)),  # Ascension Day: kept
        (date(2025, 4, 2), date(2025, 3, 28), None, None),  # a paid confirmation has none
    ],
)
def test_a_deadline_counts_as_many_calendar_days_from_the_day_the_letter_went_r_svc_2(
    sent_on: date, dated: date, deadline: date | None, expected: date | None
) -> None:
    assert deadline_from(sent_on, dated, deadline) == expected
