"""Claims (krav) and their stages (DOMAIN.md section 6): the claim is an aggregate that guards its own state.

A claim is the collection side's copy of a submitted open item: the principal, the debtor as they were at
submission, and everything the engine charged, received and sent since. Stages run
``reminder → notice → collection_list → inkasso → legal``; ``closed`` carries a reason; ``paused`` is a flag on
any stage before inkasso. ``new`` is a claim submitted but not yet lettered (its first letter goes out in the
same daily run that submits it, R-CLM-2).

The rules (:mod:`krav.domain.collection.steps`, ``allocation``, ``fees``, ``actions``) decide *what* happens to a
claim; the claim's methods decide *how*: each names what happens (``send_notice``, ``list``, ``approve``,
``move_to_inkasso``, ``pay``, ``close``, …), refuses what its stage does not allow (:data:`TRANSITIONS`), and
replaces one of the small frozen values its state is grouped in. Nothing outside sets a claim's fields; the
properties only read them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from krav.domain.collection.claim_facts import ClaimFacts
from krav.domain.collection.letters import InterestPeriod
from krav.domain.collection.schedule import transfer_day_after_resume
from krav.domain.collection.state import (
    IN_INKASSO,
    TRANSITIONS,
    Balances,
    ClaimRefused,
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

__all__ = [
    "IN_INKASSO",
    "TRANSITIONS",
    "Balances",
    "Claim",
    "ClaimRefused",
    "ClosedReason",
    "Compensation",
    "Deadlines",
    "InkassoCase",
    "InterestAccount",
    "LettersDue",
    "Listing",
    "Objection",
    "ObjectionAnswer",
    "Pause",
    "Stage",
    "Unsent",
    "letter_order",
]


class Claim(ClaimFacts):
    """A claim and its running state; changed only through its methods, each recorded by the step that calls it
    as an event (R-ACT-5)."""

    __slots__ = ()

    # -- the stage -------------------------------------------------------------------------------------------

    def _move(self, to: Stage) -> None:
        if to not in TRANSITIONS[self._stage]:
            raise ClaimRefused(f"claim {self.collection_id}: no move from {self._stage.value} to {to.value}")
        self._stage = to

    def _require_open(self, what: str) -> None:
        if self._stage is Stage.CLOSED:
            raise ClaimRefused(f"claim {self.collection_id} is closed: it cannot {what}")

    def stored_as(self, claim_id: int) -> Claim:
        """This claim as storage numbered it."""
        self.id = claim_id
        return self

    def send_reminder(self, on: date, deadline: date) -> None:
        """R-CLM-2: the first letter, a reminder without fee."""
        self._move(Stage.REMINDER)
        d = self._deadlines
        self._deadlines = replace(
            d, first_letter_on=d.first_letter_on or on, reminder_deadline=deadline, last_deadline=deadline
        )

    def send_notice(self, on: date, deadline: date) -> None:
        """R-CLM-3: the collection notice, as the first letter or after a reminder."""
        self._move(Stage.NOTICE)
        d = self._deadlines
        self._deadlines = replace(
            d,
            first_letter_on=d.first_letter_on or on,
            notice_sent_on=on,
            notice_deadline=deadline,
            last_deadline=deadline,
        )

    def send_interest_note(self, on: date, deadline: date) -> None:
        """R-CLM-8: the interest note for fees and interest left after the principal was paid."""
        self._require_open("get an interest note")
        self._due = replace(self._due, interest_note_due=False)
        self._deadlines = replace(self._deadlines, interest_note_on=on, last_deadline=deadline)

    def confirm_paid(self) -> None:
        """R-CLM-9: the confirmation owed for a claim paid in full has gone out."""
        self._due = replace(self._due, paid_confirmation_due=False)

    def list(self, on: date, transfer_on: date | None) -> None:
        """R-CLM-4: on the Tuesday collection list, moving to inkasso on ``transfer_on`` with the automatic list."""
        self._move(Stage.COLLECTION_LIST)
        self._listing = replace(self._listing, listed_on=on, transfer_on=transfer_on)

    def approve(self, on: date) -> None:
        """R-CLM-4: the creditor approves the listed claim for inkasso; it moves in the day's run."""
        if self._stage is not Stage.COLLECTION_LIST or self.paused:
            raise ClaimRefused(f"claim {self.collection_id} is not on a collection list, or is paused")
        self._listing = replace(self._listing, approved_on=on)

    def move_to_inkasso(self, on: date, case_number: str, demand_deadline: date) -> None:
        """R-CLM-5: registered for inkasso in ``case_number``, with the payment demand's deadline."""
        self._move(Stage.INKASSO)
        self._case = replace(self._case, inkasso_on=on, case_number=case_number, demand_deadline=demand_deadline)
        self._deadlines = replace(self._deadlines, last_deadline=demand_deadline)

    def send_legal_notice(self, on: date, deadline: date) -> None:
        """R-CLM-13: the notice of legal collection."""
        if self._stage is not Stage.INKASSO:
            raise ClaimRefused(f"claim {self.collection_id}: a notice of legal collection needs stage inkasso")
        self._case = replace(self._case, legal_notice_on=on, legal_deadline=deadline)
        self._deadlines = replace(self._deadlines, last_deadline=deadline)

    def move_to_legal(self) -> None:
        """R-CLM-13: the case handler takes over; no letters go out by themselves."""
        self._move(Stage.LEGAL)

    def pause(self, on: date) -> None:
        """R-ACT-1: no letters or stage moves; interest still accrues."""
        self._require_open("be paused")
        if self._stage in IN_INKASSO:  # R-ACT-4
            raise ClaimRefused(f"claim {self.collection_id} is in inkasso: it cannot be paused")
        self._pause = Pause(True, on)

    def resume(self, transfer_on: date | None = None) -> None:
        """R-ACT-1: go on where it stood; a listed claim whose Thursday passed during the pause gets
        ``transfer_on``."""
        self._require_open("be resumed")
        self._pause = Pause(False, None)
        if transfer_on is not None:
            self._listing = replace(self._listing, transfer_on=transfer_on)

    # -- objections (R-CLM-15) ----------------------------------------------------------------------------------

    def dispute(self, on: date) -> None:
        """The debtor objects: no letter, charge or move until the objection is answered."""
        self._require_open("be disputed")
        if self._stage is Stage.LEGAL:
            raise ClaimRefused(f"claim {self.collection_id} is in stage legal: an objection is for the court")
        if self.disputed:
            raise ClaimRefused(f"claim {self.collection_id} is disputed already")
        self._objection = Objection(True, on)

    def reject_objection(self, text: str) -> None:
        """The objection is rejected with ``text``: the next run sends the answer with a new deadline."""
        self._require_open("have its objection rejected")
        if not self.disputed:
            raise ClaimRefused(f"claim {self.collection_id} has no objection to answer")
        self._objection = Objection(False, None, ObjectionAnswer.REJECTED, text)

    def uphold_objection(self, on: date, text: str) -> None:
        """The objection is upheld with ``text``: the claim closes, its costs no longer owed (the interest waiver
        is booked by the caller, who knows the rates); the next run sends the answer."""
        if not self.disputed:
            raise ClaimRefused(f"claim {self.collection_id} has no objection to answer")
        zero = Money.zero(self.currency)
        self._balances = replace(self._balances, fees_outstanding=zero, salaer_outstanding=zero)
        self.close(ClosedReason.OBJECTION_UPHELD, on)
        self._objection = Objection(False, None, ObjectionAnswer.UPHELD, text)

    def send_objection_answer(self, on: date, deadline: date | None, transfer_on: date | None = None) -> None:
        """The answer went out. A rejection's ``deadline`` replaces the latest letter's, so the claim goes on
        from its stage when it has passed: a reminder's notice, the list, a listed claim's transfer on
        ``transfer_on`` (earlier approvals void), an inkasso claim's notice of legal collection, or the move to
        ``legal``."""
        answer = self._objection.objection_answer
        if answer is None:
            raise ClaimRefused(f"claim {self.collection_id} has no answer to an objection to send")
        self._objection = Objection()
        if answer is ObjectionAnswer.UPHELD or deadline is None:
            return
        d = self._deadlines
        reminder = deadline if self._stage is Stage.REMINDER and d.interest_note_on is None else d.reminder_deadline
        self._deadlines = replace(d, reminder_deadline=reminder, last_deadline=deadline)
        if self._stage is Stage.COLLECTION_LIST:
            self._listing = replace(self._listing, transfer_on=transfer_on, approved_on=None)
        elif self._stage is Stage.INKASSO:
            if self._case.legal_notice_on is None:
                self._case = replace(self._case, demand_deadline=deadline)
            else:
                self._case = replace(self._case, legal_deadline=deadline)

    # -- its letters on their way (R-SVC-2) ---------------------------------------------------------------------

    def wait_for_letter(self, since: date) -> None:
        """Its latest letter could not be sent on ``since``: no step until it has been."""
        self._unsent = Unsent(self._unsent.letter_unsent_since or since)

    def letter_sent(self, counted_from: date, sent_on: date, deadline: date | None) -> None:
        """Its latest letter, counted from ``counted_from`` so far, went out on ``sent_on`` with ``deadline``
        counted from then: the claim waits no more, and what counted from the letter counts from ``sent_on`` —
        each date it gave the claim (sent on, deadline; a listed claim's Thursday after an answer's deadline)."""
        self._unsent = Unsent()
        old = self._deadlines.last_deadline
        if sent_on == counted_from and (deadline is None or deadline == old):
            return

        def sent(value: date | None) -> date | None:
            return sent_on if value is not None and value == counted_from else value

        def due(value: date | None) -> date | None:
            return deadline if deadline is not None and value is not None and value == old else value

        d, case = self._deadlines, self._case
        self._deadlines = replace(
            d,
            first_letter_on=sent(d.first_letter_on),
            reminder_deadline=due(d.reminder_deadline),
            notice_sent_on=sent(d.notice_sent_on),
            notice_deadline=due(d.notice_deadline),
            last_deadline=due(d.last_deadline),
            interest_note_on=sent(d.interest_note_on),
        )
        self._case = replace(
            case,
            demand_deadline=due(case.demand_deadline),
            legal_notice_on=sent(case.legal_notice_on),
            legal_deadline=due(case.legal_deadline),
        )
        moved = deadline is not None and old is not None and deadline != old
        if moved and self._stage is Stage.COLLECTION_LIST and self._listing.transfer_on is not None:
            assert deadline is not None
            # R-CLM-15: a listed claim's transfer after an answer waits for the Thursday after its deadline
            self._listing = replace(self._listing, transfer_on=transfer_day_after_resume(deadline + timedelta(days=1)))

    def take_back_letter(self, stage: Stage, deadlines: Deadlines, *, fee: Money, compensation: Money) -> None:
        """R-SVC-2: its latest letter, never sent, is cancelled: the claim is back in ``stage`` with ``deadlines``
        as they were before the letter, waits for it no more, and the notice ``fee`` and standard
        ``compensation`` the letter charged are no longer owed (as if never charged). Which state the letter
        left behind is decided by :func:`krav.domain.collection.cancel.cancel_letter`."""
        self._require_open("have a letter cancelled")
        self._stage = stage
        self._deadlines = deadlines
        self._unsent = Unsent()
        b = self._balances
        taken = fee + compensation
        self._balances = replace(
            b,
            fees_charged=b.fees_charged - taken,
            fees_outstanding=b.fees_outstanding - taken,
            fee_letters=b.fee_letters - 1 if fee.is_positive() and b.fee_letters > 0 else b.fee_letters,
        )
        if self._compensation.compensation_claimed:
            self._compensation = Compensation(compensation=Money.zero(self.currency))

    def close(self, reason: ClosedReason, on: date) -> None:
        """Closed with ``reason``: no letters, moves or interest after ``on``."""
        self._move(Stage.CLOSED)
        self._closed_reason = reason
        self._closed_on = on
        self._pause = replace(self._pause, paused=False)
        self._due = replace(self._due, interest_note_due=False)

    def close_paid(self, on: date) -> None:
        """R-CLM-9: paid in full, closed with a confirmation owed to the debtor."""
        self.close(ClosedReason.PAID, on)
        self._due = replace(self._due, paid_confirmation_due=True)

    def owe_interest_note(self) -> None:
        """R-CLM-8: the principal is paid while fees or interest remain: the next run sends an interest note."""
        self._require_open("get an interest note")
        self._due = replace(self._due, interest_note_due=True)

    # -- charges ---------------------------------------------------------------------------------------------

    def charge_notice_fee(self, fee: Money) -> None:
        """R-CLM-3: a notice's fee, carried by this claim; it counts as a fee-bearing letter."""
        b = self._balances
        self._balances = replace(
            b,
            fees_charged=b.fees_charged + fee,
            fees_outstanding=b.fees_outstanding + fee,
            fee_letters=b.fee_letters + 1,
        )

    def claim_compensation(self, top_up: Money) -> None:
        """R-CLM-11: the B2B standard compensation is claimed, once; ``top_up`` (what it adds beyond the costs
        charged so far) is owed as a fee and kept to set off against later fees and salær."""
        if self._compensation.compensation_claimed:
            raise ClaimRefused(f"claim {self.collection_id}: the standard compensation is claimed already")
        b = self._balances
        self._balances = replace(b, fees_charged=b.fees_charged + top_up, fees_outstanding=b.fees_outstanding + top_up)
        self._compensation = Compensation(True, top_up, top_up)

    def set_off(self, charge: Money) -> Money:
        """R-CLM-11: reduce a later fee or salær by what is left of the compensation; returns what is still
        charged."""
        used = charge.min(self._compensation.compensation)
        self._compensation = replace(self._compensation, compensation=self._compensation.compensation - used)
        return charge - used

    def charge_salaer(self, nominal: Money, charged: Money, *, level: int) -> None:
        """R-CLM-5, R-CLM-13: salær at ``level`` (1 light, 2 heavy): ``nominal`` from the table, ``charged``
        after any set-off."""
        b = self._balances
        self._balances = replace(
            b, salaer_charged=b.salaer_charged + charged, salaer_outstanding=b.salaer_outstanding + charged
        )
        self._case = replace(self._case, salaer_nominal=self._case.salaer_nominal + nominal, salaer_level=level)

    # -- money -----------------------------------------------------------------------------------------------

    def book_interest(self, on: date, amount: Money, periods: tuple[InterestPeriod, ...] = ()) -> None:
        """R-CLM-6: the open segment closes on ``on`` with ``amount`` (rounded), made of ``periods`` (R-CLM-16);
        a new one starts."""
        i = self._interest
        self._interest = replace(
            i,
            interest_booked=i.interest_booked + amount,
            segment_start=max(on, i.segment_start or on),
            booked_periods=i.booked_periods + periods,
        )

    def pay(
        self,
        *,
        principal: Money | None = None,
        fee: Money | None = None,
        salaer: Money | None = None,
        interest: Money | None = None,
    ) -> None:
        """Money applied: each part lowers what is owed (interest counts as paid). The segment's interest must be
        booked first when the principal changes (:func:`krav.domain.collection.interest.close_segment`)."""
        zero = Money.zero(self.currency)
        b = self._balances
        self._balances = replace(
            b,
            principal_outstanding=b.principal_outstanding - (principal or zero),
            fees_outstanding=b.fees_outstanding - (fee or zero),
            salaer_outstanding=b.salaer_outstanding - (salaer or zero),
        )
        if interest is not None:
            self._interest = replace(self._interest, interest_paid=self._interest.interest_paid + interest)

    def waive_interest(self, amount: Money) -> None:
        """R-CLM-10, R-CLM-12: interest no longer owed."""
        self._interest = replace(self._interest, interest_waived=self._interest.interest_waived + amount)

    def waive_charges(self, fees: Money, salaer: Money) -> None:
        """R-CLM-14: fees and salær charged after a letter that was paid in time are not owed and count as never
        charged (the fee-bearing letters among them no longer count)."""
        b = self._balances
        self._balances = replace(
            b,
            fees_charged=b.fees_charged - fees,
            fees_outstanding=b.fees_outstanding - fees,
            salaer_charged=b.salaer_charged - salaer,
            salaer_outstanding=b.salaer_outstanding - salaer,
        )

    def waive_costs(self) -> None:
        """R-CLM-10: fully credited, nothing is demanded for the claim: its fees and salær are no longer owed."""
        zero = Money.zero(self.currency)
        self._balances = replace(self._balances, fees_outstanding=zero, salaer_outstanding=zero)

    def keep_overpayment(self, amount: Money) -> None:
        """R-CLM-9: paid beyond what is owed; remitted to the creditor, who refunds it."""
        self._balances = replace(self._balances, overpaid=self._balances.overpaid + amount)


def letter_order(claim: Claim) -> tuple[date, str, str]:
    """R-CLM-1: claims on a letter run by due date, then invoice number; the first carries the fee."""
    return (claim.due_date, claim.invoice_number, claim.collection_id)
