"""`krav claims dispute|reject|uphold` end to end (R-CLM-15), and the payment date shown by `krav payments list`
(R-CLM-14), on a fresh SQLite database per test.

Invoice 1001 (1000.00, due 14 March 2025) and 2001 (800.00, same day) get their collection notices on Friday 28
March 2025, deadline 11 April. Tuesday 15 April is the first list day after it; 16 April a Wednesday.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

from typer.testing import CliRunner

from krav.domain.agreement import Agreement
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.e2e.runner import run


def _two_notices(krav: CliRunner) -> None:
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
    assert "2 inkassovarsel" in run(krav, "run", "--date", "2025-03-28")


def _claim(krav: CliRunner, number: str, on: str) -> dict[str, object]:
    rows = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", on, "--all", "--json"))
    (row,) = [r for r in rows if r["claim"]["invoice_number"] == number]
    claim = row["claim"]
    assert isinstance(claim, dict)
    return claim


def test_a_disputed_claim_stays_off_the_list_until_the_rejection_and_its_deadline_r_clm_15(krav: CliRunner) -> None:
    _two_notices(krav)
    text = "Jeg har aldri mottatt varen."
    out = run(krav, "claims", "dispute", "--company", ORGNO, "1001", "--text", text, "--date", "2025-04-01")
    assert "invoice 1001: dispute accepted" in out
    out = run(krav, "claims", "dispute", "--company", ORGNO, "1001", "--text", text, "--date", "2025-04-02", code=1)
    assert "invoice 1001: dispute refused (already_disputed): The claim is disputed already." in out

    for day in ("2025-04-14", "2025-04-15"):
        run(krav, "run", "--date", day)
    assert _claim(krav, "1001", "2025-04-15")["stage"] == "notice"  # disputed: not listed
    assert _claim(krav, "2001", "2025-04-15")["stage"] == "collection_list"  # its neighbour goes on as before
    assert _claim(krav, "1001", "2025-04-15")["disputed"] is True

    reasons = "Varen ble levert 02.04.2025, signert kvittering vedlagt."
    out = run(krav, "claims", "reject", "--company", ORGNO, "1001", "--text", reasons, "--date", "2025-04-16", "--json")
    assert json.loads(out)[0]["result"] == "accepted"
    run(krav, "run", "--date", "2025-04-16")
    letters = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    (answer,) = [lt for lt in letters if lt["type"] == "objection_answer"]
    assert (answer["debtor"], answer["sent"], answer["deadline"], answer["invoices"]) == (
        "10001",
        "2025-04-16",
        "2025-04-30",
        ["1001"],
    )
    # 1000.00 + fee 35.00 + interest 1000 × 12.50 % × 33 / 365 = 11.30
    assert answer["total"] == "1046.30"
    assert answer["kid"]
    shown = run(krav, "letters", "show", "--company", ORGNO, str(answer["id"]))
    assert "deadline 30.04.2025" in shown

    history = json.loads(run(krav, "claims", "history", "--company", ORGNO, "1001", "--json"))
    details = [(e["date"], e["kind"], e["detail"]) for e in history]
    assert ("2025-04-01", "objection", f"dispute: {text}") in details
    assert ("2025-04-16", "objection", f"reject: {reasons}") in details
    assert ("2025-04-16", "letter", "objection_answer") in details
    assert "16.04.2025  innsigelse" in run(krav, "claims", "history", "--company", ORGNO, "1001")

    for day in ("2025-04-29", "2025-04-30"):
        run(krav, "run", "--date", day)
    assert _claim(krav, "1001", "2025-04-30")["stage"] == "notice"  # the answer's deadline has not passed
    run(krav, "run", "--date", "2025-05-06")  # the first Tuesday after 30 April
    assert _claim(krav, "1001", "2025-05-06")["stage"] == "collection_list"


def test_an_upheld_objection_closes_the_claim_without_costs_r_clm_15(krav: CliRunner) -> None:
    _two_notices(krav)
    run(krav, "claims", "dispute", "--company", ORGNO, "2001", "--text", "Betalt kontant.", "--date", "2025-04-01")
    out = run(krav, "claims", "uphold", "--company", ORGNO, "2001", "--text", "Kontant betaling bekreftet.")
    assert "invoice 2001: uphold accepted" in out
    claim = _claim(krav, "2001", "2025-04-02")
    assert (claim["stage"], claim["closed_reason"]) == ("closed", "objection_upheld")
    assert (claim["fees_outstanding"], claim["salaer_outstanding"]) == ("0.00", "0.00")
    run(krav, "run", "--date", "2025-04-02")
    letters = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    (answer,) = [lt for lt in letters if lt["type"] == "objection_answer"]
    assert (answer["deadline"], answer["kid"], answer["total"]) == (None, None, "0.00")


def test_an_objection_needs_a_text_and_an_answer_needs_an_objection_r_clm_15(krav: CliRunner) -> None:
    _two_notices(krav)
    out = run(krav, "claims", "dispute", "--company", ORGNO, "1001", code=2)
    assert "--text" in out
    out = run(krav, "claims", "dispute", "--company", ORGNO, "1001", "--text", "   ", code=2)
    assert "needs a text" in out
    out = run(krav, "claims", "reject", "--company", ORGNO, "1001", "2001", "--text", "Nei.", code=1)
    assert "invoice 1001: reject refused (not_disputed)" in out
    assert "invoice 2001: reject refused (not_disputed)" in out
    out = run(krav, "claims", "dispute", "--company", ORGNO, "9999", "--text", "Hvem?", code=1)
    assert "no claim for invoice 9999" in out


def test_payments_list_shows_the_day_the_bank_got_the_order_r_clm_14(krav: CliRunner, tmp_path: Path) -> None:
    _two_notices(krav)
    app = cli.get_app()
    with app.uow() as uow:
        (letter, _) = uow.collection.letters(1)
    paid = tmp_path / "camt.xml"
    paid.write_bytes(
        build_camt054(
            app.service.account,
            [Credit("P1", Money.of("100.00"), date(2025, 4, 14), kid=letter.kid, ordered_on=date(2025, 4, 11))],
            message_id="ORDERED-1",
            created=datetime.combine(date(2025, 4, 14), time(6), tzinfo=UTC),
        )
    )
    report = json.loads(run(krav, "import", "payments", str(paid), "--json", "--date", "2025-04-14"))
    assert report["payments"][0]["ordered_on"] == "2025-04-11"
    out = run(krav, "payments", "list", "--company", ORGNO)
    header, _rule, row = out.strip().splitlines()
    assert header.split() == ["id", "mottatt", "betalt", "beløp", "KID", "status", "årsak"]
    assert "14.04.2025" in row
    assert "11.04.2025" in row
    assert "100,00" in row


def test_a_refusal_exits_1_and_leaves_the_history_as_it_was_and_history_takes_the_collection_id(
    krav: CliRunner,
) -> None:
    _two_notices(krav)
    collection_id = _claim(krav, "1001", "2025-03-28")["collection_id"]
    before = run(krav, "claims", "history", "--company", ORGNO, "1001", "--json")
    assert run(krav, "claims", "history", "--company", ORGNO, str(collection_id), "--json") == before
    # one of two refused: said per claim, and the command exits 1
    out = run(krav, "claims", "reject", "--company", ORGNO, "1001", "--text", "Nei.", code=1)
    assert "reject refused (not_disputed)" in out
    assert run(krav, "claims", "history", "--company", ORGNO, "1001", "--json") == before
    # approving a claim that is not on a collection list is refused, with exit 1
    out = run(krav, "claims", "approve", "--company", ORGNO, "1001", "--date", "2025-03-31", code=1)
    assert "invoice 1001: not approved" in out
    missing = run(krav, "claims", "history", "--company", ORGNO, "K9-999999", code=1)
    assert "no claim for invoice or collection ID K9-999999" in missing


def test_claims_list_shows_the_open_claims_with_their_next_step_or_what_holds_them(krav: CliRunner) -> None:
    """Both notices' deadline is Friday 11 April: the list is drawn Tuesday 15 April. A disputed claim is held."""
    _two_notices(krav)
    shown = run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-03-28")
    assert shown.count("inkassoliste fra 15.04.2025") == 2
    assert "10001 Ola Nordmann" in shown
    assert "1 039,79" in shown  # owed: 1 000,00 + 35,00 fee + 4,79 interest to the day
    run(krav, "claims", "dispute", "--company", ORGNO, "1001", "--text", "Feil beløp", "--date", "2025-04-01")
    held = run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-01")
    assert "bestridt: venter på svar på innsigelsen" in held
    data = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-01", "--json"))
    by_invoice = {row["claim"]["invoice_number"]: row["next"] for row in data}
    assert by_invoice["1001"] == {"step": None, "on": None, "held_by": "disputed"}
    assert by_invoice["2001"] == {"step": "collection_list", "on": "2025-04-15", "held_by": None}
    run(krav, "claims", "uphold", "--company", ORGNO, "1001", "--text", "Riktig.", "--date", "2025-04-02")
    open_only = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-02", "--json"))
    assert [row["claim"]["invoice_number"] for row in open_only] == ["2001"]
    every = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-02", "--all", "--json"))
    assert sorted(row["claim"]["invoice_number"] for row in every) == ["1001", "2001"]
