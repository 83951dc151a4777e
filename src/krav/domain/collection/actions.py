"""The creditor's actions on claims: pause, resume, close, message (R-ACT-1 … R-ACT-4).

Each action is decided per claim: :func:`refusal` says why it may not be taken (or None), :func:`apply_action`
takes it. Actions on several claims at once report a result for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from krav.domain.collection.claims import IN_INKASSO, Claim, ClosedReason, Stage
from krav.domain.collection.schedule import transfer_day_after_resume
from krav.domain.money import Money


class Action(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    CLOSE = "close"
    MESSAGE = "message"


class Refusal(StrEnum):
    CLAIM_IN_INKASSO = "claim_in_inkasso"
    CLAIM_CLOSED = "claim_closed"
    NOT_PAUSED = "not_paused"
    ALREADY_PAUSED = "already_paused"


MESSAGES = {
    Refusal.CLAIM_IN_INKASSO: (
        "Kravet er registrert til inkasso; da kan det bare avsluttes (lukk krav) eller få en melding.",
        "The claim is in inkasso; it can only be closed or messaged.",
    ),
    Refusal.CLAIM_CLOSED: ("Kravet er avsluttet.", "The claim is closed."),
    Refusal.NOT_PAUSED: ("Kravet er ikke pauset.", "The claim is not paused."),
    Refusal.ALREADY_PAUSED: ("Kravet er allerede pauset.", "The claim is already paused."),
}


@dataclass(frozen=True, slots=True)
class ActionResult:
    collection_id: str
    invoice_number: str
    action: Action
    accepted: bool
    reason: Refusal | None = None
    costs_invoiced: Money | None = None  # R-ACT-2: closed in inkasso, the costs so far go to the creditor

    @property
    def message_en(self) -> str:
        return "accepted" if self.reason is None else MESSAGES[self.reason][1]

    @property
    def message_nb(self) -> str:
        return "utført" if self.reason is None else MESSAGES[self.reason][0]


def refusal(action: Action, claim: Claim) -> Refusal | None:
    """R-ACT-1 … R-ACT-4: why ``action`` may not be taken on ``claim``, or None."""
    if action is Action.MESSAGE:
        return None
    if claim.stage is Stage.CLOSED:
        return Refusal.CLAIM_CLOSED
    if action is Action.CLOSE:
        return None
    if claim.stage in IN_INKASSO:
        return Refusal.CLAIM_IN_INKASSO
    if action is Action.PAUSE and claim.paused:
        return Refusal.ALREADY_PAUSED
    if action is Action.RESUME and not claim.paused:
        return Refusal.NOT_PAUSED
    return None


def costs_on_close(claim: Claim, *, invoice_costs: bool) -> Money | None:
    """R-ACT-2: closing a claim in inkasso, the collection costs accrued so far (the salær the debtor has not
    paid) may be invoiced to the creditor, as the agreement says."""
    if not invoice_costs or claim.stage not in IN_INKASSO or not claim.salaer_outstanding.is_positive():
        return None
    return claim.salaer_outstanding


def transfer_after_resume(claim: Claim, resumed_on: date) -> date | None:
    """R-ACT-1: a listed claim whose Thursday passed during the pause moves on the next Thursday after the resume
    (bank-day moved); None when its transfer day stands."""
    transfer_on = claim.listing.transfer_on
    if claim.stage is Stage.COLLECTION_LIST and transfer_on is not None and transfer_on < resumed_on:
        return transfer_day_after_resume(resumed_on)
    return None


def apply_action(action: Action, claim: Claim, today: date, *, invoice_costs: bool = False) -> ActionResult:
    """Take ``action`` on ``claim`` if allowed (R-ACT-1 … R-ACT-4); a refused action changes nothing."""
    reason = refusal(action, claim)
    if reason is not None:
        return ActionResult(claim.collection_id, claim.invoice_number, action, False, reason)
    costs = costs_on_close(claim, invoice_costs=invoice_costs) if action is Action.CLOSE else None
    if action is Action.PAUSE:
        claim.pause(today)
    elif action is Action.RESUME:
        claim.resume(transfer_after_resume(claim, today))
    elif action is Action.CLOSE:
        claim.close(ClosedReason.CLOSED_BY_CREDITOR, today)
    return ActionResult(claim.collection_id, claim.invoice_number, action, True, None, costs)
