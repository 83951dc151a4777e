"""A claim's state, in the small frozen values the :class:`krav.domain.collection.claims.Claim` aggregate keeps
it in, and the stages it moves through with the moves allowed (DOMAIN.md section 6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from krav.domain.collection.letters import InterestPeriod
from krav.domain.errors import RuleViolation
from krav.domain.money import Money


class Stage(StrEnum):
    NEW = "new"
    REMINDER = "reminder"
    NOTICE = "notice"
    COLLECTION_LIST = "collection_list"
    INKASSO = "inkasso"
    LEGAL = "legal"
    CLOSED = "closed"


class ClosedReason(StrEnum):
    PAID = "paid"
    CREDITED = "credited"
    CLOSED_BY_CREDITOR = "closed_by_creditor"
    PAUSE_EXPIRED = "pause_expired"
    OBJECTION_UPHELD = "objection_upheld"


class ObjectionAnswer(StrEnum):
    """R-CLM-15: how an objection was answered."""

    REJECTED = "reject"
    UPHELD = "uphold"


#: The stage moves a claim may make (R-CLM-2 … R-CLM-5, R-CLM-13); every open stage may also close.
TRANSITIONS: Mapping[Stage, frozenset[Stage]] = {
    Stage.NEW: frozenset({Stage.REMINDER, Stage.NOTICE, Stage.CLOSED}),
    Stage.REMINDER: frozenset({Stage.NOTICE, Stage.CLOSED}),
    Stage.NOTICE: frozenset({Stage.COLLECTION_LIST, Stage.CLOSED}),
    Stage.COLLECTION_LIST: frozenset({Stage.INKASSO, Stage.CLOSED}),
    Stage.INKASSO: frozenset({Stage.LEGAL, Stage.CLOSED}),
    Stage.LEGAL: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}

#: Stages in which the creditor can no longer pause or resume (R-ACT-4).
IN_INKASSO = frozenset({Stage.INKASSO, Stage.LEGAL})


class ClaimRefused(RuleViolation):
    """A claim was asked to do what its stage does not allow; nothing changed."""

    code = "claim_refused"


def _zero() -> Money:
    return Money.zero()


@dataclass(frozen=True, slots=True)
class Balances:
    """What the claim still owes besides interest, and what it was charged."""

    principal_outstanding: Money = field(default_factory=_zero)
    fees_charged: Money = field(default_factory=_zero)
    fees_outstanding: Money = field(default_factory=_zero)
    fee_letters: int = 0  # fee-bearing letters before the payment demand (inkassoforskriften § 1-3)
    salaer_charged: Money = field(default_factory=_zero)
    salaer_outstanding: Money = field(default_factory=_zero)
    overpaid: Money = field(default_factory=_zero)


@dataclass(frozen=True, slots=True)
class InterestAccount:
    """R-CLM-6: interest booked in closed segments, where the open segment starts, and what was paid or waived."""

    interest_booked: Money = field(default_factory=_zero)
    segment_start: date | None = None
    interest_paid: Money = field(default_factory=_zero)
    interest_waived: Money = field(default_factory=_zero)
    # the closed segments' interest, period by period, as it was booked (R-CLM-16; empty for what was booked
    # before Krav kept them)
    booked_periods: tuple[InterestPeriod, ...] = ()


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The letters sent before inkasso and their deadlines (calendar dates, never moved: R-TIME-3)."""

    first_letter_on: date | None = None
    reminder_deadline: date | None = None
    notice_sent_on: date | None = None
    notice_deadline: date | None = None
    last_deadline: date | None = None  # the latest letter's deadline
    interest_note_on: date | None = None


@dataclass(frozen=True, slots=True)
class LettersDue:
    """Letters the next run owes the debtor after money came in (R-CLM-8, R-CLM-9)."""

    paid_confirmation_due: bool = False
    interest_note_due: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    """R-CLM-4: the collection list, the automatic transfer day and the creditor's approval."""

    listed_on: date | None = None
    transfer_on: date | None = None
    approved_on: date | None = None


@dataclass(frozen=True, slots=True)
class InkassoCase:
    """R-CLM-5, R-CLM-13: the case a claim went to inkasso in, its letters, and the salær level."""

    inkasso_on: date | None = None
    case_number: str | None = None
    demand_deadline: date | None = None
    legal_notice_on: date | None = None
    legal_deadline: date | None = None
    salaer_level: int = 0  # 0 none, 1 light, 2 heavy
    salaer_nominal: Money = field(default_factory=_zero)  # the table's salær before any B2B set-off (R-CLM-11)


@dataclass(frozen=True, slots=True)
class Compensation:
    """R-CLM-11: whether the B2B standard compensation was claimed, what of it is left to set off, and what it
    added to the fees when it was claimed (``compensation_charged``: a letter prints it apart from the fees)."""

    compensation_claimed: bool = False
    compensation: Money = field(default_factory=_zero)
    compensation_charged: Money = field(default_factory=_zero)


@dataclass(frozen=True, slots=True)
class Pause:
    """R-ACT-1: paused since a day (the pause expires six months later)."""

    paused: bool = False
    paused_on: date | None = None


@dataclass(frozen=True, slots=True)
class Objection:
    """R-CLM-15: the debtor's objection, recorded on a day and open until answered; then the answer and its
    reasons wait for the day's run to send them as a letter."""

    disputed: bool = False
    disputed_on: date | None = None
    objection_answer: ObjectionAnswer | None = None
    objection_text: str | None = None

    def __post_init__(self) -> None:
        if self.objection_answer is not None:  # as read from storage, a plain string
            object.__setattr__(self, "objection_answer", ObjectionAnswer(self.objection_answer))


@dataclass(frozen=True, slots=True)
class Unsent:
    """R-SVC-2: the claim's latest letter could not be sent (since a day); the claim takes no step until it has
    been, and then counts that letter from the day it went."""

    letter_unsent_since: date | None = None
