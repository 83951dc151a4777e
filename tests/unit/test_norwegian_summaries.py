"""The command line's summaries and the portal's counts in Norwegian notation: dates ``dd.mm.åååå``, moments in
Norway's time, counts and amounts grouped by thousands (``99 990``, ``12 345,50``), as at a creditor with a hundred
thousand items; and lists on the screen cut at fifty rows, saying where the rest are."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from krav.domain.collection.letters import LetterType
from krav.domain.money import Money, format_count
from krav.entrypoints.cli.collection_presenters import creditor_day_lines, outbox_lines, payment_import_lines
from krav.entrypoints.cli.presenters import LISTED, import_lines, iso_moment
from krav.entrypoints.clock import oslo_moment
from krav.entrypoints.portal.web import environment
from krav.services import daily_run, imports
from krav.services.collection.delivery import OutboxReport
from krav.services.collection.payments import PaymentImportReport, PaymentOutcome


def test_counts_are_grouped_by_thousands_with_a_space() -> None:
    assert [format_count(n) for n in (0, 7, 999, 1000, 99990, 1234567, -1234)] == [
        "0",
        "7",
        "999",
        "1 000",
        "99 990",
        "1 234 567",
        "-1 234",
    ]


def test_a_creditors_day_reads_its_date_and_counts_in_norwegian() -> None:
    report = daily_run.DayReport(
        "974760673",
        date(2025, 11, 6),
        True,
        steps_run=["money_in", "confirmations"],
        submitted=12345,
        letters=Counter({LetterType.PAID_CONFIRMATION: 9995}),
        payments_applied=99990,
        settled=Money.of("1319171406.03"),
    )
    (line,) = creditor_day_lines(report)
    assert line.startswith("06.11.2025 974760673: 2 step(s); submitted 12 345; 9 995 ")
    assert line.endswith("; listed 0; payments 99 990; remitted 1 319 171 406,03")


def test_a_payment_files_summary_counts_in_norwegian() -> None:
    paid = PaymentOutcome("NO1", Money.of("100.00"), date(2025, 11, 6), "000000000018", True)
    report = PaymentImportReport("payments.camt", "camt054.001.02", "M1", outcomes=[paid] * 1234)
    report.total = report.matched_total
    assert payment_import_lines(report) == [
        "payments.camt (camt054.001.02 M1): total 123 400,00; matched 1 234 (123 400,00), unmatched 0 (0,00)"
    ]


def test_the_outbox_counts_in_norwegian() -> None:
    sent = OutboxReport(sent=50000, printed=49995, failed=0, uncertain=0)
    assert outbox_lines(sent, "outbox: ") == ["outbox: 50 000 e-mailed, 49 995 to print, 0 failed, 0 uncertain"]


def test_a_file_imported_before_names_when_in_norways_time() -> None:
    assert iso_moment("2026-12-07T21:26:51.382930+00:00") == "07.12.2026 22:26"  # CET in winter
    assert iso_moment("2026-07-01T10:00:00+00:00") == "01.07.2026 12:00"  # CEST in summer
    assert iso_moment(None) == ""
    report = imports.ImportReport(
        "invoices", "invoices.csv", "974760673", already_imported=True, imported_at="2026-12-07T21:26:51+00:00"
    )
    assert import_lines(report) == ["invoices.csv: already imported (07.12.2026 22:26); nothing changed"]


def test_the_portal_shows_counts_grouped_and_unbroken() -> None:
    page = environment().from_string("{{ n | number }} krav · {{ items | length | number }} fakturaer")
    assert page.render(n=99990, items=[0] * 1234) == "99\u00a0990 krav · 1\u00a0234 fakturaer"


def test_a_moment_is_shown_in_norways_time_wherever_it_is_shown() -> None:
    """The CLI's and the portal's moments (an import, an API key, a job) are read in Oslo, not UTC."""
    utc = datetime.fromisoformat("2026-03-29T00:59:59+00:00")  # the last second of winter time
    assert oslo_moment(utc, seconds=True) == "29.03.2026 01:59:59"
    assert oslo_moment(datetime.fromisoformat("2026-03-29T01:00:00+00:00")) == "29.03.2026 03:00"
    assert oslo_moment(datetime.fromisoformat("2026-03-29T01:00:00")) == "29.03.2026 01:00"  # no zone: as it is


def test_a_large_import_lists_fifty_items_and_says_where_the_rest_are() -> None:
    """An import of a million invoices printed a million rows (93 MB); the screen shows the first fifty."""
    item = imports.ImportedItem("10001", "", "100.00", "100.00", "2025-08-01", "2025-08-15", "number", "due_date")
    items = tuple(replace(item, number=str(n)) for n in range(1, 1235))
    lines = import_lines(imports.ImportReport("invoices", "invoices.csv", "974760673", items=items))
    assert lines[0] == "invoices.csv: customers 0 created, 0 updated, 0 unchanged; 1 234 open item(s) imported"
    listed = lines[1].splitlines()
    assert len(listed) == 2 + LISTED  # the headers, their rule and fifty rows
    assert listed[2].split()[:4] == ["10001", "1", "01.08.2025", "15.08.2025"]
    assert listed[-1].split()[1] == "50"
    assert lines[2:] == [
        "… and 1 184 more: `krav ledger items --company 974760673` lists every open item (--csv, --xlsx)"
    ]
    few = import_lines(imports.ImportReport("invoices", "invoices.csv", "974760673", items=items[:LISTED]))
    assert len(few) == 2  # the count and the table of all of them: nothing more to say
    assert len(few[1].splitlines()) == 2 + LISTED


def test_a_payment_file_lists_fifty_unmatched_and_fifty_duplicates_at_most() -> None:
    def payment(n: int, **kind: Any) -> PaymentOutcome:
        return PaymentOutcome(f"R{n}", Money.of("10.00"), date(2025, 11, 6), None, False, reason="no KID", **kind)

    outcomes = [payment(n) for n in range(70)] + [payment(n, duplicate=True) for n in range(70, 130)]
    report = PaymentImportReport("p.xml", "camt054.001.02", "M1", outcomes=outcomes)
    report.total = report.unmatched_total + report.duplicates_total
    lines = payment_import_lines(report)
    assert lines[0].endswith("matched 0 (0,00), unmatched 70 (700,00)")
    assert [line.split()[1] for line in lines[1:51]] == [f"R{n}" for n in range(50)]
    assert lines[51] == "… and 20 more: `krav payments unmatched` lists the queue (--csv, --xlsx)"
    assert lines[52] == "duplicates 60 (600,00): received before, not applied again"
    assert [line.split()[1] for line in lines[53:103]] == [f"R{n}" for n in range(70, 120)]
    assert lines[103:] == [
        "… and 10 more: `krav import payments p.xml --json` lists every payment of the file with its reason "
        "(a file imported before is not imported again)"
    ]
