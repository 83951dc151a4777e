"""`krav simulate` end to end: the demo creditor's agreement is activated and a year is simulated through the CLI
(R-TIME-5 day by day; R-CLM-2 … R-CLM-5 in the letters and stages it reports) on a copy of the database, which
is left as it was (R-SVC-3)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from krav.domain.agreement import Agreement
from krav.entrypoints import cli, labels
from krav.services import ledger
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.conftest import FIXTURES
from tests.e2e.runner import run

DEMO = "921605900"
D = date(2025, 6, 2)
LAST = D + timedelta(days=365)  # 2 June 2026


def _counts(text: str) -> dict[str, int]:
    """``3 inkassovarsel, 1 betalingsoppfordring`` → {"notice": 3, "payment_demand": 1}: the words back to codes."""
    codes = {nb: code for code, (nb, _) in labels.LETTER_TYPES.items()}
    return {codes[name]: int(n) for n, _, name in (part.partition(" ") for part in text.split(", "))}


def _stages(text: str) -> dict[str, int]:
    """``inkasso 14, rettslig inkasso 28`` → {"inkasso": 14, "legal": 28}: the words back to codes."""
    codes = {nb: code for code, (nb, _) in labels.STAGES.items()}
    return {codes[name]: int(n) for name, _, n in (part.rpartition(" ") for part in text.split(", "))}


@pytest.mark.slow
def test_a_year_simulated_reports_letters_and_stages_and_leaves_the_database_byte_for_byte_unchanged_r_svc_3(
    krav: CliRunner,
) -> None:
    run(krav, "demo", "--date", D.isoformat())
    run(krav, "agreement", "set", "--company", DEMO, "collection_list_email=x@example.no", "--date", D.isoformat())
    assert "agreement active from " in run(
        krav, "agreement", "activate", "--company", DEMO, "--accept-terms", "--date", D.isoformat()
    )
    cli.reset_app()  # every connection closed: the database file is all there is
    database = get_settings().home / "krav.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    claims_before = run(krav, "claims", "list", "--company", DEMO, "--date", LAST.isoformat(), "--json")
    outbox_before = run(krav, "outbox", "status", "--json")
    cli.reset_app()

    out = run(krav, "simulate", "--from", D.isoformat(), "--to", LAST.isoformat(), "--company", DEMO)

    letters_line = next(
        line for line in out.splitlines() if line.startswith(f"simulated {D:%d.%m.%Y} to {LAST:%d.%m.%Y}: ")
    )
    letters = _counts(letters_line.split(": ", 1)[1])
    assert set(letters) <= {
        "reminder",
        "notice",
        "interest_note",
        "payment_demand",
        "legal_notice",
        "paid_confirmation",
        "objection_answer",
    }
    # a year takes unpaid claims from their first letter through the list to inkasso (R-CLM-2 … R-CLM-5)
    assert letters.get("reminder", 0) + letters.get("notice", 0) > 0
    assert letters.get("payment_demand", 0) > 0
    assert re.search(r"^submitted \d+, listed [1-9]\d*, payments \d+, remitted ", out, re.MULTILINE), out
    stages_line = next(line for line in out.splitlines() if line.startswith(f"{DEMO}: claims by stage: "))
    stages = _stages(stages_line.split(": ", 2)[2])
    assert set(stages) <= {"reminder", "notice", "collection_list", "inkasso", "legal", "closed"}
    assert stages.get("inkasso", 0) + stages.get("legal", 0) > 0
    assert "nothing was changed: the simulation ran on a copy of the database, and nothing was sent" in out

    # the real books, claims and outbox are as they were, to the byte
    cli.reset_app()
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert run(krav, "claims", "list", "--company", DEMO, "--date", LAST.isoformat(), "--json") == claims_before
    assert run(krav, "outbox", "status", "--json") == outbox_before
    cli.reset_app()

    # and so the same what-if gives the same answer again
    again = run(krav, "simulate", "--from", D.isoformat(), "--to", LAST.isoformat(), "--company", DEMO)
    assert letters_line in again
    assert stages_line in again


def test_run_dry_run_lists_the_letters_the_day_would_send_and_changes_nothing_r_svc_3(krav: CliRunner) -> None:
    """`krav run --dry-run`: the notices of 28 March 2025 (1001: 1000.00 + fee 35.00 + interest 4.79 = 1039.79;
    2001: 800.00 + 35.00 + 3.84 = 838.84), listed but not made, with a payment file in the inbox left where it
    was; the real run then makes exactly those."""
    uow = cli.get_app().uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 2, 28), date(2025, 3, 14)))
    post(uow, invoice("2001", "20001", "800.00", date(2025, 2, 28), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1,
            Agreement(
                active=True, activated_on=date(2025, 3, 28), accepted_by="test", collection_list_email="l@example.no"
            ),
        )
        uow.commit()
    inbox = get_settings().home / "inbox"
    inbox.mkdir(parents=True)
    waiting = inbox / "ocr.txt"
    waiting.write_bytes((FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt").read_bytes())

    out = run(krav, "run", "--date", "2025-03-28", "--dry-run")
    assert "would send 2 letter(s):" in out
    assert f"  {ORGNO} inkassovarsel to 10001 (no. 1): 1 039,79, deadline 11.04.2025" in out
    assert f"  {ORGNO} inkassovarsel to 20001 (no. 1): 838,84, deadline 11.04.2025" in out
    assert "inbox: ocr.txt: 0 matched, 20 unmatched" in out
    assert "nothing was changed: a dry run works on a copy of the database; nothing was sent" in out
    assert waiting.is_file()
    assert json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json")) == []
    assert json.loads(run(krav, "payments", "unmatched", "--json")) == []

    run(krav, "run", "--date", "2025-03-28")
    made = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    assert [(lt["debtor"], lt["type"], lt["total"]) for lt in made] == [
        ("10001", "notice", "1039.79"),
        ("20001", "notice", "838.84"),
    ]
    assert not waiting.exists()  # the real run took the file
