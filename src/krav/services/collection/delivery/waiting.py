"""R-SVC-2: a letter counts as sent when it was handed to print or accepted by the mail server. A claim whose
latest letter could not be sent waits for it (no fee, letter, listing, transfer, legal notice or stage move);
when the letter goes, on a later day, it counts from that day: the claim's deadlines from it move with it.

Both happen only off the normal path: :func:`hold` when a delivery failed or bounced, :func:`release` when a
letter went out later than it was dated or after its claims waited. A letter sent the day it was written costs
nothing here. :func:`held_claims` says which claims wait, since when and why (``krav outbox status``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.letters import deadline_from
from krav.services.ports import (
    Channel,
    ClaimFilter,
    ClaimWaiting,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    StoredLetter,
    UnitOfWork,
)

_HOW = {Channel.EMAIL: "by e-mail", Channel.PRINT: "on paper"}


def _day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def hold(uow: UnitOfWork, d: Delivery, letter: StoredLetter, on: date, why: str) -> int:
    """The letter of ``d`` could not be sent on ``on`` (``why``): its claims wait for it, each with an event in
    its history. Inside the caller's transaction; returns how many claims wait."""
    held = uow.collection.wait_for_letter(d.company_id, letter.id, on)
    if held:  # R-SVC-2
        detail = f"{letter.type.value} {letter.n} not sent ({why}); the claim waits until it has been"
        events = [Event(cid, on, EventKind.DELIVERY, None, detail[:1000]) for cid in sorted(held)]
        uow.collection.add_events(d.company_id, held, events, by="service")
    return len(held)


def needs_release(d: Delivery, letter: StoredLetter, on: date) -> bool:
    """Whether sending ``letter`` on ``on`` changes its claims: they wait for it, or it goes later than dated."""
    return d.claims_held or on != letter.sent_on


def release(uow: UnitOfWork, d: Delivery, letter: StoredLetter, on: date) -> None:
    """The letter of ``d`` went out on ``on``: its claims wait no more, and where it is dated earlier, what
    counted from it counts from ``on`` (its deadline moves with it). Inside the caller's transaction.

    The claims changed are those that wait for it, and those whose latest deadline is still the letter's own
    (a letter delivered later than written whose claims did not wait, as after a run whose delivery stopped)."""
    deadline = deadline_from(on, letter.sent_on, letter.deadline)
    claims = uow.collection.claims(
        d.company_id, ClaimFilter(collection_ids=[line.collection_id for line in letter.lines])
    )
    changed = [
        c
        for c in claims
        if c.letter_unsent or (letter.deadline is not None and c.deadlines.last_deadline == letter.deadline)
    ]
    if not changed:
        return
    for claim in changed:
        claim.letter_sent(letter.sent_on, on, deadline)
    uow.collection.save_claims(changed)
    detail = f"{letter.type.value} {letter.n} sent {_HOW[d.channel]} {_day(on)}" + (
        f"; deadline {_day(deadline)}" if deadline is not None else ""
    )
    events = [Event(c.collection_id, on, EventKind.DELIVERY, None, detail) for c in changed]
    uow.collection.add_events(
        d.company_id, {c.collection_id: c.id for c in changed if c.id is not None}, events, by="service"
    )


@dataclass(frozen=True, slots=True)
class HeldClaim:
    """A claim that waits for its latest letter, which could not be sent: its creditor (organisation number), the
    claim and the letter, the letter's latest delivery (None where it has none) and why the letter could not be
    sent (the latest error of its deliveries)."""

    creditor: str
    claim: ClaimWaiting
    delivery: Delivery | None
    why: str | None


def held_claims(uow: UnitOfWork) -> list[HeldClaim]:
    """R-SVC-2: every claim that waits for a letter that could not be sent, the longest waiting first, with where
    the letter's delivery stands and why. Inside the caller's unit of work; three queries however many claims."""
    waiting = uow.collection.claims_waiting()
    if not waiting:
        return []
    creditors = {c.id: c.orgno for c in uow.companies.all()}
    letters = {w.letter_id for w in waiting}
    unsent = [s for s in DeliveryStatus if s is not DeliveryStatus.SENT]
    by_letter: dict[int, list[Delivery]] = {}
    for d in sorted(uow.deliveries.deliveries(statuses=unsent), key=lambda d: d.id):
        if d.kind is DeliveryKind.LETTER and d.ref_id in letters:
            by_letter.setdefault(d.ref_id, []).append(d)
    held: list[HeldClaim] = []
    for w in waiting:
        mine = by_letter.get(w.letter_id, [])
        errors = [d.last_error for d in mine if d.last_error]
        held.append(HeldClaim(creditors[w.company_id], w, mine[-1] if mine else None, errors[-1] if errors else None))
    return held
