"""Cancelling a letter that has not gone out (R-SVC-2): the step that wrote it is undone on each of its claims.

A letter counts as sent only when it was handed to print or accepted by the mail server; until then it can be
taken back. Its claims go back to where they were before it: the stage and deadlines they had, no fee or
standard compensation charged by it, and no wait for it. The next daily run then decides about them afresh, as
it would have without the letter: a claim still due a letter gets it (with the fee of that day), unless the
creditor pauses or closes it first.

Only the letters before inkasso whose step is known exactly can be taken back: a reminder (R-CLM-2) and a
collection notice (R-CLM-3). A payment demand opens an inkasso case (case number, salær); a notice of legal
collection raises the salær; an interest note, a paid confirmation or an answer to an objection answers what
happened on the claim. Those are refused: their claims keep waiting for the letter (R-SVC-2), which the creditor
sends again with ``krav outbox retry`` or stops by closing the claims.

A claim that moved on since the letter was written (closed, listed, money applied to the letter's fee) is
refused as well, naming the claim: the letter is no longer the claim's latest step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from krav.domain.collection.claims import Claim, Deadlines, Stage
from krav.domain.collection.letters import LetterType
from krav.domain.collection.steps import INTEREST_NOTE_DEADLINE_DAYS
from krav.domain.errors import RuleViolation
from krav.domain.money import Money

#: The letters whose step can be undone exactly (see the module's docstring).
CANCELLABLE = frozenset({LetterType.REMINDER, LetterType.NOTICE})


class LetterNotCancellable(RuleViolation):
    """The letter went out, may have gone, or its step cannot be undone on one of its claims."""

    code = "letter_not_cancellable"


def _refuse(claim: Claim, why: str) -> LetterNotCancellable:
    return LetterNotCancellable(f"claim {claim.collection_id} (invoice {claim.invoice_number}) {why}")


def _before_reminder(claim: Claim, written_on: date, deadline: date | None) -> Deadlines:
    d = claim.deadlines
    if claim.stage is not Stage.REMINDER or d.first_letter_on != written_on or d.last_deadline != deadline:
        raise _refuse(claim, f"has moved on since the reminder (stage {claim.stage.value})")
    if d.interest_note_on is not None:
        raise _refuse(claim, "got an interest note after the reminder")
    return Deadlines()  # a reminder is only ever a claim's first letter (R-CLM-2)


def _before_notice(claim: Claim, written_on: date, deadline: date | None) -> tuple[Stage, Deadlines]:
    d = claim.deadlines
    if claim.stage is not Stage.NOTICE or d.notice_sent_on != written_on or d.last_deadline != deadline:
        raise _refuse(claim, f"has moved on since the notice (stage {claim.stage.value})")
    if d.first_letter_on == written_on:
        return Stage.NEW, Deadlines()  # the notice was its first letter
    # after a reminder: the latest deadline was the reminder's, or that of an interest note sent after it (R-CLM-8)
    before = (
        d.interest_note_on + timedelta(days=INTEREST_NOTE_DEADLINE_DAYS)
        if d.interest_note_on is not None
        else d.reminder_deadline
    )
    return Stage.REMINDER, replace(d, notice_sent_on=None, notice_deadline=None, last_deadline=before)


def cancel_letter(claim: Claim, kind: LetterType, written_on: date, deadline: date | None) -> Money:
    """R-SVC-2: undo on ``claim`` the step that wrote its unsent letter of ``kind`` (written on ``written_on`` with
    ``deadline``): back to its stage and deadlines before it, without the fee and standard compensation it
    charged. Returns what is no longer owed; raises :class:`LetterNotCancellable` (nothing changed) when the
    letter's kind cannot be undone or the claim moved on since."""
    if kind not in CANCELLABLE:  # R-SVC-2: its claims wait for it
        raise LetterNotCancellable(
            f"a {kind.value} cannot be cancelled, only a reminder or a collection notice: its claims wait for it; "
            "send it again with `krav outbox retry`, or close the claims with `krav claims close`"
        )
    if not claim.is_open:
        raise _refuse(claim, "is closed")
    zero = Money.zero(claim.currency)
    if kind is LetterType.REMINDER:
        claim.take_back_letter(Stage.NEW, _before_reminder(claim, written_on, deadline), fee=zero, compensation=zero)
        return zero
    stage, deadlines = _before_notice(claim, written_on, deadline)
    if claim.fees_outstanding != claim.fees_charged or claim.salaer_charged.is_positive():
        raise _refuse(claim, "has had money applied to its fees since the notice")
    # the notice is the claim's only fee-bearing letter before inkasso, and the one that claims the standard
    # compensation (R-CLM-3, R-CLM-11): every fee charged so far is the notice's
    comp = claim.compensation_state
    compensation = comp.compensation_charged if comp.compensation_claimed else zero
    fee = claim.fees_charged - compensation
    claim.take_back_letter(stage, deadlines, fee=fee, compensation=compensation)
    return fee + compensation
