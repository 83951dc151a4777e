"""`krav import payments`, `krav run` and `krav ledger import-bank` with the same payments in a second, differently
written file: shown as duplicates, applied and remitted once, posted once (R-BANK-2, R-BANK-3, R-LED-5).

The OCR fixture holds 20 payments totalling 51 449,00; no letter has one of their KIDs. Letter 20001/1 of
28 March is 800.00 + 35.00 fee + 800 × 0.125 × 14 / 365 = 3.84 interest = 838.84.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from krav.domain.agreement import Agreement
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from tests import camt_variants as variants
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.e2e.runner import run

OCR = "netsgiro_ocr_giro_transactions.txt"
PAY_DAY = date(2025, 4, 1)


def test_the_ocr_fixture_saved_with_crlf_is_reported_as_20_duplicates_that_add_up_to_the_file_r_bank_2(
    krav: CliRunner, fixtures_dir: Path, tmp_path: Path
) -> None:
    original = fixtures_dir / "ocr" / OCR
    copy = tmp_path / "ocr-crlf.txt"
    copy.write_bytes(variants.with_crlf(original.read_bytes()))
    run(krav, "import", "payments", str(original))

    out = run(krav, "import", "payments", str(copy))
    assert "imported before" not in out
    assert "total 51 449,00; matched 0 (0,00), unmatched 0 (0,00)" in out
    assert "duplicates 20 (51 449,00): received before, not applied again" in out
    assert (
        "  duplicate 0170031/0000002/0000001 1 020,00 KID 0000531: already received as payment 1 "
        f"(0170031/0000002/0000001 in {OCR}, 20.01.1992); not applied again"
    ) in out

    again = json.loads(run(krav, "import", "payments", str(copy), "--json"))
    assert again["already_imported"] is True
    assert again["duplicates"] == {"count": 20, "total": "51449.00"}
    parts = (again["matched"]["total"], again["unmatched"]["total"], again["duplicates"]["total"])
    assert sum(Decimal(p) for p in parts) == Decimal(again["total"])
    assert all(p["duplicate"] for p in again["payments"])
    assert len(json.loads(run(krav, "payments", "unmatched", "--json"))) == 20


def _creditor_with_a_notice(krav: CliRunner) -> str:
    """Invoice 2001 (800.00, due 14 March 2025) gets its collection notice on 28 March; its KID."""
    app = cli.get_app()
    uow = app.uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("20001", "Kari Nordmann")])
    post(uow, invoice("2001", "20001", "800.00", date(2025, 3, 1), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1,
            Agreement(
                active=True, activated_on=date(2025, 3, 28), accepted_by="test", collection_list_email="l@example.no"
            ),
        )
        uow.commit()
    run(krav, "run", "--date", "2025-03-28")
    with uow:
        (letter,) = uow.collection.letters(1)
    assert letter.total == Money.of("838.84")
    assert letter.kid is not None
    return letter.kid


def test_a_letter_paid_in_two_differently_written_files_is_applied_and_remitted_once_r_bank_3(
    krav: CliRunner, tmp_path: Path
) -> None:
    kid = _creditor_with_a_notice(krav)
    paid = build_camt054(
        cli.get_app().service.account,
        [Credit("P1", Money.of("838.84"), PAY_DAY, kid=kid, payer_name="Kari Nordmann")],
        message_id="PAID-1",
        created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC),
    )
    (tmp_path / "paid.xml").write_bytes(paid)
    (tmp_path / "paid-again.xml").write_bytes(variants.with_crlf(variants.reindented(paid, "\t")))
    first = run(krav, "import", "payments", str(tmp_path / "paid.xml"), "--date", PAY_DAY.isoformat())
    assert "matched 1 (838,84), unmatched 0 (0,00)" in first
    assert "duplicates" not in first
    again = run(krav, "import", "payments", str(tmp_path / "paid-again.xml"), "--date", PAY_DAY.isoformat())
    assert "matched 0 (0,00), unmatched 0 (0,00)" in again
    assert "duplicates 1 (838,84): received before, not applied again" in again
    assert "already received as payment 1 (P1/1 in paid.xml, 01.04.2025); not applied again" in again

    out = run(krav, "run", "--date", "2025-04-01", "--company", ORGNO)
    assert "payments 1; remitted 838,84" in out


def test_the_creditors_bank_file_written_again_is_not_posted_twice_r_led_5(krav: CliRunner, tmp_path: Path) -> None:
    _creditor_with_a_notice(krav)
    bank = build_camt054(
        "86011117947",
        [Credit("B1", Money.of("1100.00"), PAY_DAY, text="Faktura 2001", payer_name="Kari")],
        message_id="OWN-BANK-1",
        created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC),
    )
    (tmp_path / "bank.xml").write_bytes(bank)
    (tmp_path / "bank-again.xml").write_bytes(variants.reindented(bank, None))
    assert "1 posted, 0 left" in run(krav, "ledger", "import-bank", "--company", ORGNO, str(tmp_path / "bank.xml"))
    out = run(krav, "ledger", "import-bank", "--company", ORGNO, str(tmp_path / "bank-again.xml"))
    assert "0 posted, 0 left for the bookkeeper, 1 posted before" in out
    assert "B1/1: 1 100,00 already posted from bank.xml" in out
