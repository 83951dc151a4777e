"""The checks of a migrated claim against the rules and the ledger, on the pure core (docs/migration.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from krav.domain.collection.letters import Recipient
from krav.domain.collection.migrated import MigratedClaim
from krav.domain.collection.migration import Creditor, InvoiceInLedger, check_migrated, check_salaer
from krav.domain.money import Money
from tests.builders import RATES

TODAY = date(2025, 6, 1)
OLA = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
CREDITOR = Creditor(vat_registered=True, automatic_collection_list=True, reminder_before_notice=False)


def _invoice(number: str, amount: str) -> InvoiceInLedger:
    money = Money.of(amount)
    return InvoiceInLedger("10001", money, money, date(2025, 2, 28), date(2025, 3, 14), None, OLA)


NOTICE = MigratedClaim(
    where="k.jsonl, line 1",
    invoice="1001",
    customer="10001",
    stage="notice",
    earlier_id="AC-1",
    principal=Money.of("1000.00"),
    notice_sent=date(2025, 3, 28),
    notice_deadline=date(2025, 4, 11),
    notice_fee=Money.of("35.00"),
)
INKASSO = replace(
    NOTICE,
    stage="inkasso",
    listed_on=date(2025, 4, 15),
    demand_sent=date(2025, 4, 22),
    demand_deadline=date(2025, 5, 6),
)


def _fields(claim: MigratedClaim, creditor: Creditor = CREDITOR) -> list[str | None]:
    return [p.field for p in check_migrated(claim, _invoice("1001", "1000.00"), creditor, RATES, TODAY)]


def test_a_claim_as_krav_would_have_it_passes() -> None:
    assert _fields(NOTICE) == []
    assert _fields(INKASSO) == []


def test_interest_is_refused_where_the_agreement_charges_none_r_clm_6() -> None:
    claim = replace(NOTICE, interest_to=date(2025, 3, 28), interest=Money.of("4.79"))
    assert _fields(claim) == []
    assert _fields(claim, replace(CREDITOR, charge_interest=False)) == ["interest"]


def test_a_reminder_needs_reminder_before_notice_r_agr_1() -> None:
    claim = replace(
        NOTICE,
        stage="reminder",
        reminder_sent=date(2025, 3, 21),
        reminder_deadline=date(2025, 3, 28),
        notice_sent=None,
        notice_deadline=None,
        notice_fee=None,
    )
    assert _fields(claim) == ["stage"]
    assert _fields(claim, replace(CREDITOR, reminder_before_notice=True)) == []


def test_a_claim_in_inkasso_cannot_be_paused_and_one_in_legal_not_disputed_r_act_4() -> None:
    assert _fields(replace(INKASSO, paused_on=date(2025, 5, 1))) == ["paused_on"]
    legal = replace(INKASSO, stage="legal", legal_notice_sent=date(2025, 6, 4), legal_deadline=date(2025, 6, 18))
    assert "disputed_on" in _fields(replace(legal, disputed_on=date(2025, 6, 20)), CREDITOR)


def test_salaer_is_checked_per_case_on_the_combined_principal_r_clm_5() -> None:
    """1001 (1 000,00) and 1002 (500,00) went to inkasso together: one case of 1 500,00, light salær 0.40 × 700 =
    280,00 on the first claim, more than 1 000,00 alone would allow (245,00)."""
    first = replace(INKASSO, salaer=Money.of("280.00"))
    second = replace(INKASSO, where="k.jsonl, line 2", invoice="1002", earlier_id="AC-2", principal=Money.of("500"))
    ledger = {"1001": _invoice("1001", "1000.00"), "1002": _invoice("1002", "500.00")}
    assert check_salaer([first, second], ledger, CREDITOR, RATES) == []
    [alone] = check_salaer([first], ledger, CREDITOR, RATES)
    assert (alone.where, alone.field) == ("k.jsonl, line 1", "salaer")
    assert "above the table's 245.00 NOK" in alone.message
    heavy = [
        replace(c, legal_notice_sent=date(2025, 6, 4), legal_deadline=date(2025, 6, 18))
        for c in (replace(first, salaer=Money.of("560.00")), second)
    ]
    assert check_salaer(heavy, ledger, CREDITOR, RATES) == []
    over = [replace(heavy[0], salaer=Money.of("560.01")), heavy[1]]
    assert [p.field for p in check_salaer(over, ledger, CREDITOR, RATES)] == ["salaer"]
