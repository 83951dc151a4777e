"""The portal's routes in process: log-in and log-out, CSRF, the session's idle end, another tenant's pages and
files (404 on every route), the CSV export, and the numbers the pages show against the API's."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from krav.domain.money import parse_decimal
from krav.entrypoints.portal.session import IDLE, Session, Signer
from krav.services import access, agreements, dashboard, demo, ledger, queries, users
from krav.services.ledger import submission
from krav.services.ledger.submission import ProposalRow
from tests.portal.conftest import DEMO, OTHER, OTHER_PASSWORD, OTHER_USER, Portal, amounts_of, csrf_of
from tests.portal.test_reports_pages import REPORTS


def _first(pattern: str, html: str) -> str:
    found = re.search(pattern, html)
    assert found is not None, f"no {pattern} on the page"
    return found.group(1)


def demo_ids(portal: Portal) -> dict[str, str]:
    """The demo creditor's ids as its own pages link them: a claim, a letter, a list, a settlement."""
    claims = portal.client.get(f"/c/{DEMO}/claims").text
    claim = _first(r'/claims/(K[^"/]+)"', claims)
    letter = _first(r"/letters/(\d+)\.pdf", portal.client.get(f"/c/{DEMO}/claims/{claim}").text)
    listing = _first(r'/lists/(\d+)"', portal.client.get(f"/c/{DEMO}/lists").text)
    settlement = _first(r'/settlements/([^"/]+)"', portal.client.get(f"/c/{DEMO}/settlements").text)
    customer = _first(r'/customers/(\d+)"', portal.client.get(f"/c/{DEMO}/").text)
    return {"claim": claim, "letter": letter, "list": listing, "settlement": settlement, "customer": customer}


def test_a_page_needs_a_log_in_and_the_log_in_needs_the_right_password(portal: Portal) -> None:
    answer = portal.client.get(f"/c/{DEMO}/claims", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")

    refused = portal.log_in(password="not-the-password")
    assert refused.status_code == 401
    assert "Feil e-post eller passord" in refused.text

    done = portal.log_in()
    assert done.status_code == 303
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert portal.client.get("/", follow_redirects=False).headers["location"] == f"/c/{DEMO}/"
    assert portal.client.get(f"/c/{DEMO}/").status_code == 200


def test_log_out_ends_the_session(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/")
    answer = portal.client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303
    assert portal.client.get(f"/c/{DEMO}/", follow_redirects=False).status_code == 303


def test_a_post_without_the_sessions_csrf_token_is_refused(portal: Portal) -> None:
    portal.log_in()
    ids = demo_ids(portal)
    path = f"/c/{DEMO}/claims/{ids['claim']}/pause"
    assert portal.client.post(path, data={}).status_code == 403
    assert portal.client.post(path, data={"csrf": "forged"}).status_code == 403
    assert portal.client.post("/logout", data={"csrf": "forged"}).status_code == 403
    page = portal.client.get(f"/c/{DEMO}/claims/{ids['claim']}")
    assert "Utført" not in page.text  # nothing was paused
    assert portal.client.post(path, headers={"X-CSRF-Token": csrf_of(page.text)}).status_code == 200


def test_a_session_unused_past_the_idle_time_ends() -> None:
    session = Session.fresh(1)
    assert not session.idle
    old = Session(1, session.csrf, time.time() - IDLE - 1)
    assert old.idle


def test_an_expired_cookie_sends_the_user_to_log_in_again(portal: Portal) -> None:
    portal.log_in()
    signer = portal_of_client(portal)
    stale = Session(1, "token", time.time() - IDLE - 5)
    portal.client.cookies.clear()
    portal.client.cookies.set("krav_session", signer.dumps(stale))
    read = signer.loads(signer.dumps(stale))
    assert read is not None
    assert (read.user_id, read.csrf, read.idle) == (1, "token", True)
    answer = portal.client.get(f"/c/{DEMO}/", follow_redirects=False)
    assert answer.status_code == 303
    assert "expired=1" in answer.headers["location"]


def portal_of_client(portal: Portal) -> Signer:
    found: Signer = portal.client.app.state.portal.signer  # type: ignore[attr-defined]
    return found


def test_a_tampered_cookie_is_no_session(portal: Portal) -> None:
    portal.log_in()
    value = portal.client.cookies.get("krav_session")
    assert value is not None
    portal.client.cookies.clear()
    portal.client.cookies.set("krav_session", value[:-3] + "abc")
    assert portal.client.get(f"/c/{DEMO}/", follow_redirects=False).status_code == 303


def _routes(orgno: str, ids: dict[str, str]) -> list[tuple[str, str]]:
    """Every route of the portal that names a company, with the ids given."""
    base = f"/c/{orgno}"
    return [
        ("GET", f"{base}/"),
        ("GET", f"{base}/proposal"),
        ("POST", f"{base}/proposal"),
        ("GET", f"{base}/customers/{ids['customer']}"),
        ("POST", f"{base}/customers/{ids['customer']}"),
        ("GET", f"{base}/claims"),
        ("GET", f"{base}/claims.csv"),
        ("GET", f"{base}/claims/{ids['claim']}"),
        ("POST", f"{base}/claims/{ids['claim']}/pause"),
        ("POST", f"{base}/claims/{ids['claim']}/resume"),
        *(("POST", f"{base}/claims/{ids['claim']}/{what}") for what in ("message", "dispute", "close", "uphold")),
        ("GET", f"{base}/letters/{ids['letter']}.pdf"),
        ("GET", f"{base}/lists"),
        ("GET", f"{base}/lists/{ids['list']}"),
        ("POST", f"{base}/lists/{ids['list']}/approve"),
        ("POST", f"{base}/lists/{ids['list']}/stop"),
        ("GET", f"{base}/settlements"),
        ("GET", f"{base}/settlements/{ids['settlement']}"),
        ("GET", f"{base}/settlements/{ids['settlement']}/report.pdf"),
        ("GET", f"{base}/settlements/{ids['settlement']}/report.csv"),
        ("GET", f"{base}/settlements/{ids['settlement']}/pain001.xml"),
        ("GET", f"{base}/claims.xlsx"),
        ("POST", f"{base}/claims/actions"),
        ("POST", f"{base}/claims/filters"),
        ("POST", f"{base}/claims/filters/delete"),
        ("GET", f"{base}/reports"),
        ("GET", f"{base}/reports/letters"),
        *(("GET", f"{base}/reports/{name}.{kind}") for name in REPORTS for kind in ("csv", "xlsx")),
        *(("GET", f"{base}/{page}") for page in SETTINGS),
        *(("POST", f"{base}/{change}") for change in SETTINGS_CHANGES),
    ]


def test_a_user_of_another_company_reaches_no_page_or_file_of_the_demo_creditor(portal: Portal) -> None:
    portal.log_in()
    ids = demo_ids(portal)
    for method, path in _routes(DEMO, ids):  # the demo's own user reaches each of them
        if method == "GET":
            assert portal.client.get(path).status_code == 200, path
    portal.client.cookies.clear()
    assert portal.log_in(OTHER_USER, OTHER_PASSWORD).status_code == 303
    token = csrf_of(portal.client.get(f"/c/{OTHER}/").text)
    before = _demo_state(portal, ids["claim"])
    walked = 0
    own = {f"/c/{OTHER}", *(f"/c/{OTHER}/{p}" for p in _OWN)}
    for orgno in (DEMO, OTHER):  # the demo's company, and its ids under the user's own company
        for method, path in _routes(orgno, ids):
            if orgno == OTHER and path.rstrip("/") in own:
                continue
            if method == "GET":
                answer = portal.client.get(path)
            else:
                answer = portal.client.post(path, data={"csrf": token, **_WOULD_CHANGE})
            assert answer.status_code == 404, f"{method} {path}: {answer.status_code}"
            walked += 1
    skipped = sum(1 for _, path in _routes(OTHER, ids) if path.rstrip("/") in own)
    # the user's own company's pages that need no id
    assert skipped == 7 + 6 + 2 * len(REPORTS) + len(SETTINGS) + len(SETTINGS_CHANGES)
    assert walked == 2 * len(_routes(DEMO, ids)) - skipped
    # and nothing of the demo creditor changed
    assert _demo_state(portal, ids["claim"]) == before
    portal.client.cookies.clear()
    portal.log_in()
    assert "Utført" not in portal.client.get(f"/c/{DEMO}/claims/{ids['claim']}").text


#: what the walk posts: enough for each route to change something, were it let through
_WOULD_CHANGE = {
    "invoice": "x",
    "item": "1",
    "days_before_transfer": "30",
    "accept": "yes",
    "code": "1",
    "collection_type": "none",
    "email": OTHER_USER,
    "role": "creditor_admin",
    "name": "x",
    "key": "1",
    "text": "x",
    "confirm": "yes",
    "action": "pause",
}


def _demo_state(portal: Portal, claim: str) -> tuple[object, ...]:
    """The demo creditor's claim's history, agreement, voucher types, users and API keys as stored."""
    reader = portal.krav.reader
    return (
        queries.claim_history(reader(), DEMO, claim),
        agreements.show(reader(), DEMO),
        queries.voucher_types(reader(), DEMO),
        [(u.email, u.roles) for u in users.users(reader(), DEMO)],
        access.keys(reader(), DEMO),
    )


#: the settings' pages, and the changes made on them (a key of another company: test_settings_pages.py)
SETTINGS = ("settings", "settings/voucher-types", "settings/access")
SETTINGS_CHANGES = (
    "settings",
    "settings/activate",
    "settings/voucher-types",
    *(f"settings/access/{what}" for what in ("grant", "revoke", "key", "unkey")),
)

#: the pages of a company that need no id: the user's own company answers them
_OWN = (
    "proposal",
    "claims",
    "claims.csv",
    "claims.xlsx",
    "claims/actions",
    "claims/filters",
    "claims/filters/delete",
    "lists",
    "settlements",
    "reports",
    "reports/letters",
    *(f"reports/{name}.{kind}" for name in REPORTS for kind in ("csv", "xlsx")),
    *SETTINGS,
    *SETTINGS_CHANGES,
)


def test_a_user_who_holds_no_role_anywhere_sees_no_company(portal: Portal) -> None:
    from krav.services import users

    portal.log_in(OTHER_USER, OTHER_PASSWORD)
    from datetime import UTC, datetime

    users.revoke(portal.krav.uow(), OTHER_USER, OTHER, now=datetime.now(UTC))
    assert portal.client.get(f"/c/{OTHER}/").status_code == 404
    assert "ingen rolle" in portal.client.get("/").text


def test_the_claims_export_is_csv_for_a_norwegian_spreadsheet(portal: Portal) -> None:
    portal.log_in()
    answer = portal.client.get(f"/c/{DEMO}/claims.csv")
    assert answer.status_code == 200
    assert answer.content.startswith("\ufeff".encode())
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["innfordrings-id", "faktura", "skyldner"]
    assert len(lines) > 2
    owed = lines[1].split(";")[-1]
    assert re.fullmatch(r"-?\d+,\d\d", owed)


def test_the_claims_list_searches_filters_and_reads_amounts_as_typed(portal: Portal) -> None:
    portal.log_in()
    everything = portal.client.get(f"/c/{DEMO}/claims").text
    count = int(_first(r'data-field="count">(\d+)<', everything))
    claim = _first(r'/claims/(K[^"/]+)"', everything)
    one = portal.client.get(f"/c/{DEMO}/claims", params={"q": claim}).text
    assert _first(r'data-field="count">(\d+)<', one) == "1"
    high = portal.client.get(f"/c/{DEMO}/claims", params={"owed_from": "1\u00a0000 000,00"}).text
    assert _first(r'data-field="count">(\d+)<', high) == "0"
    low = portal.client.get(f"/c/{DEMO}/claims", params={"owed_from": "0.00", "due_from": "01.01.2000"}).text
    assert int(_first(r'data-field="count">(\d+)<', low)) == count
    bad = portal.client.get(f"/c/{DEMO}/claims", params={"owed_from": "mye"})
    assert bad.status_code == 422
    assert "owed_from" in bad.text


def test_pause_and_resume_show_their_result(portal: Portal) -> None:
    portal.log_in()
    claim = _first(r'/claims/(K[^"/]+)"', portal.client.get(f"/c/{DEMO}/claims?stage=notice").text)
    page = portal.client.get(f"/c/{DEMO}/claims/{claim}").text
    assert 'id="pause"' in page
    done = portal.client.post(f"/c/{DEMO}/claims/{claim}/pause", data={"csrf": csrf_of(page)})
    assert done.status_code == 200
    assert "Utført" in done.text
    assert 'id="resume"' in done.text  # and the page offers to resume it
    again = portal.client.post(f"/c/{DEMO}/claims/{claim}/pause", data={"csrf": csrf_of(page)})
    assert "Avvist" in again.text
    assert "allerede pauset" in again.text  # refused, with the reason
    resumed = portal.client.post(f"/c/{DEMO}/claims/{claim}/resume", data={"csrf": csrf_of(page)})
    assert "Utført" in resumed.text
    assert 'id="pause"' in resumed.text


def test_the_language_switch_shows_english(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/")
    assert "Oversikt" in page.text
    portal.client.post("/lang", data={"csrf": csrf_of(page.text), "lang": "en", "next": f"/c/{DEMO}/"})
    english = portal.client.get(f"/c/{DEMO}/").text
    assert "Overview" in english
    assert '<html lang="en">' in english
    away = portal.client.post(
        "/lang", data={"csrf": csrf_of(english), "lang": "nb", "next": "//evil.example/"}, follow_redirects=False
    )
    assert away.headers["location"] == "/"  # never to another site


@pytest.mark.parametrize("kind", ["claim", "dashboard", "settlement"])
def test_the_portal_shows_the_apis_numbers_for_the_demo_creditor(portal: Portal, kind: str) -> None:
    portal.log_in()
    ids = demo_ids(portal)
    key = portal.api_key()
    if kind == "claim":
        shown = amounts_of(portal.client.get(f"/c/{DEMO}/claims/{ids['claim']}").text)
        api = portal.client.get(f"/api/v1/companies/{DEMO}/claims/{ids['claim']}", headers=key).json()["claim"]
        for field in (
            "principal",
            "principal_outstanding",
            "fees_charged",
            "fees_outstanding",
            "interest_accrued",
            "interest_outstanding",
            "salaer_charged",
            "salaer_outstanding",
            "owed",
        ):
            assert shown[field] == Decimal(api[field]), field
    elif kind == "dashboard":
        page = portal.client.get(f"/c/{DEMO}/").text
        shown = amounts_of(page)
        claims = portal.client.get(f"/api/v1/companies/{DEMO}/claims?limit=1000", headers=key).json()["items"]
        assert shown["owed"] == sum((Decimal(c["owed"]) for c in claims), Decimal(0))
        assert int(_first(r'data-field="open_claims">(\d+)<', page)) == len(claims)
    else:
        shown = amounts_of(portal.client.get(f"/c/{DEMO}/settlements/{ids['settlement']}").text)
        api = portal.client.get(f"/api/v1/companies/{DEMO}/settlements", headers=key).json()
        found = next(s for s in api if s["reference"] == ids["settlement"])
        assert shown["total"] == Decimal(found["total"])
        assert shown["lines_total"] == shown["total"]


def test_a_settlements_payment_file_pays_its_total_to_the_creditor(portal: Portal) -> None:
    portal.log_in()
    ids = demo_ids(portal)
    page = portal.client.get(f"/c/{DEMO}/settlements/{ids['settlement']}").text
    assert f"/settlements/{ids['settlement']}/pain001.xml" in page
    got = portal.client.get(f"/c/{DEMO}/settlements/{ids['settlement']}/pain001.xml")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/xml")
    assert b"pain.001" in got.content
    total = amounts_of(page)["total"]
    assert f'<InstdAmt Ccy="NOK">{total}</InstdAmt>'.encode() in got.content


def test_amounts_and_dates_are_in_norwegian_formats(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/claims").text
    assert re.search(r"\d,\d\d\u00a0kr", page)
    assert re.search(r"\b\d\d\.\d\d\.\d{4}\b", page)
    assert parse_decimal("12\u00a0345,50") == Decimal("12345.50")


def test_the_demo_user_is_made_once(portal: Portal) -> None:
    from datetime import UTC, datetime

    assert demo.demo_user(portal.krav.uow(), portal.krav.hasher, now=datetime.now(UTC)) is False


def test_the_proposal_shows_every_reason_and_sends_with_a_result_per_item(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/proposal")
    assert page.status_code == 200
    assert "mangler postnummer" in page.text  # the demo's customer without a postcode
    assert "Automatisk overføring er på" in page.text
    invalid = _first(r'<tr data-invoice="(\d+)">\s*<td></td>', page.text)  # no box to choose an invalid item
    item_id = next(r.item.id for r in proposal_rows(portal) if r.item.number == invalid)
    refused = portal.client.post(f"/c/{DEMO}/proposal", data={"csrf": csrf_of(page.text), "item": str(item_id)})
    assert "Avvist" in refused.text
    assert invalid in refused.text
    none = portal.client.post(f"/c/{DEMO}/proposal", data={"csrf": csrf_of(page.text)})
    assert none.status_code == 422
    assert "Velg minst én post" in none.text


def proposal_rows(portal: Portal) -> list[ProposalRow]:
    from krav.entrypoints.api.deps import business_date

    return submission.proposal(portal.krav.reader(), DEMO, today=business_date(None))


def test_the_dashboard_says_how_the_last_run_went(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/").text
    assert re.search(r'data-field="last_run">\d\d\.\d\d\.\d{4}<', page)
    steps = _first(r'data-field="last_run_steps">([^<]+)<', page)
    assert steps == f"{dashboard.RUN_STEPS} av {dashboard.RUN_STEPS} steg fullført"
    with portal.krav.reader() as uow:  # when its latest step finished, as stored, in Oslo's time
        finished = uow.collection.last_run_finished(uow.companies.get(DEMO).id or 0)
    assert finished is not None
    shown = _first(r'data-field="last_run_at">([^<]+)<', page)
    assert shown == finished.astimezone(ZoneInfo("Europe/Oslo")).strftime("%d.%m.%Y %H:%M")


def test_a_validation_reason_is_fixed_on_the_customers_page(portal: Portal) -> None:
    portal.log_in()
    board = portal.client.get(f"/c/{DEMO}/").text
    assert "mangler postnummer" in board
    rows = re.findall(r"<tr>(.*?)</tr>", board, re.DOTALL)
    number = _first(r"/customers/(\d+)", next(r for r in rows if "mangler postnummer" in r))
    page = portal.client.get(f"/c/{DEMO}/customers/{number}")
    assert 'value=""' in _first(r'(<input id="postcode"[^>]*>)', page.text)
    fields = {
        "csrf": csrf_of(page.text),
        "street": _first(r'id="street" name="street" value="([^"]*)"', page.text),
        "postcode": "0150",
        "city": _first(r'id="city" name="city" value="([^"]*)"', page.text),
        "email": "",
    }
    saved = portal.client.post(f"/c/{DEMO}/customers/{number}", data=fields)
    assert saved.status_code == 200
    assert "Lagret" in saved.text
    assert "mangler postnummer" not in saved.text
    assert 'value="0150"' in saved.text
    customer = ledger.customers(portal.krav.reader(), DEMO)[number]
    assert customer.address.postcode == "0150"
    bad = portal.client.post(f"/c/{DEMO}/customers/{number}", data={**fields, "email": "ikke en adresse"})
    assert bad.status_code == 422  # the ledger's own check of an e-mail address, named
    assert "not a valid e-mail address" in bad.text
