"""A debtor's personal data through the `krav` command line (docs/legal.md "Personal data"): the export holds the
debtor's data and no one else's, a restriction keeps the debtor out of collection and the daily run's letters,
and erasure waits for the books' retention, then leaves the books and their hash chains whole.

Eksempel AS (974760673) has Ola (10001, invoice 1001) and Kari (20001, invoice 2001), both due 14 March 2025;
another creditor (923609016) has its own customer 10001, Per, with invoice 9001.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.e2e.runner import import_ola_and_kari, run

ORGNO = "974760673"
OTHER = "923609016"
NOTICE_DAY = date(2025, 3, 28)


def set_up(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    run(krav, "company", "create", "--orgno", OTHER, "--name", "Annen AS", "--account", "86011117947")
    import_ola_and_kari(krav, tmp_path, ORGNO)
    theirs = tmp_path / "andre-kunder.csv"
    theirs.write_text("number;name;street;postcode;city\n10001;Per Hansen;Fjordveien 9;5003;Bergen\n", "utf-8")
    run(krav, "import", "customers", str(theirs), "--company", OTHER)
    their_invoices = tmp_path / "andre-fakturaer.csv"
    their_invoices.write_text(
        "number;customer;invoice_date;due_date;amount\n9001;10001;2025-02-28;2025-03-14;500,00\n", "utf-8"
    )
    run(krav, "import", "invoices", str(their_invoices), "--company", OTHER)
    run(krav, "agreement", "set", "--company", ORGNO, "collection_list_email=liste@example.no", "--date", "2025-03-01")
    run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-03-01")


def run_days(krav: CliRunner, first: date, last: date) -> None:
    """Run the days; what the run prints may be kept as a log, so it names no debtor and no address."""
    day = first
    while day <= last:
        out = run(krav, "run", "--date", day.isoformat())
        assert not any(personal in out for personal in ("Ola", "Kari", "Nordmann", "Storgata", "ola@example.no"))
        day += timedelta(days=1)


def export(krav: CliRunner, customer: str, orgno: str = ORGNO) -> dict[str, Any]:
    found = json.loads(run(krav, "debtor", "export", "--company", orgno, customer, "--date", "2025-04-01"))
    assert isinstance(found, dict)
    return found


def test_the_export_holds_the_debtors_data_and_no_one_elses(krav: CliRunner, tmp_path: Path) -> None:
    set_up(krav, tmp_path)
    run_days(krav, date(2025, 3, 14), NOTICE_DAY)

    target = tmp_path / "ola.json"
    out = run(krav, "debtor", "export", "--company", ORGNO, "10001", "-o", str(target), "--date", "2025-04-01")
    assert out.strip() == f"customer 10001: personal data written to {target}"
    found = json.loads(target.read_text("utf-8"))
    assert found == export(krav, "10001")
    assert found["creditor"] == {"orgno": ORGNO, "name": "Eksempel AS"}
    assert (found["customer"]["name"], found["customer"]["email"]) == ("Ola Nordmann", "ola@example.no")
    assert [i["number"] for i in found["open_items"]] == ["1001"]
    assert [(line["item"], line["amount"]) for line in found["voucher_lines"]] == [("1001", "1000.00")]
    [claim] = found["claims"]
    assert claim["claim"]["invoice_number"] == "1001"
    assert claim["claim"]["debtor"]["name"] == "Ola Nordmann"
    assert "letter" in [entry["kind"] for entry in claim["history"]]
    [letter] = found["letters"]
    assert (letter["type"], letter["invoices"], letter["status"], letter["channel"]) == (
        "notice",
        ["1001"],
        "sent",
        "email",
    )
    assert len(letter["document"]["sha256"]) == 64
    assert "content" not in letter["document"]  # named, not carried

    text = json.dumps(found, ensure_ascii=False)
    for someone_else in ("Kari", "20001", "2001", "Per Hansen", "9001", "Bergen", OTHER):
        assert someone_else not in text

    # the other creditor's customer 10001 is another person: its export holds Per, never Ola
    theirs = json.dumps(export(krav, "10001", OTHER), ensure_ascii=False)
    assert "Per Hansen" in theirs
    assert "Ola" not in theirs
    assert "1001" not in theirs.replace("10001", "")
    run(krav, "debtor", "export", "--company", OTHER, "20001", code=1)  # Kari is not the other creditor's


def test_a_restricted_debtor_is_not_valid_for_collection_and_gets_no_letter(krav: CliRunner, tmp_path: Path) -> None:
    set_up(krav, tmp_path)
    out = run(krav, "debtor", "restrict", "--company", ORGNO, "20001", "--date", "2025-03-20")
    assert "customer 20001: processing restricted from 20.03.2025" in out
    assert "Kari" not in out  # what the commands print may end up in a log: numbers, not names

    rows = json.loads(run(krav, "proposal", "--company", ORGNO, "--date", NOTICE_DAY.isoformat(), "--json"))
    by_invoice = {row["invoice"]: row for row in rows}
    assert [r["code"] for r in by_invoice["2001"]["reasons"]] == ["customer_restricted"]
    assert by_invoice["1001"]["reasons"] == []

    run_days(krav, date(2025, 3, 14), date(2025, 4, 1))
    letters = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    assert {letter["debtor"] for letter in letters} == {"10001"}
    assert json.loads(run(krav, "claims", "list", "--company", ORGNO, "--json"))[0]["claim"]["invoice_number"] == (
        "1001"
    )

    # restricting a debtor with a claim pauses the claim: no further letter
    out = run(krav, "debtor", "restrict", "--company", ORGNO, "10001", "--date", "2025-04-02")
    assert "paused: invoice 1001" in out
    run_days(krav, date(2025, 4, 2), date(2025, 4, 30))
    assert len(json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))) == len(letters)
    [row] = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--json"))
    assert row["claim"]["paused"] is True

    out = run(krav, "debtor", "restrict", "--company", ORGNO, "20001", "--off", "--date", "2025-05-01")
    assert "restriction lifted" in out
    changes = run(krav, "ledger", "changes", "--company", ORGNO, "--json")
    assert [(c["number"], c["field"], c["new"]) for c in json.loads(changes)] == [
        ("20001", "restricted", "2025-03-20"),
        ("10001", "restricted", "2025-04-02"),
        ("20001", "restricted", None),
    ]


def test_erasure_waits_for_the_books_retention_and_keeps_the_books_whole(krav: CliRunner, tmp_path: Path) -> None:
    set_up(krav, tmp_path)
    run_days(krav, date(2025, 3, 14), NOTICE_DAY)

    out = run(krav, "debtor", "erase", "--company", ORGNO, "10001", "--date", "2025-04-01", code=1)
    assert "1001 are open" in out

    # the creditor gives up the claim and writes the invoice off: nothing is open any more
    run(krav, "claims", "close", "--company", ORGNO, "1001", "--date", "2025-04-01", "--yes")
    run(krav, "ledger", "write-off", "--company", ORGNO, "1001", "--date", "2025-04-02")
    run(krav, "run", "--date", "2025-04-02")
    out = run(krav, "debtor", "erase", "--company", ORGNO, "10001", "--date", "2026-06-01", code=1)
    assert "kept until 31.12.2030" in out
    assert "erasure is allowed from 01.01.2031" in out

    out = run(krav, "debtor", "erase", "--company", ORGNO, "10001", "--date", "2032-01-05")
    assert "customer 10001: personal data erased on 05.01.2032" in out
    assert "kept: 1 archived letter PDF(s)" in out
    again = run(krav, "debtor", "erase", "--company", ORGNO, "10001", "--date", "2032-01-06")
    assert "erased already on 05.01.2032" in again

    found = export(krav, "10001")
    customer = found["customer"]
    assert (customer["name"], customer["email"], customer["address"]["street"]) == ("[slettet]", None, None)
    assert customer["erased_on"] == "2032-01-05"
    assert found["claims"][0]["claim"]["debtor"]["name"] == "[slettet]"
    assert found["voucher_lines"][0]["amount"] == "1000.00"  # the books keep their amounts
    for shown in (
        json.dumps(found, ensure_ascii=False),
        run(krav, "claims", "list", "--company", ORGNO, "--all", "--json"),
        run(krav, "claims", "list", "--company", ORGNO, "--all"),
        run(krav, "letters", "list", "--company", ORGNO, "--json"),
        run(krav, "ledger", "customers", "--company", ORGNO),
    ):
        assert "Ola" not in shown
        assert "Storgata" not in shown
        assert "ola@example.no" not in shown
    assert "Kari Nordmann" in run(krav, "ledger", "customers", "--company", ORGNO)  # only the one erased

    assert "K1-000001" in run(krav, "claims", "list", "--company", ORGNO, "--all")  # the closed claim is listed
    run(krav, "audit", "verify")
    assert json.loads(run(krav, "ledger", "balance", "--company", ORGNO, "--json"))["balanced"] is True
