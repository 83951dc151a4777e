"""What waits for a person, as the CLI prints it: the manual-matching queue with the claims each payment most likely
pays (``krav payments unmatched``), and the claims held because their letter could not be sent (``krav outbox
status``); amounts as ``12 345,50`` and dates as ``dd.mm.åååå``, a letter's type and a delivery's status as
words (:mod:`krav.entrypoints.labels`), and the shapes their ``--json`` prints (with the codes). Each entry says
what to do about it, as the command to run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from krav.domain.collection.letters import LetterType
from krav.domain.money import format_amount
from krav.entrypoints import labels
from krav.entrypoints.cli.presenters import day
from krav.entrypoints.output import to_jsonable
from krav.services.collection.delivery.waiting import HeldClaim
from krav.services.collection.matching import QueuedPayment, SuggestedClaim
from krav.services.ports import DeliveryStatus

# -- the manual-matching queue ------------------------------------------------------------------------------------


def assign_command(payment_id: int | None, kid: str) -> str:
    """The command that assigns the payment to the letter with ``kid``."""
    return f"krav payments assign {payment_id} --kid {kid}"


def _suggestion_json(payment_id: int | None, s: SuggestedClaim) -> dict[str, Any]:
    return {**to_jsonable(s), "assign": assign_command(payment_id, s.kid)}


def unmatched_json(queue: Sequence[QueuedPayment]) -> list[dict[str, Any]]:
    """Each payment as stored (``message``: what the payer wrote), with ``suggestions``: the claims it most
    likely pays, best first, each with its reasons and the command that assigns it."""
    return [
        {**to_jsonable(q.payment), "suggestions": [_suggestion_json(q.payment.id, s) for s in q.suggestions]}
        for q in queue
    ]


def _suggestion_lines(payment_id: int | None, n: int, s: SuggestedClaim) -> list[str]:
    return [
        f"    {n}. faktura {s.invoice_number} ({s.collection_id}) hos {s.creditor}, skyldner {s.debtor_number} "
        f"{s.debtor_name}, saldo {format_amount(s.balance)}",
        f"       {'; '.join(s.reasons)}",
        f"       {assign_command(payment_id, s.kid)}",
    ]


def unmatched_lines(queue: Sequence[QueuedPayment]) -> list[str]:
    """The queue, one block per payment: amount and dates, payer, message, KID, reference and file, why it waits,
    and up to three claims it may pay with why and the command that assigns it."""
    if not queue:
        return ["ingen innbetalinger venter på manuell avstemming"]
    lines = [f"{len(queue)} innbetaling(er) venter på manuell avstemming"]
    for q in queue:
        p = q.payment
        ordered = f", bestilt {day(p.ordered_on)}" if p.ordered_on else ""
        lines += [
            "",
            f"innbetaling {p.id}: {format_amount(p.amount)} {p.amount.currency}, bokført {day(p.received_on)}{ordered}",
            f"  betaler:   {p.payer or '-'}",
            f"  melding:   {p.message or '-'}",
            f"  KID:       {p.kid or '-'}",
            f"  referanse: {p.reference} i {p.filename or p.source}",
            f"  årsak:     {p.reason or '-'}",
        ]
        if not q.suggestions:
            lines.append(
                f"  forslag:   ingen; tildel med `{assign_command(p.id, 'KID')}` (eller --company og --invoice)"
            )
            continue
        lines.append("  forslag:")
        for n, s in enumerate(q.suggestions, start=1):
            lines += _suggestion_lines(p.id, n, s)
    return lines


# -- claims held for a letter that could not be sent --------------------------------------------------------------

#: The letters ``krav letters cancel`` takes back: their claims go back to where they were before them.
_CANCELLABLE = frozenset({LetterType.REMINDER, LetterType.NOTICE})


def to_do(h: HeldClaim) -> str:
    """What a person does so that the held claim's letter goes (R-SVC-2), by where its delivery stands."""
    status = h.delivery.status if h.delivery is not None else None
    if status is DeliveryStatus.PENDING:
        return "nothing: it is in line and goes with the next `krav outbox send` or `krav run`"
    if status is DeliveryStatus.SENDING:
        return "nothing: it is being sent; see `krav outbox status` again shortly"
    if status is DeliveryStatus.UNCERTAIN:
        return "check with the recipient whether it arrived, then `krav outbox retry --uncertain` to send it again"
    if status is DeliveryStatus.CANCELLED:
        return "nothing: the letter was cancelled; the next `krav run` writes the letter the claim is due"
    do = "fix the cause, then `krav outbox retry` (or the next `krav run`)"
    if h.claim.letter_type in _CANCELLABLE and status in (DeliveryStatus.FAILED, None):
        do += f"; or take the letter back: `krav letters cancel --company {h.creditor} {h.claim.letter_id}`"
    return do


def held_json(held: Sequence[HeldClaim]) -> list[dict[str, Any]]:
    """Each held claim: creditor, claim, debtor, ``since`` (the day it began to wait), the letter, its latest
    delivery, ``why`` it could not be sent, and ``to_do``."""
    return [
        {
            "creditor": h.creditor,
            "collection_id": h.claim.collection_id,
            "invoice": h.claim.invoice_number,
            "debtor": h.claim.debtor_number,
            "debtor_name": h.claim.debtor_name,
            "since": h.claim.since,
            "letter": {"id": h.claim.letter_id, "type": h.claim.letter_type, "n": h.claim.letter_n},
            "delivery": None
            if h.delivery is None
            else {
                "id": h.delivery.id,
                "key": h.delivery.delivery_key,
                "status": h.delivery.status,
                "channel": h.delivery.channel,
            },
            "why": h.why,
            "to_do": to_do(h),
        }
        for h in held
    ]


def held_lines(held: Sequence[HeldClaim]) -> list[str]:
    """The claims that wait for a letter that could not be sent, the longest waiting first: each with its
    creditor, invoice, debtor, since when, the letter and its delivery, why, and what to do."""
    if not held:
        return []
    lines = [f"{len(held)} claim(s) wait for a letter that could not be sent:"]
    for h in held:
        c, d = h.claim, h.delivery
        where = "no delivery"
        if d is not None:
            where = f"{d.delivery_key} {labels.delivery_status(d.status)} ({labels.channel(d.channel)})"
        lines += [
            f"  {h.creditor} invoice {c.invoice_number} ({c.collection_id}), debtor {c.debtor_number} "
            f"{c.debtor_name}: waits since {day(c.since)} for {labels.letter_type(c.letter_type)} {c.letter_n} "
            f"(letter {c.letter_id}), {where}" + (f": {h.why}" if h.why else ""),
            f"    to do: {to_do(h)}",
        ]
    return lines
