"""The claim page's messages, objections and closing: a message to the case handler and the answer, the debtor's
objection recorded and answered, and closing a claim in inkasso, which shows what it will cost the creditor (the
API's figure) before anything is closed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from krav.domain.access import Role
from krav.domain.collection.claims import Stage
from krav.entrypoints.api.deps import business_date
from krav.services import access, agreements, collection, queries, users
from tests.portal.conftest import DEMO, OTHER, OTHER_PASSWORD, OTHER_USER, Portal, amounts_of, csrf_of


def _claim_in(portal: Portal, stage: Stage) -> queries.ClaimView:
    views = queries.claims_view(portal.krav.reader(), DEMO, on=business_date(None), rates=portal.krav.rates)
    found = [v for v in views if v.claim.stage is stage and not v.claim.disputed]
    assert found, f"the demo has no claim in {stage.value}"
    return found[0]


def _view(portal: Portal, collection_id: str) -> queries.ClaimView:
    views = queries.claims_view(portal.krav.reader(), DEMO, on=business_date(None), rates=portal.krav.rates)
    return next(v for v in views if v.claim.collection_id == collection_id)


def test_a_message_goes_to_the_case_handler_who_answers_it(portal: Portal) -> None:
    portal.log_in()
    cid = _claim_in(portal, Stage.NOTICE).claim.collection_id
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}")
    assert 'id="send-answer"' not in page.text  # a creditor sends; the case handler answers
    sent = portal.client.post(
        f"/c/{DEMO}/claims/{cid}/message", data={"csrf": csrf_of(page.text), "text": "Kunden har ringt."}
    )
    assert sent.status_code == 200
    assert "Utført" in sent.text
    assert "Kunden har ringt." in sent.text.split('id="messages"')[1].split("</section>")[0]
    empty = portal.client.post(f"/c/{DEMO}/claims/{cid}/message", data={"csrf": csrf_of(page.text), "text": " "})
    assert empty.status_code == 422
    assert "text" in empty.text
    assert (
        portal.client.post(f"/c/{DEMO}/claims/{cid}/answer", data={"csrf": csrf_of(page.text), "text": "x"}).status_code
        == 403
    )

    now = datetime.now(UTC)
    email = "saksbehandler@krav.example"
    users.create_user(
        portal.krav.uow(), portal.krav.hasher, email=email, name="SB", password="sb-passord-1", by="t", now=now
    )
    users.grant(portal.krav.uow(), email, Role.CASE_HANDLER, None, by="t", now=now)
    portal.client.cookies.clear()
    portal.log_in(email, "sb-passord-1")
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}")
    assert 'id="send-answer"' in page.text
    answered = portal.client.post(
        f"/c/{DEMO}/claims/{cid}/answer", data={"csrf": csrf_of(page.text), "text": "Notert, vi venter."}
    )
    assert answered.status_code == 200
    history = queries.claim_history(portal.krav.reader(), DEMO, cid)
    assert [(h.kind.value, h.detail, h.by) for h in history[-2:]] == [
        ("message", "Kunden har ringt.", f"portal:{'demo@fjellbekk-ror.example'}"),
        ("answer", "Notert, vi venter.", f"portal:{email}"),
    ]


def test_another_companys_user_cannot_answer_on_a_claim(portal: Portal) -> None:
    cid = _claim_in(portal, Stage.NOTICE).claim.collection_id
    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    token = csrf_of(portal.client.get(f"/c/{OTHER}/").text)
    assert portal.client.post(f"/c/{DEMO}/claims/{cid}/answer", data={"csrf": token, "text": "x"}).status_code == 404
    before = queries.claim_history(portal.krav.reader(), DEMO, cid)
    assert portal.client.post(f"/c/{OTHER}/claims/{cid}/answer", data={"csrf": token, "text": "x"}).status_code == 403
    assert queries.claim_history(portal.krav.reader(), DEMO, cid) == before


def test_an_objection_is_recorded_and_rejected(portal: Portal) -> None:
    portal.log_in()
    cid = _claim_in(portal, Stage.NOTICE).claim.collection_id
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}")
    assert 'id="dispute"' in page.text
    token = csrf_of(page.text)
    disputed = portal.client.post(
        f"/c/{DEMO}/claims/{cid}/dispute", data={"csrf": token, "text": "Varen ble aldri levert."}
    )
    assert "Utført" in disputed.text
    assert _view(portal, cid).claim.disputed
    assert 'id="reject"' in disputed.text
    assert 'id="uphold"' in disputed.text
    assert "Varen ble aldri levert." in disputed.text.split('id="objections"')[1]
    rejected = portal.client.post(
        f"/c/{DEMO}/claims/{cid}/reject", data={"csrf": token, "text": "Levert 3. mars, signert."}
    )
    assert "Utført" in rejected.text
    assert not _view(portal, cid).claim.disputed
    assert _view(portal, cid).claim.stage is not Stage.CLOSED


def test_closing_a_claim_in_inkasso_shows_its_costs_first_and_closes_once_confirmed(portal: Portal) -> None:
    portal.log_in()
    agreements.change(
        portal.krav.uow(), DEMO, {"invoice_inkasso_costs_on_close": "true"}, by="test", on=business_date(None)
    )
    view = _claim_in(portal, Stage.INKASSO)
    cid, invoice = view.claim.collection_id, view.claim.invoice_number
    expected = collection.closing_costs(portal.krav.reader(), DEMO, [invoice])[invoice]
    assert expected.is_positive()
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}")
    asked = portal.client.post(f"/c/{DEMO}/claims/{cid}/close", data={"csrf": csrf_of(page.text)})
    assert asked.status_code == 200
    assert 'id="confirm-close"' in asked.text
    assert amounts_of(asked.text)["closing_costs"] == expected.amount
    assert _view(portal, cid).claim.stage is Stage.INKASSO  # nothing closed yet
    made = access.create_key(
        portal.krav.uow(),
        portal.krav.hasher,
        name="t",
        role=Role.CREDITOR_USER,
        orgno=DEMO,
        by="t",
        now=datetime.now(UTC),
    )
    key = {"Authorization": f"Bearer {made.token}"}
    refused = portal.client.post(
        f"/api/v1/companies/{DEMO}/claims/actions", headers=key, json={"action": "close", "invoices": [invoice]}
    )
    costs = re.search(rf"{invoice}: (\d+\.\d\d)", refused.text)
    assert costs is not None
    assert Decimal(costs.group(1)) == expected.amount  # the API asks for the same costs
    closed = portal.client.post(f"/c/{DEMO}/claims/{cid}/close", data={"csrf": csrf_of(page.text), "confirm": "yes"})
    assert "Utført" in closed.text
    assert _view(portal, cid).claim.stage is Stage.CLOSED


def test_closing_a_claim_that_costs_nothing_still_asks_first(portal: Portal) -> None:
    portal.log_in()
    cid = _claim_in(portal, Stage.NOTICE).claim.collection_id
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}")
    asked = portal.client.post(f"/c/{DEMO}/claims/{cid}/close", data={"csrf": csrf_of(page.text)})
    assert "Å lukke kravet koster deg ingenting" in asked.text
    assert _view(portal, cid).claim.stage is Stage.NOTICE


def _results(html: str) -> dict[str, str]:
    """The result per invoice of an action on many claims: done, or refused with why."""
    rows = re.findall(r'<tr data-invoice="([^"]+)" class="\w+">.*?<td>([^<]+)</td>\s*<td>([^<]*)</td>', html, re.S)
    return {invoice: f"{status.strip()} {why.strip()}".strip() for invoice, status, why in rows}


def test_many_claims_are_paused_at_once_with_a_result_for_each(portal: Portal) -> None:
    portal.log_in()
    notice = _claim_in(portal, Stage.NOTICE).claim.invoice_number
    inkasso = _claim_in(portal, Stage.INKASSO).claim.invoice_number
    page = portal.client.get(f"/c/{DEMO}/claims")
    assert f'name="invoice" value="{notice}"' in page.text
    data = {"csrf": csrf_of(page.text), "action": "pause", "invoice": [notice, inkasso]}
    done = portal.client.post(f"/c/{DEMO}/claims/actions", data=data)
    assert done.status_code == 200
    assert _results(done.text) == {
        notice: "Utført",
        inkasso: "Avvist Kravet er registrert til inkasso; da kan det bare avsluttes (lukk krav) eller få en melding.",
    }
    again = portal.client.post(f"/c/{DEMO}/claims/actions", data={**data, "invoice": [notice]})
    assert _results(again.text) == {notice: "Avvist Kravet er allerede pauset."}
    none = portal.client.post(f"/c/{DEMO}/claims/actions", data={"csrf": csrf_of(page.text), "action": "pause"})
    assert none.status_code == 422


def test_closing_many_claims_shows_the_costs_in_all_before_it_closes(portal: Portal) -> None:
    portal.log_in()
    agreements.change(
        portal.krav.uow(), DEMO, {"invoice_inkasso_costs_on_close": "true"}, by="test", on=business_date(None)
    )
    chosen = [_claim_in(portal, Stage.INKASSO).claim, _claim_in(portal, Stage.NOTICE).claim]
    invoices = [c.invoice_number for c in chosen]
    expected = collection.closing_costs(portal.krav.reader(), DEMO, invoices)
    token = csrf_of(portal.client.get(f"/c/{DEMO}/claims").text)
    asked = portal.client.post(
        f"/c/{DEMO}/claims/actions", data={"csrf": token, "action": "close", "invoice": invoices}
    )
    assert amounts_of(asked.text)["closing_costs"] == sum(a.amount for a in expected.values())
    assert all(_view(portal, c.collection_id).claim.stage is not Stage.CLOSED for c in chosen)
    closed = portal.client.post(
        f"/c/{DEMO}/claims/actions", data={"csrf": token, "action": "close", "confirm": "yes", "invoice": invoices}
    )
    assert set(_results(closed.text)) == set(invoices)
    assert all(_view(portal, c.collection_id).claim.stage is Stage.CLOSED for c in chosen)


def test_another_companys_claims_cannot_be_acted_on_from_ones_own(portal: Portal) -> None:
    notice = _claim_in(portal, Stage.NOTICE)
    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    token = csrf_of(portal.client.get(f"/c/{OTHER}/claims").text)
    data = {"csrf": token, "action": "pause", "invoice": [notice.claim.invoice_number]}
    assert portal.client.post(f"/c/{OTHER}/claims/actions", data=data).status_code == 404
    assert portal.client.post(f"/c/{DEMO}/claims/actions", data=data).status_code == 404
    assert not _view(portal, notice.claim.collection_id).claim.paused


def test_a_viewer_sees_no_action_and_is_refused_one(portal: Portal) -> None:
    now = datetime.now(UTC)
    email = "leser@fjellbekk.example"
    users.create_user(
        portal.krav.uow(), portal.krav.hasher, email=email, name="L", password="leser-passord", by="t", now=now
    )
    users.grant(portal.krav.uow(), email, Role.VIEWER, DEMO, by="t", now=now)
    cid = _claim_in(portal, Stage.NOTICE).claim.collection_id
    portal.log_in(email, "leser-passord")
    listing = portal.client.get(f"/c/{DEMO}/claims").text
    assert 'name="invoice"' not in listing
    assert 'id="bulk-go"' not in listing
    page = portal.client.get(f"/c/{DEMO}/claims/{cid}").text
    for button in ('id="send-message"', 'id="dispute"', 'id="close"', 'id="pause"'):
        assert button not in page
    token = csrf_of(page)
    for action in ("message", "dispute", "close", "pause"):
        data = {"csrf": token, "text": "x", "confirm": "yes"}
        assert portal.client.post(f"/c/{DEMO}/claims/{cid}/{action}", data=data).status_code == 403, action
    many = {"csrf": token, "action": "pause", "invoice": _view(portal, cid).claim.invoice_number}
    assert portal.client.post(f"/c/{DEMO}/claims/actions", data=many).status_code == 403
    assert queries.claim_history(portal.krav.reader(), DEMO, cid)[-1].by != f"portal:{email}"
