"""Agreement and settings in the portal: a creditor admin changes the agreement (recorded with who and when),
activates it after reading the terms, maps a voucher type, grants and revokes roles, and makes an API key that is
shown once and works, then revokes it; a viewer and a creditor user read the same pages without their forms and
are refused (403) when they post, and nothing changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from krav.domain.access import Role
from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.services import access, agreements, demo, queries, users
from tests.portal.conftest import DEMO, OTHER, OTHER_PASSWORD, OTHER_USER, Portal, csrf_of

PASSWORD = "lese-passord-1"


def _user_with(portal: Portal, role: Role) -> str:
    """A user holding ``role`` in the demo creditor; its e-mail."""
    email = f"{role.value}@fjellbekk.example"
    now = datetime.now(UTC)
    users.create_user(
        portal.krav.uow(), portal.krav.hasher, email=email, name=role.value, password=PASSWORD, by="t", now=now
    )
    users.grant(portal.krav.uow(), email, role, DEMO, by="test", now=now)
    return email


def test_an_admin_changes_the_agreement_and_the_change_is_recorded(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/settings")
    assert page.status_code == 200
    assert 'id="save-agreement"' in page.text
    before = agreements.show(portal.krav.reader(), DEMO).agreement
    wanted = str((before.days_before_transfer or 14) + 7)
    saved = portal.client.post(f"/c/{DEMO}/settings", data={"csrf": csrf_of(page.text), "days_before_transfer": wanted})
    assert saved.status_code == 200
    assert "Lagret" in saved.text
    view = agreements.show(portal.krav.reader(), DEMO)
    assert view.agreement.days_before_transfer == int(wanted)
    last = view.history[-1]
    assert (last.field, last.new, last.by) == ("days_before_transfer", wanted, f"portal:{demo.DEMO_USER}")
    refused = portal.client.post(f"/c/{DEMO}/settings", data={"csrf": csrf_of(page.text), "days_before_transfer": "3"})
    assert refused.status_code == 422
    assert "days_before_transfer" in refused.text  # the field named, and nothing changed
    assert agreements.show(portal.krav.reader(), DEMO).agreement.days_before_transfer == int(wanted)


def test_the_activation_wizard_shows_the_terms_and_activates_once_accepted(portal: Portal) -> None:
    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    page = portal.client.get(f"/c/{OTHER}/settings")
    assert "Vilkår for innfordringsavtalen" in page.text  # the terms with the day's rates
    assert "collection_list_email" in page.text  # what is missing, named
    token = csrf_of(page.text)
    unaccepted = portal.client.post(f"/c/{OTHER}/settings/activate", data={"csrf": token})
    assert unaccepted.status_code == 422
    portal.client.post(f"/c/{OTHER}/settings", data={"csrf": token, "collection_list_email": "liste@eksempel.example"})
    assert agreements.missing(portal.krav.reader(), OTHER) == []
    done = portal.client.post(f"/c/{OTHER}/settings/activate", data={"csrf": token, "accept": "yes"})
    assert done.status_code == 200
    assert "Avtalen er aktivert" in done.text
    view = agreements.show(portal.krav.reader(), OTHER)
    assert view.agreement.active
    assert view.agreement.accepted_by == f"portal:{OTHER_USER}"
    assert any(h.field == "terms_accepted" and (h.new or "").startswith("sha256:") for h in view.history)


def test_an_admin_maps_a_voucher_type(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/settings/voucher-types")
    assert page.status_code == 200
    code = re.search(r'<tr data-code="(\d+)">', page.text)
    assert code is not None
    answer = portal.client.post(
        f"/c/{DEMO}/settings/voucher-types",
        data={"csrf": csrf_of(page.text), "code": code.group(1), "collection_type": "none"},
    )
    assert answer.status_code == 200
    mapped = {v.code: v.collection_type for v in queries.voucher_types(portal.krav.reader(), DEMO)}
    assert mapped[int(code.group(1))] is CollectionVoucherType.NONE
    bad = portal.client.post(
        f"/c/{DEMO}/settings/voucher-types",
        data={"csrf": csrf_of(page.text), "code": "99999", "collection_type": "none"},
    )
    assert bad.status_code == 422


def test_an_api_key_is_shown_once_works_and_is_revoked(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/settings/access")
    made = portal.client.post(
        f"/c/{DEMO}/settings/access/key", data={"csrf": csrf_of(page.text), "name": "regnskap", "role": "viewer"}
    )
    token = re.search(r'<code id="token">([^<]+)</code>', made.text)
    assert token is not None
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    assert portal.client.get(f"/api/v1/companies/{DEMO}/claims", headers=bearer).status_code == 200
    again = portal.client.get(f"/c/{DEMO}/settings/access").text
    assert token.group(1) not in again  # shown once
    key = next(k for k in access.keys(portal.krav.reader(), DEMO) if k.name == "regnskap")
    revoked = portal.client.post(f"/c/{DEMO}/settings/access/unkey", data={"csrf": csrf_of(again), "key": str(key.id)})
    assert revoked.status_code == 200
    assert portal.client.get(f"/api/v1/companies/{DEMO}/claims", headers=bearer).status_code == 401


def test_an_admin_grants_and_revokes_a_role(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/settings/access")
    token = csrf_of(page.text)
    granted = portal.client.post(
        f"/c/{DEMO}/settings/access/grant", data={"csrf": token, "email": OTHER_USER, "role": "viewer"}
    )
    assert granted.status_code == 200
    assert f'data-email="{OTHER_USER}"' in granted.text
    unknown = portal.client.post(
        f"/c/{DEMO}/settings/access/grant", data={"csrf": token, "email": "ingen@x.example", "role": "viewer"}
    )
    assert unknown.status_code == 422
    assert "no user" in unknown.text
    operator = portal.client.post(
        f"/c/{DEMO}/settings/access/grant", data={"csrf": token, "email": OTHER_USER, "role": "operator"}
    )
    assert operator.status_code == 422  # a role of the service is not a creditor admin's to give
    portal.client.post(f"/c/{DEMO}/settings/access/revoke", data={"csrf": token, "email": OTHER_USER})
    assert OTHER_USER not in [u.email for u in users.users(portal.krav.reader(), DEMO)]


def test_a_key_of_another_company_is_not_found_from_ones_own(portal: Portal) -> None:
    key = access.create_key(
        portal.krav.uow(), portal.krav.hasher, name="demo", role=Role.VIEWER, orgno=DEMO, by="t", now=datetime.now(UTC)
    )
    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    token = csrf_of(portal.client.get(f"/c/{OTHER}/settings/access").text)
    answer = portal.client.post(f"/c/{OTHER}/settings/access/unkey", data={"csrf": token, "key": str(key.key.id)})
    assert answer.status_code == 404
    assert next(k for k in access.keys(portal.krav.reader(), DEMO) if k.id == key.key.id).active


_CHANGES = [
    ("settings", {"days_before_transfer": "30"}),
    ("settings/activate", {"accept": "yes"}),
    ("settings/voucher-types", {"code": "1", "collection_type": "none"}),
    ("settings/access/grant", {"email": OTHER_USER, "role": "creditor_admin"}),
    ("settings/access/revoke", {"email": demo.DEMO_USER}),
    ("settings/access/key", {"name": "x", "role": "creditor_admin"}),
]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CREDITOR_USER])
def test_a_viewer_or_creditor_user_reads_the_settings_but_may_not_change_them(portal: Portal, role: Role) -> None:
    email = _user_with(portal, role)
    assert portal.log_in(email, PASSWORD).status_code == 303
    for page in ("settings", "settings/voucher-types", "settings/access"):
        answer = portal.client.get(f"/c/{DEMO}/{page}")
        assert answer.status_code == 200, page
        assert "bare en kreditoradministrator kan endre dem" in answer.text
        assert '<button type="submit" id="save' not in answer.text  # no forms to change them
        assert 'id="make-key"' not in answer.text
        assert 'id="grant"' not in answer.text
    before = (agreements.show(portal.krav.reader(), DEMO), queries.voucher_types(portal.krav.reader(), DEMO))
    keys = len(access.keys(portal.krav.reader(), DEMO))
    token = csrf_of(portal.client.get(f"/c/{DEMO}/settings").text)
    for path, fields in _CHANGES:
        assert portal.client.post(f"/c/{DEMO}/{path}", data={"csrf": token, **fields}).status_code == 403, path
    after = (agreements.show(portal.krav.reader(), DEMO), queries.voucher_types(portal.krav.reader(), DEMO))
    assert after == before
    assert len(access.keys(portal.krav.reader(), DEMO)) == keys
    assert OTHER_USER not in [u.email for u in users.users(portal.krav.reader(), DEMO)]
