"""Access (DOMAIN.md section 10) on the fakes of the ports: the role table, keys made, checked, remembered and
revoked, idempotency keys, and the webhook outbox written at commit with its signature."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.access import Permission, Role, parse_role, role_may, role_scope_problem
from krav.domain.errors import FieldError, InputError, NotFound
from krav.services import access, idempotency, webhooks
from krav.services.access import KeyVerifier, Unauthenticated
from tests.builders import ORGNO, make_company
from tests.fakes import FakeUnitOfWork, relayed_unit_of_work

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)


class PlainHasher:
    """A stand-in for argon2 that counts its checks."""

    def __init__(self) -> None:
        self.checks = 0

    def hash(self, secret: str) -> str:
        return "h:" + hashlib.sha256(secret.encode()).hexdigest()

    def verify(self, secret_hash: str, secret: str) -> bool:
        self.checks += 1
        return hmac.compare_digest(secret_hash, self.hash(secret))


def _uow() -> FakeUnitOfWork:
    uow = relayed_unit_of_work(load_rate_tables())
    make_company(uow)
    return uow


def test_the_role_table_grants_what_each_role_may_do():
    assert role_may(Role.VIEWER, Permission.READ)
    assert not role_may(Role.VIEWER, Permission.LEDGER)
    assert role_may(Role.INTEGRATION, Permission.LEDGER)
    assert role_may(Role.INTEGRATION, Permission.COLLECT)
    assert not role_may(Role.INTEGRATION, Permission.ADMIN)
    assert role_may(Role.CREDITOR_ADMIN, Permission.ADMIN)
    assert not role_may(Role.CREDITOR_ADMIN, Permission.CASE)
    assert role_may(Role.CASE_HANDLER, Permission.CASE)
    assert not role_may(Role.CASE_HANDLER, Permission.COLLECT)
    assert all(role_may(Role.OPERATOR, p) for p in Permission)
    assert [r for r in Role if r.across_companies] == [Role.CASE_HANDLER, Role.OPERATOR]


def test_a_role_is_named_as_people_write_it_and_scoped_as_it_must_be():
    assert parse_role("Creditor-Admin") is Role.CREDITOR_ADMIN
    with pytest.raises(InputError, match="viewer"):
        parse_role("boss")
    assert role_scope_problem(Role.OPERATOR, 1) is not None
    assert role_scope_problem(Role.VIEWER, None) is not None
    assert role_scope_problem(Role.VIEWER, 1) is None


def test_a_key_is_checked_once_remembered_and_refused_once_revoked():
    uow, hasher = _uow(), PlainHasher()
    made = access.create_key(uow, hasher, name="Visma", role=Role.INTEGRATION, orgno=ORGNO, by="admin", now=NOW)
    verifier = KeyVerifier(hasher)
    who = verifier.principal(uow, made.token)
    assert (who.role, who.name, who.actor) == (Role.INTEGRATION, "Visma", "api:Visma")
    assert who.sees(who.company_id or 0)
    assert not who.sees(999)
    verifier.principal(uow, made.token)
    assert hasher.checks == 1  # the hash is checked once; later requests read only the key's row
    access.revoke_key(uow, made.key.id or 0, now=NOW)
    with pytest.raises(Unauthenticated):
        verifier.principal(uow, made.token)
    with pytest.raises(Unauthenticated):
        verifier.principal(uow, made.token[:-3] + "xyz")
    with pytest.raises(NotFound):
        access.revoke_key(uow, made.key.id or 0, now=NOW, company_id=12345)


def test_a_key_needs_a_name_and_the_scope_of_its_role():
    uow, hasher = _uow(), PlainHasher()
    with pytest.raises(FieldError, match="company"):
        access.create_key(uow, hasher, name="x", role=Role.CREDITOR_USER, orgno=None, by="t", now=NOW)
    with pytest.raises(FieldError, match="name"):
        access.create_key(uow, hasher, name=" ", role=Role.OPERATOR, orgno=None, by="t", now=NOW)
    assert access.keys(uow) == []


def test_an_idempotency_key_replays_refuses_and_waits():
    uow = FakeUnitOfWork(before_commit=lambda _: None)
    assert idempotency.begin(uow, "company:1", "k", "a" * 64, now=NOW).outcome is idempotency.Outcome.FIRST
    assert idempotency.begin(uow, "company:1", "k", "a" * 64, now=NOW).outcome is idempotency.Outcome.IN_FLIGHT
    assert idempotency.begin(uow, "company:1", "k", "b" * 64, now=NOW).outcome is idempotency.Outcome.MISMATCH
    assert idempotency.begin(uow, "company:2", "k", "b" * 64, now=NOW).outcome is idempotency.Outcome.FIRST
    idempotency.finish(uow, "company:1", "k", status_code=201, body=b"{}", media_type="application/json")
    replay = idempotency.begin(uow, "company:1", "k", "a" * 64, now=NOW)
    assert replay.outcome is idempotency.Outcome.REPLAY
    assert replay.recorded is not None
    assert replay.recorded.body == b"{}"
    idempotency.forget(uow, "company:2", "k")
    assert idempotency.begin(uow, "company:2", "k", "c" * 64, now=NOW).outcome is idempotency.Outcome.FIRST
    # a first request whose process died is taken over once it has been in flight too long
    late = NOW + idempotency.ABANDONED + timedelta(seconds=1)
    assert idempotency.begin(uow, "company:2", "k", "c" * 64, now=late).outcome is idempotency.Outcome.FIRST
    assert idempotency.begin(uow, "company:2", "k", "c" * 64, now=late).outcome is idempotency.Outcome.IN_FLIGHT


def test_the_signature_is_hmac_sha256_over_timestamp_and_body():
    body = b'{"id": "evt_1_1"}'
    expected = hmac.new(b"whsec_x", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature("whsec_x", 1700000000, body) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://erp.example/hooks", True),
        ("http://erp.example/hooks", False),
        ("https://user:pw@erp.example/hooks", False),
        ("ftp://erp.example/hooks", False),
        ("https:///nohost", False),
    ],
)
def test_a_webhook_url_is_https_with_a_host_and_no_credentials(url: str, allowed: bool):
    if allowed:
        assert webhooks.check_url(url, allow_plain_http=False) == url
    else:
        with pytest.raises(FieldError):
            webhooks.check_url(url, allow_plain_http=False)


def test_an_unknown_event_is_refused():
    with pytest.raises(FieldError, match="unknown event"):
        webhooks.register(_uow(), ORGNO, "https://x.example", ["claim.eaten"], now=NOW, allow_plain_http=False)


class Answering:
    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.posted: list[tuple[str, bytes, dict[str, str]]] = []

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.posted.append((url, body, headers))
        return self.statuses.pop(0) if self.statuses else 200


def test_deliveries_wait_longer_after_each_failure_and_are_given_up_after_the_last():
    uow = _uow()
    made = webhooks.register(uow, ORGNO, "https://x.example", ["settlement.issued"], now=NOW, allow_plain_http=False)
    assert made.secret.startswith("whsec_")
    hook = made.webhook
    assert hook.id is not None
    with uow:
        uow.access.add_webhook_deliveries(
            [webhooks._delivery(hook.id, "stl_1_S1", "settlement.issued", ORGNO, {"settlement": "S1"}, NOW)]
        )
        uow.commit()
    sender = Answering(*([503] * (len(webhooks.BACKOFF) + 1)))
    at = NOW
    for n, wait in enumerate((timedelta(0), *webhooks.BACKOFF), start=1):
        at += wait
        report = webhooks.deliver(uow, sender, now=at)
        assert report.delivered == 0
        assert len(sender.posted) == n
        assert webhooks.deliver(uow, sender, now=at + timedelta(seconds=1)).retrying == 0  # nothing before the wait
    (given_up,) = webhooks.deliveries(uow, ORGNO)
    assert (given_up.status, given_up.attempts) == ("failed", len(webhooks.BACKOFF) + 1)
    assert "503" in (given_up.last_error or "")
