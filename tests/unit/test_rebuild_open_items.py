"""The pure rule R-IMP-1: open items rebuilt from opening balances and ledger lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.domain.errors import ImportRefused
from krav.domain.ledger.rebuild import (
    CustomerBalances,
    DueRule,
    LedgerLine,
    NumberRule,
    RebuildResult,
    RebuiltItem,
    Settlement,
    SettleRule,
    rebuild_open_items,
    still_open,
)
from krav.domain.money import Money

START = date(2025, 1, 1)


def nok(amount: str | int) -> Money:
    return Money.of(amount)


def line(
    tid: str,
    amount: str | int,
    day: int,
    *,
    customer: str = "K1",
    rid: str = "1",
    ref: str | None = None,
    doc: str | None = None,
    due: date | None = None,
) -> LedgerLine:
    return LedgerLine(
        transaction_id=tid,
        record_id=rid,
        customer=customer,
        transaction_date=START + timedelta(days=day - 1),
        amount=nok(amount),
        reference_number=ref,
        source_document_id=doc,
        due_date=due,
    )


def rebuild(
    lines: Sequence[LedgerLine],
    *,
    opening: str | int = 0,
    terms: int | None = None,
    default_terms_days: int = 14,
) -> RebuildResult:
    """One customer K1 whose closing balance is what the lines add up to."""
    closing_money = Money.sum([nok(opening), *(x.amount for x in lines)])
    balances = CustomerBalances("K1", opening=nok(opening), closing=closing_money, payment_terms_days=terms)
    return rebuild_open_items([balances], lines, period_start=START, default_terms_days=default_terms_days)


def by_number(result: RebuildResult) -> dict[str, RebuiltItem]:
    return {item.number: item for item in result.items}


# -- items and their numbers --------------------------------------------------------------------------------


def test_the_opening_balance_is_one_item_dated_the_period_start_r_imp_1() -> None:
    result = rebuild([], opening="1500.00")
    (item,) = result.items
    assert (item.number, item.number_rule, item.amount, item.remaining) == (
        "IB-K1",
        NumberRule.OPENING_BALANCE,
        nok(1500),
        nok(1500),
    )
    assert (item.invoice_date, item.due_date, item.due_rule) == (START, START, DueRule.OPENING_BALANCE)


def test_a_zero_opening_balance_makes_no_item_and_a_credit_opening_balance_is_a_credit_item_r_imp_1() -> None:
    assert rebuild([], opening=0).items == ()
    (credit,) = rebuild([], opening=-250).items
    assert (credit.is_credit, credit.remaining, credit.due_date, credit.due_rule) == (
        True,
        nok(-250),
        None,
        DueRule.CREDIT,
    )


def test_an_invoice_is_numbered_by_reference_number_else_source_document_else_transaction_r_imp_1() -> None:
    result = rebuild(
        [
            line("10", 100, 2, ref="F-1", doc="D-1"),
            line("11", 200, 3, doc="D-2"),
            line("12", 300, 4),
        ]
    )
    assert [(i.number, i.number_rule, i.number_note) for i in result.items] == [
        ("F-1", NumberRule.REFERENCE_NUMBER, None),
        ("D-2", NumberRule.SOURCE_DOCUMENT_ID, None),
        ("12", NumberRule.TRANSACTION_ID, None),
    ]


def test_a_value_shared_by_several_lines_numbers_none_of_them_and_the_note_says_why() -> None:
    """SAF-T files reuse SourceDocumentID (the official example puts 1234 on six invoices): it identifies none."""
    result = rebuild(
        [
            line("10", 100, 2, doc="1234"),
            line("11", 200, 3, doc="1234"),
            line("12", 300, 4, rid="1", doc="B1"),
            line("12", 400, 4, rid="2", doc="B2"),
            line("13", 50, 5, rid="1"),
            line("13", 60, 5, rid="2"),
        ]
    )
    assert [(i.number, i.number_rule, i.number_note) for i in result.items] == [
        ("10", NumberRule.TRANSACTION_ID, "SourceDocumentID 1234 is on 2 lines"),
        ("11", NumberRule.TRANSACTION_ID, "SourceDocumentID 1234 is on 2 lines"),
        ("B1", NumberRule.SOURCE_DOCUMENT_ID, None),
        ("B2", NumberRule.SOURCE_DOCUMENT_ID, None),
        ("13-1", NumberRule.TRANSACTION_ID, "TransactionID 13 is on 2 lines; RecordID added"),
        ("13-2", NumberRule.TRANSACTION_ID, "TransactionID 13 is on 2 lines; RecordID added"),
    ]


def test_numbers_are_unique_across_customers_as_invoice_numbers_are_one_series_per_company() -> None:
    customers = [CustomerBalances(c, nok(0), nok(100)) for c in ("A", "B")]
    lines = [line("1", 100, 2, customer="A", doc="77"), line("2", 100, 2, customer="B", doc="77")]
    result = rebuild_open_items(customers, lines, period_start=START)
    assert [(i.customer, i.number) for i in result.items] == [("A", "1"), ("B", "2")]


# -- settling -----------------------------------------------------------------------------------------------


def test_a_credit_naming_an_invoice_settles_that_invoice_not_the_oldest_r_imp_1() -> None:
    result = rebuild(
        [
            line("10", 1000, 2, ref="5001"),
            line("11", 400, 3, ref="5002"),
            line("12", -400, 10, ref="5002"),
        ],
        opening=300,
    )
    items = by_number(result)
    assert items["IB-K1"].remaining == nok(300)
    assert items["5001"].remaining == nok(1000)
    assert items["5002"].remaining == nok(0)
    assert items["12"].remaining == nok(0)
    assert [(s.debit, s.credit, s.amount, s.rule) for s in result.settlements] == [
        ("5002", "12", nok(400), SettleRule.REFERENCE_NUMBER)
    ]


def test_a_credit_may_name_an_invoice_by_what_the_file_calls_it_when_its_number_fell_back() -> None:
    """Two invoices share SourceDocumentID 77, so both are numbered by TransactionID; a payment naming 77
    names both, and settles them oldest first."""
    result = rebuild([line("10", 100, 2, doc="77"), line("11", 100, 3, doc="77"), line("12", -150, 4, ref="77")])
    items = by_number(result)
    assert (items["10"].remaining, items["11"].remaining) == (nok(0), nok(50))
    assert {s.rule for s in result.settlements} == {SettleRule.REFERENCE_NUMBER}


def test_other_credits_settle_the_oldest_open_debits_first_by_date_then_number_r_imp_1() -> None:
    result = rebuild(
        [
            line("100", 300, 5, ref="100"),
            line("99", 200, 5, ref="99"),
            line("98", 100, 7, ref="98"),
            line("50", -350, 8),
        ],
        opening=50,
    )
    items = by_number(result)
    # IB 50 (01-01) first, then 99 before 100 (same date, lower number): 50 + 200 + 100 of 100.
    assert [(n, items[n].remaining) for n in ("IB-K1", "99", "100", "98")] == [
        ("IB-K1", nok(0)),
        ("99", nok(0)),
        ("100", nok(200)),
        ("98", nok(100)),
    ]
    assert all(s.rule is SettleRule.OLDEST_FIRST for s in result.settlements)


def test_a_payment_before_any_invoice_stays_an_unmatched_credit_r_imp_1() -> None:
    """A credit settles what was open at its date; a prepayment is left for the creditor to match."""
    result = rebuild([line("10", -500, 2), line("11", 500, 9, ref="F9")])
    items = by_number(result)
    assert (items["10"].remaining, items["F9"].remaining) == (nok(-500), nok(500))
    assert [i.number for i in result.open_items()] == ["10", "F9"]


def test_a_credit_naming_an_invoice_pays_only_that_invoice_and_the_excess_stays_a_credit() -> None:
    result = rebuild([line("10", 100, 2, ref="A"), line("11", 100, 3, ref="B"), line("12", -150, 4, ref="A")])
    items = by_number(result)
    assert (items["A"].remaining, items["B"].remaining, items["12"].remaining) == (nok(0), nok(100), nok(-50))


def test_a_credit_whose_reference_names_no_invoice_keeps_it_as_its_own_number_and_settles_oldest_first() -> None:
    result = rebuild([line("10", 100, 2, ref="F1"), line("11", -40, 3, ref="KN-7")])
    items = by_number(result)
    assert (items["KN-7"].number_rule, items["KN-7"].remaining) == (NumberRule.REFERENCE_NUMBER, nok(0))
    assert items["F1"].remaining == nok(60)


def test_settled_items_are_kept_with_nothing_remaining_and_the_helper_lists_the_open_ones() -> None:
    result = rebuild([line("10", 100, 2), line("11", 100, 3), line("12", -100, 4)])
    assert [(i.number, i.remaining) for i in result.items] == [("10", nok(0)), ("11", nok(100)), ("12", nok(0))]
    assert [i.number for i in result.open_items()] == ["11"]
    assert still_open(result.items) == result.open_items()


# -- due dates ----------------------------------------------------------------------------------------------


def test_due_date_is_the_lines_due_date_else_customer_terms_else_default_terms_r_imp_1() -> None:
    lines = [line("10", 100, 2, due=date(2025, 3, 1)), line("11", 100, 2)]
    with_terms = by_number(rebuild(lines, terms=30))
    assert (with_terms["10"].due_date, with_terms["10"].due_rule) == (date(2025, 3, 1), DueRule.DUE_DATE)
    assert (with_terms["11"].due_date, with_terms["11"].due_rule) == (date(2025, 2, 1), DueRule.CUSTOMER_TERMS)
    default = by_number(rebuild(lines))["11"]
    assert (default.due_date, default.due_rule) == (date(2025, 1, 16), DueRule.DEFAULT_TERMS)
    agreement = by_number(rebuild(lines, default_terms_days=20))["11"]
    assert agreement.due_date == date(2025, 1, 22)


def test_zero_payment_terms_are_terms_too() -> None:
    item = by_number(rebuild([line("10", 100, 2)], terms=0))["10"]
    assert (item.due_date, item.due_rule) == (date(2025, 1, 2), DueRule.CUSTOMER_TERMS)


# -- refusals -----------------------------------------------------------------------------------------------


def test_items_not_summing_to_the_closing_balance_refuse_the_rebuild_naming_every_customer_r_imp_1() -> None:
    customers = [
        CustomerBalances("A", nok(100), nok(250)),
        CustomerBalances("B", nok(0), nok(0)),
        CustomerBalances("C", nok(0), nok(-10)),
    ]
    lines = [line("1", 100, 2, customer="A"), line("2", 40, 3, customer="B")]
    with pytest.raises(ImportRefused) as refused:
        rebuild_open_items(customers, lines, period_start=START, source="saft.xml")
    problems = refused.value.problems
    assert [p.where for p in problems] == ["customer A", "customer B", "customer C"]
    assert problems[0].field == "closing balance"
    assert "the items sum to 200,00 NOK debit" in problems[0].message
    assert "the closing balance is 250,00 NOK debit" in problems[0].message
    assert "the closing balance is 10,00 NOK credit" in problems[2].message
    assert refused.value.file == "saft.xml"


def test_a_line_for_a_customer_missing_from_the_register_is_refused() -> None:
    with pytest.raises(ImportRefused) as refused:
        rebuild_open_items([], [line("7", 100, 2, customer="X", rid="3")], period_start=START)
    (problem,) = refused.value.problems
    assert problem.where == "transaction 7, record 3"
    assert "customer X is not in the customer register" in problem.message


def test_a_customer_listed_twice_is_refused() -> None:
    twice = [CustomerBalances("A", nok(0), nok(0))] * 2
    with pytest.raises(ImportRefused, match="listed 2 times"):
        rebuild_open_items(twice, [], period_start=START)


# -- properties ---------------------------------------------------------------------------------------------

amounts = st.integers(min_value=-50_000, max_value=50_000).filter(lambda n: n != 0)
lines_strategy = st.lists(
    st.tuples(amounts, st.integers(min_value=1, max_value=60), st.sampled_from([None, "A", "B", "C"])),
    max_size=12,
)


@given(opening=st.integers(min_value=-10_000, max_value=10_000), raw=lines_strategy)
def test_rebuilt_items_always_sum_to_opening_plus_lines_and_never_cross_zero_r_imp_1(
    opening: int, raw: list[tuple[int, int, str | None]]
) -> None:
    lines = [line(str(n), str(Money.from_ore(ore).amount), day, ref=ref) for n, (ore, day, ref) in enumerate(raw, 1)]
    result = rebuild(lines, opening=opening)
    total = Money.sum(i.remaining for i in result.items)
    assert total == Money.sum([nok(opening), *(x.amount for x in lines)])
    for item in result.items:
        assert abs(item.remaining) <= abs(item.amount)
        assert item.remaining.is_zero() or (item.remaining.is_positive() == item.amount.is_positive())
    # A credit left open by FIFO means nothing dated on or before it was still open.
    for credit in result.open_items():
        names = {d.number for d in result.items if d.is_debit} | {d.reference for d in result.items if d.is_debit}
        if credit.is_credit and credit.reference not in names:
            assert not any(d.is_open and d.is_debit and d.invoice_date <= credit.invoice_date for d in result.items)


def _settled_by_walking_every_debit(items: list[RebuiltItem]) -> tuple[list[RebuiltItem], list[Settlement]]:
    """One customer's items settled as R-IMP-1 was first written: each credit walks every debit it may settle."""
    items = list(items)
    settlements: list[Settlement] = []

    def natural(number: str) -> tuple[tuple[int, int | str], ...]:
        return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", number) if p)

    def apply(credit: int, targets: list[int], rule: SettleRule) -> None:
        for debit in sorted(targets, key=lambda i: (items[i].invoice_date, natural(items[i].number))):
            left = -items[credit].remaining
            if left.is_zero():
                return
            amount = left.min(items[debit].remaining)
            if not amount.is_positive():
                continue
            items[debit] = replace(items[debit], remaining=items[debit].remaining - amount)
            items[credit] = replace(items[credit], remaining=items[credit].remaining + amount)
            settlements.append(
                Settlement(items[debit].customer, items[debit].number, items[credit].number, amount, rule)
            )

    debits = [i for i, item in enumerate(items) if item.is_debit]
    unnamed: list[int] = []
    for credit in (i for i, item in enumerate(items) if item.is_credit):
        ref = items[credit].reference
        named = [
            d
            for d in debits
            if ref
            and ref in (items[d].number, items[d].reference, items[d].source_document_id, items[d].transaction_id)
        ]
        if named:
            apply(credit, named, SettleRule.REFERENCE_NUMBER)
        else:
            unnamed.append(credit)
    for credit in unnamed:
        apply(
            credit, [d for d in debits if items[d].invoice_date <= items[credit].invoice_date], SettleRule.OLDEST_FIRST
        )
    return items, settlements


many_lines = st.lists(
    st.tuples(
        st.sampled_from(["K1", "K2"]),
        st.sampled_from([-30_000, -10_000, -5_000, 5_000, 10_000, 25_000]),
        st.integers(min_value=1, max_value=6),
        st.sampled_from([None, None, "F1", "F2", "F10", "7"]),
        st.sampled_from([None, "D1", "D2", "7"]),
    ),
    max_size=40,
)


@given(raw=many_lines, openings=st.tuples(st.sampled_from([0, 8_000, -4_000]), st.sampled_from([0, 12_000])))
@settings(max_examples=300)
def test_rebuild_settles_exactly_as_walking_every_debit_for_every_credit_r_imp_1(
    raw: list[tuple[str, int, int, str | None, str | None]], openings: tuple[int, int]
) -> None:
    """The same settlements, in the same order, and the same remaining amounts as when every credit walked all
    of its customer's debits: with numbers, references and dates that tie, credits naming several invoices
    and credits that name nothing."""
    lines = [
        line(str(n), str(Money.from_ore(ore).amount), day, customer=customer, ref=ref, doc=doc)
        for n, (customer, ore, day, ref, doc) in enumerate(raw, 1)
    ]
    customers = [
        CustomerBalances(
            number,
            opening=Money.from_ore(opening),
            closing=Money.sum([Money.from_ore(opening), *(x.amount for x in lines if x.customer == number)]),
        )
        for number, opening in zip(("K1", "K2"), openings, strict=True)
    ]
    result = rebuild_open_items(customers, lines, period_start=START)
    expected_items: list[RebuiltItem] = []
    expected_settlements: list[Settlement] = []
    for balances in customers:
        unsettled = [replace(i, remaining=i.amount) for i in result.items if i.customer == balances.customer]
        settled, settlements = _settled_by_walking_every_debit(unsettled)
        expected_items += settled
        expected_settlements += settlements
    assert list(result.items) == expected_items
    assert list(result.settlements) == expected_settlements
