"""The collection side of a creditor's business day: the R-TIME-5 steps that change claims, as use cases the
daily run (:mod:`krav.services.daily_run`) calls in order, each in its own transaction.

A step loads the claims it may act on with one query, lets the pure rules of
:mod:`krav.domain.collection.steps` decide, and stores what they changed in bulk: the claims, their events,
the letters with their KIDs and delivery jobs, and a :class:`ClaimChanged` message per changed claim for the
ledger (R-LED-3) — unless an earlier step of the same day told it exactly that already.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.interest import interest_outstanding
from krav.domain.collection.letter_content import confirmation_line
from krav.domain.collection.letters import LetterType, letter_kid
from krav.domain.collection.steps import (
    Day,
    StepResult,
    confirmations_and_interest_notes,
    draw_collection_list,
    expire_pauses,
    legal_steps,
    reminder_and_notice_letters,
    transfers_to_inkasso,
)
from krav.domain.messages import ClaimChanged
from krav.domain.money import Money
from krav.domain.party import Company
from krav.services.collection.delivery import enqueue_letters, enqueue_list, payee_account
from krav.services.collection.holding import Decide, Held, decide_holding
from krav.services.collection.interest_many import claims_interest
from krav.services.ports import ClaimFilter, Service, StoredLetter, UnitOfWork


@dataclass(frozen=True, slots=True)
class CreditorDay:
    """One creditor's business day as the steps see it: who, the rules in force, and the service."""

    company: Company
    company_id: int
    day: Day
    service: Service
    #: what the ledger was told of each claim this day (its latest :class:`ClaimChanged`, by collection ID), kept
    #: across the day's steps by the daily run: a step that would tell it the same again tells it nothing
    told: dict[str, ClaimChanged] = field(default_factory=dict, compare=False)

    @property
    def today(self) -> date:
        return self.day.today

    @property
    def agreement(self) -> Agreement:
        return self.day.agreement


@dataclass
class StepOutcome:
    """What one step did, for the day's report and the step's done-record."""

    letters: Counter[LetterType] = field(default_factory=Counter)
    events: int = 0
    listed: int = 0
    payments_applied: int = 0
    submitted: int = 0
    settled: Money = field(default_factory=Money.zero)
    held: list[Held] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The done-record's summary: only what the step did."""
        found: dict[str, Any] = {
            "letters": sum(self.letters.values()),
            "events": self.events,
            "listed": self.listed,
            "applied": self.payments_applied,
            "submitted": self.submitted,
            "held": len(self.held),
        }
        out = {k: v for k, v in found.items() if v}
        if not self.settled.is_zero():
            out["settled"] = str(self.settled.amount)
        return out


def save_changes(
    uow: UnitOfWork,
    company: Company,
    day: Day,
    claims: Iterable[Claim],
    result: StepResult,
    *,
    by: str,
    owed: Mapping[str, Money] | None = None,
    told: dict[str, ClaimChanged] | None = None,
) -> None:
    """Store what a step changed: the claims and their events, and tell the ledger their new figures (R-LED-3).
    ``owed``: each changed claim's interest outstanding where the step worked it out already. ``told``: what the
    ledger was told of each claim earlier the same day (:attr:`CreditorDay.told`, brought up to date here); a
    message that would repeat it word for word is not sent (a paid claim's confirmation changes nothing the
    ledger keeps)."""
    changed = [c for c in claims if c.collection_id in result.changed]
    if not changed:
        return
    assert company.id is not None
    uow.collection.save_claims(changed)
    ids = {c.collection_id: c.id for c in changed if c.id is not None}
    uow.collection.add_events(company.id, ids, result.events, by=by)
    known = owed or {}
    messages = [
        ClaimChanged(
            company=company.orgno,
            collection_id=claim.collection_id,
            stage=claim.stage.value,
            principal_outstanding=claim.principal_outstanding,
            fee_outstanding=claim.fees_outstanding,
            interest_outstanding=known.get(claim.collection_id)
            or interest_outstanding(claim, day.today, day.rates, charge_interest=day.charge_interest),
            changed_on=day.today,
        )
        for claim in changed
    ]
    if told is not None:
        messages = [m for m in messages if told.get(m.collection_id) != m]
        told.update((m.collection_id, m) for m in messages)
    uow.outbox.add_many(company.id, messages, on=day.today)


def store_letters(uow: UnitOfWork, ctx: CreditorDay, result: StepResult) -> list[StoredLetter]:
    """The step's letters stored with their KIDs (R-BANK-1), each with its delivery job (the outbox)."""
    agreement = ctx.agreement
    account = payee_account(agreement, ctx.company, ctx.service)
    stored = uow.collection.add_letters(
        ctx.company_id,
        result.letters,
        kid_for=lambda letter_id: letter_kid(letter_id, agreement.kid_scheme.value, agreement.kid_length),
        account=account,
    )
    enqueue_letters(uow, [(letter, draft.recipient) for letter, draft in zip(stored, result.letters, strict=True)])
    return stored


class _Figures:
    """What storing a decision computes for each changed claim (its interest for the ledger): a claim whose
    figures cannot be worked out is held as well. Keeps what the last check worked out, so that it is worked
    out once."""

    def __init__(self, day: Day) -> None:
        self.day = day
        self.checked: list[Claim] | None = None  # the claims the last check saw
        self.owed: dict[str, Money] = {}

    def __call__(self, claims: list[Claim], result: StepResult) -> object:
        day = self.day
        self.checked = claims
        changed = [c for c in claims if c.collection_id in result.changed]
        interest = claims_interest(changed, day.today, day.rates, charge_interest=day.charge_interest)
        self.owed = {c.collection_id: owed for c, owed in zip(changed, interest.outstanding, strict=True)}
        return self.owed


def hold(uow: UnitOfWork, ctx: CreditorDay, held: list[Held]) -> None:
    """Record in each held claim's history that the day's step held it, and why (R-ACT-5)."""
    if not held:
        return
    ids = {
        c.collection_id: c.id
        for c in uow.collection.claims(ctx.company_id, ClaimFilter(collection_ids=[h.collection_id for h in held]))
        if c.id is not None
    }
    events = [Event(h.collection_id, ctx.today, EventKind.HELD, None, f"{h.step}: {h.reason}"[:1000]) for h in held]
    uow.collection.add_events(ctx.company_id, ids, events, by="service")


@dataclass(frozen=True, slots=True)
class _Decided:
    """What a step decided: the claims to store, the decision, the claims held, and the interest outstanding
    of the changed claims where it was worked out for exactly these."""

    claims: list[Claim]
    result: StepResult
    held: list[Held]
    owed: Mapping[str, Money]


def _decided(
    uow: UnitOfWork, ctx: CreditorDay, load: Callable[[], list[Claim]], decide: Decide, *, step: str
) -> _Decided:
    figures = _Figures(ctx.day)
    claims, result, held = decide_holding(load, decide, figures, _case_numbers(uow, ctx.company_id), step=step)
    hold(uow, ctx, held)
    # when the last check saw other claims (trial copies, with some held), the figures are worked out again
    return _Decided(claims, result, held, figures.owed if figures.checked is claims else {})


def _claims_step(
    uow: UnitOfWork,
    ctx: CreditorDay,
    load: Callable[[], list[Claim]],
    decide: Decide,
    *,
    step: str,
    complete: Callable[[StepResult], None] | None = None,
) -> StepOutcome:
    """Decide, store what changed, and store the letters (``complete`` adds to them what the claims alone do
    not know)."""
    found = _decided(uow, ctx, load, decide, step=step)
    result = found.result
    save_changes(uow, ctx.company, ctx.day, found.claims, result, by="service", owed=found.owed, told=ctx.told)
    if complete is not None:
        complete(result)
    stored = store_letters(uow, ctx, result)
    return StepOutcome(letters=Counter(letter.type for letter in stored), events=len(result.events), held=found.held)


def _due(uow: UnitOfWork, ctx: CreditorDay, *stages: Stage, paused: bool | None = None) -> Callable[[], list[Claim]]:
    """The open claims (in ``stages``, when given) whose next action has come (one query over the index of due claims): the
    only ones the step can act on, so that each step reads its own claims and no others."""
    where = ClaimFilter(due_by=ctx.today, stages=stages or None, paused=paused)
    return lambda: uow.collection.claims(ctx.company_id, where)


def pause_expiry(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (2), R-ACT-1."""
    due = _due(uow, ctx, paused=True)
    return _claims_step(uow, ctx, due, lambda cs, _: expire_pauses(cs, ctx.day), step="pause_expiry")


def confirmations(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (3), R-CLM-8, R-CLM-9."""
    return _claims_step(
        uow,
        ctx,
        lambda: uow.collection.claims(ctx.company_id, ClaimFilter(letters_due=True)),
        lambda cs, _: confirmations_and_interest_notes(cs, ctx.day),
        step="confirmations",
        complete=lambda result: what_was_paid(uow, ctx.company_id, result),
    )


def what_was_paid(uow: UnitOfWork, company_id: int, result: StepResult) -> None:
    """R-CLM-9: each paid confirmation states, per claim, what the debtor paid, when, and how it was applied,
    from the payments stored against the claims; kept with the letter, so that it prints the same ever after."""
    drafts = [draft for draft in result.letters if draft.type is LetterType.PAID_CONFIRMATION]
    if not drafts:
        return
    payments = uow.collection.payments_applied(company_id, (c.collection_id for d in drafts for c in d.claims))
    for draft in drafts:
        claims = {c.collection_id: c for c in draft.claims}
        draft.lines = [
            confirmation_line(line, claims[line.collection_id], payments.get(line.collection_id, []))
            for line in draft.lines
        ]


def letters(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (4, 5): the first letters of new claims and notices after reminders (R-CLM-2, R-CLM-3)."""
    due = _due(uow, ctx, Stage.NEW, Stage.REMINDER)
    return _claims_step(uow, ctx, due, lambda cs, _: reminder_and_notice_letters(cs, ctx.day), step="letters")


def _case_numbers(uow: UnitOfWork, company_id: int) -> Iterator[str]:
    while True:
        yield uow.collection.next_case_number(company_id)


def inkasso(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (6), R-CLM-4, R-CLM-5."""
    return _claims_step(
        uow,
        ctx,
        _due(uow, ctx, Stage.COLLECTION_LIST),
        lambda cs, numbers: transfers_to_inkasso(cs, ctx.day, case_numbers=numbers),
        step="inkasso",
    )


def legal(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (7), R-CLM-13."""
    due = _due(uow, ctx, Stage.INKASSO)
    return _claims_step(uow, ctx, due, lambda cs, _: legal_steps(cs, ctx.day), step="legal")


def collection_list(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (8), R-CLM-4: the Tuesday list, stored with what each claim owed that day and sent to the
    creditor."""
    found = _decided(
        uow, ctx, _due(uow, ctx, Stage.NOTICE), lambda cs, _: draw_collection_list(cs, ctx.day), step="collection_list"
    )
    result, held = found.result, found.held
    if not result.listed:
        return StepOutcome(held=held)
    save_changes(uow, ctx.company, ctx.day, found.claims, result, by="service", owed=found.owed, told=ctx.told)
    day = ctx.day
    interest = claims_interest(result.listed, day.today, day.rates, charge_interest=day.charge_interest)
    owed = list(zip(result.listed, interest.outstanding, strict=True))
    list_id = uow.collection.add_list(ctx.company_id, day.today, result.listed[0].listing.transfer_on, owed)
    enqueue_list(uow, ctx.company_id, list_id, day.today, ctx.agreement.collection_list_email)
    return StepOutcome(listed=len(result.listed), events=len(result.events), held=held)
