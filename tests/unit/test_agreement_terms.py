"""The terms a creditor admin accepts (DOMAIN.md section 10): the day's prices, and a fingerprint of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.agreement_terms import agreement_terms
from krav.domain.money import Money

RATES = load_rate_tables()
AGREEMENT = Agreement(collection_list_email="liste@example.no")


def test_the_terms_carry_the_prices_in_force_on_the_day() -> None:
    terms = agreement_terms(AGREEMENT, RATES, date(2025, 4, 1), creditor_vat_registered=True)
    assert terms.notice_fee == Money.of("35.00")  # 1/20 of the inkassosats 700
    assert terms.interest_rate == Decimal("12.50")
    assert terms.standard_compensation is None  # not claimed by this agreement
    assert [(s.principal, s.light, s.heavy) for s in terms.salaer][1] == (
        Money.of("2500.00"),
        Money.of("280.00"),
        Money.of("560.00"),
    )
    assert terms.days_before_transfer == 14  # R-AGR-1: a notice as the first letter


def test_the_fingerprint_is_the_same_for_the_same_terms_and_differs_for_any_change() -> None:
    on = date(2025, 4, 1)
    base = agreement_terms(AGREEMENT, RATES, on, creditor_vat_registered=True).fingerprint
    assert agreement_terms(AGREEMENT, RATES, on, creditor_vat_registered=True).fingerprint == base
    others = {
        agreement_terms(replace(AGREEMENT, claim_standard_compensation=True), RATES, on, creditor_vat_registered=True),
        agreement_terms(AGREEMENT, RATES, date(2025, 7, 1), creditor_vat_registered=True),  # another rate
        agreement_terms(AGREEMENT, RATES, on, creditor_vat_registered=False),  # salær 25 % higher
        agreement_terms(replace(AGREEMENT, automatic_collection_list=False), RATES, on, creditor_vat_registered=True),
    }
    assert base not in {t.fingerprint for t in others}
    assert len({t.fingerprint for t in others}) == len(others)
