"""Webhooks: a creditor's URL hears of its claims' events, written in the transaction that made them and posted
from there, signed with HMAC-SHA256 over timestamp and body — once, and again with backoff after a failure. A
receiver on 127.0.0.1 proves it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from krav.adapters.webhook_sender import HttpWebhookSender
from krav.domain.access import Role
from krav.services import webhooks
from tests.api.conftest import A, Api, B, Caller, set_up_company


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it is sent and answers the statuses it is told to."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(outer.answers.pop(0) if outer.answers else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/krav"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture
def allow_http(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.krav.settings, "webhooks_allow_http", True)


def _register(admin: Caller, url: str, events: list[str]) -> dict[str, Any]:
    made = admin.post(f"/companies/{A}/webhooks", json={"url": url, "events": events})
    assert made.status_code == 201, made.text
    return dict(made.json())


def _run(operator: Caller, first: str, last: str) -> None:
    assert operator.post("/runs", json={"on": first, "to": last}).status_code == 200


def _deliver(api: Api, at: datetime) -> webhooks.DeliveryReport:
    return webhooks.deliver(api.krav.uow(), HttpWebhookSender(timeout=5), now=at)


def test_an_event_is_delivered_once_signed_over_timestamp_and_body(api: Api, receiver: Receiver, allow_http: None):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    hook = _register(admin, receiver.url, ["letter.sent", "claim.stage_changed"])
    _run(operator, "2025-01-10", "2025-01-20")  # the reminder is written on 17.01
    now = datetime.now(UTC)
    report = _deliver(api, now)
    assert report.delivered >= 2
    assert _deliver(api, now + timedelta(hours=1)).delivered == 0  # nothing twice
    kinds = [e["type"] for e in receiver.events()]
    assert "letter.sent" in kinds
    assert "claim.stage_changed" in kinds
    assert all(e["company"] == A for e in receiver.events())
    letter = next(e for e in receiver.events() if e["type"] == "letter.sent")
    assert letter["data"]["invoice_number"] == "2001"
    headers, body = receiver.received[0]
    timestamp, mac = headers["krav-signature"].removeprefix("t=").split(",v1=")
    expected = hmac.new(hook["secret"].encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(mac, expected)
    assert headers["krav-event"] == json.loads(body)["type"]
    assert headers["krav-delivery"] == json.loads(body)["id"]
    seen = admin.get(f"/companies/{A}/webhooks/{hook['id']}/deliveries").json()
    assert {d["status"] for d in seen} == {"delivered"}
    assert all(d["attempts"] == 1 for d in seen)


def test_a_failed_delivery_is_tried_again_after_the_wait(api: Api, receiver: Receiver, allow_http: None):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    hook = _register(admin, receiver.url, ["letter.sent"])
    _run(operator, "2025-01-10", "2025-01-20")
    receiver.answers = [500]
    now = datetime.now(UTC)
    first = _deliver(api, now)
    assert (first.delivered, first.retrying) == (0, 1)
    (pending,) = admin.get(f"/companies/{A}/webhooks/{hook['id']}/deliveries").json()
    assert pending["status"] == "pending"
    assert pending["attempts"] == 1
    assert "500" in pending["last_error"]
    assert _deliver(api, now + timedelta(seconds=30)).delivered == 0  # not before the wait
    assert _deliver(api, now + webhooks.BACKOFF[0] + timedelta(seconds=1)).delivered == 1
    assert len(receiver.received) == 2
    assert receiver.events()[0]["id"] == receiver.events()[1]["id"]  # the same event, for the receiver to drop
    (done,) = admin.get(f"/companies/{A}/webhooks/{hook['id']}/deliveries").json()
    assert (done["status"], done["attempts"]) == ("delivered", 2)


def test_an_unreachable_receiver_is_given_up_after_the_last_wait(api: Api, allow_http: None):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    hook = _register(admin, "http://127.0.0.1:9/nobody", ["letter.sent"])
    _run(operator, "2025-01-10", "2025-01-20")
    at = datetime.now(UTC)
    for wait in (timedelta(0), *webhooks.BACKOFF):
        at += wait + timedelta(seconds=1)
        _deliver(api, at)
    (given_up,) = admin.get(f"/companies/{A}/webhooks/{hook['id']}/deliveries").json()
    assert given_up["status"] == "failed"
    assert given_up["attempts"] == len(webhooks.BACKOFF) + 1


def test_webhooks_hear_only_their_companys_events_from_registration_on(api: Api, receiver: Receiver, allow_http: None):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    set_up_company(operator, B, "Kreditor B AS")
    _run(operator, "2025-01-10", "2025-01-18")  # both reminders written before the webhook
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    _register(admin, receiver.url, list(webhooks.EVENT_TYPES))
    _run(operator, "2025-01-19", "2025-02-10")
    _deliver(api, datetime.now(UTC))
    events = receiver.events()
    assert events, "the notice of 2025-01-27 was heard"
    assert {e["company"] for e in events} == {A}
    assert min(e["data"]["date"] for e in events if "date" in e["data"]) > "2025-01-18"


def test_plain_http_is_refused_unless_allowed(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    refused = admin.post(f"/companies/{A}/webhooks", json={"url": "http://example.com/x", "events": ["letter.sent"]})
    assert refused.status_code == 422
    unknown = admin.post(f"/companies/{A}/webhooks", json={"url": "https://example.com/x", "events": ["nope"]})
    assert unknown.status_code == 422
    assert admin.get(f"/companies/{A}/webhooks").json() == []
