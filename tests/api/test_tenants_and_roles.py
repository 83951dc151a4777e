"""Each creditor is a tenant (DOMAIN.md section 10): with company A's key, every operation on company B's objects
answers 404 — never 200, 403 or 500 — and no list shows B's rows; each role does what the matrix allows and no
more; a revoked key is refused on its next request; a key is stored only as a hash."""

from __future__ import annotations

import re
from typing import Any

import pytest

from krav.domain.access import Permission, Role, role_may
from tests.api.conftest import A, Api, B, Caller, company_body, customer_body, invoice_body, set_up_company

#: a body each operation accepts when the company is visible (so that a 404 is about the tenant, not the body)
BODIES: dict[tuple[str, str], Any] = {
    ("patch", "/companies/{orgno}"): {"name": "Nytt navn AS"},
    ("patch", "/companies/{orgno}/agreement"): {"changes": {"reminder_deadline_days": 8}},
    ("post", "/companies/{orgno}/agreement/activate"): {"accepted_terms": "sha256:" + "0" * 64},
    ("put", "/companies/{orgno}/voucher-types/{code}"): {"name": "Faktura", "collection_type": "invoice"},
    ("post", "/companies/{orgno}/customers"): {"customers": [customer_body("30001")]},
    ("post", "/companies/{orgno}/invoices"): {"invoices": [invoice_body("3001")], "customers": [customer_body()]},
    ("post", "/companies/{orgno}/vouchers"): {
        "vouchers": [
            {
                "type": 1,
                "date": "2025-01-20",
                "lines": [{"account": "1920", "amount": "10.00"}, {"account": "3000", "amount": "-10.00"}],
            }
        ]
    },
    ("post", "/companies/{orgno}/payments"): {"invoice": "2001", "amount": "100.00", "on": "2025-01-20"},
    ("post", "/companies/{orgno}/credit-notes"): {"invoice": "2001", "amount": "100.00", "on": "2025-01-20"},
    ("post", "/companies/{orgno}/write-offs"): {"invoice": "2001", "on": "2025-01-20"},
    ("post", "/companies/{orgno}/submissions"): {"all_valid": True, "on": "2025-01-20"},
    ("post", "/companies/{orgno}/claims/actions"): {"action": "pause", "invoices": ["2001"], "on": "2025-01-20"},
    ("post", "/companies/{orgno}/collection-lists/approve"): {"invoices": ["2001"], "on": "2025-01-20"},
    ("post", "/companies/{orgno}/api-clients"): {"name": "ERP", "role": "integration"},
    ("post", "/companies/{orgno}/webhooks"): {"url": "https://erp.a.example/hooks", "events": ["letter.sent"]},
}


def _operations(api: Api) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document whose path names a company."""
    document = api.client.get("/api/v1/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method in item:
            if "{orgno}" in path:
                found.append((method, path.removeprefix("/api/v1")))
    return found


def _fill(path: str, orgno: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: orgno if m.group(1) == "orgno" else ids[m.group(1)], path)


@pytest.fixture
def two_tenants(api: Api) -> tuple[Caller, Caller, dict[str, str]]:
    """Companies A and B, each with a claim in the reminder stage and a letter; A's creditor admin key, and the
    ids of B's objects."""
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    set_up_company(operator, B, "Kreditor B AS")
    assert operator.post("/runs", json={"on": "2025-01-10", "to": "2025-01-20"}).status_code == 200
    b_letters = operator.get(f"/companies/{B}/letters").json()["items"]
    b_claims = operator.get(f"/companies/{B}/claims", params={"on": "2025-01-20"}).json()["items"]
    b_key = operator.post(f"/companies/{B}/api-clients", json={"name": "B's ERP"}).json()
    b_hook = operator.post(
        f"/companies/{B}/webhooks", json={"url": "https://erp.b.example/hooks", "events": ["letter.sent"]}
    ).json()
    assert b_letters
    assert b_claims
    ids = {
        "letter_id": str(b_letters[0]["id"]),
        "claim": b_claims[0]["collection_id"],
        "key_id": str(b_key["id"]),
        "webhook_id": str(b_hook["id"]),
        "reference": "OPPGJOR-1",  # B has no settlement yet: the company is what is refused
        "document": "report.pdf",
        "code": "11",
    }
    return api.as_(api.key(Role.CREDITOR_ADMIN, A)), operator, ids


def test_a_key_of_company_a_finds_nothing_of_company_b(api: Api, two_tenants: tuple[Caller, Caller, dict[str, str]]):
    a_admin, operator, ids = two_tenants
    operations = _operations(api)
    assert len(operations) >= 25  # the walk covers the document, not a hand-picked few
    answers = {}
    for method, path in operations:
        url = _fill(path, B, ids)
        body = BODIES.get((method, path))
        response = getattr(a_admin, method)(url, **({"json": body} if body is not None else {}))
        answers[(method, path)] = response.status_code
    assert {op: status for op, status in answers.items() if status != 404} == {}
    # and B's objects are still there, unchanged, for B
    b_claims = operator.get(f"/companies/{B}/claims", params={"on": "2025-01-20"}).json()["items"]
    assert [c["paused"] for c in b_claims] == [False]
    assert operator.get(f"/companies/{B}").json()["name"] == "Kreditor B AS"


def test_lists_show_only_the_keys_own_company(api: Api, two_tenants: tuple[Caller, Caller, dict[str, str]]):
    a_admin, operator, _ = two_tenants
    assert [c["orgno"] for c in a_admin.get("/companies").json()] == [A]
    assert sorted(c["orgno"] for c in operator.get("/companies").json()) == sorted([A, B])
    a_clients = a_admin.get(f"/companies/{A}/api-clients").json()
    assert all(k["company"] == A for k in a_clients)
    assert "B's ERP" not in {k["name"] for k in a_clients}


def test_the_service_side_is_not_a_creditors(api: Api, two_tenants: tuple[Caller, Caller, dict[str, str]]):
    a_admin, _, _ = two_tenants
    assert a_admin.get("/unmatched-payments").status_code == 403
    assert a_admin.post("/runs", json={"on": "2025-01-21"}).status_code == 403
    assert a_admin.post("/payment-files", params={"filename": "x.xml"}, content=b"<x/>").status_code == 403
    assert a_admin.post("/companies", json=company_body("916000006", "Ny AS")).status_code == 403


# -- roles ----------------------------------------------------------------------------------------------------------

#: each operation and the permission it needs
MATRIX: list[tuple[str, str, Permission, Any]] = [
    ("get", f"/companies/{A}", Permission.READ, None),
    ("get", f"/companies/{A}/claims", Permission.READ, None),
    ("get", f"/companies/{A}/proposal", Permission.READ, None),
    ("get", f"/companies/{A}/agreement", Permission.READ, None),
    ("post", f"/companies/{A}/customers", Permission.LEDGER, {"customers": [customer_body("40001")]}),
    ("post", f"/companies/{A}/payments", Permission.LEDGER, {"invoice": "2001", "amount": "1.00", "on": "2025-01-02"}),
    ("post", f"/companies/{A}/submissions", Permission.COLLECT, {"items": [999999], "on": "2025-01-20"}),
    (
        "post",
        f"/companies/{A}/claims/actions",
        Permission.COLLECT,
        {"action": "message", "invoices": ["2001"], "text": "Hei", "on": "2025-01-20"},
    ),
    ("patch", f"/companies/{A}/agreement", Permission.ADMIN, {"changes": {"reminder_deadline_days": 7}}),
    ("get", f"/companies/{A}/api-clients", Permission.ADMIN, None),
    ("get", "/unmatched-payments", Permission.CASE, None),
    ("post", "/runs", Permission.CASE, {"on": "2025-01-10"}),
    ("post", "/companies", Permission.OPERATE, company_body("916000006", "Ny AS")),
]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_does_what_the_matrix_allows_and_no_more(api: Api, role: Role):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    caller = api.as_(api.key(role, None if role.across_companies else A))
    for method, path, permission, body in MATRIX:
        response = getattr(caller, method)(path, **({"json": body} if body is not None else {}))
        if role_may(role, permission):
            assert response.status_code < 400 or response.json()["code"] not in ("forbidden", "unauthenticated"), (
                role,
                path,
                response.text,
            )
        else:
            assert response.status_code == 403, (role, path, response.status_code, response.text)
            assert response.json()["code"] == "forbidden"


def test_a_revoked_key_is_refused_on_its_next_request(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    granted = admin.post(f"/companies/{A}/api-clients", json={"name": "Visma", "role": "integration"})
    assert granted.status_code == 201
    erp = api.as_(granted.json()["token"])
    assert erp.get(f"/companies/{A}/claims").status_code == 200  # the verified key is remembered now
    assert admin.delete(f"/companies/{A}/api-clients/{granted.json()['id']}").status_code == 204
    refused = erp.get(f"/companies/{A}/claims")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert refused.headers["content-type"] == "application/problem+json"


def test_a_key_is_stored_only_as_its_argon2_hash(api: Api):
    token = api.key(Role.OPERATOR, name="ops")
    with api.krav.reader() as uow:
        (stored,) = uow.access.keys()
    secret = token.split("_", 2)[2]
    assert stored.secret_hash.startswith("$argon2id$")
    assert secret not in stored.secret_hash
    assert token.startswith(f"krav_{stored.prefix}_")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer krav_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbb", "Basic dXNlcjpwYXNz"],
)
def test_a_request_without_a_valid_key_is_refused_without_saying_why(api: Api, header: str | None):
    real = api.key(Role.OPERATOR)
    headers = {"Authorization": header} if header else {}
    response = api.client.get("/api/v1/companies", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    # a real prefix with a wrong secret answers the same
    wrong = real[:-4] + "AAAA"
    assert api.client.get("/api/v1/companies", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401


# -- mass assignment -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/companies", {**company_body("916000006", "Ny AS"), "id": 99}),
        ("patch", f"/companies/{A}", {"name": "X AS", "orgno": "916000006"}),
        ("post", f"/companies/{A}/customers", {"customers": [{**customer_body("50001"), "id": 7}]}),
        (
            "post",
            f"/companies/{A}/invoices",
            {"invoices": [{**invoice_body("5001"), "collection_id": "K1-000099", "remaining": "0.00"}]},
        ),
        ("post", f"/companies/{A}/claims/actions", {"action": "pause", "invoices": ["2001"], "stage": "closed"}),
        ("post", f"/companies/{A}/api-clients", {"name": "ERP", "role": "operator"}),
        ("post", f"/companies/{A}/api-clients", {"name": "ERP", "company_id": 2}),
        ("post", f"/companies/{A}/agreement/activate", {"accepted_terms": "sha256:" + "0" * 64, "active": True}),
    ],
)
def test_server_owned_fields_in_a_body_are_refused_and_change_nothing(api: Api, method: str, path: str, body: Any):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    before = _state(operator)
    response = getattr(admin if "/companies/" in path else operator, method)(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_request"
    assert _state(operator) == before


def _state(operator: Caller) -> Any:
    return (
        operator.get("/companies").json(),
        operator.get(f"/companies/{A}/customers").json(),
        operator.get(f"/companies/{A}/items", params={"include_settled": True}).json(),
        operator.get(f"/companies/{A}/claims", params={"on": "2025-01-20", "include_closed": True}).json(),
        operator.get(f"/companies/{A}/agreement").json(),
        [k["name"] for k in operator.get(f"/companies/{A}/api-clients").json()],
    )
