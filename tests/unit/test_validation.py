"""R-VAL-1: whether an open item may be sent to collection, and every reason why not.

Each reason is first triggered alone (a fully valid candidate with one thing changed), then several together;
a hypothesis property compares :func:`validate_item` with a model of the table in DOMAIN.md section 5.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.domain import validation
from krav.domain.agreement import Agreement
from krav.domain.ledger.open_items import OpenItem
from krav.domain.money import Money
from krav.domain.party import Address, Customer, CustomerKind
from krav.domain.validation import RULES, Candidate, Category, validate_item

DUE = date(2025, 3, 14)
TODAY = DUE + timedelta(days=14)  # R-AGR-1: 14 days without a reminder before the notice

#: DOMAIN.md section 5, R-VAL-1, copied from the table: code -> category, in the table's order.
DOMAIN_TABLE: dict[str, str] = {
    "item_not_open": "open_item",
    "item_already_reminded": "open_item",
    "item_already_submitted": "open_item",
    "item_no_due_date": "open_item",
    "item_not_positive": "open_item",
    "item_currency_unsupported": "open_item",
    "item_exempt": "open_item",
    "customer_unmatched_entries": "open_item",
    "agreement_inactive": "agreement",
    "days_not_passed": "agreement",
    "voucher_type_unmapped": "agreement",
    "below_minimum": "agreement",
    "customer_exempt": "customer",
    "customer_name_missing": "customer",
    "customer_address_missing": "customer",
    "customer_postcode_invalid": "customer",
    "customer_orgno_invalid": "customer",
    "customer_email_missing": "customer",
}


def valid_item(**changes: Any) -> OpenItem:
    item = OpenItem(
        id=1,
        customer="10001",
        number="1001",
        voucher_type=11,
        amount=Money.of("1000.00"),
        remaining=Money.of("1000.00"),
        invoice_date=date(2025, 2, 28),
        due_date=DUE,
    )
    return replace(item, **changes)


def valid_customer(**changes: Any) -> Customer:
    customer = Customer(
        number="10001",
        name="Ola Nordmann",
        kind=CustomerKind.CONSUMER,
        address=Address("Storgata 1", "0155", "Oslo"),
        email=None,
    )
    return replace(customer, **changes)


def valid_candidate(**changes: Any) -> Candidate:
    candidate = Candidate(
        item=valid_item(), customer=valid_customer(), voucher_type_mapped=True, customer_has_unmatched_entries=False
    )
    return replace(candidate, **changes)


def active_agreement(**changes: Any) -> Agreement:
    return replace(Agreement(active=True, activated_on=date(2025, 1, 1), accepted_by="admin"), **changes)


def codes(candidate: Candidate, agreement: Agreement, today: date = TODAY) -> list[str]:
    return [r.code for r in validate_item(candidate, agreement, today)]


Case = Callable[[], tuple[Candidate, Agreement, date]]


def _item(**kw: Any) -> Case:
    return lambda: (valid_candidate(item=valid_item(**kw)), active_agreement(), TODAY)


def _customer(**kw: Any) -> Case:
    return lambda: (valid_candidate(customer=valid_customer(**kw)), active_agreement(), TODAY)


def _candidate(**kw: Any) -> Case:
    return lambda: (valid_candidate(**kw), active_agreement(), TODAY)


def _agreement(**kw: Any) -> Case:
    return lambda: (valid_candidate(), active_agreement(**kw), TODAY)


#: Each reason alone: a fully valid candidate with exactly one thing changed.
ALONE: list[tuple[str, str, Case]] = [
    ("item_not_open", "settled, nothing remains", _item(remaining=Money.zero())),
    ("item_already_reminded", "number of reminders set", _item(reminder_count=1)),
    ("item_already_reminded", "reminded-on date set", _item(reminded_on=date(2025, 3, 20))),
    ("item_already_submitted", "has a collection ID", _item(collection_id="K1-000001")),
    ("item_no_due_date", "no due date", _item(due_date=None)),
    ("item_not_positive", "negative amount", _item(amount=Money.of("-1000.00"))),
    ("item_not_positive", "zero amount", _item(amount=Money.zero())),
    (
        "item_currency_unsupported",
        "in EUR",
        _item(amount=Money.of("1000.00", "EUR"), remaining=Money.of("1000.00", "EUR")),
    ),
    ("item_exempt", "invoice with purrefritak", _item(exempt=True)),
    ("customer_unmatched_entries", "unmatched payment", _candidate(customer_has_unmatched_entries=True)),
    ("agreement_inactive", "agreement not active", _agreement(active=False)),
    ("agreement_inactive", "activated after the day", _agreement(activated_on=TODAY + timedelta(days=1))),
    ("days_not_passed", "13 of 14 days", lambda: (valid_candidate(), active_agreement(), TODAY - timedelta(days=1))),
    ("voucher_type_unmapped", "voucher type not invoice", _candidate(voucher_type_mapped=False)),
    ("below_minimum", "minimum 1000.01", _agreement(minimum_amount=Money.of("1000.01"))),
    ("customer_exempt", "customer with purrefritak", _customer(exempt=True)),
    ("customer_name_missing", "empty name", _customer(name="")),
    ("customer_name_missing", "blank name", _customer(name="   ")),
    ("customer_address_missing", "no street", _customer(address=Address(None, "0155", "Oslo"))),
    ("customer_address_missing", "blank street", _customer(address=Address("  ", "0155", "Oslo"))),
    ("customer_address_missing", "no postcode", _customer(address=Address("Storgata 1", None, "Oslo"))),
    ("customer_address_missing", "no city", _customer(address=Address("Storgata 1", "0155", None))),
    ("customer_postcode_invalid", "three digits", _customer(address=Address("Storgata 1", "155", "Oslo"))),
    ("customer_postcode_invalid", "letters", _customer(address=Address("Storgata 1", "O155", "Oslo"))),
    ("customer_orgno_invalid", "business without orgno", _customer(kind=CustomerKind.BUSINESS)),
    (
        "customer_orgno_invalid",
        "business with a bad check digit",
        _customer(kind=CustomerKind.BUSINESS, orgno="974760672"),
    ),
    ("customer_email_missing", "required, none", _agreement(require_email=True)),
    (
        "customer_email_missing",
        "required, malformed",
        lambda: (
            valid_candidate(customer=valid_customer(email="ola.example.no")),
            active_agreement(require_email=True),
            TODAY,
        ),
    ),
]


def test_the_valid_candidate_the_other_tests_start_from_has_no_reason_r_val_1() -> None:
    assert validate_item(valid_candidate(), active_agreement(), TODAY) == []


def test_the_reason_codes_are_exactly_those_of_domain_md_in_its_order_r_val_1() -> None:
    assert list(validation.REASON_CODES) == list(DOMAIN_TABLE)


def test_every_reason_code_has_a_case_below_that_triggers_it_alone_r_val_1() -> None:
    assert {code for code, _, _ in ALONE} == set(DOMAIN_TABLE)


@pytest.mark.parametrize(("code", "case"), [pytest.param(code, case, id=f"{code}: {why}") for code, why, case in ALONE])
def test_each_reason_is_reported_alone_with_its_category_and_both_languages_r_val_1(code: str, case: Case) -> None:
    candidate, agreement, today = case()
    (reason,) = validate_item(candidate, agreement, today)
    assert reason.code == code
    assert reason.category.value == DOMAIN_TABLE[code]
    assert reason.message_nb.strip()
    assert reason.message_en.strip()
    assert reason.message_nb != reason.message_en


def test_a_business_with_a_valid_orgno_and_a_customer_abroad_pass_the_customer_rules_r_val_1() -> None:
    business = valid_customer(kind=CustomerKind.BUSINESS, orgno="974760673")
    abroad = valid_customer(address=Address("Drottninggatan 1", "111 51", "Stockholm", "SE"))
    assert codes(valid_candidate(customer=business), active_agreement()) == []
    assert codes(valid_candidate(customer=abroad), active_agreement()) == []


def test_a_required_email_that_is_present_and_valid_passes_r_val_1() -> None:
    customer = valid_customer(email="ola@example.no")
    assert codes(valid_candidate(customer=customer), active_agreement(require_email=True)) == []


def test_a_partly_open_item_may_be_sent_r_val_1() -> None:
    item = valid_item(remaining=Money.of("400.00"))
    assert codes(valid_candidate(item=item), active_agreement()) == []


def test_the_minimum_amount_is_compared_with_what_remains_and_equal_is_enough_r_val_1() -> None:
    item = valid_item(remaining=Money.of("400.00"))
    assert codes(valid_candidate(item=item), active_agreement(minimum_amount=Money.of("400.00"))) == []
    assert codes(valid_candidate(item=item), active_agreement(minimum_amount=Money.of("400.01"))) == ["below_minimum"]


@pytest.mark.parametrize(
    ("reminder_before_notice", "days_before_transfer", "earliest"),
    [(False, None, 14), (True, None, 7), (True, 10, 10), (False, 21, 21), (False, 3, 14)],
)
def test_days_not_passed_counts_the_effective_days_from_the_due_date_r_agr_1_r_val_1(
    reminder_before_notice: bool, days_before_transfer: int | None, earliest: int
) -> None:
    agreement = active_agreement(
        reminder_before_notice=reminder_before_notice, days_before_transfer=days_before_transfer
    )
    on_the_day = DUE + timedelta(days=earliest)
    assert codes(valid_candidate(), agreement, on_the_day) == []
    (reason,) = validate_item(valid_candidate(), agreement, on_the_day - timedelta(days=1))
    assert reason.code == "days_not_passed"
    assert f"{earliest} days" in reason.message_en
    assert on_the_day.isoformat() in reason.message_en
    assert on_the_day.strftime("%d.%m.%Y") in reason.message_nb


def test_an_exempt_customer_without_address_whose_item_is_not_past_due_gets_all_three_reasons_r_val_1() -> None:
    candidate = valid_candidate(customer=valid_customer(exempt=True, address=Address("Storgata 1", None, None)))
    reasons = validate_item(candidate, active_agreement(), DUE)
    assert [r.code for r in reasons] == ["days_not_passed", "customer_exempt", "customer_address_missing"]
    assert [r.category for r in reasons] == [Category.AGREEMENT, Category.CUSTOMER, Category.CUSTOMER]
    assert "postcode, city" in reasons[2].message_en
    assert "postnummer, poststed" in reasons[2].message_nb


def test_a_credit_item_is_not_positive_and_below_the_minimum_of_zero_r_val_1() -> None:
    credit = valid_item(amount=Money.of("-250.00"), remaining=Money.of("-250.00"))
    assert codes(valid_candidate(item=credit), active_agreement()) == ["item_not_positive", "below_minimum"]


def test_a_missing_postcode_is_reported_as_missing_address_not_as_invalid_postcode_r_val_1() -> None:
    customer = valid_customer(address=Address("Storgata 1", "", "Oslo"))
    assert codes(valid_candidate(customer=customer), active_agreement()) == ["customer_address_missing"]


def test_a_missing_street_and_an_invalid_postcode_are_both_reported_r_val_1() -> None:
    customer = valid_customer(address=Address(None, "12", "Oslo"))
    assert codes(valid_candidate(customer=customer), active_agreement()) == [
        "customer_address_missing",
        "customer_postcode_invalid",
    ]


def test_every_reason_that_can_hold_at_once_is_reported_not_just_the_first_r_val_1() -> None:
    item = valid_item(
        amount=Money.of("-5.00"),
        remaining=Money.zero(),
        reminder_count=2,
        reminded_on=date(2025, 3, 20),
        collection_id="K1-000009",
        exempt=True,
    )
    customer = Customer(
        number="10001",
        name="",
        kind=CustomerKind.BUSINESS,
        orgno="123456789",
        address=Address(None, "12", "Oslo"),
        email=None,
        exempt=True,
    )
    candidate = Candidate(item, customer, voucher_type_mapped=False, customer_has_unmatched_entries=True)
    agreement = Agreement(active=False, require_email=True, minimum_amount=Money.of("100.00"))
    # item_no_due_date excludes days_not_passed, and a foreign currency excludes below_minimum: 16 of 18 at once
    assert codes(candidate, agreement, DUE) == [
        code for code in DOMAIN_TABLE if code not in ("item_no_due_date", "item_currency_unsupported")
    ]


@pytest.mark.parametrize("city", ["", "   "])
def test_a_blank_city_is_a_missing_address_r_val_1(city: str) -> None:
    customer = valid_customer(address=Address("Storgata 1", "0155", city))
    assert codes(valid_candidate(customer=customer), active_agreement()) == ["customer_address_missing"]


def test_a_blank_postcode_is_a_missing_address_not_an_invalid_postcode_r_val_1() -> None:
    customer = valid_customer(address=Address("Storgata 1", "   ", "Oslo"))
    assert codes(valid_candidate(customer=customer), active_agreement()) == ["customer_address_missing"]


# -- the property ----------------------------------------------------------------------------------------------

_money = st.decimals(min_value=-500, max_value=5000, places=2).map(Money.of)
_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def candidates(draw: st.DrawFn) -> Candidate:
    currency = draw(st.sampled_from(["NOK", "NOK", "EUR"]))
    amount = Money(draw(_money).amount, currency)
    remaining = draw(st.sampled_from([amount, Money.zero(currency), Money(draw(_money).amount, currency)]))
    item = OpenItem(
        id=draw(st.integers(1, 1000)),
        customer="10001",
        number="1001",
        voucher_type=draw(st.sampled_from([11, 5, 1])),
        amount=amount,
        remaining=remaining,
        invoice_date=date(2025, 1, 1),
        due_date=draw(st.none() | _dates),
        reminder_count=draw(st.sampled_from([0, 0, 1])),
        reminded_on=draw(st.none() | st.none() | _dates),
        exempt=draw(st.booleans()),
        collection_id=draw(st.sampled_from([None, None, "K1-000001"])),
    )
    kind = draw(st.sampled_from(list(CustomerKind)))
    customer = Customer(
        number="10001",
        name=draw(st.sampled_from(["Ola Nordmann", "", "  "])),
        kind=kind,
        orgno=draw(st.sampled_from([None, "974760673", "123456789"])),
        address=Address(
            draw(st.sampled_from(["Storgata 1", None, "", " "])),
            draw(st.sampled_from(["0155", None, "", "155", "AB12"])),
            draw(st.sampled_from(["Oslo", None, "", "  "])),
            draw(st.sampled_from(["NO", "NO", "SE"])),
        ),
        email=draw(st.sampled_from([None, "ola@example.no", "ola.example.no"])),
        exempt=draw(st.booleans()),
    )
    return Candidate(item, customer, draw(st.booleans()), draw(st.booleans()))


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    return Agreement(
        active=draw(st.booleans()),
        reminder_before_notice=draw(st.booleans()),
        days_before_transfer=draw(st.none() | st.integers(0, 40)),
        minimum_amount=Money.of(draw(st.decimals(min_value=0, max_value=2000, places=2))),
        require_email=draw(st.booleans()),
    )


def model(c: Candidate, a: Agreement, today: date) -> list[str]:
    """The table of R-VAL-1 (DOMAIN.md section 5) written out independently of the code under test."""
    item, customer = c.item, c.customer
    minimum = 7 if a.reminder_before_notice else 14  # R-AGR-1
    days = minimum if a.days_before_transfer is None else max(a.days_before_transfer, minimum)
    street, postcode, city = customer.address.street, customer.address.postcode, customer.address.city
    fails = {
        "item_not_open": item.remaining.amount == 0,
        "item_already_reminded": item.reminder_count != 0 or item.reminded_on is not None,
        "item_already_submitted": bool(item.collection_id),
        "item_no_due_date": item.due_date is None,
        "item_not_positive": item.amount.amount <= 0,
        "item_currency_unsupported": item.currency != "NOK",
        "item_exempt": item.exempt,
        "customer_unmatched_entries": c.customer_has_unmatched_entries,
        "agreement_inactive": not a.active or (a.activated_on is not None and a.activated_on > today),
        "days_not_passed": item.due_date is not None and (today - item.due_date).days < days,
        "voucher_type_unmapped": not c.voucher_type_mapped,
        "below_minimum": item.currency == "NOK" and item.remaining.amount < a.minimum_amount.amount,
        "customer_exempt": customer.exempt,
        "customer_name_missing": not customer.name.strip(),
        "customer_address_missing": not all(v and v.strip() for v in (street, postcode, city)),
        "customer_postcode_invalid": bool(postcode)
        and customer.address.country == "NO"
        and not (len(postcode or "") == 4 and (postcode or "").isdigit()),
        "customer_orgno_invalid": customer.kind is CustomerKind.BUSINESS and customer.orgno != "974760673",
        "customer_email_missing": a.require_email and customer.email != "ola@example.no",
    }
    return [code for code in DOMAIN_TABLE if fails[code]]


@settings(max_examples=300)
@given(candidates(), agreements(), _dates)
def test_validate_item_is_empty_exactly_when_every_rule_passes_and_matches_the_table_r_val_1(
    candidate: Candidate, agreement: Agreement, today: date
) -> None:
    reasons = validate_item(candidate, agreement, today)
    found = [r.code for r in reasons]
    singles = [rule(candidate, agreement, today) for rule in RULES]
    assert (reasons == []) == all(s is None for s in singles)
    assert reasons == [s for s in singles if s is not None]
    assert len(found) == len(set(found))
    assert found == model(candidate, agreement, today)
    assert all(r.category.value == DOMAIN_TABLE[r.code] and r.message_nb and r.message_en for r in reasons)


@settings(max_examples=150)
@given(st.lists(candidates(), min_size=1, max_size=12), st.lists(st.integers(0, 11), max_size=12), agreements(), _dates)
def test_validating_many_candidates_at_once_gives_each_the_reasons_of_validating_it_alone_r_val_1(
    drawn: list[Candidate], shared: list[int], agreement: Agreement, today: date
) -> None:
    """``validate_items`` decides the agreement's checks once and a customer's once per customer; candidates that
    share one ``Customer`` (as the proposal's do), some with and some without unmatched entries, still get exactly
    what ``validate_item`` gives each."""
    batch = [
        replace(c, customer=drawn[shared[n] % len(drawn)].customer) if n < len(shared) else c
        for n, c in enumerate(drawn)
    ]
    assert validation.validate_items(batch, agreement, today) == [
        tuple(validate_item(c, agreement, today)) for c in batch
    ]
    assert validation.validate_items([], agreement, today) == []


def test_the_checks_decided_once_read_only_the_agreement_or_the_customer_r_val_1() -> None:
    """What ``validate_items`` decides once per customer does not change with the item, and what it decides once
    per call changes with neither: a candidate differing only in its item keeps those reasons."""
    agreement = active_agreement(active=False, require_email=True)
    customer = valid_customer(
        name="",
        exempt=True,
        kind=CustomerKind.BUSINESS,
        address=Address(None, "155", "Oslo"),
        restricted_on=TODAY - timedelta(days=3),
    )
    one = valid_candidate(customer=customer, customer_has_unmatched_entries=True)
    other = replace(one, item=valid_item(id=2, reminder_count=1, exempt=True, due_date=None), voucher_type_mapped=False)
    once = validation.AGREEMENT_CHECKS | validation.CUSTOMER_CHECKS
    for rule in once:
        assert rule(one, agreement, TODAY) == rule(other, agreement, TODAY) is not None, rule.__name__
    for rule in validation.AGREEMENT_CHECKS:
        assert rule(one, agreement, TODAY) == rule(valid_candidate(), agreement, TODAY), rule.__name__
