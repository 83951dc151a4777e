"""The creditor's actions on claims: pause, resume, close, message (R-ACT-1 … R-ACT-4), and the debtor's
objection recorded and answered (dispute, reject, uphold: R-CLM-15).

Each action is decided per claim: :func:`refusal` says why it may not be taken (or None), :func:`apply_action`
takes it. Actions on several claims at once report a result for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from krav.domain.collection.claims import IN_INKASSO, Claim, ClosedReason, Stage
from krav.domain.collection.interest import interest_outstanding
from krav.domain.collection.schedule import transfer_day_after_resume
from krav.domain.money import Money
from krav.domain.rates import RateTables


class Action(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    CLOSE = "close"
    MESSAGE = "message"
    DISPUTE = "dispute"
    REJECT = "reject"
    UPHOLD = "uphold"


#: R-CLM-15: the actions on an objection, each with the text of the objection or of the answer.
OBJECTION_ACTIONS = frozenset({Action.DISPUTE, Action.REJECT, Action.UPHOLD})
#: The actions that need a text.
NEEDS_TEXT = OBJECTION_ACTIONS | {Action.MESSAGE}


class Refusal(StrEnum):
    CLAIM_IN_INKASSO = "claim_in_inkasso"
    CLAIM_CLOSED = "claim_closed"
    NOT_PAUSED = "not_paused"
    ALREADY_PAUSED = "already_paused"
    CLAIM_IN_LEGAL = "claim_in_legal"
    ALREADY_DISPUTED = "already_disputed"
    NOT_DISPUTED = "not_disputed"


MESSAGES = {
    Refusal.CLAIM_IN_INKASSO: (
        "Kravet er registrert til inkasso; da kan det bare avsluttes (lukk krav) eller få en melding.",
        "The claim is in inkasso; it can only be closed or messaged.",
    ),
    Refusal.CLAIM_CLOSED: ("Kravet er avsluttet.", "The claim is closed."),
    Refusal.NOT_PAUSED: ("Kravet er ikke pauset.", "The claim is not paused."),
    Refusal.ALREADY_PAUSED: ("Kravet er allerede pauset.", "The claim is already paused."),
    Refusal.CLAIM_IN_LEGAL: (
        "Kravet er til rettslig inkasso; en innsigelse der er for retten.",
        "The claim is in legal collection; an objection there is for the court.",
    ),
    Refusal.ALREADY_DISPUTED: ("Kravet er allerede bestridt.", "The claim is disputed already."),
    Refusal.NOT_DISPUTED: (
        "Kravet har ingen ubesvart innsigelse.",
        "The claim has no objection to answer.",
    ),
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
    """R-ACT-1 … R-ACT-4, R-CLM-15: why ``action`` may not be taken on ``claim``, or None."""
    if action is Action.MESSAGE:
        return None
    if claim.stage is Stage.CLOSED:
        return Refusal.CLAIM_CLOSED
    if action in OBJECTION_ACTIONS:
        return objection_refusal(action, claim)
    if action is Action.CLOSE:
        return None
    if claim.stage in IN_INKASSO:
        return Refusal.CLAIM_IN_INKASSO
    if action is Action.PAUSE and claim.paused:
        return Refusal.ALREADY_PAUSED
    if action is Action.RESUME and not claim.paused:
        return Refusal.NOT_PAUSED
    return None


def objection_refusal(action: Action, claim: Claim) -> Refusal | None:
    """R-CLM-15: an objection is recorded on an open claim before stage ``legal`` (it is for the court then),
    once; an answer needs an objection."""
    if claim.stage is Stage.CLOSED:
        return Refusal.CLAIM_CLOSED
    if claim.stage is Stage.LEGAL:
        return Refusal.CLAIM_IN_LEGAL
    if action is Action.DISPUTE:
        return Refusal.ALREADY_DISPUTED if claim.disputed else None
    return None if claim.disputed else Refusal.NOT_DISPUTED


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


def uphold_objection(claim: Claim, today: date, text: str, rates: RateTables, *, charge_interest: bool) -> Money:
    """R-CLM-15: the objection is upheld: the claim closes as ``objection_upheld`` with its fees, salær and
    interest waived (the creditor credits or writes off the invoice in its books). Returns the interest waived."""
    waived = interest_outstanding(claim, today, rates, charge_interest=charge_interest)
    claim.waive_interest(waived)
    claim.uphold_objection(today, text)
    return waived


def apply_action(
    action: Action,
    claim: Claim,
    today: date,
    *,
    invoice_costs: bool = False,
    text: str = "",
    rates: RateTables | None = None,
    charge_interest: bool = True,
) -> ActionResult:
    """Take ``action`` on ``claim`` if allowed (R-ACT-1 … R-ACT-4, R-CLM-15); a refused action changes nothing.
    Upholding an objection needs the ``rates`` (the interest it waives)."""
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
    elif action is Action.DISPUTE:
        claim.dispute(today)
    elif action is Action.REJECT:
        claim.reject_objection(text)
    elif action is Action.UPHOLD:
        if rates is None:
            raise ValueError("upholding an objection needs the rate tables (the interest it waives)")
        uphold_objection(claim, today, text, rates, charge_interest=charge_interest)
    return ActionResult(claim.collection_id, claim.invoice_number, action, True, None, costs)
