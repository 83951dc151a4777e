"""Why a claim is (not) moving: its next step and the day it comes at the earliest, or what holds it.

Read off the claim as the daily run would act on it (:attr:`ClaimFacts.next_action_on`): the run looks at the
claim again that day, and takes the step when its full conditions hold (a collection list is drawn on a Tuesday,
a transfer on a bank day). A claim that waits for something only a person or a letter can give is *held*, with
what it waits for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from krav.domain.collection.claim_facts import ClaimFacts
from krav.domain.collection.schedule import list_day_on_or_after, pause_expiry
from krav.domain.collection.state import Stage


class NextStep(StrEnum):
    """What the daily run does to the claim next."""

    FIRST_LETTER = "first_letter"  # the reminder or notice of a newly submitted claim (R-CLM-1)
    NOTICE = "notice"  # the collection notice after the reminder's deadline (R-CLM-3)
    COLLECTION_LIST = "collection_list"  # listed on the first Tuesday after the notice's deadline (R-CLM-4)
    INKASSO = "inkasso"  # to inkasso with a payment demand (R-CLM-5)
    LEGAL_NOTICE = "legal_notice"  # the notice of legal collection (R-CLM-5)
    LEGAL = "legal"  # on to legal collection
    LETTER = "letter"  # a letter owed now: interest note, paid confirmation or an answer to an objection
    PAUSE_ENDS = "pause_ends"  # a pause closes the claim after six months unless resumed (R-ACT-1)


class Holding(StrEnum):
    """What a held claim waits for, besides time."""

    PAUSED = "paused"  # the creditor paused it (R-ACT-1)
    DISPUTED = "disputed"  # the debtor objected; the objection is not answered yet (R-CLM-15)
    AWAITING_APPROVAL = "awaiting_approval"  # on the collection list, without the automatic list (R-CLM-4)
    LETTER_UNSENT = "letter_unsent"  # its latest letter could not be sent yet (R-SVC-2)


@dataclass(frozen=True, slots=True)
class Progress:
    """The claim's next step and its earliest day, and what holds it (``held``), if anything. A closed claim
    with nothing owed has neither."""

    step: NextStep | None
    on: date | None
    held: Holding | None = None


_BY_STAGE = {
    Stage.NEW: NextStep.FIRST_LETTER,
    Stage.REMINDER: NextStep.NOTICE,
    Stage.NOTICE: NextStep.COLLECTION_LIST,
    Stage.COLLECTION_LIST: NextStep.INKASSO,
}


def claim_progress(claim: ClaimFacts) -> Progress:
    """Where ``claim`` is going next, and when at the earliest; or what holds it."""
    if claim.letter_unsent:
        return Progress(None, None, Holding.LETTER_UNSENT)
    on = claim.next_action_on
    if claim.stage is Stage.CLOSED:
        return Progress(NextStep.LETTER, on) if on is not None else Progress(None, None)
    if claim.paused and claim.paused_on is not None:
        return Progress(NextStep.PAUSE_ENDS, pause_expiry(claim.paused_on), Holding.PAUSED)
    if claim.interest_note_due or claim.paid_confirmation_due or claim.objection_answer_due:
        return Progress(NextStep.LETTER, on)
    if claim.disputed:
        return Progress(None, None, Holding.DISPUTED)
    if claim.stage is Stage.COLLECTION_LIST and on is None:
        return Progress(NextStep.INKASSO, None, Holding.AWAITING_APPROVAL)
    if claim.stage is Stage.INKASSO:
        step = NextStep.LEGAL_NOTICE if claim.case.legal_notice_on is None else NextStep.LEGAL
        return Progress(step, on) if on is not None else Progress(None, None)
    if claim.stage is Stage.LEGAL:
        return Progress(None, None)
    step = _BY_STAGE[claim.stage]
    if step is NextStep.COLLECTION_LIST and on is not None:
        on = list_day_on_or_after(on)  # the list is drawn on Tuesdays (R-CLM-4)
    return Progress(step, on)
