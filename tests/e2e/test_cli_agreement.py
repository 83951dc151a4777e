"""`krav agreement`, `krav proposal` and `krav submit` end to end, on a fresh SQLite database per test (R-AGR-1,
R-VAL-1, R-VAL-2, R-VAL-3, DOMAIN.md section 10)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.e2e.runner import run

ORGNO = "974760673"
ON = "2025-04-01"


def company(runner: CliRunner) -> None:
    run(runner, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")


def test_setting_an_unknown_field_exits_2_naming_it(krav: CliRunner) -> None:
    company(krav)
    out = run(krav, "agreement", "set", "--company", ORGNO, "days_before=21", code=2)
    assert "error: days_before: unknown field; settable: days_before_transfer" in out
    out = run(krav, "agreement", "set", "--company", ORGNO, "accounting.bank=1920", code=2)
    assert "error: accounting.bank: unknown field" in out
    assert "write FIELD=VALUE" in run(krav, "agreement", "set", "--company", ORGNO, "days_before_transfer", code=2)


def test_fewer_days_than_r_agr_1_allows_exits_2_naming_the_minimum(krav: CliRunner) -> None:
    company(krav)
    out = run(krav, "agreement", "set", "--company", ORGNO, "days_before_transfer=3", code=2)
    assert "days_before_transfer: at least 14 days without a reminder before the notice, not 3" in out
    out = run(
        krav, "agreement", "set", "--company", ORGNO, "reminder_before_notice=ja", "days_before_transfer=6", code=2
    )
    assert "at least 7 days with a reminder before the notice, not 6" in out
    shown = json.loads(run(krav, "agreement", "show", "--company", ORGNO, "--json"))
    assert shown["agreement"]["days_before_transfer"] is None
    assert shown["agreement"]["reminder_before_notice"] == "false"
    assert shown["history"] == []


def test_activating_without_accepting_the_terms_exits_1_listing_what_is_missing(krav: CliRunner) -> None:
    company(krav)
    out = run(krav, "agreement", "activate", "--company", ORGNO, code=1)
    assert "the agreement cannot be activated yet; missing:" in out
    assert "  - the terms must be accepted by a creditor admin (--accept-terms)" in out
    assert "  - collection_list_email: the address the Tuesday collection list is e-mailed to" in out
    assert "bank account" not in out  # the company has one
    out = run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", code=1)
    assert "collection_list_email" in out
    assert "--accept-terms" not in out
    assert json.loads(run(krav, "agreement", "show", "--company", ORGNO, "--json"))["agreement"]["active"] == "false"


def test_an_agreement_change_is_shown_with_who_when_and_old_and_new_r_agr_1(krav: CliRunner) -> None:
    company(krav)
    out = run(krav, "agreement", "set", "-c", ORGNO, "days_before_transfer=21", "--by", "kari", "--date", "2025-03-01")
    assert "01.03.2025 kari: days_before_transfer None → '21'" in out
    run(krav, "agreement", "set", "-c", ORGNO, "days_before_transfer=min", "--by", "per", "--date", "2025-03-02")
    history = json.loads(run(krav, "agreement", "show", "-c", ORGNO, "--json"))["history"]
    assert [(h["field"], h["old"], h["new"], h["by"], h["on"]) for h in history] == [
        ("days_before_transfer", None, "21", "kari", "2025-03-01"),
        ("days_before_transfer", "21", None, "per", "2025-03-02"),
    ]


CUSTOMERS = """number;name;street;postcode;city;email;exempt
10001;Ola Nordmann;Storgata 1;0155;Oslo;ola@example.no;nei
10002;Kari Uten Adresse;;;;;nei
10003;Per Fritatt;Elvegata 5;9008;Tromsø;;ja
"""

INVOICES = """number;customer;invoice_date;due_date;amount
1001;10001;2025-02-15;2025-03-01;1000.00
1002;10002;2025-02-15;2025-03-01;500.00
1003;10003;2025-02-15;2025-03-01;300.00
1004;10001;2025-03-10;2025-03-25;400.00
1005;10001;2025-02-20;2025-03-05;250.00
1006;10001;2025-03-20;2025-04-15;999.00
"""


def test_from_company_to_submitted_claims_through_the_command_line_r_val_1_r_val_2_r_val_3(
    krav: CliRunner, tmp_path: Path
) -> None:
    company(krav)
    (tmp_path / "kunder.csv").write_text(CUSTOMERS, "utf-8")
    (tmp_path / "fakturaer.csv").write_text(INVOICES, "utf-8")
    run(krav, "import", "customers", str(tmp_path / "kunder.csv"), "--company", ORGNO)
    run(krav, "import", "invoices", str(tmp_path / "fakturaer.csv"), "--company", ORGNO)

    before = json.loads(run(krav, "proposal", "--company", ORGNO, "--date", ON, "--json"))
    assert {r["invoice"]: [x["code"] for x in r["reasons"]] for r in before}["1001"] == ["agreement_inactive"]

    run(krav, "agreement", "set", "-c", ORGNO, "collection_list_email=liste@eksempel.no", "--by", "kari", "--date", ON)
    out = run(krav, "agreement", "activate", "-c", ORGNO, "--accept-terms", "--by", "kari", "--date", ON)
    assert "agreement active from 01.04.2025 (accepted by kari; terms sha256:" in out

    rows = json.loads(run(krav, "proposal", "--company", ORGNO, "--date", ON, "--json"))
    assert [(r["invoice"], r["customer"], r["valid"], [x["code"] for x in r["reasons"]]) for r in rows] == [
        ("1001", "10001", True, []),
        ("1002", "10002", False, ["customer_address_missing"]),
        ("1003", "10003", False, ["customer_exempt"]),
        ("1005", "10001", True, []),
        ("1004", "10001", False, ["days_not_passed"]),
    ]
    (address,) = rows[1]["reasons"]
    assert address["category"] == "customer"
    assert address["nb"].startswith("Kundens adresse er ufullstendig")
    assert address["en"].startswith("The customer's address is incomplete")
    assert rows[0]["remaining"] == "1000.00"
    assert rows[0]["due_date"] == "2025-03-01"
    ids = {r["invoice"]: str(r["item_id"]) for r in rows}

    table = run(krav, "proposal", "--company", ORGNO, "--date", ON, "--status", "invalid", "--lang", "en")
    assert "customer_exempt: The customer is exempt from reminders" in table
    assert "5 item(s) past due" not in table
    assert "3 item(s) past due, 0 valid" in table
    valid = json.loads(run(krav, "proposal", "-c", ORGNO, "--date", ON, "--status", "valid", "--json"))
    assert [r["invoice"] for r in valid] == ["1001", "1005"]

    out = run(krav, "submit", "-c", ORGNO, "--items", ids["1001"], "--items", ids["1002"], "--date", ON)
    assert f"item {ids['1001']} (invoice 1001): submitted as K1-000001" in out
    assert f"item {ids['1002']} (invoice 1002): refused: customer_address_missing: The customer's address" in out

    out = run(krav, "submit", "-c", ORGNO, "--items", ids["1001"], "--date", ON, code=1)
    assert (
        "refused: item_already_submitted: The item has already been sent to collection (collection ID K1-000001)" in out
    )

    results = json.loads(run(krav, "submit", "-c", ORGNO, "--all-valid", "--date", ON, "--json"))
    assert [(r["invoice"], r["submitted"], r["collection_id"]) for r in results] == [("1005", True, "K1-000002")]
    assert "no valid items to submit" in run(krav, "submit", "-c", ORGNO, "--all-valid", "--date", ON)

    left = json.loads(run(krav, "proposal", "--company", ORGNO, "--date", ON, "--json"))
    assert [r["invoice"] for r in left] == ["1002", "1003", "1004"]
    items = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--json"))
    assert {i["number"]: i["collection_id"] for i in items if i["collection_id"]} == {
        "1001": "K1-000001",
        "1005": "K1-000002",
    }


def test_submit_needs_items_or_all_valid_but_not_both(krav: CliRunner) -> None:
    company(krav)
    assert "say what to submit" in run(krav, "submit", "-c", ORGNO, code=2)
    assert "not both" in run(krav, "submit", "-c", ORGNO, "--items", "1", "--all-valid", code=2)
    out = run(krav, "submit", "-c", ORGNO, "--items", "4711", code=1)
    assert f"item 4711 (unknown): refused: no open item 4711 for company {ORGNO}" in out
    assert "--status: 'some' is not all, valid or invalid" in run(
        krav, "proposal", "-c", ORGNO, "--status", "some", code=2
    )


def test_the_terms_are_shown_before_activation_and_their_fingerprint_is_kept_with_the_acceptance(
    krav: CliRunner,
) -> None:
    """Section 10: the creditor admin accepts terms it was shown: the prices of the day (1 April 2025: a notice
    fee of 35,00, 1/20 of the inkassosats 700; forsinkelsesrente 12,50 %), and which terms is kept."""
    company(krav)
    run(krav, "agreement", "set", "--company", ORGNO, "collection_list_email=liste@example.no")
    shown = run(krav, "agreement", "terms", "--company", ORGNO, "--date", "01.04.2025")
    assert "Vilkår for innfordringsavtalen per 01.04.2025" in shown
    assert "gebyr 35,00 kr" in shown
    assert "forsinkelsesrente 12,50 % per år" in shown
    assert "hovedstol     2 500,00 kr: lett    280,00 kr, tung    560,00 kr" in shown
    terms = json.loads(run(krav, "agreement", "terms", "--company", ORGNO, "--date", "2025-04-01", "--json"))
    assert (terms["notice_fee"], terms["interest_rate"]) == ("35.00", "12.50")
    # refused without acceptance, the terms shown all the same
    refused = run(krav, "agreement", "activate", "--company", ORGNO, "--date", "2025-04-01", code=1)
    assert "gebyr 35,00 kr" in refused
    out = run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-04-01")
    assert "agreement active from 01.04.2025" in out
    history = json.loads(run(krav, "agreement", "show", "--company", ORGNO, "--json"))["history"]
    [accepted] = [h for h in history if h["field"] == "terms_accepted"]
    assert accepted["new"] == terms["fingerprint"]
