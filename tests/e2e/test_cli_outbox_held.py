"""`krav outbox status` lists the claims held because their letter could not be sent: the claim, the debtor,
since when, why and what to do, as text and as JSON (R-SVC-2). End to end on a fresh SQLite database.

The creditor of :mod:`tests.e2e.test_cli_letters`: Ola (10001, who gave his e-mail for letters) owes 1001, Kari
(20001, on paper) owes 2001; the notices are written on Friday 28 March 2025. The mail server is not there, so
Ola's notice cannot be sent and his claim waits for it.
"""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from krav.entrypoints import cli
from tests.e2e.runner import run
from tests.e2e.test_cli_letters import NOTICE_DAY, ORGNO, letters, set_up_the_creditor


def _no_mail_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """An SMTP server that is not there: a port of localhost where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    monkeypatch.setenv("KRAV_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KRAV_SMTP_PORT", str(closed_port))
    get_settings.cache_clear()
    cli.reset_app()


def test_outbox_status_lists_a_claim_held_for_a_letter_that_could_not_be_sent_and_what_to_do_r_svc_2(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_creditor(krav, tmp_path)
    _no_mail_server(monkeypatch)
    run(krav, "run", "--date", NOTICE_DAY.isoformat(), code=1)
    run(krav, "run", "--date", date(2025, 3, 31).isoformat(), code=1)
    ola = letters(krav)[0]

    status = run(krav, "outbox", "status").splitlines()
    at = status.index("1 claim(s) wait for a letter that could not be sent:")
    claim, to_do = status[at + 1 :]
    assert claim.startswith(
        f"  {ORGNO} invoice 1001 (K1-000001), debtor 10001 Ola Nordmann: waits since 28.03.2025 for inkassovarsel 1 "
        f"(letter {ola['id']}), letter-{ola['id']} feilet (e-post): "
    )
    assert to_do == (
        "    to do: fix the cause, then `krav outbox retry` (or the next `krav run`); or take the letter back: "
        f"`krav letters cancel --company {ORGNO} {ola['id']}`"
    )

    (held,) = json.loads(run(krav, "outbox", "status", "--json"))["held"]
    assert {k: held[k] for k in ("creditor", "collection_id", "invoice", "debtor", "debtor_name", "since")} == {
        "creditor": ORGNO,
        "collection_id": "K1-000001",
        "invoice": "1001",
        "debtor": "10001",
        "debtor_name": "Ola Nordmann",
        "since": "2025-03-28",
    }
    assert held["letter"] == {"id": ola["id"], "type": "notice", "n": 1}
    assert (held["delivery"]["key"], held["delivery"]["status"]) == (f"letter-{ola['id']}", "failed")
    assert held["why"]  # the mail server's refusal, as the delivery recorded it
    assert held["to_do"].startswith("fix the cause, then `krav outbox retry`")

    # the server is back: retried and sent, the claim waits no more
    monkeypatch.delenv("KRAV_SMTP_HOST")
    monkeypatch.delenv("KRAV_SMTP_PORT")
    get_settings.cache_clear()
    cli.reset_app()
    run(krav, "outbox", "retry", "--date", "2025-04-01")
    assert run(krav, "outbox", "status").strip() == "sendt 2"
    assert json.loads(run(krav, "outbox", "status", "--json"))["held"] == []
