"""Saved filters of the claims list in the portal: the demo's user keeps a choice under a name and opens it again
from the list (the same claims); it is the user's own, and deleted again."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from krav.domain.access import Role
from krav.services import users
from tests.portal.conftest import DEMO, OTHER_PASSWORD, OTHER_USER, Portal, csrf_of


def _count(html: str) -> int:
    found = re.search(r'data-field="count">(\d+)<', html)
    assert found is not None
    return int(found.group(1))


def test_a_filter_is_saved_opened_again_and_deleted(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/claims", params={"stage": "notice", "owed_from": "100,00"})
    assert "Ingen lagrede filtre" in page.text
    fields = {"csrf": csrf_of(page.text), "name": "Varsler over 100", "stage": "notice", "owed_from": "100,00"}
    saved = portal.client.post(f"/c/{DEMO}/claims/filters", data=fields)
    assert saved.status_code == 200  # back on the list, with the filter chosen
    link = re.search(r'<a href="(/c/\d+/claims\?[^"]+)">Varsler over 100</a>', saved.text)
    assert link is not None
    again = portal.client.get(link.group(1).replace("&amp;", "&"))
    assert _count(again.text) == _count(page.text) > 0
    deleted = portal.client.post(
        f"/c/{DEMO}/claims/filters/delete", data={"csrf": csrf_of(again.text), "name": "Varsler over 100"}
    )
    assert "Ingen lagrede filtre" in deleted.text


def test_a_saved_filter_is_its_users_own(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/claims")
    portal.client.post(f"/c/{DEMO}/claims/filters", data={"csrf": csrf_of(page.text), "name": "Mitt", "q": "AS"})
    users.grant(portal.krav.uow(), OTHER_USER, Role.VIEWER, DEMO, by="t", now=datetime.now(UTC))
    portal.client.cookies.clear()
    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    theirs = portal.client.get(f"/c/{DEMO}/claims")
    assert "Mitt" not in theirs.text
    refused = portal.client.post(
        f"/c/{DEMO}/claims/filters/delete", data={"csrf": csrf_of(theirs.text), "name": "Mitt"}
    )
    assert refused.status_code == 404
