"""The facts of a claim (:class:`ClaimFacts`): what a claim is and how it stands, read-only.

The claim's state is kept in the small frozen groups of :mod:`krav.domain.collection.state`; this class holds
them and reads them. Changing them is :class:`krav.domain.collection.claims.Claim`'s business alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Self

from krav.domain.collection.letters import Recipient
from krav.domain.collection.schedule import DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE, pause_expiry
from krav.domain.collection.state import (
    Balances,
    ClosedReason,
    Compensation,
    Deadlines,
    InkassoCase,
    InterestAccount,
    LettersDue,
    Listing,
    Objection,
    ObjectionAnswer,
    Pause,
    Stage,
    Unsent,
)
from krav.domain.money import Money


class ClaimFacts:
    """A claim's identity and state as read: every group, the figures derived from them, and the day the daily run
    must look at it next. :class:`krav.domain.collection.claims.Claim` adds what changes it."""

    __slots__ = (
        "_balances",
        "_case",
        "_closed_on",
        "_closed_reason",
        "_compensation",
        "_deadlines",
        "_due",
        "_interest",
        "_listing",
        "_objection",
        "_pause",
        "_stage",
        "_unsent",
        "collection_id",
        "company_id",
        "debtor",
        "due_date",
        "id",
        "invoice_date",
        "invoice_number",
        "principal",
        "rule_set",
        "submitted_on",
    )

    def __init__(
        self,
        company_id: int,
        collection_id: str,
        invoice_number: str,
        invoice_date: date,
        due_date: date,
        principal: Money,
        submitted_on: date,
        debtor: Recipient,
        *,
        rule_set: str = "inkassoloven-1988",
        id: int | None = None,
        stage: Stage = Stage.NEW,
        closed_reason: ClosedReason | None = None,
        closed_on: date | None = None,
        balances: Balances | None = None,
        interest: InterestAccount | None = None,
        deadlines: Deadlines | None = None,
        due: LettersDue | None = None,
        listing: Listing | None = None,
        case: InkassoCase | None = None,
        compensation_state: Compensation | None = None,
        pause_state: Pause | None = None,
        objection_state: Objection | None = None,
        unsent_state: Unsent | None = None,
    ) -> None:
        """A new claim (only the identity: it owes its principal), or one restored from storage (every group)."""
        self.company_id = company_id
        self.collection_id = collection_id
        self.invoice_number = invoice_number
        self.invoice_date = invoice_date
        self.due_date = due_date
        self.principal = principal
        self.submitted_on = submitted_on
        self.debtor = debtor
        self.rule_set = rule_set
        self.id = id
        self._stage = stage
        self._closed_reason = closed_reason
        self._closed_on = closed_on
        zero = Money.zero(principal.currency)
        self._balances = balances or Balances(principal, zero, zero, 0, zero, zero, zero)
        self._interest = interest or InterestAccount(zero, due_date, zero, zero)
        if self._interest.segment_start is None:
            self._interest = replace(self._interest, segment_start=due_date)
        self._deadlines = deadlines or Deadlines()
        self._due = due or LettersDue()
        self._listing = listing or Listing()
        self._case = case or InkassoCase(salaer_nominal=zero)
        self._compensation = compensation_state or Compensation(compensation=zero)
        self._pause = pause_state or Pause()
        self._objection = objection_state or Objection()
        self._unsent = unsent_state or Unsent()

    def __repr__(self) -> str:
        return f"Claim({self.collection_id!r}, invoice {self.invoice_number!r}, {self._stage.value})"

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """A copy that changes apart from this one. Every field holds a frozen value (the groups of the state are
        replaced, never changed), so the copy shares them: as deep as a deep copy, at the cost of a shallow one."""
        twin = object.__new__(type(self))
        for name in ClaimFacts.__slots__:
            object.__setattr__(twin, name, getattr(self, name))
        memo[id(self)] = twin
        return twin

    def __eq__(self, other: object) -> bool:
        """Two claims are equal when they are in the same state (as two reads of one stored claim are)."""
        if not isinstance(other, ClaimFacts):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in ClaimFacts.__slots__)

    # -- reading ---------------------------------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        return self._stage

    @property
    def closed_reason(self) -> ClosedReason | None:
        return self._closed_reason

    @property
    def closed_on(self) -> date | None:
        return self._closed_on

    @property
    def balances(self) -> Balances:
        return self._balances

    @property
    def interest(self) -> InterestAccount:
        return self._interest

    @property
    def deadlines(self) -> Deadlines:
        return self._deadlines

    @property
    def due(self) -> LettersDue:
        return self._due

    @property
    def listing(self) -> Listing:
        return self._listing

    @property
    def case(self) -> InkassoCase:
        return self._case

    @property
    def compensation_state(self) -> Compensation:
        return self._compensation

    @property
    def pause_state(self) -> Pause:
        return self._pause

    @property
    def objection_state(self) -> Objection:
        return self._objection

    @property
    def unsent_state(self) -> Unsent:
        return self._unsent

    @property
    def letter_unsent(self) -> bool:
        """R-SVC-2: the claim's latest letter could not be sent yet; the claim takes no step until it has been."""
        return self._unsent.letter_unsent_since is not None

    @property
    def disputed(self) -> bool:
        """R-CLM-15: an objection is recorded and not yet answered."""
        return self._objection.disputed

    @property
    def objection_answer_due(self) -> ObjectionAnswer | None:
        """R-CLM-15: the answer the next run sends to the debtor, if any."""
        return self._objection.objection_answer

    @property
    def currency(self) -> str:
        return self.principal.currency

    @property
    def is_closed(self) -> bool:
        return self._stage is Stage.CLOSED

    @property
    def is_open(self) -> bool:
        return self._stage is not Stage.CLOSED

    @property
    def principal_outstanding(self) -> Money:
        return self._balances.principal_outstanding

    @property
    def fees_charged(self) -> Money:
        return self._balances.fees_charged

    @property
    def fees_outstanding(self) -> Money:
        return self._balances.fees_outstanding

    @property
    def fee_letters(self) -> int:
        return self._balances.fee_letters

    @property
    def salaer_charged(self) -> Money:
        return self._balances.salaer_charged

    @property
    def salaer_outstanding(self) -> Money:
        return self._balances.salaer_outstanding

    @property
    def overpaid(self) -> Money:
        return self._balances.overpaid

    @property
    def costs_outstanding(self) -> Money:
        """Fees and salær still owed (R-CLM-7: what a client-account payment covers first)."""
        return self.fees_outstanding + self.salaer_outstanding

    @property
    def interest_booked(self) -> Money:
        return self._interest.interest_booked

    @property
    def segment_start(self) -> date:
        start = self._interest.segment_start
        assert start is not None  # set from the due date when the claim is made
        return start

    @property
    def interest_paid(self) -> Money:
        return self._interest.interest_paid

    @property
    def interest_waived(self) -> Money:
        return self._interest.interest_waived

    @property
    def paused(self) -> bool:
        return self._pause.paused

    @property
    def paused_on(self) -> date | None:
        return self._pause.paused_on

    @property
    def paid_confirmation_due(self) -> bool:
        return self._due.paid_confirmation_due

    @property
    def interest_note_due(self) -> bool:
        return self._due.interest_note_due

    @property
    def next_action_on(self) -> date | None:
        """The first day the daily run must look at this claim again; None when nothing will happen by itself.

        Conservative: it may be earlier than the day something happens (the steps check the full conditions),
        never later. The daily run selects claims by this date, so it picks what is due with one indexed query.
        """
        if self._stage is Stage.CLOSED:
            # a letter owed after closing waits, as every step does, for the latest letter to be sent (R-SVC-2)
            owed = self.objection_answer_due or self.paid_confirmation_due
            return self.submitted_on if owed and not self.letter_unsent else None
        if self.paused and self.paused_on is not None:
            return pause_expiry(self.paused_on)
        if self.letter_unsent:
            return None  # nothing moves until its latest letter has been sent (R-SVC-2)
        if self.interest_note_due or self.paid_confirmation_due or self.objection_answer_due:
            return self.submitted_on
        if self.disputed:
            return None  # nothing moves until the objection is answered (R-CLM-15)
        one = timedelta(days=1)
        d, listing, case = self._deadlines, self._listing, self._case
        match self._stage:
            case Stage.NEW:
                return self.submitted_on
            case Stage.REMINDER if d.interest_note_on is None:
                return d.reminder_deadline + one if d.reminder_deadline else self.submitted_on
            case Stage.REMINDER | Stage.NOTICE:
                return d.last_deadline + one if d.last_deadline else self.submitted_on
            case Stage.COLLECTION_LIST:
                candidates = [x for x in (listing.transfer_on, listing.approved_on) if x is not None]
                return min(candidates) if candidates else None
            case Stage.INKASSO:
                if case.legal_notice_on is None and case.demand_deadline is not None:
                    return case.demand_deadline + timedelta(days=DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE + 1)
                return case.legal_deadline + one if case.legal_deadline else None
            case _:
                return None
