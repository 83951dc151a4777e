"""Salær on a case whose principal is paid (R-CLM-5)."""

from __future__ import annotations

from datetime import date

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.claims import Claim
from krav.domain.collection.fees import salaer_for_case
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money
from tests.builders import in_state


def _claim(principal: str, outstanding: str) -> Claim:
    claim = Claim(
        company_id=1,
        collection_id="K1-1",
        invoice_number="1001",
        invoice_date=date(2025, 3, 1),
        due_date=date(2025, 3, 14),
        principal=Money.of(principal),
        submitted_on=date(2025, 3, 28),
        debtor=Recipient("1", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None),
    )
    return in_state(claim, principal_outstanding=Money.of(outstanding))


def test_no_salaer_is_charged_on_a_case_whose_principal_is_paid_r_clm_5() -> None:
    rates = load_rate_tables()
    paid = salaer_for_case(
        [_claim("1000.00", "0.00")], date(2025, 5, 8), rates, heavy=False, business=False, creditor_vat_registered=True
    )
    assert paid == Money.zero()
    # the same case with its principal unpaid: 0.35 × 700 = 245.00 (claim up to 1 000)
    unpaid = salaer_for_case(
        [_claim("1000.00", "1000.00")],
        date(2025, 5, 8),
        rates,
        heavy=False,
        business=False,
        creditor_vat_registered=True,
    )
    assert unpaid == Money.of("245.00")
