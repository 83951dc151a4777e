"""The portal in a real browser: Debian's Chromium driven by Playwright against ``krav serve`` started on a free
port of 127.0.0.1 — log in, open a claim and its letter, pause and resume it, approve a claim of a collection
list, open a settlement whose lines add up to the payout, switch the language. axe-core checks every page (no
serious or critical violation), and a screenshot of every page is kept in ``test-artefacts/portal/``."""

from __future__ import annotations

import os
import socket
import subprocess  # nosec B404: the test starts Krav's own server
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python import sync_playwright as axe_api
from playwright.sync_api import Browser, Page, sync_playwright

from krav.domain.money import parse_decimal
from krav.services import demo
from tests.conftest import SERVICE_SETTINGS
from tests.portal.conftest import DEMO

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "portal"

#: .ci/run installs Chromium and sets this: there a missing browser fails the tests instead of skipping them
REQUIRED = os.environ.get("KRAV_REQUIRE_BROWSER") == "1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not REQUIRED, reason="Debian's Chromium is not installed (.ci/run installs it)"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`krav serve` over a copy of the demo database, on a free port; its address."""
    home = tmp_path_factory.mktemp("portal-server")
    database = home / "krav.sqlite3"
    database.write_bytes(demo_database.read_bytes())
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRAV_")}
    env.update(SERVICE_SETTINGS, KRAV_HOME=str(home), KRAV_DATABASE_URL=f"sqlite:///{database}")
    krav = Path(sys.executable).parent / "krav"
    process = subprocess.Popen(  # nosec B603: Krav's own command
        [str(krav), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{address}/login", timeout=1):  # nosec B310: our own server
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("krav serve did not answer within 15 seconds")
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


class Visit:
    """One browser tab on the portal: each page it shows is screenshotted and checked by axe-core."""

    def __init__(self, page: Page, server: str) -> None:
        self.page = page
        self.server = server
        self.checked: list[str] = []
        self.axe = axe_api.Axe()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def look(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
        results = self.axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not bad, f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)
        self.checked.append(name)


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield Visit(page, server)
    context.close()


def _amount(text: str) -> Decimal:
    return parse_decimal(text.replace("kr", "").strip())


def test_a_creditor_walks_the_portal(visit: Visit) -> None:
    p = visit.page
    p.goto("/")
    assert "/login" in p.url
    visit.look("01-login")
    p.fill("#email", demo.DEMO_USER)
    p.fill("#password", demo.DEMO_PASSWORD)
    p.click("#log-in")
    p.wait_for_url(f"**/c/{DEMO}/")
    assert p.locator("h1").inner_text() == "Oversikt"
    visit.look("02-dashboard")

    # a validation reason fixed: the customer without a postcode gets one, and the reason is gone
    p.click("nav.menu >> text=Forslag")
    visit.look("03-proposal")
    row = p.locator("table.proposal tr", has_text="mangler postnummer").first
    row.locator("a").first.click()
    p.wait_for_selector("#postcode")
    visit.look("04-customer")
    p.fill("#postcode", "0150")
    p.click("#save")
    p.wait_for_selector("#result")
    assert "Lagret" in p.locator("#result").inner_text()
    assert "mangler postnummer" not in p.content()

    # sent from the proposal: a valid item chosen, sent, and reported with its collection id
    p.click("nav.menu >> text=Forslag")
    p.locator("table.proposal input[type=checkbox]").first.check()
    p.click("#send")
    p.wait_for_selector("#result")
    assert p.locator("#result p.done").count() == 1, p.locator("#result").inner_text()
    visit.look("04b-proposal-sent")

    # the claims, one claim and its letter
    p.click("nav.menu >> text=Krav")
    visit.look("05-claims")
    p.goto(f"/c/{DEMO}/claims?stage=notice")
    p.locator("table.claims tbody a").first.click()
    p.wait_for_selector("#amounts")
    visit.look("06-claim")
    assert "renter til" in p.content()
    letter = p.locator("a.letter").first
    pdf = p.request.get(letter.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # pause and resume: htmx swaps the page's content in place, with the result
    p.click("#pause")
    p.wait_for_selector("#result")
    assert "Utført" in p.locator("#result").inner_text()
    visit.look("07-claim-paused")
    p.click("#resume")
    p.wait_for_selector("#pause")
    assert "Utført" in p.locator("#result").inner_text()

    # a collection list: approve one of its claims
    p.click("nav.menu >> text=Inkassolister")
    visit.look("08-lists")
    approved = False
    for href in [a.get_attribute("href") for a in p.locator("ul.cards a").all()]:
        p.goto(href)
        if p.locator("button.approve").count():
            visit.look("09-list")
            p.locator("button.approve").first.click()
            p.wait_for_selector("#result")
            assert "Utført" in p.locator("#result").inner_text()
            approved = True
            break
    assert approved, "no collection list of the demo has a claim awaiting approval"

    # a settlement: its lines add up to the payout
    p.click("nav.menu >> text=Oppgjør")
    visit.look("10-settlements")
    p.locator("main table tbody a").first.click()
    p.wait_for_selector("[data-field=total]")
    visit.look("11-settlement")
    payout = _amount(p.locator("[data-field=total]").inner_text())
    lines = [_amount(t) for t in p.locator("td.line-remitted").all_inner_texts()]
    assert lines
    assert sum(lines, Decimal(0)) == payout

    # English, and back
    p.click("#switch-language")
    p.wait_for_selector("html[lang=en]")
    assert "Paid out" in p.content()
    visit.look("12-settlement-english")
    p.goto(f"/c/{DEMO}/")
    assert p.locator("h1").inner_text() == "Overview"
    visit.look("13-dashboard-english")

    # on a phone the pages still read
    p.set_viewport_size({"width": 375, "height": 740})
    p.goto(f"/c/{DEMO}/claims")
    visit.look("14-claims-phone")
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page is {width}px wide on a 375px phone"

    p.click("#log-out")
    p.wait_for_url("**/login?out=1")
    visit.look("15-logged-out")
    assert len(visit.checked) == 16


def log_in(visit: Visit) -> Page:
    """The demo's creditor logged in, on the overview; the Playwright page."""
    p = visit.page
    p.goto("/login")
    p.fill("#email", demo.DEMO_USER)
    p.fill("#password", demo.DEMO_PASSWORD)
    p.click("#log-in")
    p.wait_for_url(f"**/c/{DEMO}/")
    return p


def test_a_creditor_reads_the_reports_and_downloads_one(visit: Visit) -> None:
    p = log_in(visit)
    p.click("nav.menu >> text=Rapporter")
    p.wait_for_selector("svg.chart")
    visit.look("20-reports")
    assert p.locator("svg.chart[role=img]").count() == 4
    assert p.locator("svg.chart >> g.bar").count() >= 4
    with p.expect_download() as arrived:
        p.click("#aged-csv")
    download = arrived.value
    assert download.suggested_filename.startswith(f"aged-{DEMO}-")
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[0] == "Dager over forfall;Antall;å betale"

    p.click("text=Brevlogg")
    p.wait_for_selector("table.letter-log")
    visit.look("21-letter-log")
    p.click("#switch-language")
    p.wait_for_selector("html[lang=en]")
    p.goto(f"/c/{DEMO}/reports")
    assert p.locator("h1").inner_text() == "Reports"
    visit.look("22-reports-english")
    p.set_viewport_size({"width": 375, "height": 740})
    p.reload()
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the reports are {width}px wide on a 375px phone"
    visit.look("23-reports-phone")


def test_an_admin_changes_a_setting_and_makes_an_api_key(visit: Visit) -> None:
    p = log_in(visit)
    p.click("nav.menu >> text=Innstillinger")
    p.wait_for_selector("#save-agreement")
    visit.look("30-settings-agreement")
    p.fill("#f-reminder_deadline_days", "10")
    p.click("#save-agreement")
    p.wait_for_selector("#result")
    assert "Lagret" in p.locator("#result").inner_text()
    assert p.locator("#f-reminder_deadline_days").input_value() == "10"
    history = p.locator("table.history tbody tr").first.inner_text()
    assert "10" in history
    assert f"portal:{demo.DEMO_USER}" in history
    visit.look("31-settings-saved")

    p.click("text=Bilagsarter og kontoer")
    p.wait_for_selector("table.voucher-types")
    visit.look("32-settings-voucher-types")

    p.click("text=Brukere og API-klienter")
    p.wait_for_selector("table.users")
    p.fill("#key-name", "regnskapssystem")
    p.click("#make-key")
    p.wait_for_selector("#token")
    assert p.locator("#token").inner_text().startswith("krav_")
    visit.look("33-settings-access")


def test_a_creditor_acts_on_many_claims_and_saves_a_filter(visit: Visit) -> None:
    p = log_in(visit)
    p.goto(f"/c/{DEMO}/claims?stage=notice")
    p.fill("#filter-name", "Inkassovarsler")
    p.click("#save-filter")
    p.wait_for_selector("#saved >> text=Inkassovarsler")
    visit.look("40-claims-saved-filter")
    boxes = p.locator("table.claims input[name=invoice]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    p.select_option("#bulk-action", "pause")
    p.click("#bulk-go")
    p.wait_for_selector("#results")
    assert p.locator("#results tbody tr").count() == 2
    visit.look("41-claims-paused")
    p.goto(f"/c/{DEMO}/claims?stage=notice")
    p.locator("table.claims tbody a").first.click()
    p.wait_for_selector("#close")
    p.click("#close")
    p.wait_for_selector("#confirm-close")
    visit.look("42-claim-close-asks")
