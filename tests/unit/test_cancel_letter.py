"""Taking back a letter that has not gone out (R-SVC-2, docs/collection.md "Letters"): the step that wrote it is
undone on each of its claims, which are then decided afresh by the next run; refused for letters whose step is
not undone exactly, and for a claim that moved on since.

A claim for 1000.00 due 14 March 2025; the first letter goes on Friday 28 March (a notice with the fee 35.00, or
with *reminder before notice* a reminder with a 7-day deadline, 4 April, and the notice on Monday 7 April).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.cancel import LetterNotCancellable, cancel_letter
from krav.domain.collection.claims import Claim, Deadlines, Stage
from krav.domain.collection.letters import LetterType, Recipient
from krav.domain.collection.steps import Day, LetterDraft, reminder_and_notice_letters
from krav.domain.money import Money
from tests.builders import in_state

RATES = load_rate_tables()
FIRST = date(2025, 3, 28)
AFTER_REMINDER = date(2025, 4, 7)


def _claim(kind: str = "consumer") -> Claim:
    orgno = "974760673" if kind == "business" else None
    debtor = Recipient("10001", "Kunde", kind, orgno, "Storgata 1", "0155", "Oslo", "NO", None)
    due = date(2025, 3, 14)
    return Claim(1, "K1", "1001", due - timedelta(days=14), due, Money.of("1000.00"), FIRST, debtor)


def _day(today: date, **agreement: object) -> Day:
    return Day(today, replace(Agreement(active=True), **agreement), RATES)


def _letter(claim: Claim, day: Day) -> LetterDraft:
    [letter] = reminder_and_notice_letters([claim], day).letters
    return letter


def test_a_notice_sent_as_the_first_letter_is_taken_back_to_a_new_claim_without_its_fee() -> None:
    claim = _claim()
    notice = _letter(claim, _day(FIRST))
    assert (claim.stage, claim.fees_outstanding, claim.fee_letters) == (Stage.NOTICE, Money.of("35.00"), 1)
    claim.wait_for_letter(FIRST)  # its e-mail failed

    waived = cancel_letter(claim, notice.type, notice.sent_on, notice.deadline)

    assert waived == Money.of("35.00")
    assert (claim.stage, claim.deadlines, claim.letter_unsent) == (Stage.NEW, Deadlines(), False)
    assert (claim.fees_charged, claim.fees_outstanding, claim.fee_letters) == (Money.zero(), Money.zero(), 0)
    assert claim.next_action_on == FIRST  # the next run decides its first letter afresh


def test_a_notice_after_a_reminder_is_taken_back_to_the_reminder_and_its_deadline() -> None:
    claim = _claim()
    day = _day(FIRST, reminder_before_notice=True)
    reminder = _letter(claim, day)
    notice = _letter(claim, replace(day, today=AFTER_REMINDER))
    assert claim.stage is Stage.NOTICE

    cancel_letter(claim, notice.type, notice.sent_on, notice.deadline)

    assert claim.stage is Stage.REMINDER
    assert claim.deadlines == Deadlines(
        first_letter_on=FIRST, reminder_deadline=reminder.deadline, last_deadline=reminder.deadline
    )
    assert claim.fees_outstanding == Money.zero()
    # and the notice is due again at once
    assert [lt.type for lt in reminder_and_notice_letters([claim], replace(day, today=AFTER_REMINDER)).letters] == [
        LetterType.NOTICE
    ]


def test_a_reminder_is_taken_back_to_a_new_claim() -> None:
    claim = _claim()
    reminder = _letter(claim, _day(FIRST, reminder_before_notice=True))

    assert cancel_letter(claim, reminder.type, reminder.sent_on, reminder.deadline) == Money.zero()
    assert (claim.stage, claim.deadlines) == (Stage.NEW, Deadlines())


def test_the_standard_compensation_a_notice_claimed_is_taken_back_with_its_fee_r_clm_11() -> None:
    claim = _claim("business")
    notice = _letter(claim, _day(FIRST, claim_standard_compensation=True))
    charged = claim.fees_charged
    assert claim.compensation_state.compensation_claimed
    assert charged > Money.of("35.00")

    assert cancel_letter(claim, notice.type, notice.sent_on, notice.deadline) == charged
    assert (claim.fees_charged, claim.compensation_state.compensation_claimed) == (Money.zero(), False)


@pytest.mark.parametrize("kind", [LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE, LetterType.INTEREST_NOTE])
def test_letters_whose_step_is_not_undone_exactly_are_refused(kind: LetterType) -> None:
    claim = _claim()
    with pytest.raises(LetterNotCancellable, match=f"a {kind.value} cannot be cancelled"):
        cancel_letter(claim, kind, FIRST, None)


def test_a_claim_that_moved_on_since_the_letter_is_refused_and_left_as_it_was() -> None:
    claim = _claim()
    notice = _letter(claim, _day(FIRST))
    paid = in_state(claim, fees_outstanding=Money.zero())  # money applied to the fee since
    with pytest.raises(LetterNotCancellable, match="money applied to its fees"):
        cancel_letter(paid, notice.type, notice.sent_on, notice.deadline)
    assert (paid.stage, paid.fees_charged) == (Stage.NOTICE, Money.of("35.00"))
    listed = in_state(claim, stage=Stage.COLLECTION_LIST)
    with pytest.raises(LetterNotCancellable, match="has moved on since the notice"):
        cancel_letter(listed, notice.type, notice.sent_on, notice.deadline)
