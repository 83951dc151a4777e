"""The REST API in process: Krav wired to a fresh database on each backend, a client per API key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from krav.bootstrap import App
from krav.config import get_settings
from krav.domain.access import Role
from krav.entrypoints.api import create_app
from krav.services import access

A = "974760673"
B = "923609016"


@dataclass
class Api:
    """The API of one Krav, and how to make keys for it."""

    krav: App
    client: TestClient

    def key(self, role: Role, orgno: str | None = None, name: str = "test") -> str:
        made = access.create_key(
            self.krav.uow(), self.krav.hasher, name=name, role=role, orgno=orgno, by="test", now=datetime.now(UTC)
        )
        return made.token

    def as_(self, token: str) -> Caller:
        return Caller(self.client, token)


@dataclass
class Caller:
    """Requests with one key."""

    client: TestClient
    token: str

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(f"/api/v1{path}", headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", headers=self._headers(kw.pop("headers", None)), **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.client.put(f"/api/v1{path}", headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self._headers(kw.pop("headers", None)), **kw)


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    """The API over a fresh database, on SQLite and on PostgreSQL."""
    krav = App(settings=get_settings(), engine=engine, _migrated=True)
    with TestClient(create_app(krav, deliver_webhooks=False), raise_server_exceptions=False) as client:
        yield Api(krav, client)


def company_body(orgno: str, name: str) -> dict[str, Any]:
    return {
        "orgno": orgno,
        "name": name,
        "bank_account": "86011117947",
        "address": {"street": "Storgata 1", "postcode": "0155", "city": "Oslo"},
    }


def customer_body(number: str = "20001") -> dict[str, Any]:
    return {
        "number": number,
        "name": "Kari Nordmann",
        "address": {"street": "Kirkegata 2", "postcode": "7011", "city": "Trondheim"},
    }


def invoice_body(number: str = "2001", customer: str = "20001", amount: str = "4000.00") -> dict[str, Any]:
    return {"number": number, "customer": customer, "issued": "2024-12-27", "due": "2025-01-10", "amount": amount}


def set_up_company(operator: Caller, orgno: str, name: str, *, activate_on: str = "2025-01-10") -> None:
    """A company with an active agreement, one customer and one invoice, all through the API."""
    assert operator.post("/companies", json=company_body(orgno, name)).status_code == 201
    changes = {"collection_list_email": f"liste@{orgno}.example", "reminder_before_notice": True}
    assert operator.patch(f"/companies/{orgno}/agreement", json={"changes": changes}).status_code == 200
    terms = operator.get(f"/companies/{orgno}/agreement/terms", params={"on": activate_on}).json()
    done = operator.post(
        f"/companies/{orgno}/agreement/activate", json={"accepted_terms": terms["fingerprint"], "on": activate_on}
    )
    assert done.status_code == 200, done.text
    sent = operator.post(
        f"/companies/{orgno}/invoices", json={"customers": [customer_body()], "invoices": [invoice_body()]}
    )
    assert sent.status_code == 201, sent.text
