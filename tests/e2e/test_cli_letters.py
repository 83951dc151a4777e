"""Letters out through the `krav` command line, end to end on a fresh SQLite database per test: from the books to
a notice e-mailed (as an .eml file, since no SMTP server is configured) and printed (docs/collection.md
"Letters", README "Your own company").

Debtor 10001 (Ola, with e-mail) owes invoice 1001, 1000.00; debtor 20001 (Kari, without e-mail) owes 2001,
800.00; both due 14 March 2025. The notices go out on Friday 28 March, deadline 11 April.
"""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import io
import json
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from krav.config import get_settings
from krav.entrypoints import cli
from tests.e2e.runner import run

ORGNO = "974760673"
LIST_EMAIL = "liste@eksempel.example"
NOTICE_DAY = date(2025, 3, 28)


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def set_up_the_creditor(krav: CliRunner, tmp_path: Path) -> None:
    """Company, customers and invoices from CSV, the agreement with the list address, activated."""
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    customers = tmp_path / "kunder.csv"
    customers.write_text(
        "number;name;street;postcode;city;email;email_for_letters\n"
        "10001;Ola Nordmann;Storgata 1;0155;Oslo;ola@example.no;ja\n"
        "20001;Kari Nordmann;Kirkegata 2;7011;Trondheim;;\n",
        "utf-8",
    )
    assert "customers 2 created" in run(krav, "import", "customers", str(customers), "--company", ORGNO)
    invoices = tmp_path / "fakturaer.csv"
    invoices.write_text(
        "number;customer;invoice_date;due_date;amount\n"
        "1001;10001;2025-02-28;2025-03-14;1 000,00\n"
        "2001;20001;28.02.2025;14.03.2025;800,00\n",
        "utf-8",
    )
    run(krav, "import", "invoices", str(invoices), "--company", ORGNO)
    run(krav, "agreement", "set", "--company", ORGNO, f"collection_list_email={LIST_EMAIL}", "--date", "2025-03-01")
    out = run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-03-01")
    assert "agreement active from 01.03.2025" in out


def run_days(krav: CliRunner, first: date, last: date) -> dict[date, str]:
    return {day: run(krav, "run", "--date", day.isoformat()) for day in days(first, last)}


def letters(krav: CliRunner) -> list[dict[str, Any]]:
    found = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    assert isinstance(found, list)
    return found


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_from_the_books_to_a_notice_emailed_and_printed(krav: CliRunner, tmp_path: Path) -> None:
    set_up_the_creditor(krav, tmp_path)
    reports = run_days(krav, date(2025, 3, 14), NOTICE_DAY)
    assert all("no letters" in out for day, out in reports.items() if day < NOTICE_DAY)
    assert "2 inkassovarsel" in reports[NOTICE_DAY]
    assert "submitted 2" in reports[NOTICE_DAY]

    # the letters as data
    found = letters(krav)
    assert [(lt["debtor"], lt["n"], lt["type"], lt["sent"], lt["deadline"]) for lt in found] == [
        ("10001", 1, "notice", "2025-03-28", "2025-04-11"),
        ("20001", 1, "notice", "2025-03-28", "2025-04-11"),
    ]
    ola, kari = found
    assert (ola["invoices"], ola["total"]) == (["1001"], "1039.79")  # 1000 + 35.00 fee + 4.79 interest
    assert (kari["invoices"], kari["total"]) == (["2001"], "838.84")  # 800 + 35.00 + 3.84
    assert ola["kid"]
    assert kari["kid"]
    assert ola["kid"] != kari["kid"]

    shown = run(krav, "letters", "show", "--company", ORGNO, str(ola["id"]))
    assert "inkassovarsel 1 to Ola Nordmann (10001), sent 28.03.2025, deadline 11.04.2025" in shown
    english = run(krav, "--lang", "en", "letters", "show", "--company", ORGNO, str(ola["id"]))
    assert "collection notice 1 to Ola Nordmann (10001), sent 28.03.2025, deadline 11.04.2025" in english
    assert "1001" in shown
    assert "1 000,00" in shown
    assert "35,00" in shown
    assert "4,79" in shown
    assert f"total 1 039,79, account 1602.00.00000, KID {ola['kid']}" in shown
    as_data = json.loads(run(krav, "letters", "show", "--company", ORGNO, str(ola["id"]), "--json"))
    assert as_data["type"] == "notice"
    assert as_data["recipient"]["email"] == "ola@example.no"
    assert [line["invoice_number"] for line in as_data["lines"]] == ["1001"]

    # the PDF, archived on first ask
    target = tmp_path / "varsel.pdf"
    out = run(krav, "letters", "pdf", "--company", ORGNO, str(ola["id"]), "-o", str(target))
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert f"sha256 {hashlib.sha256(pdf).hexdigest()}" in out
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Inkassovarsel" in text
    assert "1 039,79" in text
    assert ola["kid"] in text

    # `krav run` sent them after the day's steps: nothing is left for `outbox send`
    assert run(krav, "outbox", "status").strip() == "sendt 2"
    assert run(krav, "outbox", "send").strip() == "0 e-mailed, 0 to print, 0 failed, 0 uncertain"
    assert json.loads(run(krav, "outbox", "status", "--json")) == {"counts": {"sent": 2}, "problems": [], "held": []}

    # Ola's notice as an e-mail with the archived PDF
    mail = tmp_path / "home" / "mail"
    [eml] = sorted(mail.glob("*.eml"))
    assert eml.name == f"letter-{ola['id']}.eml"
    message = read_eml(eml)
    assert message["To"] == "ola@example.no"
    assert "Inkassovarsel" in message["Subject"]
    assert message["Message-ID"] == f"<letter-{ola['id']}@krav>"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "10001-1-notice.pdf"
    assert attachment.get_content() == pdf

    # Kari's on paper: the day's batch and its manifest
    folder = tmp_path / "home" / "print" / ORGNO / NOTICE_DAY.isoformat()
    [batch] = sorted(folder.glob("utskrift-*.pdf"))
    batch_text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(batch).pages)
    assert "Kari Nordmann" in batch_text
    assert "Kirkegata 2" in batch_text
    assert "Inkassovarsel" in batch_text
    rows = list(csv.DictReader(io.StringIO(batch.with_suffix(".csv").read_text("utf-8")), delimiter=";"))
    assert [(r["letter_id"], r["debtor"], r["type"], r["total"], r["kid"]) for r in rows] == [
        (str(kari["id"]), "20001", "notice", "838,84", kari["kid"])
    ]

    # sending again sends nothing; running the day again writes no new letter
    assert run(krav, "outbox", "send").strip() == "0 e-mailed, 0 to print, 0 failed, 0 uncertain"
    assert len(list(mail.glob("*.eml"))) == 1
    assert "already run" in run(krav, "run", "--date", NOTICE_DAY.isoformat())
    assert len(letters(krav)) == 2


def test_the_tuesday_list_is_written_as_mail_to_the_agreements_address(krav: CliRunner, tmp_path: Path) -> None:
    set_up_the_creditor(krav, tmp_path)
    reports = run_days(krav, date(2025, 3, 28), date(2025, 4, 15))
    assert "listed 2" in reports[date(2025, 4, 15)]
    assert "outbox: 1 e-mailed, 0 to print, 0 failed, 0 uncertain" in reports[date(2025, 4, 15)]  # the list
    assert run(krav, "outbox", "send").strip() == "0 e-mailed, 0 to print, 0 failed, 0 uncertain"
    lists = [read_eml(p) for p in sorted((tmp_path / "home" / "mail").glob("list-*.eml"))]
    assert len(lists) == 1
    assert lists[0]["To"] == LIST_EMAIL
    [attachment] = list(lists[0].iter_attachments())
    assert attachment.get_filename() == f"inkassoliste-{ORGNO}-2025-04-15.pdf"
    content = attachment.get_content()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
    assert "Inkassoliste" in text
    assert "Ola Nordmann" in text
    assert "Kari Nordmann" in text
    assert " 1001 14.03.2025 1 000,00" in text
    assert " 2001 14.03.2025 800,00" in text


def test_a_failed_delivery_is_listed_by_outbox_status_and_put_back_by_retry(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_creditor(krav, tmp_path)
    # an SMTP server that is not there: a port of localhost where nothing listens
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    monkeypatch.setenv("KRAV_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KRAV_SMTP_PORT", str(closed_port))
    get_settings.cache_clear()
    cli.reset_app()
    # the run delivers, the e-mail fails, and the run says so and exits non-zero
    out = run(krav, "run", "--date", NOTICE_DAY.isoformat(), code=1)
    assert "outbox: 0 e-mailed, 1 to print, 1 failed, 0 uncertain" in out
    assert "the day's run held or refused something" in out
    ola = letters(krav)[0]
    assert f"letter-{ola['id']} by email" in out
    assert "ola@example.no" not in out  # the run's output may be a log: ids, not the debtor's address
    status = run(krav, "outbox", "status")
    assert status.splitlines()[0] == "feilet 1, sendt 1"
    assert f"feilet: letter-{ola['id']} e-post ola@example.no after 1 attempt(s): " in status
    problems = json.loads(run(krav, "outbox", "status", "--json"))["problems"]
    assert [(p["delivery_key"], p["status"], p["attempts"]) for p in problems] == [(f"letter-{ola['id']}", "failed", 1)]
    # R-SVC-2: the letter that failed is not sent, as `letters list` shows; Kari's, printed, is
    assert (ola["written"], ola["sent"], ola["delivery"]) == (
        "2025-03-28",
        None,
        {"status": "failed", "channel": "email"},
    )
    table = run(krav, "letters", "list", "--company", ORGNO).splitlines()
    [ola_row] = [line for line in table if line.split()[0] == str(ola["id"])]
    assert ola_row.split()[1:5] == ["28.03.2025", "ikke", "sendt", "feilet"]
    [kari_row] = [line for line in table if " 20001 " in line]
    assert kari_row.split()[1:4] == ["28.03.2025", "28.03.2025", "sendt"]
    # the next run tries it again, says it still could not be sent, and exits non-zero again
    again = run(krav, "run", "--date", "2025-03-29", code=1)
    assert f"letter-{ola['id']} by email" in again
    assert "outbox: 0 e-mailed, 0 to print, 1 failed, 0 uncertain" in again

    monkeypatch.delenv("KRAV_SMTP_HOST")
    monkeypatch.delenv("KRAV_SMTP_PORT")
    get_settings.cache_clear()
    cli.reset_app()
    # R-SVC-2: retried and sent on Monday, the letter is dated Monday and its deadline counts from then
    retried = run(krav, "outbox", "retry", "--date", "2025-03-31").strip().splitlines()
    assert retried == ["1 deliveries back in line", "1 e-mailed, 0 to print, 0 failed, 0 uncertain"]
    assert run(krav, "outbox", "send").strip() == "0 e-mailed, 0 to print, 0 failed, 0 uncertain"
    assert (tmp_path / "home" / "mail" / f"letter-{ola['id']}.eml").is_file()
    assert run(krav, "outbox", "status").strip() == "sendt 2"
    [sent] = [letter for letter in letters(krav) if letter["id"] == ola["id"]]
    assert (sent["written"], sent["sent"], sent["deadline"]) == ("2025-03-28", "2025-03-31", "2025-04-14")
    assert sent["delivery"] == {"status": "sent", "channel": "email"}


def test_krav_run_delivers_what_the_day_produced(krav: CliRunner, tmp_path: Path) -> None:
    set_up_the_creditor(krav, tmp_path)
    run_days(krav, NOTICE_DAY, NOTICE_DAY)
    assert run(krav, "outbox", "status").strip() == "sendt 2"
    assert len(list((tmp_path / "home" / "mail").glob("letter-*.eml"))) == 1
