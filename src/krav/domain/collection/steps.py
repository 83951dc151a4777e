"""The steps of a collection day, as pure decisions on claims (R-TIME-5, R-CLM-1 … R-CLM-13, R-ACT-1).

Each step takes the creditor's claims that may be due and the day, changes the claims it acts on, and returns
the letters to send (as data) and the events to record. Letters, stage moves and remittances happen on bank
days only (R-TIME-3); a step on another day does nothing, and its work falls to the next bank day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from krav.domain.agreement import Agreement
from krav.domain.calendar import is_bank_day
from krav.domain.collection.claims import Claim, ClosedReason, ObjectionAnswer, Stage, letter_order
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.fees import (
    claim_standard_compensation,
    notice_fee,
    salaer_for_case,
    set_off_against_compensation,
)
from krav.domain.collection.letter_content import letter_line
from krav.domain.collection.letters import LetterLine, LetterType, Recipient
from krav.domain.collection.schedule import (
    DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE,
    is_collection_list_day,
    nominal_tuesday,
    pause_expiry,
    transfer_day_after_resume,
    transfer_day_for_list,
)
from krav.domain.money import Money
from krav.domain.rates import RateTables

#: R-CLM-3, R-CLM-5, R-CLM-8, R-CLM-13: deadlines in days after the letter is sent (never moved).
NOTICE_DEADLINE_DAYS = 14
PAYMENT_DEMAND_DEADLINE_DAYS = 14
INTEREST_NOTE_DEADLINE_DAYS = 14
LEGAL_NOTICE_DEADLINE_DAYS = 14
OBJECTION_ANSWER_DEADLINE_DAYS = 14  # R-CLM-15


@dataclass(frozen=True, slots=True)
class Day:
    """One creditor's business day: the date, its agreement and the rate tables."""

    today: date
    agreement: Agreement
    rates: RateTables
    creditor_vat_registered: bool = True

    @property
    def bank_day(self) -> bool:
        return is_bank_day(self.today)

    @property
    def charge_interest(self) -> bool:
        return self.agreement.charge_interest


@dataclass
class LetterDraft:
    """A letter decided by a step; the service numbers it, gives it a KID and stores it (R-CLM-1)."""

    type: LetterType
    recipient: Recipient
    claims: list[Claim]
    lines: list[LetterLine]
    sent_on: date
    deadline: date | None
    case_number: str | None = None
    note: str | None = None  # the reasons of an answer to an objection (R-CLM-15)

    @property
    def total(self) -> Money:
        return Money.sum((line.total for line in self.lines), self.claims[0].currency)


@dataclass
class StepResult:
    letters: list[LetterDraft] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    listed: list[Claim] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)

    def merge(self, other: StepResult) -> None:
        """Take in what another decision of the same step did."""
        self.letters.extend(other.letters)
        self.events.extend(other.events)
        self.listed.extend(other.listed)
        self.changed.update(other.changed)

    def event(self, claim: Claim, on: date, kind: EventKind, amount: Money | None = None, detail: str = "") -> None:
        self.events.append(Event(claim.collection_id, on, kind, amount, detail))
        self.changed.add(claim.collection_id)


def by_debtor(claims: Iterable[Claim]) -> list[list[Claim]]:
    """R-CLM-1: group claims per debtor, each group in letter order, the groups by their first claim."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.debtor.number].append(claim)
    ordered = [sorted(group, key=letter_order) for group in groups.values()]
    return sorted(ordered, key=lambda g: (g[0].debtor.number, letter_order(g[0])))


def letter_lines(claims: Sequence[Claim], day: Day) -> list[LetterLine]:
    """What each claim owes on the letter's date, the fee or salær charged by this letter included, with the
    standard compensation apart (R-CLM-11) and the interest per rate period (R-CLM-16)."""
    return [letter_line(c, day.today, day.rates, charge_interest=day.charge_interest) for c in claims]


def _compensation_claimed(day: Day, claim: Claim) -> bool:
    """R-CLM-11: the agreement claims the B2B standard compensation and the debtor is a business."""
    return day.agreement.claim_standard_compensation and claim.debtor.kind == "business"


def _draft(
    kind: LetterType, claims: list[Claim], day: Day, deadline: date | None, case: str | None = None
) -> LetterDraft:
    recipient = max(claims, key=lambda c: c.submitted_on).debtor  # the newest copy of the debtor's data
    return LetterDraft(kind, recipient, claims, letter_lines(claims, day), day.today, deadline, case)


# -- (2) pauses that expire -----------------------------------------------------------------------------------


def expire_pauses(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-ACT-1: a claim paused for six months closes by itself (pause expired), bank-day moved."""
    result = StepResult()
    if not day.bank_day:
        return result
    for claim in claims:
        if claim.is_open and claim.paused and claim.paused_on and day.today >= pause_expiry(claim.paused_on):
            claim.close(ClosedReason.PAUSE_EXPIRED, day.today)
            result.event(claim, day.today, EventKind.CLOSED, detail="pause_expired")
    return result


# -- (3) paid confirmations and interest notes ----------------------------------------------------------------


def confirmations_and_interest_notes(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-CLM-9: one confirmation per debtor for the claims closed as paid; R-CLM-8: an interest note (14 days)
    for claims in stage reminder or notice whose principal is paid while fees or interest remain; R-CLM-15: the
    answers to objections."""
    result = StepResult()
    if not day.bank_day:
        return result
    claims = list(claims)
    paid = [c for c in claims if c.paid_confirmation_due and not c.letter_unsent]
    for group in by_debtor(paid):
        for claim in group:
            claim.confirm_paid()
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.PAID_CONFIRMATION.value)
        result.letters.append(_draft(LetterType.PAID_CONFIRMATION, group, day, None))
    noted = [
        c
        for c in claims
        if c.interest_note_due and c.is_open and not c.paused and not c.disputed and not c.letter_unsent
    ]
    for group in by_debtor(noted):
        deadline = day.today + timedelta(days=INTEREST_NOTE_DEADLINE_DAYS)
        for claim in group:
            claim.send_interest_note(day.today, deadline)
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.INTEREST_NOTE.value)
        result.letters.append(_draft(LetterType.INTEREST_NOTE, group, day, deadline))
    result.merge(objection_answers(claims, day))
    return result


def _answer_text(claims: Sequence[Claim]) -> str:
    texts: list[str] = []
    for claim in claims:
        text = (claim.objection_state.objection_text or "").strip()
        if text and text not in texts:
            texts.append(text)
    return "\n\n".join(texts)


def _transfer_after_answer(claim: Claim, deadline: date, day: Day) -> date | None:
    """R-CLM-15: a listed claim moves to inkasso on the first Thursday after the answer's deadline (bank-day
    moved) with the automatic list; without it, it waits for a new approval."""
    if claim.stage is not Stage.COLLECTION_LIST or not day.agreement.automatic_collection_list:
        return None
    return transfer_day_after_resume(deadline + timedelta(days=1))


def objection_answers(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-CLM-15: the answers to objections, one letter per debtor for the objections rejected (with the reasons
    and a deadline of 14 days that replaces the latest letter's) and one for those upheld (without deadline or
    amounts). A paused claim's rejection waits for the resume."""
    result = StepResult()
    if not day.bank_day:
        return result
    claims = list(claims)
    rejected = [
        c
        for c in claims
        if c.objection_answer_due is ObjectionAnswer.REJECTED and c.is_open and not c.paused and not c.letter_unsent
    ]
    for group in by_debtor(rejected):
        deadline = day.today + timedelta(days=OBJECTION_ANSWER_DEADLINE_DAYS)
        note = _answer_text(group)
        draft = _draft(LetterType.OBJECTION_ANSWER, group, day, deadline, group[0].case.case_number)
        draft.note = note
        for claim in group:
            claim.send_objection_answer(day.today, deadline, _transfer_after_answer(claim, deadline, day))
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.OBJECTION_ANSWER.value)
        result.letters.append(draft)
    upheld = [c for c in claims if c.objection_answer_due is ObjectionAnswer.UPHELD and not c.letter_unsent]
    for group in by_debtor(upheld):
        note = _answer_text(group)
        zero = Money.zero(group[0].currency)
        lines = [
            replace(
                line,
                principal=zero,
                fee=zero,
                interest=zero,
                salaer=zero,
                compensation=None,
                interest_rate=None,
                interest_from=None,
                interest_periods=(),
            )
            for line in letter_lines(group, day)
        ]
        recipient = max(group, key=lambda c: c.submitted_on).debtor
        for claim in group:
            claim.send_objection_answer(day.today, None)
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.OBJECTION_ANSWER.value)
        result.letters.append(
            LetterDraft(LetterType.OBJECTION_ANSWER, recipient, group, lines, day.today, None, None, note)
        )
    return result


# -- (4, 5) first letters and notices after reminders ------------------------------------------------------------


def _send_reminders(group: list[Claim], day: Day, result: StepResult) -> None:
    """R-CLM-2: a reminder without fee; deadline = sent + the agreement's reminder deadline."""
    deadline = day.today + timedelta(days=day.agreement.reminder_deadline_days)
    for claim in group:
        claim.send_reminder(day.today, deadline)
        result.event(claim, day.today, EventKind.LETTER, detail=LetterType.REMINDER.value)
        result.event(claim, day.today, EventKind.STAGE, detail=Stage.REMINDER.value)
    result.letters.append(_draft(LetterType.REMINDER, group, day, deadline))


def _send_notices(group: list[Claim], day: Day, result: StepResult) -> None:
    """R-CLM-3: one notice per debtor; its fee, if any, is carried by the first claim (R-CLM-1)."""
    deadline = day.today + timedelta(days=NOTICE_DEADLINE_DAYS)
    first = group[0]
    fee = notice_fee(first, day.today, day.rates)
    if _compensation_claimed(day, first):
        fee = set_off_against_compensation(first, fee)
    if fee.is_positive():
        first.charge_notice_fee(fee)
        result.event(first, day.today, EventKind.FEE, fee, "notice fee")  # R-CLM-3
    for claim in group:
        if _compensation_claimed(day, claim):
            top_up = claim_standard_compensation(claim, day.rates)
            if top_up.is_positive():
                result.event(claim, day.today, EventKind.FEE, top_up, "B2B standard compensation")  # R-CLM-11
        claim.send_notice(day.today, deadline)
        result.event(claim, day.today, EventKind.LETTER, detail=LetterType.NOTICE.value)
        result.event(claim, day.today, EventKind.STAGE, detail=Stage.NOTICE.value)
    result.letters.append(_draft(LetterType.NOTICE, group, day, deadline))


def _notice_after_reminder_due(claim: Claim, day: Day) -> bool:
    """R-CLM-3: the day after the reminder's deadline has passed. A claim whose principal was paid after the
    reminder got an interest note instead (R-CLM-8); if that stays unpaid past its deadline, it too gets its
    collection notice before anything else, since nothing may go to inkasso without one (inkassoloven § 9)."""
    d = claim.deadlines
    if d.interest_note_on is None:
        return (
            claim.principal_outstanding.is_positive()
            and d.reminder_deadline is not None
            and day.today > d.reminder_deadline
        )
    return d.last_deadline is not None and day.today > d.last_deadline


def reminder_and_notice_letters(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-CLM-2, R-CLM-3: the first letters of new claims (a reminder with *reminder before notice*, else a
    notice), and notices the day after a reminder's deadline has passed; one letter per debtor and type."""
    result = StepResult()
    if not day.bank_day:
        return result
    reminders: list[Claim] = []
    notices: list[Claim] = []
    for claim in claims:
        if not claim.is_open or claim.paused or claim.disputed or claim.letter_unsent:
            continue
        if claim.stage is Stage.NEW:
            (reminders if day.agreement.reminder_before_notice else notices).append(claim)
        elif claim.stage is Stage.REMINDER and _notice_after_reminder_due(claim, day):
            notices.append(claim)
    for group in by_debtor(reminders):
        _send_reminders(group, day, result)
    for group in by_debtor(notices):
        _send_notices(group, day, result)
    return result


# -- (6) transfers to inkasso ---------------------------------------------------------------------------------


def _due_for_inkasso(claim: Claim, day: Day) -> bool:
    if claim.stage is not Stage.COLLECTION_LIST or not claim.is_open or claim.paused or claim.disputed:
        return False
    if claim.letter_unsent:
        return False
    listing = claim.listing
    if listing.approved_on is not None and listing.approved_on <= day.today:
        return True
    return (
        day.agreement.automatic_collection_list and listing.transfer_on is not None and listing.transfer_on <= day.today
    )


def transfers_to_inkasso(claims: Iterable[Claim], day: Day, *, case_numbers: Iterable[str]) -> StepResult:
    """R-CLM-4, R-CLM-5: approved claims, and with the automatic list the listed claims whose Thursday has come,
    move to inkasso. A debtor's claims moving the same day form one case: one payment demand (14 days) and one
    light salær on their combined principal, carried by the case's first claim."""
    result = StepResult()
    if not day.bank_day:
        return result
    numbers = iter(case_numbers)
    for group in by_debtor(c for c in claims if _due_for_inkasso(c, day)):
        case = next(numbers)
        first = group[0]
        salaer = salaer_for_case(
            group,
            day.today,
            day.rates,
            heavy=False,
            business=first.debtor.kind == "business",
            creditor_vat_registered=day.creditor_vat_registered,
        )
        nominal = salaer
        if _compensation_claimed(day, first):
            salaer = set_off_against_compensation(first, salaer)
        first.charge_salaer(nominal, salaer, level=1)
        if salaer.is_positive():
            result.event(first, day.today, EventKind.SALAER, salaer, f"light salær, case {case}")  # R-CLM-5
        deadline = day.today + timedelta(days=PAYMENT_DEMAND_DEADLINE_DAYS)
        for claim in group:
            claim.move_to_inkasso(day.today, case, deadline)
            result.event(claim, day.today, EventKind.STAGE, detail=Stage.INKASSO.value)
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.PAYMENT_DEMAND.value)
        result.letters.append(_draft(LetterType.PAYMENT_DEMAND, group, day, deadline, case))
    return result


# -- (7) notices of legal collection and the legal stage ---------------------------------------------------------


def legal_steps(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-CLM-13: more than 28 days after the payment demand's deadline, a notice of legal collection (14 days)
    raising the salær to the heavy fee on the case's combined principal that day; when its deadline has passed
    unpaid, the claim moves to stage ``legal`` and no letters go out by themselves."""
    result = StepResult()
    if not day.bank_day:
        return result
    claims = [c for c in claims if c.stage is Stage.INKASSO and c.is_open and not c.disputed and not c.letter_unsent]
    for claim in claims:
        if claim.case.legal_deadline is not None and day.today > claim.case.legal_deadline:
            claim.move_to_legal()
            result.event(claim, day.today, EventKind.STAGE, detail=Stage.LEGAL.value)
    due = [
        c
        for c in claims
        if c.stage is Stage.INKASSO
        and c.case.legal_notice_on is None
        and c.case.demand_deadline is not None
        and (day.today - c.case.demand_deadline).days > DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE
    ]
    for group in by_debtor(due):
        first = group[0]
        heavy = salaer_for_case(
            group,
            day.today,
            day.rates,
            heavy=True,
            business=first.debtor.kind == "business",
            creditor_vat_registered=day.creditor_vat_registered,
        )
        # the table's salær already charged to the case, before any B2B set-off (never less than what was charged)
        already = Money.sum((c.case.salaer_nominal.max(c.salaer_charged) for c in group), first.currency)
        nominal = (heavy - already).max(Money.zero(first.currency))
        raise_by = set_off_against_compensation(first, nominal) if _compensation_claimed(day, first) else nominal
        first.charge_salaer(nominal, raise_by, level=2)
        if raise_by.is_positive():
            # R-CLM-5, R-CLM-13
            result.event(first, day.today, EventKind.SALAER, raise_by, "raised to heavy salær")
        deadline = day.today + timedelta(days=LEGAL_NOTICE_DEADLINE_DAYS)
        for claim in group:
            claim.send_legal_notice(day.today, deadline)
            result.event(claim, day.today, EventKind.LETTER, detail=LetterType.LEGAL_NOTICE.value)
        result.letters.append(_draft(LetterType.LEGAL_NOTICE, group, day, deadline, first.case.case_number))
    return result


# -- (8) the Tuesday collection list --------------------------------------------------------------------------


def _listable(claim: Claim, tuesday: date) -> bool:
    return (
        claim.stage is Stage.NOTICE
        and claim.is_open
        and not claim.paused
        and not claim.disputed
        and not claim.letter_unsent
        and claim.listing.listed_on is None
        and claim.deadlines.last_deadline is not None
        and claim.deadlines.last_deadline < tuesday
    )


def draw_collection_list(claims: Iterable[Claim], day: Day) -> StepResult:
    """R-CLM-4: every Tuesday (bank-day moved), each unpaid, unpaused claim that has had its notice, whose latest
    letter's deadline has passed and that is not yet listed goes on the list, ordered by due date and invoice
    number. With the automatic list, listed claims move to inkasso on the following Thursday."""
    result = StepResult()
    if not is_collection_list_day(day.today):
        return result
    tuesday = nominal_tuesday(day.today)
    listed = sorted((c for c in claims if _listable(c, tuesday)), key=letter_order)
    transfer = transfer_day_for_list(day.today) if day.agreement.automatic_collection_list else None
    for claim in listed:
        claim.list(day.today, transfer)
        result.event(claim, day.today, EventKind.STAGE, detail=Stage.COLLECTION_LIST.value)
    result.listed = listed
    return result
