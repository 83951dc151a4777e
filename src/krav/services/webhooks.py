"""Webhooks: a creditor registers URLs for its claims' events; each event is written to an outbox in the
transaction that made it happen, and delivered from there — signed, once, and again with backoff while the
receiver fails.

Events: ``claim.stage_changed`` (a claim moved on, or closed), ``letter.sent`` (a letter written for the
debtor), ``payment.received`` (a payment applied to a claim, on the client account or reported by the creditor),
``objection.changed`` (the debtor's objection recorded or answered) and ``settlement.issued`` (money remitted to
the creditor). Each delivery is a POST of JSON with the headers ``Krav-Event``, ``Krav-Delivery`` (the event's
id: the same on every attempt, so a receiver can drop a repeat) and ``Krav-Signature: t=TIMESTAMP,v1=HEX``: the
HMAC-SHA256, under the webhook's secret, of ``TIMESTAMP.BODY``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from krav.domain.collection.events import EventKind
from krav.domain.errors import FieldError, NotFound
from krav.domain.messages import SettlementIssued
from krav.domain.money import Money
from krav.services.ports import ClaimEventRecord, UnitOfWork, Webhook, WebhookDelivery

#: each event type, and the kinds of claim event that make it
EVENT_TYPES: dict[str, frozenset[EventKind]] = {
    "claim.stage_changed": frozenset({EventKind.STAGE, EventKind.CLOSED}),
    "letter.sent": frozenset({EventKind.LETTER}),
    "payment.received": frozenset({EventKind.PAYMENT, EventKind.DIRECT_PAYMENT}),
    "objection.changed": frozenset({EventKind.OBJECTION}),
    "settlement.issued": frozenset(),
}
#: the waits after each failed attempt; after the last the delivery is given up as failed
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
#: the events handed out in one commit, at most, per webhook (the rest follow at the next commit or delivery)
BATCH = 1000


class WebhookSender(Protocol):
    """Posts a delivery; returns the HTTP status, or raises ``OSError`` when the receiver could not be reached."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int: ...


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of ``Krav-Signature`` for ``body`` sent at ``timestamp`` (seconds since the epoch)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def check_url(url: str, *, allow_plain_http: bool) -> str:
    """A webhook URL: http(s) with a host, no credentials in it; plain http only where allowed (tests, a local
    receiver)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FieldError("url", "give an https:// URL with a host name")
    if parts.scheme == "http" and not allow_plain_http:
        raise FieldError("url", "webhooks are delivered over https only")
    if parts.username or parts.password:
        raise FieldError("url", "put no user name or password in the URL; the signature proves the sender")
    return url.strip()


@dataclass(frozen=True, slots=True)
class NewWebhook:
    webhook: Webhook
    secret: str  # shown once, when registered


def register(
    uow: UnitOfWork, orgno: str, url: str, events: Sequence[str], *, now: datetime, allow_plain_http: bool
) -> NewWebhook:
    """Register a URL for ``events`` of the company's claims, from now on; its signing secret is returned once."""
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown or not events:
        raise FieldError(
            "events", f"unknown event {unknown[0] if unknown else '(none)'}; one of {', '.join(EVENT_TYPES)}"
        )
    url = check_url(url, allow_plain_http=allow_plain_http)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        hook = Webhook(
            company.id,
            url,
            secret,
            tuple(dict.fromkeys(events)),
            now,
            events_seen=uow.collection.last_event_seq(company.id),
        )
        webhook_id = uow.access.add_webhook(hook)
        uow.commit()
    return NewWebhook(replace(hook, id=webhook_id), secret)


def webhooks(uow: UnitOfWork, orgno: str) -> list[Webhook]:
    with uow:
        return uow.access.webhooks(uow.companies.get(orgno).id or 0)


def disable(uow: UnitOfWork, orgno: str, webhook_id: int, *, now: datetime) -> None:
    """Stop delivering to a webhook; what was not delivered is not sent."""
    with uow:
        company_id = uow.companies.get(orgno).id or 0
        if webhook_id not in {w.id for w in uow.access.webhooks(company_id)}:
            raise NotFound(f"no webhook {webhook_id}")
        uow.access.disable_webhook(webhook_id, now)
        uow.commit()


def deliveries(uow: UnitOfWork, orgno: str, webhook_id: int | None = None) -> list[WebhookDelivery]:
    """A company's webhook deliveries with their attempts, oldest first."""
    with uow:
        company_id = uow.companies.get(orgno).id or 0
        if webhook_id is not None and webhook_id not in {w.id for w in uow.access.webhooks(company_id)}:
            raise NotFound(f"no webhook {webhook_id}")
        return uow.access.webhook_deliveries(company_id, webhook_id=webhook_id)


# -- the outbox: written at commit --------------------------------------------------------------------------------


def record(uow: UnitOfWork, *, now: datetime, settlements: Sequence[tuple[int, SettlementIssued]] = ()) -> int:
    """Write the deliveries of what the open unit of work did — the claim events since each active webhook last
    looked, and the settlements issued — for the webhooks that asked for them. Called by the relay before every
    commit; returns how many deliveries it wrote."""
    hooks = uow.access.active_webhooks()
    if not hooks:
        return 0
    written: list[WebhookDelivery] = []
    by_company: dict[int, list[Webhook]] = {}
    for hook in hooks:
        by_company.setdefault(hook.company_id, []).append(hook)
    for company_id, company_hooks in by_company.items():
        orgno = uow.companies.by_id(company_id).orgno
        after = min(h.events_seen for h in company_hooks)
        events = uow.collection.events_after(company_id, after, BATCH)
        for hook in company_hooks:
            assert hook.id is not None
            wanted = set(hook.events)
            for event in events:
                if event.seq <= hook.events_seen:
                    continue
                kind = _event_type(event)
                if kind is not None and kind in wanted:
                    written.append(
                        _delivery(hook.id, f"evt_{company_id}_{event.seq}", kind, orgno, _claim_data(event), now)
                    )
            if events and events[-1].seq > hook.events_seen:
                uow.access.advance_webhook(hook.id, events[-1].seq)
            for settled_company, settlement in settlements:
                if settled_company == company_id and "settlement.issued" in wanted:
                    event_id = f"stl_{company_id}_{settlement.settlement_id}"
                    written.append(
                        _delivery(hook.id, event_id, "settlement.issued", orgno, _settlement_data(settlement), now)
                    )
    uow.access.add_webhook_deliveries(written)
    return len(written)


def _event_type(event: ClaimEventRecord) -> str | None:
    for name, kinds in EVENT_TYPES.items():
        if event.entry.kind in kinds:
            return name
    return None


def _amount(m: Money | None) -> str | None:
    return None if m is None else f"{m.amount:.2f}"


def _claim_data(event: ClaimEventRecord) -> dict[str, Any]:
    e = event.entry
    return {
        "collection_id": event.collection_id,
        "invoice_number": event.invoice_number,
        "date": e.date.isoformat(),
        "kind": e.kind.value,
        "amount": _amount(e.amount),
        "detail": e.detail,
    }


def _settlement_data(s: SettlementIssued) -> dict[str, Any]:
    return {
        "settlement": s.settlement_id,
        "date": s.remitted_on.isoformat(),
        "lines": [
            {
                "collection_id": line.collection_id,
                "principal": _amount(line.principal),
                "fee": _amount(line.fee),
                "interest": _amount(line.interest),
                "costs": _amount(line.costs),
                "costs_vat": _amount(line.costs_vat),
                "overpayment": _amount(line.overpayment),
            }
            for line in s.lines
        ],
    }


def _delivery(
    webhook_id: int, event_id: str, kind: str, orgno: str, data: dict[str, Any], now: datetime
) -> WebhookDelivery:
    payload = {"id": event_id, "type": kind, "company": orgno, "created": now.isoformat(), "data": data}
    return WebhookDelivery(
        webhook_id=webhook_id,
        event_id=event_id,
        event=kind,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True).encode(),
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


# -- delivery -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int
    retrying: int
    failed: int


def deliver(uow: UnitOfWork, sender: WebhookSender, *, now: datetime, limit: int = 100) -> DeliveryReport:
    """Post the deliveries that are due, each in its own transaction: a 2xx answer delivers it; anything else
    (another status, a receiver that cannot be reached) tries again after the next wait of :data:`BACKOFF`,
    and after the last it is given up as failed."""
    with uow:
        due = uow.access.due_webhook_deliveries(now, limit)
    delivered = retrying = failed = 0
    for delivery, hook in due:
        assert delivery.id is not None
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Krav-Webhooks/1",
            "Krav-Event": delivery.event,
            "Krav-Delivery": delivery.event_id,
            "Krav-Signature": signature(hook.secret, timestamp, delivery.payload),
        }
        error: str | None
        try:
            status = sender.post(hook.url, delivery.payload, headers)
            error = None if 200 <= status < 300 else f"the receiver answered {status}"
        except OSError as exc:
            error = f"the receiver could not be reached: {exc}"
        attempts = delivery.attempts + 1
        with uow:
            if error is None:
                uow.access.webhook_attempted(
                    delivery.id,
                    status="delivered",
                    attempts=attempts,
                    next_attempt_at=now,
                    error=None,
                    delivered_at=now,
                )
                delivered += 1
            elif attempts > len(BACKOFF):
                uow.access.webhook_attempted(
                    delivery.id, status="failed", attempts=attempts, next_attempt_at=now, error=error, delivered_at=None
                )
                failed += 1
            else:
                uow.access.webhook_attempted(
                    delivery.id,
                    status="pending",
                    attempts=attempts,
                    next_attempt_at=now + BACKOFF[attempts - 1],
                    error=error,
                    delivered_at=None,
                )
                retrying += 1
            uow.commit()
    return DeliveryReport(delivered, retrying, failed)
