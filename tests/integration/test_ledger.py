"""The built-in ledger on SQLite and PostgreSQL: posting, open items, matching, reporting (R-LED-1 … R-LED-5)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.bootstrap import unit_of_work
from krav.domain.errors import Conflict, FieldError, MatchingRefused, NotFound, UnbalancedVoucher
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.open_items import SettledStatus
from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.messages import CreditReported, DirectPaymentReported
from krav.domain.money import Money
from krav.domain.party import Company
from krav.services import ledger
from krav.services.ports import UnitOfWork
from tests.builders import ORGNO, consumer, credit_note, invoice, make_company, payment, post

D = date(2025, 3, 1)


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001"), consumer("10002", "Kari Nordmann")])
    return unit


def _set_collection_id(engine: Engine, number: str, collection_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(t.open_item.update().where(t.open_item.c.number == number).values(collection_id=collection_id))


def _item(uow: UnitOfWork, number: str):  # type: ignore[no-untyped-def]
    return next(i for i in ledger.open_items(uow, ORGNO, open_only=False) if i.number == number)


def test_a_new_company_gets_the_standard_chart_and_the_default_voucher_types_of_r_led_2(
    uow: UnitOfWork,
) -> None:
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        types = uow.ledger.voucher_types(company.id)
        chart = uow.ledger.accounts(company.id)
    assert {code: t.collection_type for code, t in types.items()} == {
        1: CollectionVoucherType.PAYMENT,
        2: CollectionVoucherType.NONE,
        11: CollectionVoucherType.INVOICE,
        12: CollectionVoucherType.CREDIT,
        17: CollectionVoucherType.INTEREST_AND_FEES,
        18: CollectionVoucherType.INTEREST_AND_FEES,
        198: CollectionVoucherType.SETTLEMENT,
    }
    assert {"1500", "1920", "1921", "7830", "3900", "8040"} <= set(chart)
    assert chart["1500"].receivable
    assert not chart["1920"].receivable
    assert chart["1921"].name == "Mellomværende innfordring"


def test_voucher_types_are_editable_and_new_ones_can_be_added(uow: UnitOfWork) -> None:
    ledger.set_voucher_type(uow, ORGNO, vt.VoucherType(5, "Bank 2", CollectionVoucherType.PAYMENT))
    ledger.set_voucher_type(uow, ORGNO, vt.VoucherType(17, "Renter", CollectionVoucherType.NONE))
    with uow:
        types = uow.ledger.voucher_types(1)
    assert types[5].collection_type is CollectionVoucherType.PAYMENT
    assert types[17].collection_type is CollectionVoucherType.NONE


def test_a_company_with_an_invalid_organisation_number_is_refused(engine: Engine) -> None:
    with pytest.raises(FieldError, match=r"orgno.*not a valid Norwegian organisation number"):
        ledger.create_company(unit_of_work(engine), Company(orgno="123456789", name="Feil AS"))


def test_the_same_company_cannot_be_created_twice(uow: UnitOfWork) -> None:
    with pytest.raises(Conflict, match="exists already"):
        make_company(uow)


def test_an_unbalanced_voucher_is_refused_and_nothing_of_the_batch_is_stored_r_led_1(
    uow: UnitOfWork,
) -> None:
    good = invoice("1001", "10001", "1000.00", D, date(2025, 3, 15))
    bad = Voucher(
        vt.OUTGOING_INVOICE,
        D,
        (
            VoucherLine("1500", Money.of("100"), customer="10001", item="1002"),
            VoucherLine("3000", Money.of("-99.99")),
        ),
    )
    with pytest.raises(UnbalancedVoucher, match=r"voucher 2: the lines in NOK sum to 0.01, not 0.00"):
        post(uow, good, bad)
    assert ledger.open_items(uow, ORGNO, open_only=False) == []
    assert ledger.balance(uow, ORGNO).trial_balance == {}


def test_each_currency_of_a_voucher_must_balance_on_its_own_r_led_1(uow: UnitOfWork) -> None:
    mixed = Voucher(
        vt.BANK,
        D,
        (VoucherLine("1920", Money.of("100", "NOK")), VoucherLine("1920", Money.of("-100", "EUR"))),
    )
    with pytest.raises(UnbalancedVoucher, match=r"in EUR sum to -100\.00"):
        post(uow, mixed)


def test_an_unknown_account_or_customer_is_named_with_voucher_and_line(uow: UnitOfWork) -> None:
    unknown_account = Voucher(vt.BANK, D, (VoucherLine("1999", Money.of("1")), VoucherLine("1920", Money.of("-1"))))
    with pytest.raises(FieldError, match=r"voucher 1, line 1: account: unknown account '1999'"):
        post(uow, unknown_account)
    with pytest.raises(FieldError, match=r"line 1: customer: unknown customer '99999'"):
        post(uow, invoice("1001", "99999", "10.00", D, D))


def test_posting_an_invoice_creates_a_fully_open_item_r_led_3(uow: UnitOfWork) -> None:
    result = post(uow, invoice("1001", "10001", "1000.00", D, date(2025, 3, 15)))
    (item,) = result.items
    assert (item.number, item.customer, item.amount, item.remaining) == (
        "1001",
        "10001",
        Money.of(1000),
        Money.of(1000),
    )
    assert item.status is SettledStatus.OPEN
    assert (item.reminder_count, item.reminded_on, item.collection_id, item.exempt) == (0, None, None, False)
    assert item.due_date == date(2025, 3, 15)
    assert result.vouchers[0].number == 1


def test_a_payment_that_settles_part_then_all_moves_the_status_from_1_to_2_to_3_r_led_3(
    uow: UnitOfWork,
) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, date(2025, 3, 15)))
    post(uow, payment("10001", "400.00", date(2025, 3, 20), settles=("1001",)))
    assert _item(uow, "1001").status is SettledStatus.PARTLY_OPEN
    assert _item(uow, "1001").remaining == Money.of("600.00")
    post(uow, payment("10001", "600.00", date(2025, 3, 21), settles=("1001",)))
    assert _item(uow, "1001").status is SettledStatus.SETTLED
    check = ledger.balance(uow, ORGNO)
    assert check.balanced, check


def test_an_invoice_number_cannot_be_used_twice(uow: UnitOfWork) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D))
    with pytest.raises(Conflict, match="invoice number 1001 exists already"):
        post(uow, invoice("1001", "10002", "5.00", D, D))


def test_posted_vouchers_cannot_be_changed_or_deleted_by_the_database_r_led_1(engine: Engine, uow: UnitOfWork) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D))
    for statement in (
        t.voucher.update().values(text="changed"),
        t.voucher.delete(),
        t.voucher_line.update().values(amount_ore=1),
        t.voucher_line.delete(),
        t.batch.delete(),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.sum(t.voucher_line.c.amount_ore))).scalar_one() == 0
        assert conn.execute(sa.select(t.voucher.c.text)).scalar_one() == "Faktura 1001"


def test_a_reversal_refers_to_the_original_and_nets_it_to_zero_r_led_1(uow: UnitOfWork) -> None:
    from krav.domain.ledger.vouchers import reversal_of

    result = post(uow, payment("10001", "250.00", D))
    reversal = reversal_of(result.vouchers[0], date(2025, 3, 2))
    posted = post(uow, reversal).vouchers[0]
    assert posted.reverses == result.vouchers[0].id
    assert all(m.is_zero() for m in ledger.balance(uow, ORGNO).trial_balance.values())


def test_several_items_can_be_matched_item_against_item_at_once_r_led_4(uow: UnitOfWork) -> None:
    post(
        uow,
        invoice("1001", "10001", "300.00", D, date(2025, 3, 10)),
        invoice("1002", "10001", "200.00", D, date(2025, 3, 20)),
        payment("10001", "350.00", date(2025, 3, 25)),
        credit_note("10001", "150.00", date(2025, 3, 26)),
    )
    ids = [i.id for i in ledger.open_items(uow, ORGNO)]
    result = ledger.match_items(uow, ORGNO, ids, on=date(2025, 3, 27))
    assert sum((a.amount for a in result.allocations), Money.zero()) == Money.of("500.00")
    assert all(i.status is SettledStatus.SETTLED for i in ledger.open_items(uow, ORGNO, open_only=False))
    assert ledger.balance(uow, ORGNO).balanced


def test_items_of_two_customers_cannot_be_matched(uow: UnitOfWork) -> None:
    post(uow, invoice("1001", "10001", "300.00", D, D), payment("10002", "300.00", D))
    ids = [i.id for i in ledger.open_items(uow, ORGNO)]
    with pytest.raises(MatchingRefused, match="different customers"):
        ledger.match_items(uow, ORGNO, ids, on=D)


def test_equal_amounts_match_a_payment_to_the_invoice_of_the_same_amount_r_led_4(uow: UnitOfWork) -> None:
    post(
        uow,
        invoice("1001", "10001", "300.00", D, D),
        invoice("1002", "10001", "450.00", D, D),
        payment("10001", "450.00", D),
    )
    result = ledger.match_bulk(uow, ORGNO, method="amounts", on=D)
    (allocation,) = result.allocations
    assert allocation.amount == Money.of("450.00")
    assert _item(uow, "1002").status is SettledStatus.SETTLED
    assert _item(uow, "1001").status is SettledStatus.OPEN


def test_references_match_a_payment_to_the_invoice_it_names_r_led_4(uow: UnitOfWork) -> None:
    post(uow, invoice("1001", "10001", "300.00", D, D), invoice("1002", "10001", "300.00", D, D))
    pay = payment("10001", "300.00", D)
    pay = Voucher(
        pay.voucher_type,
        pay.date,
        (pay.lines[0], VoucherLine("1500", Money.of("-300"), "10001", reference="1002")),
    )
    post(uow, pay)
    ledger.match_bulk(uow, ORGNO, method="references", on=D)
    assert _item(uow, "1002").status is SettledStatus.SETTLED
    assert _item(uow, "1001").status is SettledStatus.OPEN


@pytest.mark.parametrize("method", ["amounts", "references"])
def test_items_with_a_collection_id_refuse_equal_amount_and_reference_matching_r_led_4(
    engine: Engine, uow: UnitOfWork, method: str
) -> None:
    post(uow, invoice("1001", "10001", "300.00", D, D))
    pay = payment("10001", "300.00", D)
    post(
        uow,
        Voucher(
            pay.voucher_type,
            D,
            (pay.lines[0], VoucherLine("1500", Money.of("-300"), "10001", reference="1001")),
        ),
    )
    _set_collection_id(engine, "1001", "K-1")
    ids = [i.id for i in ledger.open_items(uow, ORGNO)]
    with pytest.raises(
        MatchingRefused, match=r"not allowed for items sent to collection: 1001 \(K-1\).*item against item"
    ):
        ledger.match_bulk(uow, ORGNO, method=method, on=D, item_ids=ids)
    result = ledger.match_bulk(uow, ORGNO, method=method, on=D)
    assert result.allocations == ()
    assert [s.number for s in result.skipped] == ["1001"]
    # item against item is the one way allowed
    ledger.match_items(uow, ORGNO, ids, on=D)
    assert _item(uow, "1001").status is SettledStatus.SETTLED


def test_a_payment_settling_a_collection_item_is_reported_as_a_direct_payment_r_led_5(
    engine: Engine, uow: UnitOfWork
) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D))
    _set_collection_id(engine, "1001", "K-7")
    post(uow, payment("10001", "400.00", date(2025, 4, 2), settles=("1001",)))
    (report,) = ledger.reported_messages(uow, ORGNO)
    assert isinstance(report, DirectPaymentReported)
    assert (report.collection_id, report.amount, report.paid_on) == ("K-7", Money.of(400), date(2025, 4, 2))


def test_a_credit_note_settling_a_collection_item_is_reported_as_a_credit_r_led_5(
    engine: Engine, uow: UnitOfWork
) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D))
    _set_collection_id(engine, "1001", "K-7")
    post(uow, credit_note("10001", "1000.00", date(2025, 4, 3), settles=("1001",)))
    (report,) = ledger.reported_messages(uow, ORGNO)
    assert isinstance(report, CreditReported)
    assert (report.amount, report.credited_on) == (Money.of(1000), date(2025, 4, 3))


def test_a_loss_write_off_closes_the_item_in_the_books_and_is_not_reported_r_led_5(
    engine: Engine, uow: UnitOfWork
) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D))
    _set_collection_id(engine, "1001", "K-7")
    result = ledger.write_off(uow, ORGNO, "1001", on=date(2025, 5, 1))
    assert result.reports == ()
    assert ledger.reported_messages(uow, ORGNO) == []
    assert _item(uow, "1001").status is SettledStatus.SETTLED
    tb = ledger.balance(uow, ORGNO)
    assert tb.trial_balance["7830 NOK"] == Money.of("1000.00")
    assert tb.balanced


def test_matching_by_hand_item_against_item_reports_too_r_led_5(engine: Engine, uow: UnitOfWork) -> None:
    post(uow, invoice("1001", "10001", "1000.00", D, D), payment("10001", "1000.00", date(2025, 4, 2)))
    _set_collection_id(engine, "1001", "K-9")
    ids = [i.id for i in ledger.open_items(uow, ORGNO)]
    ledger.match_items(uow, ORGNO, ids, on=date(2025, 4, 5))
    (report,) = ledger.reported_messages(uow, ORGNO)
    assert isinstance(report, DirectPaymentReported)
    assert report.paid_on == date(2025, 4, 5)


def test_settling_an_unknown_invoice_is_refused_and_nothing_is_stored(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="settles '4040'"):
        post(uow, payment("10001", "100.00", D, settles=("4040",)))
    assert ledger.open_items(uow, ORGNO, open_only=False) == []


def test_a_batch_needs_vouchers(uow: UnitOfWork) -> None:
    with pytest.raises(FieldError, match="no vouchers"):
        ledger.post_batch(uow, ORGNO, Batch(()))


def test_one_voucher_can_settle_invoices_of_several_customers_each_against_its_own_r_led_4(uow: UnitOfWork) -> None:
    """A settlement or a bank batch pays invoices of several customers in one voucher: each receivables line
    must be matched against its own customer's invoice, whatever order the items come back in."""
    post(
        uow,
        invoice("1001", "10002", "300.00", D, D),
        invoice("1002", "10001", "200.00", D, D),
    )
    both = Voucher(
        vt.BANK,
        date(2025, 3, 5),
        (
            VoucherLine("1920", Money.of("500.00")),
            VoucherLine("1500", Money.of("-300.00"), customer="10002", settles=("1001",)),
            VoucherLine("1500", Money.of("-200.00"), customer="10001", settles=("1002",)),
        ),
    )
    post(uow, both)
    assert _item(uow, "1001").status is SettledStatus.SETTLED
    assert _item(uow, "1002").status is SettledStatus.SETTLED
    assert ledger.balance(uow, ORGNO).balanced
