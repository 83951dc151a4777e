"""Matching items against each other, and what the service hears about it (R-LED-4, R-LED-5)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.domain.errors import MatchingRefused
from krav.domain.ledger.matching import (
    Allocation,
    Skipped,
    apply_allocations,
    match_equal_amounts,
    match_item_against_item,
    match_references,
)
from krav.domain.ledger.open_items import OpenItem, SettledStatus, settled_status
from krav.domain.ledger.reporting import reports_for_settlements
from krav.domain.ledger.voucher_types import DEFAULT_VOUCHER_TYPES
from krav.domain.messages import CreditReported, DirectPaymentReported
from krav.domain.money import Money

D = date(2025, 3, 1)
TYPES = {t.code: t.collection_type for t in DEFAULT_VOUCHER_TYPES}


def item(
    id_: int, amount: str, *, number: str | None = None, vtype: int = 11, due: date | None = D, **kw: object
) -> OpenItem:
    money = Money.of(amount)
    return OpenItem(
        id=id_,
        customer=str(kw.pop("customer", "1")),
        number=number or str(id_),
        voucher_type=vtype,
        amount=money,
        remaining=money,
        invoice_date=D,
        due_date=due,
        **kw,  # type: ignore[arg-type]
    )


def test_settled_status_is_1_open_2_partly_open_3_settled_r_led_3() -> None:
    assert settled_status(Money.of(100), Money.of(100)) is SettledStatus.OPEN
    assert settled_status(Money.of(100), Money.of(40)) is SettledStatus.PARTLY_OPEN
    assert settled_status(Money.of(100), Money.of(0)) is SettledStatus.SETTLED
    assert settled_status(Money.of(-100), Money.of(-30)) is SettledStatus.PARTLY_OPEN


def test_a_payment_covers_the_oldest_due_invoice_first_r_led_4() -> None:
    old = item(1, "300", due=date(2025, 2, 1))
    new = item(2, "300", due=date(2025, 3, 1))
    pay = item(3, "-400", vtype=1)
    allocations = match_item_against_item([new, pay, old])
    state = apply_allocations({i.id: i for i in (old, new, pay)}, allocations)
    assert state[1].status is SettledStatus.SETTLED
    assert state[2].remaining == Money.of(200)
    assert state[3].status is SettledStatus.SETTLED


def test_item_against_item_needs_a_debit_and_a_credit_r_led_4() -> None:
    with pytest.raises(MatchingRefused, match="at least one debit"):
        match_item_against_item([item(1, "10"), item(2, "20")])
    with pytest.raises(MatchingRefused, match="at least two items"):
        match_item_against_item([item(1, "10")])
    with pytest.raises(MatchingRefused, match="different currencies"):
        match_item_against_item(
            [item(1, "10"), OpenItem(2, "1", "2", 1, Money.of(-10, "EUR"), Money.of(-10, "EUR"), D)]
        )


def test_item_against_item_accepts_items_with_a_collection_id_r_led_4() -> None:
    allocations = match_item_against_item([item(1, "10", collection_id="K-1"), item(2, "-10", vtype=1)])
    assert [a.amount for a in allocations] == [Money.of(10)]


def test_equal_amounts_pairs_only_cancelling_amounts_of_one_customer_r_led_4() -> None:
    allocations, skipped = match_equal_amounts(
        [item(1, "100"), item(2, "250"), item(3, "-250", vtype=1), item(4, "-100", vtype=1, customer="2")]
    )
    assert [(a.debit_id, a.credit_id) for a in allocations] == [(2, 3)]
    assert skipped == []


def _equal_amounts_by_walking_every_debit(items: list[OpenItem]) -> tuple[list[Allocation], list[Skipped]]:
    """R-LED-4 equal amounts as first written: every credit, oldest first, walks all debits oldest first."""
    open_items = [i for i in items if i.status is not SettledStatus.SETTLED]
    skipped = [
        Skipped(i.id, i.number, f"sent to collection ({i.collection_id}): match item against item")
        for i in open_items
        if i.collection_id
    ]
    usable = [i for i in open_items if not i.collection_id]
    debits = sorted(
        (i for i in usable if i.is_debit), key=lambda i: (i.due_date or i.invoice_date, i.invoice_date, i.number, i.id)
    )
    credits = sorted((i for i in usable if not i.is_debit), key=lambda i: (i.invoice_date, i.number, i.id))
    used: set[int] = set()
    allocations: list[Allocation] = []
    for credit in credits:
        for debit in debits:
            if debit.id in used:
                continue
            if (
                debit.customer == credit.customer
                and debit.currency == credit.currency
                and debit.remaining == -credit.remaining
            ):
                allocations.append(Allocation(debit.id, credit.id, debit.remaining))
                used.add(debit.id)
                break
    return allocations, skipped


@st.composite
def ledger_items(draw: st.DrawFn) -> list[OpenItem]:
    """Items of a few customers and two currencies whose amounts often cancel, dates and numbers that tie, some
    settled, partly settled or sent to collection, amounts written with and without øre digits."""
    count = draw(st.integers(min_value=0, max_value=40))
    items = []
    for n in range(1, count + 1):
        kroner = draw(st.sampled_from([50, 100, 250]))
        sign = draw(st.sampled_from([1, -1]))
        currency = draw(st.sampled_from(["NOK", "NOK", "EUR"]))
        amount = Money(Decimal(sign * kroner), currency)
        remaining = draw(
            st.sampled_from(
                [amount, Money(Decimal(sign * kroner).quantize(Decimal("0.01")), currency), Money.zero(currency)]
                + [Money(Decimal(sign * part), currency) for part in (50, 100) if part < kroner]
            )
        )
        invoiced = D + timedelta(days=draw(st.integers(min_value=0, max_value=3)))
        items.append(
            OpenItem(
                id=draw(st.sampled_from([n, 1000 - n])),  # unique, in an order of its own
                customer=draw(st.sampled_from(["1", "2"])),
                number=draw(st.sampled_from(["7", "10", f"F{n}"])),
                voucher_type=11 if sign > 0 else 1,
                amount=amount,
                remaining=remaining,
                invoice_date=invoiced,
                due_date=draw(st.none() | st.just(invoiced + timedelta(days=draw(st.integers(-2, 20))))),
                collection_id=draw(st.sampled_from([None, None, None, None, f"K-{n}"])),
            )
        )
    return draw(st.permutations(items))


@given(ledger_items())
@settings(max_examples=400)
def test_equal_amounts_pairs_exactly_as_walking_every_debit_for_every_credit_r_led_4(items: list[OpenItem]) -> None:
    """Finding the debit by customer, currency and amount makes the same pairs, in the same order, as walking
    all debits, oldest first, for each credit, oldest first."""
    assert match_equal_amounts(items) == _equal_amounts_by_walking_every_debit(items)


def test_equal_amounts_gives_each_credit_the_oldest_cancelling_debit_not_yet_taken_r_led_4() -> None:
    items = [
        item(1, "100", due=date(2025, 3, 20)),
        item(2, "100", due=date(2025, 3, 5)),
        item(3, "100", due=None),  # the invoice date, 2025-03-01, is its date
        item(4, "-100", vtype=1),
        item(5, "-100", vtype=1),
        item(6, "-100.00", vtype=1, customer="2"),
        item(7, "-100", vtype=1),
        item(8, "-100", vtype=1),
    ]
    allocations, _ = match_equal_amounts(items)
    assert [(a.debit_id, a.credit_id, a.amount) for a in allocations] == [
        (3, 4, Money.of(100)),
        (2, 5, Money.of(100)),
        (1, 7, Money.of(100)),
    ]


def test_equal_amounts_and_references_refuse_collection_items_r_led_4() -> None:
    items = [item(1, "100", collection_id="K-1"), item(2, "-100", vtype=1, reference="1")]
    for matcher in (match_equal_amounts, match_references):
        with pytest.raises(MatchingRefused, match=r"1 \(K-1\)"):
            matcher(items, strict=True)
        allocations, skipped = matcher(items)
        assert allocations == []
        assert [s.item_id for s in skipped] == [1]


def test_references_match_by_invoice_number_or_kid_r_led_4() -> None:
    allocations, _ = match_references(
        [
            item(1, "100", number="1001"),
            item(2, "100", number="1002", kid="0010022"),
            item(3, "-60", vtype=1, reference="1001"),
            item(4, "-100", vtype=1, kid="0010022"),
            item(5, "-5", vtype=1, reference="nope"),
        ]
    )
    assert [(a.debit_id, a.credit_id, a.amount) for a in allocations] == [(1, 3, Money.of(60)), (2, 4, Money.of(100))]


@given(
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6),
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6),
)
def test_matching_moves_the_same_amount_off_both_sides_r_led_4(debits: list[int], credits: list[int]) -> None:
    items = [item(n, str(Money.from_ore(ore).amount)) for n, ore in enumerate(debits, start=1)]
    items += [item(100 + n, str(-Money.from_ore(ore).amount), vtype=1) for n, ore in enumerate(credits, start=1)]
    allocations = match_item_against_item(items)
    state = apply_allocations({i.id: i for i in items}, allocations)
    moved = sum(a.amount.ore for a in allocations)
    assert moved == min(sum(debits), sum(credits))
    assert sum(i.remaining.ore for i in state.values()) == sum(debits) - sum(credits)
    assert all(abs(i.remaining.ore) <= abs(i.amount.ore) for i in state.values())


def _reports(credit_type: int) -> list[object]:
    invoice = item(1, "1000", collection_id="K-1")
    settling = item(2, "-400", vtype=credit_type)
    allocations = match_item_against_item([invoice, settling])
    return list(
        reports_for_settlements(
            allocations, {1: invoice, 2: settling}, TYPES.get, company="974760673", on=D, voucher_number_of=lambda _: 9
        )
    )


def test_payment_types_are_reported_as_direct_payments_r_led_5() -> None:
    (report,) = _reports(1)
    assert isinstance(report, DirectPaymentReported)
    assert (report.collection_id, report.amount, report.voucher_number) == ("K-1", Money.of(400), 9)


def test_credit_types_are_reported_as_credit_notes_r_led_5() -> None:
    (report,) = _reports(12)
    assert isinstance(report, CreditReported)


@pytest.mark.parametrize("vtype", [2, 17, 198])
def test_none_interest_and_settlement_types_are_not_reported_r_led_5(vtype: int) -> None:
    assert _reports(vtype) == []


def test_items_without_a_collection_id_are_never_reported_r_led_5() -> None:
    invoice, pay = item(1, "10"), item(2, "-10", vtype=1)
    allocations = match_item_against_item([invoice, pay])
    assert (
        reports_for_settlements(
            allocations, {1: invoice, 2: pay}, TYPES.get, company="x", on=D, voucher_number_of=lambda _: 1
        )
        == []
    )
