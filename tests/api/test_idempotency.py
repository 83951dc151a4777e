"""``Idempotency-Key``: the same key and body replay the first response and change nothing more; the same key with
another body is refused; a key whose first request is in flight answers 409; keys are per company; a request that
failed on the server's side can be sent again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from krav.domain.access import Role
from krav.services import idempotency
from krav.services.ports import IdempotentRequest
from tests.api.conftest import A, Api, B, customer_body, invoice_body, set_up_company


def _payment(amount: str = "1000.00") -> dict[str, str]:
    return {"invoice": "2001", "amount": amount, "on": "2025-01-05"}


def test_the_same_key_and_body_replay_the_first_response_and_pay_once(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    erp = api.as_(api.key(Role.INTEGRATION, A))
    first = erp.post(f"/companies/{A}/payments", json=_payment(), headers={"Idempotency-Key": "pay-2001-1"})
    again = erp.post(f"/companies/{A}/payments", json=_payment(), headers={"Idempotency-Key": "pay-2001-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    items = erp.get(f"/companies/{A}/items", params={"include_settled": True}).json()["items"]
    assert [i["remaining"] for i in items if i["number"] == "2001"] == ["3000.00"]


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    erp = api.as_(api.key(Role.INTEGRATION, A))
    assert erp.post(f"/companies/{A}/payments", json=_payment(), headers={"Idempotency-Key": "k1"}).status_code == 201
    other = erp.post(f"/companies/{A}/payments", json=_payment("500.00"), headers={"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_mismatch"
    items = erp.get(f"/companies/{A}/items", params={"include_settled": True}).json()["items"]
    assert [i["remaining"] for i in items if i["number"] == "2001"] == ["3000.00"]


def test_a_key_still_in_flight_answers_409(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    erp = api.as_(api.key(Role.INTEGRATION, A))
    body = {"invoices": [invoice_body("2002")], "customers": [customer_body()]}
    first = erp.post(f"/companies/{A}/invoices", json=body, headers={"Idempotency-Key": "inv-2002"})
    assert first.status_code == 201
    # the first request's record as it stands while it is worked on: no response kept yet
    with api.krav.uow() as uow:
        company = uow.companies.get(A)
        scope = f"company:{company.id}"
        recorded = uow.access.idempotent(scope, "inv-2002")
        assert recorded is not None
        uow.access.forget_idempotent(scope, "inv-2002")
        uow.access.begin_idempotent(IdempotentRequest(scope, "inv-2002", recorded.fingerprint, recorded.created_at))
        uow.commit()
    busy = erp.post(f"/companies/{A}/invoices", json=body, headers={"Idempotency-Key": "inv-2002"})
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_in_flight"
    assert busy.headers["retry-after"] == "1"


def test_keys_are_per_company(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    set_up_company(operator, B, "Kreditor B AS")
    a = api.as_(api.key(Role.INTEGRATION, A))
    b = api.as_(api.key(Role.INTEGRATION, B))
    assert a.post(f"/companies/{A}/payments", json=_payment(), headers={"Idempotency-Key": "same"}).status_code == 201
    in_b = b.post(f"/companies/{B}/payments", json=_payment(), headers={"Idempotency-Key": "same"})
    assert in_b.status_code == 201
    assert "idempotent-replayed" not in in_b.headers


def test_a_refused_request_is_replayed_as_refused(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    erp = api.as_(api.key(Role.INTEGRATION, A))
    body = {"invoice": "9999", "amount": "10.00", "on": "2025-01-05"}
    first = erp.post(f"/companies/{A}/payments", json=body, headers={"Idempotency-Key": "nope"})
    again = erp.post(f"/companies/{A}/payments", json=body, headers={"Idempotency-Key": "nope"})
    assert first.status_code == again.status_code == 404
    assert again.json() == first.json()


def test_keys_are_kept_a_day_at_least_and_then_forgotten(api: Api):
    now = datetime(2026, 1, 10, 12, tzinfo=UTC)
    uow = api.krav.uow()
    assert idempotency.begin(uow, "company:1", "k", "f" * 64, now=now).outcome is idempotency.Outcome.FIRST
    idempotency.finish(uow, "company:1", "k", status_code=201, body=b"{}", media_type="application/json")
    later = idempotency.begin(uow, "company:1", "k", "f" * 64, now=now + timedelta(hours=24))
    assert later.outcome is idempotency.Outcome.REPLAY
    much_later = idempotency.begin(uow, "company:1", "k", "f" * 64, now=now + idempotency.KEPT + timedelta(seconds=1))
    assert much_later.outcome is idempotency.Outcome.FIRST
