"""What happens to a claim, for its append-only history (R-ACT-5): every event with its day, kind, amount and
detail; who did it is recorded where the event is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from krav.domain.money import Money


class EventKind(StrEnum):
    """The kinds of event in a claim's history."""

    SUBMITTED = "submitted"
    LETTER = "letter"
    STAGE = "stage"
    FEE = "fee"
    SALAER = "salaer"
    PAYMENT = "payment"
    DIRECT_PAYMENT = "direct_payment"
    CREDIT = "credit"
    INTEREST_WAIVED = "interest_waived"
    COSTS_WAIVED = "costs_waived"  # fees and salær no longer owed (R-CLM-14, R-CLM-15)
    OBJECTION = "objection"  # the debtor's objection recorded, rejected or upheld (R-CLM-15)
    CLOSED = "closed"
    ACTION = "action"
    ACTION_REFUSED = "action_refused"
    MESSAGE = "message"
    ANSWER = "answer"
    APPROVED = "approved"
    COSTS_INVOICED = "costs_invoiced"
    HELD = "held"  # a step could not decide the claim; it is looked at again the next day
    DELIVERY = "delivery"  # its letter could not be sent, bounced, or went later than dated (R-SVC-2)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a claim, for its append-only history (R-ACT-5)."""

    collection_id: str
    on: date
    kind: EventKind
    amount: Money | None = None
    detail: str = ""
