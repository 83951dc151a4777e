"""`krav import payments` and `krav payments …` end to end, on a fresh SQLite database per test (R-BANK-1,
R-BANK-2, R-CLM-7).

The OCR fixture holds 20 payments: 5 × 1020 + 2 × 560 + 1500 + 1200 + 550 + 1943 + 1000 + 500 + 20500 + 5500
+ 10500 + 644 + 564 + 288 + 540 = 51 449.00; no letter has one of their KIDs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.domain.agreement import Agreement
from krav.domain.kid import is_valid_kid
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.e2e.runner import run

OCR = "netsgiro_ocr_giro_transactions.txt"
AVTALEGIRO = "netsgiro_avtalegiro_agreements.txt"


def test_import_payments_json_gives_counts_and_totals_that_add_up_to_the_file_r_bank_2(
    krav: CliRunner, fixtures_dir: Path
) -> None:
    report = json.loads(run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR), "--json"))
    assert (report["format"], report["already_imported"], report["total"]) == ("ocr_giro", False, "51449.00")
    assert report["matched"] == {"count": 0, "total": "0.00"}
    assert report["unmatched"] == {"count": 20, "total": "51449.00"}
    assert Decimal(report["matched"]["total"]) + Decimal(report["unmatched"]["total"]) == Decimal(report["total"])
    assert len(report["payments"]) == 20
    assert sum(Decimal(p["amount"]) for p in report["payments"]) == Decimal("51449.00")
    assert report["payments"][0]["reason"] == "no letter with KID 0000531"

    again = json.loads(run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR), "--json"))
    assert again["already_imported"] is True
    assert len(json.loads(run(krav, "payments", "unmatched", "--json"))) == 20


def test_import_payments_prints_the_totals_and_each_unmatched_payment(krav: CliRunner, fixtures_dir: Path) -> None:
    out = run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR))
    assert "total 51 449,00; matched 0 (0,00), unmatched 20 (51 449,00)" in out
    assert "KID 0000531: no letter with KID 0000531" in out
    assert "imported before" in run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR))


def test_an_avtalegiro_file_exits_2_as_not_a_payment_file_and_stores_nothing_r_bank_2(
    krav: CliRunner, fixtures_dir: Path
) -> None:
    out = run(krav, "import", "payments", str(fixtures_dir / "ocr" / AVTALEGIRO), code=2)
    assert f"error: {AVTALEGIRO}: not a payment file" in out
    assert json.loads(run(krav, "payments", "unmatched", "--json")) == []


def test_payments_unmatched_lists_the_queue_with_each_reason_r_clm_7(krav: CliRunner, fixtures_dir: Path) -> None:
    run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR))
    out = run(krav, "payments", "unmatched")
    assert out.splitlines()[0] == "20 innbetaling(er) venter på manuell avstemming"
    reasons = [line for line in out.splitlines() if line.startswith("  årsak:")]
    assert len(reasons) == 20
    assert all("no letter with KID" in line for line in reasons)
    assert "  årsak:     no letter with KID 02341291038301" in out
    assert "innbetaling 1: 1 020,00 NOK, bokført 20.01.1992, bestilt 16.01.1992" in out
    assert "  melding:   Foo bar baz" in out  # the OCR giro's free text
    assert f"  referanse: 0170031/0000002/0000001 i {OCR}" in out
    assert "10 500,00" in out  # the largest but one, as Norwegian letters print it
    assert "  forslag:   ingen; tildel med `krav payments assign 1 --kid KID`" in out  # no letter to suggest


def _two_debtors_with_notices(krav: CliRunner) -> str:
    """Kari Nordmann (20001) owes invoice 5007, 800.00, and Per Hansen (30001) invoice 6001, 800.00, both due 14
    March 2025; their notices of 28 March are 800.00 + 35.00 fee + 3.84 interest = 838.84 each. Kari's KID."""
    uow = cli.get_app().uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("20001", "Kari Nordmann"), consumer("30001", "Per Hansen")])
    post(
        uow,
        invoice("5007", "20001", "800.00", date(2025, 3, 1), date(2025, 3, 14)),
        invoice("6001", "30001", "800.00", date(2025, 3, 1), date(2025, 3, 14)),
    )
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
        kari, per = (uow.collection.letters(1, debtor=d)[0] for d in ("20001", "30001"))
    assert kari.total == per.total == Money.of("838.84")
    assert kari.kid is not None
    return kari.kid


def test_a_payment_with_a_kid_one_digit_off_shows_its_message_and_file_and_suggests_the_claim_r_clm_7(
    krav: CliRunner, tmp_path: Path
) -> None:
    """Kari pays her notice with a digit of the KID wrong and writes "Faktura 5007": the check digit fails,
    so the payment waits for a person, who sees what she wrote, the file, and the claim of 5007 suggested first
    with why; Per's claim, whose notice is of the same amount, comes after it. The command shown assigns it. The
    balance shown is the claim's on the day paid: 838.84 and the interest of 29 March to 1 April, 1.09."""
    kid = _two_debtors_with_notices(krav)
    wrong = kid[:5] + str((int(kid[5]) + 1) % 10) + kid[6:]
    assert not is_valid_kid(wrong)
    paid = tmp_path / "innbetalinger-0104.xml"
    paid.write_bytes(
        build_camt054(
            cli.get_app().service.account,
            [
                Credit(
                    "W1",
                    Money.of("838.84"),
                    date(2025, 4, 1),
                    kid=wrong,
                    text="Faktura 5007",
                    payer_name="KARI NORDMANN",
                )
            ],
            message_id="WRONG-KID-5007",
            created=datetime.combine(date(2025, 4, 1), time(6), tzinfo=UTC),
        )
    )
    run(krav, "import", "payments", str(paid))

    out = run(krav, "payments", "unmatched")
    assert "innbetaling 1: 838,84 NOK, bokført 01.04.2025" in out
    assert "  betaler:   KARI NORDMANN" in out
    assert "  melding:   Faktura 5007" in out
    assert "  referanse: W1/1 i innbetalinger-0104.xml" in out
    first, second = (line for line in out.splitlines() if line.startswith(("    1. ", "    2. ")))
    assert first == f"    1. faktura 5007 (K1-000001) hos {ORGNO}, skyldner 20001 Kari Nordmann, saldo 839,93"
    assert second == f"    2. faktura 6001 (K1-000002) hos {ORGNO}, skyldner 30001 Per Hansen, saldo 839,93"
    assert (
        "       KID ett siffer feil; meldingen nevner faktura 5007; beløpet er lik brevets sum; navnet ligner skyldneren"
    ) in out
    assert f"       krav payments assign 1 --kid {kid}" in out

    (queued,) = json.loads(run(krav, "payments", "unmatched", "--json"))
    assert (queued["message"], queued["filename"]) == ("Faktura 5007", "innbetalinger-0104.xml")
    best = queued["suggestions"][0]
    assert (best["invoice_number"], best["kid"], best["assign"]) == ("5007", kid, f"krav payments assign 1 --kid {kid}")
    assert best["reasons"][:2] == ["KID ett siffer feil", "meldingen nevner faktura 5007"]
    assert [s["invoice_number"] for s in queued["suggestions"]] == ["5007", "6001"]  # Per's: the amount only

    sheet = tmp_path / "ukjente.csv"
    run(krav, "payments", "unmatched", "--csv", str(sheet))
    (row,) = csv.DictReader(io.StringIO(sheet.read_text("utf-8-sig")), delimiter=";")
    assert (row["message"], row["file"], row["amount"]) == ("Faktura 5007", "innbetalinger-0104.xml", "838,84")
    assert row["suggestions"].startswith(f"faktura 5007 hos {ORGNO}, KID {kid}: KID ett siffer feil, meldingen")

    run(krav, *best["assign"].split()[1:])
    assert json.loads(run(krav, "payments", "unmatched", "--json")) == []


def test_payments_assign_on_an_unknown_id_exits_1_naming_it(krav: CliRunner) -> None:
    out = run(krav, "payments", "assign", "999", "--kid", "000000000018", code=1)
    assert "no unmatched payment 999" in out


def test_payments_assign_without_a_letter_exits_2(krav: CliRunner, fixtures_dir: Path) -> None:
    run(krav, "import", "payments", str(fixtures_dir / "ocr" / OCR))
    (first, *_) = json.loads(run(krav, "payments", "unmatched", "--json"))
    out = run(krav, "payments", "assign", str(first["id"]), code=2)
    assert "give --kid, or --company and --invoice" in out


def test_a_payment_assigned_by_hand_leaves_the_queue_and_is_applied_by_the_next_run_r_clm_7(
    krav: CliRunner, tmp_path: Path
) -> None:
    """Letter 20001/1 of 28 March: 800.00 + 35.00 fee + 800 × 0.125 × 14 / 365 = 3.84 interest = 838.84. Paid with a
    wrong KID on 1 April, assigned by company and invoice, it closes the claim in that day's run (R-CLM-12)."""
    app = cli.get_app()
    uow = app.uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("20001", "Kari Nordmann")])
    post(uow, invoice("2001", "20001", "800.00", date(2025, 3, 1), date(2025, 3, 14)))
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(
                active=True, activated_on=date(2025, 3, 28), accepted_by="test", collection_list_email="l@example.no"
            ),
        )
        uow.commit()
    run(krav, "run", "--date", "2025-03-28")
    with uow:
        (letter,) = uow.collection.letters(1)
    assert (letter.kid, letter.total) == ("000000000018", Money.of("838.84"))
    wrong = "000000000020"  # passes neither MOD10 nor MOD11
    assert not is_valid_kid(wrong)
    paid = tmp_path / "camt.xml"
    paid.write_bytes(
        build_camt054(
            app.service.account,
            [Credit("W1", Money.of("838.84"), date(2025, 4, 1), kid=wrong, payer_name="Kari")],
            message_id="WRONG-KID",
            created=datetime.combine(date(2025, 4, 1), time(6), tzinfo=UTC),
        )
    )
    report = json.loads(run(krav, "import", "payments", str(paid), "--json"))
    assert report["unmatched"] == {"count": 1, "total": "838.84"}
    (queued,) = json.loads(run(krav, "payments", "unmatched", "--json"))
    assert queued["reason"] == "KID 000000000020 fails its check digit"

    out = run(krav, "payments", "assign", str(queued["id"]), "--company", ORGNO, "--invoice", "2001")
    assert f"payment {queued['id']} assigned" in out
    assert json.loads(run(krav, "payments", "unmatched", "--json")) == []
    out = run(krav, "run", "--date", "2025-04-01", "--company", ORGNO)
    assert "payments 1; remitted 838,84" in out
    with uow:
        (claim,) = uow.collection.claims(1)
    assert (claim.stage.value, claim.closed_reason.value if claim.closed_reason else None) == ("closed", "paid")


# -- R-LED-6: the ledger and the service book a direct payment alike, on every path --------------------------------


def _creditor_with_a_notice(krav: CliRunner) -> None:
    """Invoice 1001 (1000.00, due 14 March 2025) gets its collection notice on 28 March: fee 35.00."""
    uow = cli.get_app().uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 2, 28), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1,
            Agreement(
                active=True, activated_on=date(2025, 3, 28), accepted_by="test", collection_list_email="l@example.no"
            ),
        )
        uow.commit()
    run(krav, "run", "--date", "2025-03-28")


def _pay_through_ledger_pay(krav: CliRunner, tmp_path: Path) -> None:
    run(krav, "ledger", "pay", "--company", ORGNO, "1001", "1100.00", "--date", "2025-04-01")


def _pay_through_import_bank(krav: CliRunner, tmp_path: Path) -> None:
    bank = tmp_path / "bank.xml"
    bank.write_bytes(
        build_camt054(
            "86011117947",
            [Credit("B1", Money.of("1100.00"), date(2025, 4, 1), text="Faktura 1001", payer_name="Ola")],
            message_id="OWN-BANK-1",
            created=datetime.combine(date(2025, 4, 1), time(6), tzinfo=UTC),
        )
    )
    out = run(krav, "ledger", "import-bank", "--company", ORGNO, str(bank))
    assert "1 posted, 0 left" in out


@pytest.mark.parametrize("pay", [_pay_through_ledger_pay, _pay_through_import_bank], ids=["ledger-pay", "import-bank"])
def test_the_ledger_splits_a_direct_payment_with_the_services_figures_on_every_path_r_led_6(
    krav: CliRunner, tmp_path: Path, pay: Callable[[CliRunner, Path], None]
) -> None:
    """R-LED-6, R-CLM-7: 1100.00 paid on 1 April for 1001 is 1000.00 principal, 35.00 fee, the interest of that day
    (1000 × 0.125 × 18 / 365 = 6.16) and 58.84 overpaid, in the ledger's voucher and in the service's claim alike,
    whether the payment is posted by hand (`krav ledger pay`) or from the creditor's bank file (`import-bank`)."""
    _creditor_with_a_notice(krav)
    pay(krav, tmp_path)
    run(krav, "run", "--date", "2025-04-01")

    books = json.loads(run(krav, "ledger", "balance", "--company", ORGNO, "--json"))
    fee_in_books = -Decimal(books["accounts"]["3900 NOK"])
    interest_in_books = -Decimal(books["accounts"]["8040 NOK"])
    items = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--customer", "10001", "--json"))
    (credit,) = [i for i in items if Decimal(i["amount"]) < 0]  # the overpayment, a credit item on the customer
    overpaid_in_books = -Decimal(credit["remaining"])

    (row,) = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-01", "--all", "--json"))
    claim = row["claim"]
    assert (claim["stage"], claim["closed_reason"]) == ("closed", "paid")
    fee_paid = Decimal(claim["fees_charged"]) - Decimal(claim["fees_outstanding"])
    service = (fee_paid, Decimal(claim["interest_paid"]), Decimal(claim["overpaid"]))
    assert (fee_in_books, interest_in_books, overpaid_in_books) == service
    assert service == (Decimal("35.00"), Decimal("6.16"), Decimal("58.84"))
    assert books["balanced"] is True
