"""A newcomer's first week through the `krav` command line: an item's due date set in the ledger, a customer's
purrefritak set and cleared, a letter taken back before it went, and the proposal's reasons in full
(docs/ledger.md "Open items and matching", docs/collection.md "Letters").

The creditor of tests/e2e/test_cli_letters.py: Ola (10001, with e-mail) owes invoice 1001, Kari (20001) owes 2001,
both due 14 March 2025; the agreement is active from 1 March with 14 days before transfer.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from krav.entrypoints import cli
from tests.e2e.runner import run
from tests.e2e.test_cli_letters import NOTICE_DAY, ORGNO, letters, set_up_the_creditor


def proposal(krav: CliRunner, on: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(run(krav, "proposal", "--company", ORGNO, "--date", on, "--json"))
    return {row["invoice"]: row for row in rows}


def items(krav: CliRunner) -> dict[str, dict[str, Any]]:
    found = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--all", "--json"))
    return {item["number"]: item for item in found}


# -- the due date ---------------------------------------------------------------------------------------------


def test_an_open_items_due_date_is_set_kept_with_who_and_when_and_the_books_still_verify(
    krav: CliRunner, tmp_path: Path
) -> None:
    set_up_the_creditor(krav, tmp_path)
    assert proposal(krav, "2025-03-28")["1001"]["valid"]

    out = run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "20.03.2025", "--date", "2025-03-21")
    assert out.strip() == "invoice 1001: due date 14.03.2025 → 20.03.2025"
    assert items(krav)["1001"]["due_date"] == "2025-03-20"
    # the proposal takes the new due date: six days later, the days before transfer have not passed
    row = proposal(krav, "2025-03-28")["1001"]
    assert (row["due_date"], row["sendable_from"], row["valid"]) == ("2025-03-20", "2025-04-03", False)
    assert [r["code"] for r in row["reasons"]] == ["days_not_passed"]
    table = run(krav, "proposal", "--company", ORGNO, "--date", "2025-03-28")
    assert "20.03.2025" in table
    assert "03.04.2025" in table

    # ISO works too, and the same date again changes nothing
    run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "2025-03-21")
    again = run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "21.03.2025")
    assert "already, nothing changed" in again
    changes = json.loads(run(krav, "ledger", "changes", "--company", ORGNO, "--json"))
    assert [(c["number"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("1001", "due_date", "2025-03-14", "2025-03-20"),
        ("1001", "due_date", "2025-03-20", "2025-03-21"),
    ]
    assert changes[0]["on"] == "2025-03-21"
    assert changes[0]["by"]
    # the posted voucher keeps what it was posted with: the chains are intact
    run(krav, "audit", "verify", "--company", ORGNO)


def test_a_due_date_is_refused_for_an_unknown_invoice_and_an_item_sent_to_collection(
    krav: CliRunner, tmp_path: Path
) -> None:
    set_up_the_creditor(krav, tmp_path)
    unknown = run(krav, "ledger", "set-due", "--company", ORGNO, "9999", "20.03.2025", code=1)
    assert "no invoice 9999" in unknown
    assert "is not a date" in run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "31.02.2025", code=2)
    before = run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "01.01.2025", code=1)
    assert "before the invoice date 28.02.2025" in before

    submitted = run(
        krav, "submit", "--company", ORGNO, "--items", str(items(krav)["1001"]["id"]), "--date", "2025-03-28"
    )
    assert "submitted as" in submitted
    refused = run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "20.03.2025", code=1)
    assert "invoice 1001 was sent to collection as" in refused
    assert items(krav)["1001"]["due_date"] == "2025-03-14"


# -- purrefritak on a customer ----------------------------------------------------------------------------------


def test_a_customers_purrefritak_is_set_and_cleared_without_importing_the_customers_again(
    krav: CliRunner, tmp_path: Path
) -> None:
    set_up_the_creditor(krav, tmp_path)
    out = run(krav, "ledger", "customer-exempt", "--company", ORGNO, "10001")
    assert out.strip() == "customer 10001 (Ola Nordmann): purrefritak set (was not set)"
    row = proposal(krav, "2025-03-28")["1001"]
    assert [r["code"] for r in row["reasons"]] == ["customer_exempt"]
    assert "already, nothing changed" in run(krav, "ledger", "customer-exempt", "--company", ORGNO, "10001")

    cleared = run(krav, "ledger", "customer-exempt", "--company", ORGNO, "10001", "--off")
    assert cleared.strip() == "customer 10001 (Ola Nordmann): purrefritak cleared (was set)"
    assert proposal(krav, "2025-03-28")["1001"]["valid"]
    assert "no customer 99999" in run(krav, "ledger", "customer-exempt", "--company", ORGNO, "99999", code=1)
    changes = run(krav, "ledger", "changes", "--company", ORGNO)
    assert "customer  10001" in changes
    assert "exempt" in changes


# -- the proposal's reasons in full ----------------------------------------------------------------------------


def test_the_proposal_shows_every_reason_in_full_under_its_item_wrapped_to_the_terminal(
    krav: CliRunner, tmp_path: Path
) -> None:
    set_up_the_creditor(krav, tmp_path)
    run(krav, "ledger", "customer-exempt", "--company", ORGNO, "10001")
    run(krav, "ledger", "set-due", "--company", ORGNO, "1001", "20.03.2025")
    table = run(krav, "proposal", "--company", ORGNO, "--date", "2025-03-28")
    lines = table.splitlines()
    assert "kan sendes fra" in lines[0]
    [row] = [i for i, line in enumerate(lines) if " 1001 " in line]
    assert "ikke gyldig (2)" in lines[row]
    reasons = "\n".join(lines[row + 1 : row + 6])
    assert "- days_not_passed: Løpedagene (14 dager etter forfall) er ikke passert;" in reasons
    assert "kan sendes fra 03.04.2025." in reasons.replace("\n      ", " ")  # nothing cut, wrapped or not
    assert "- customer_exempt:" in reasons
    assert all(len(line) <= 80 for line in lines[row + 1 : row + 6])  # CliRunner's terminal: 80 columns
    english = run(krav, "proposal", "--company", ORGNO, "--date", "2025-03-28", "--lang", "en")
    assert "sendable from" in english
    assert "it can be sent from 2025-04-03" in english.replace("\n      ", " ")


# -- a letter taken back before it went ----------------------------------------------------------------------------


@pytest.fixture
def no_mail_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """An SMTP server that is not there: a port of localhost where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    monkeypatch.setenv("KRAV_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KRAV_SMTP_PORT", str(closed_port))
    get_settings.cache_clear()
    cli.reset_app()


def claims(krav: CliRunner) -> dict[str, dict[str, Any]]:
    found = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--json", "--date", "2025-03-31"))
    return {view["claim"]["invoice_number"]: view["claim"] for view in found}


def test_a_notice_not_sent_is_cancelled_and_its_claim_is_back_where_it_was_without_its_fee(
    krav: CliRunner, tmp_path: Path, no_mail_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_creditor(krav, tmp_path)
    run(krav, "run", "--date", NOTICE_DAY.isoformat(), code=1)  # Ola's e-mail fails, Kari's letter is printed
    ola = next(letter for letter in letters(krav) if letter["debtor"] == "10001")
    kari = next(letter for letter in letters(krav) if letter["debtor"] == "20001")
    assert ola["delivery"]["status"] == "failed"
    assert claims(krav)["1001"]["stage"] == "notice"

    sent = run(krav, "letters", "cancel", "--company", ORGNO, str(kari["id"]), code=1)
    assert f"letter {kari['id']} (notice 1 to debtor 20001) was sent on 28.03.2025" in sent
    assert "cannot be cancelled" in sent
    assert f"no letter 9999 for company {ORGNO}" in run(krav, "letters", "cancel", "--company", ORGNO, "9999", code=1)

    out = run(krav, "letters", "cancel", "--company", ORGNO, str(ola["id"]), "--date", "2025-03-29")
    assert f"letter {ola['id']} (inkassovarsel 1 to debtor 10001) cancelled: it will not be sent" in out
    assert "invoice 1001: back in stage ny" in out
    assert "fees no longer owed: 35,00" in out
    claim = claims(krav)["1001"]
    assert (claim["stage"], claim["fees_outstanding"], claim["notice_deadline"], claim["last_deadline"]) == (
        "new",
        "0.00",
        None,
        None,
    )
    [cancelled] = [letter for letter in letters(krav) if letter["id"] == ola["id"]]
    assert (cancelled["sent"], cancelled["delivery"]["status"]) == (None, "cancelled")
    assert items(krav)["1001"]["fee_outstanding"] == "0.00"  # the ledger heard it
    again = run(krav, "letters", "cancel", "--company", ORGNO, str(ola["id"]), code=1)
    assert "is cancelled already" in again
    history = run(krav, "claims", "history", "--company", ORGNO, "1001")
    assert "notice 1 cancelled before it was sent" in history
    run(krav, "audit", "verify", "--company", ORGNO)

    # the next run writes the letter the claim is due then, and it goes
    monkeypatch.delenv("KRAV_SMTP_HOST")
    monkeypatch.delenv("KRAV_SMTP_PORT")
    get_settings.cache_clear()
    cli.reset_app()
    run(krav, "run", "--date", "2025-03-31")
    newest = [letter for letter in letters(krav) if letter["debtor"] == "10001"]
    assert [(x["type"], x["delivery"]["status"]) for x in newest] == [("notice", "cancelled"), ("notice", "sent")]
    assert claims(krav)["1001"]["stage"] == "notice"
    assert "outbox: 0 e-mailed, 0 to print, 0 failed, 0 uncertain" in run(krav, "run", "--date", "2025-04-01")
