"""Money in the creditor's ledger on SQLite and PostgreSQL: direct payments (R-LED-5, R-LED-6), the creditor's own
bank files, and the settlement posted when the service remits (R-LED-7).

The set-up (one creditor, notice as first letter, interest at 12.50 % in 2025 H1): debtor 10001 owes 1001
(1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all issued 1 March and due 14 March 2025. The run of
28 March submits them (collection IDs K1-000001 … K1-000003) and sends the notices, and the ledger's items carry
what the service charged: 1001 fee 35.00 and interest 4.79 (1000 × 0.125 × 14 / 365 = 4.7945), 1002 interest
2.40, 2001 fee 35.00 and interest 3.84. Letter 20001/1 totals 838.84.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import AccountingSection, Agreement
from krav.domain.collection.claims import Claim, Stage
from krav.domain.kid import KidScheme, make_kid
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.accounts import Account, AccountKind
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.ledger.vouchers import Batch, PostedVoucher, Voucher, VoucherLine
from krav.domain.messages import DirectPaymentReported
from krav.domain.money import Money
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from krav.services.collection import payments
from krav.services.ports import ClaimFilter, UnitOfWork
from tests import camt_variants as variants
from tests.builders import FIGURES, ORGNO, SERVICE, consumer, invoice, make_company, post, run_day

RATES = load_rate_tables()
CREDITOR_ACCOUNT = "86011117947"
NOTICE_DAY = date(2025, 3, 28)
PAY_DAY = date(2025, 4, 1)

CUSTOM = AccountingSection(fee_income="3910", interest_income="8055")


def _setup(uow: UnitOfWork, accounting: AccountingSection) -> None:
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        uow,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    if accounting != AccountingSection():
        ledger.add_account(uow, ORGNO, Account("3910", "Purregebyr, innfordring", AccountKind.INCOME))
        ledger.add_account(uow, ORGNO, Account("8055", "Forsinkelsesrente, innfordring", AccountKind.INCOME))
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(
                active=True,
                activated_on=NOTICE_DAY,
                accepted_by="test",
                collection_list_email="l@example.no",
                accounting=accounting,
            ),
        )
        uow.commit()
    run_day(uow, ORGNO, NOTICE_DAY, rates=RATES, service=SERVICE)


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    _setup(unit, AccountingSection())
    return unit


def _item(uow: UnitOfWork, number: str) -> OpenItem:
    return next(i for i in ledger.open_items(uow, ORGNO, open_only=False) if i.number == number and i.is_debit)


def _credits_on(uow: UnitOfWork, customer: str) -> list[tuple[Money, str | None]]:
    """The customer's open credit items: (remaining, reference)."""
    return [(i.remaining, i.reference) for i in ledger.open_items(uow, ORGNO, customer=customer) if not i.is_debit]


def _lines(voucher: PostedVoucher) -> list[tuple[str, Money, str | None]]:
    return [(line.account, line.amount, line.customer) for line in voucher.lines]


def _vouchers(uow: UnitOfWork, voucher_type: int) -> list[PostedVoucher]:
    with uow:
        return [v for v in uow.ledger.vouchers(1) if v.voucher_type == voucher_type]


def _claim(uow: UnitOfWork, number: str) -> Claim:
    with uow:
        return uow.collection.claims(1, ClaimFilter(invoice_numbers=[number]))[0]


def _balanced(uow: UnitOfWork) -> None:
    """R-LED-1, R-LED-3: the trial balance totals 0.00 and the sub-ledger equals receivables per customer."""
    balance = ledger.balance(uow, ORGNO)
    assert balance.total == {"NOK": Money.of("0.00")}
    assert balance.subledger_mismatches == {}
    assert balance.balanced


def _bank_file(*credits: Credit, message_id: str = "BANK-1") -> bytes:
    return build_camt054(
        CREDITOR_ACCOUNT, credits, message_id=message_id, created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )


# -- R-LED-6: a direct payment above the principal ---------------------------------------------------------------


@pytest.mark.parametrize("accounting", [AccountingSection(), CUSTOM], ids=["default-accounts", "agreement-accounts"])
def test_a_direct_payment_above_the_principal_is_one_voucher_split_by_the_agreements_accounts_r_led_6(
    engine: Engine, accounting: AccountingSection
) -> None:
    """R-LED-6: 1100.00 for 1001 on 1 April = 1000.00 principal + 35.00 fee + 6.16 interest + 58.84 overpayment.

    The item shows the figures of the notice day (interest 4.79); the ledger asks the service for those of the day
    of payment (1000 × 0.125 × 18 / 365 = 6.16), as the service will apply it (R-CLM-7)."""
    uow = unit_of_work(engine)
    _setup(uow, accounting)
    item = _item(uow, "1001")
    assert (item.collection_id, item.fee_outstanding, item.interest_outstanding) == (
        "K1-000001",
        Money.of("35.00"),
        Money.of("4.79"),
    )

    result = ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1100.00"), on=PAY_DAY)
    (voucher,) = result.vouchers
    assert voucher.voucher_type == vt.BANK
    assert _lines(voucher) == [
        ("1920", Money.of("1100.00"), None),
        (accounting.receivables, Money.of("-1000.00"), "10001"),
        (accounting.fee_income, Money.of("-35.00"), None),
        (accounting.interest_income, Money.of("-6.16"), None),
        (accounting.overpayment, Money.of("-58.84"), "10001"),  # 1100.00 − 1000.00 − 35.00 − 6.16
    ]
    assert _vouchers(uow, vt.BANK) == [voucher]  # one voucher, one batch
    assert _item(uow, "1001").status is SettledStatus.SETTLED
    assert _credits_on(uow, "10001") == [(Money.of("-58.84"), "1001")]  # the overpayment, a credit to refund

    # the WHOLE amount is reported once, not the 1000.00 that settled the invoice
    whole = DirectPaymentReported(ORGNO, "K1-000001", Money.of("1100.00"), PAY_DAY, voucher.number)
    assert result.reports == (whole,)
    assert ledger.reported_messages(uow, ORGNO) == [whole]
    _balanced(uow)


@pytest.mark.parametrize(
    ("number", "amount", "left"),
    [
        ("1001", "400.00", "600.00"),  # part of the principal, though fee and interest are outstanding
        ("1001", "1000.00", "0.00"),  # exactly the principal: not larger, so no split
    ],
)
def test_a_direct_payment_not_above_the_principal_is_an_ordinary_payment_reported_for_what_it_settles_r_led_5(
    uow: UnitOfWork, number: str, amount: str, left: str
) -> None:
    result = ledger.pay_invoice(uow, FIGURES, ORGNO, number, Money.of(amount), on=PAY_DAY)
    (voucher,) = result.vouchers
    assert _lines(voucher) == [("1920", Money.of(amount), None), ("1500", -Money.of(amount), "10001")]
    assert _item(uow, number).remaining == Money.of(left)
    assert _credits_on(uow, "10001") == []
    assert ledger.reported_messages(uow, ORGNO) == [
        DirectPaymentReported(ORGNO, "K1-000001", Money.of(amount), PAY_DAY, voucher.number)
    ]
    _balanced(uow)


def test_the_service_applies_the_reported_direct_payment_in_the_next_run_r_led_5_r_clm_7(uow: UnitOfWork) -> None:
    """R-CLM-7: 1100.00 reported on 1 April covers principal 1000.00, fee 35.00, then interest; the claim closes."""
    ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1100.00"), on=PAY_DAY)
    day = run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    assert day.payments_applied == 1
    claim = _claim(uow, "1001")
    assert (claim.stage, claim.principal_outstanding, claim.fees_outstanding) == (
        Stage.CLOSED,
        Money.of("0.00"),
        Money.of("0.00"),
    )
    # a direct payment is the creditor's money already: nothing of it is remitted
    assert day.settled == Money.of("0.00")
    _balanced(uow)


def test_the_ledger_and_the_service_agree_on_the_overpayment_of_a_direct_payment_r_led_6_r_clm_7(
    uow: UnitOfWork,
) -> None:
    """R-LED-3 keeps the item's interest in step with the service; R-CLM-7 says the service covers a direct
    payment by "the lines of R-LED-6". On 1 April interest is 1000 × 0.125 × 18 / 365 = 6.16, so 1100.00 is
    1000.00 + 35.00 + 6.16 + 58.84 overpaid on both sides."""
    ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1100.00"), on=PAY_DAY)
    run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    service_side = _claim(uow, "1001").overpaid
    ((ledger_side, _),) = _credits_on(uow, "10001")
    assert -ledger_side == service_side


# -- R-LED-5: a loss write-off is not reported ------------------------------------------------------------------


def test_a_loss_write_off_closes_the_item_in_the_books_and_is_not_reported_r_led_5(uow: UnitOfWork) -> None:
    result = ledger.write_off(uow, ORGNO, "2001", on=PAY_DAY)
    (voucher,) = result.vouchers
    assert voucher.voucher_type == vt.WRITE_OFF
    assert _lines(voucher) == [("7830", Money.of("800.00"), None), ("1500", Money.of("-800.00"), "20001")]
    assert _item(uow, "2001").status is SettledStatus.SETTLED
    assert result.reports == ()
    assert ledger.reported_messages(uow, ORGNO) == []
    run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    assert _claim(uow, "2001").stage is Stage.NOTICE  # collection goes on
    _balanced(uow)


# -- the creditor's own bank file ---------------------------------------------------------------------------------


def test_the_creditors_bank_file_is_matched_by_invoice_number_or_kid_and_the_rest_is_left_with_a_reason(
    uow: UnitOfWork,
) -> None:
    """R-LED-5, R-LED-6: "Faktura 1002" finds 1002 by its number, a KID finds 1003 (posted with that KID), and a
    payment naming nothing known is left for the bookkeeper."""
    kid = make_kid("1003", KidScheme.MOD10, 7)
    post(
        uow,
        Voucher(
            vt.OUTGOING_INVOICE,
            PAY_DAY,
            (
                VoucherLine("1500", Money.of("250.00"), customer="20001", item="1003", due_date=PAY_DAY, kid=kid),
                VoucherLine("3000", Money.of("-250.00")),
            ),
            text="Faktura 1003",
        ),
    )
    data = _bank_file(
        Credit("B1", Money.of("500.00"), PAY_DAY, text="Faktura 1002", payer_name="Ola"),
        Credit("B2", Money.of("250.00"), PAY_DAY, kid=kid, payer_name="Kari"),
        Credit("B3", Money.of("75.00"), PAY_DAY, text="Faktura 9999", payer_name="Ukjent"),
    )
    report = ledger.import_bank_file(uow, FIGURES, ORGNO, data, filename="bank.xml")
    assert [(line.amount, line.invoice, line.matched_by, line.reason) for line in report.lines] == [
        (Money.of("500.00"), "1002", "reference", None),
        (Money.of("250.00"), "1003", "kid", None),
        (Money.of("75.00"), None, None, "no KID or invoice number of an open invoice"),
    ]
    assert (_item(uow, "1002").remaining, _item(uow, "1003").remaining) == (Money.of("0.00"), Money.of("0.00"))
    # only the item under collection is reported: 500.00 for 1002 (its 2.40 interest is not exceeded: no split)
    assert [(m.collection_id, m.amount) for m in ledger.reported_messages(uow, ORGNO)] == [
        ("K1-000002", Money.of("500.00"))
    ]
    _balanced(uow)

    again = ledger.import_bank_file(uow, FIGURES, ORGNO, data, filename="bank-copy.xml")
    assert (again.already_imported, again.lines) == (True, [])
    assert len(_vouchers(uow, vt.BANK)) == 2


def test_a_payment_in_a_second_differently_written_bank_file_is_not_posted_twice_r_led_5(uow: UnitOfWork) -> None:
    """R-LED-5, R-BANK-2: the bank's next file repeats B1 ("Faktura 1002", 500.00), re-indented, with its own
    message id and a new payment B2 (75.00, naming nothing): B1 is listed as already posted, not posted again."""
    first = _bank_file(Credit("B1", Money.of("500.00"), PAY_DAY, text="Faktura 1002", payer_name="Ola"))
    report = ledger.import_bank_file(uow, FIGURES, ORGNO, first, filename="bank.xml")
    assert [(line.invoice, line.matched_by) for line in report.posted] == [("1002", "reference")]
    reported = ledger.reported_messages(uow, ORGNO)
    second = variants.reindented(
        _bank_file(
            Credit("B1", Money.of("500.00"), PAY_DAY, text="Faktura 1002", payer_name="Ola"),
            Credit("B2", Money.of("75.00"), PAY_DAY, text="Ukjent", payer_name="Per"),
            message_id="BANK-2",
        ),
        "\t",
    )
    again = ledger.import_bank_file(uow, FIGURES, ORGNO, second, filename="bank-2.xml")
    assert again.already_imported is False
    assert [(line.reference, line.invoice, line.reason, line.posted_from) for line in again.lines] == [
        ("B1/1", None, "already posted from bank.xml", "bank.xml"),
        ("B2/1", None, "no KID or invoice number of an open invoice", None),
    ]
    assert (again.posted, [line.reference for line in again.left]) == ([], ["B2/1"])
    assert [line.reference for line in again.already_posted] == ["B1/1"]
    assert len(_vouchers(uow, vt.BANK)) == 1
    assert _item(uow, "1002").remaining == Money.of("0.00")
    assert ledger.reported_messages(uow, ORGNO) == reported  # nothing reported to collection twice
    _balanced(uow)


def test_a_bank_payment_found_by_faktura_1001_above_the_principal_is_split_and_reported_whole_r_led_6(
    uow: UnitOfWork,
) -> None:
    data = _bank_file(Credit("B1", Money.of("1100.00"), PAY_DAY, text="Faktura 1001", payer_name="Ola"))
    (line,) = ledger.import_bank_file(uow, FIGURES, ORGNO, data, filename="bank.xml").lines
    assert (line.invoice, line.matched_by) == ("1001", "reference")
    (voucher,) = _vouchers(uow, vt.BANK)
    assert voucher.number == line.voucher
    assert [amount for _, amount, _ in _lines(voucher)] == [
        Money.of("1100.00"),
        Money.of("-1000.00"),
        Money.of("-35.00"),
        Money.of("-6.16"),  # the interest of the day of payment, from the service (R-LED-6)
        Money.of("-58.84"),
    ]
    assert [(m.collection_id, m.amount) for m in ledger.reported_messages(uow, ORGNO)] == [
        ("K1-000001", Money.of("1100.00"))
    ]
    _balanced(uow)


# -- R-LED-7: the settlement -------------------------------------------------------------------------------------


def _pay_client_account(uow: UnitOfWork, debtor: str, amount: Money) -> None:
    with uow:
        letter = next(lt for lt in uow.collection.letters(1, debtor=debtor) if lt.n == 1)
    data = build_camt054(
        SERVICE.account,
        [Credit(f"C-{debtor}", amount, PAY_DAY, kid=letter.kid)],
        message_id=f"CLIENT-{debtor}",
        created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC),
    )
    assert payments.import_payments(uow, data, filename=f"client-{debtor}.xml").matched_total == amount


def test_the_remittance_is_posted_as_a_settlement_against_the_intermediary_account_r_led_7(
    uow: UnitOfWork,
) -> None:
    """R-LED-7: 900.00 paid on letter 20001/1 (total 838.84) is remitted on 1 April and posted: 1921 debit 900.00;
    the invoice 2001 credited its principal 800.00; fee 35.00 to 3900; interest 3.84 (the letter's, R-CLM-12) to
    8040; and 900.00 − 838.84 = 61.16 overpaid, a credit item on customer 20001."""
    _pay_client_account(uow, "20001", Money.of("900.00"))
    day = run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    assert day.settled == Money.of("900.00")

    (voucher,) = _vouchers(uow, vt.COLLECTION_SETTLEMENT)
    assert (voucher.voucher_type, voucher.date) == (198, PAY_DAY)
    assert _lines(voucher) == [
        ("1921", Money.of("900.00"), None),
        ("1500", Money.of("-800.00"), "20001"),
        ("3900", Money.of("-35.00"), None),
        ("8040", Money.of("-3.84"), None),
        ("1500", Money.of("-61.16"), "20001"),
    ]
    assert voucher.lines[1].settles == ("2001",)
    assert _item(uow, "2001").status is SettledStatus.SETTLED
    assert _credits_on(uow, "20001") == [(Money.of("-61.16"), "2001")]
    assert ledger.reported_messages(uow, ORGNO) == []  # the service's own settlement is never reported back

    balance = ledger.balance(uow, ORGNO)
    expected: dict[str, Any] = {
        "1500 NOK": Money.of("1438.84"),  # 1000.00 + 500.00 + 800.00 − 800.00 − 61.16
        "1921 NOK": Money.of("900.00"),
        "3000 NOK": Money.of("-2300.00"),
        "3900 NOK": Money.of("-35.00"),
        "8040 NOK": Money.of("-3.84"),
    }
    assert balance.trial_balance == expected
    _balanced(uow)


def test_a_partly_paid_claim_is_settled_for_what_was_collected_and_the_invoice_stays_open_r_led_7(
    uow: UnitOfWork,
) -> None:
    """R-CLM-7, R-LED-7: 100.00 on letter 10001/1 covers 1001's fee 35.00, interest to 1 April (1000 × 0.125 ×
    18 / 365 = 6.16) and 58.84 of its principal; the invoice keeps 1000.00 − 58.84 = 941.16."""
    _pay_client_account(uow, "10001", Money.of("100.00"))
    run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    (voucher,) = _vouchers(uow, vt.COLLECTION_SETTLEMENT)
    assert _lines(voucher) == [
        ("1921", Money.of("100.00"), None),
        ("1500", Money.of("-58.84"), "10001"),
        ("3900", Money.of("-35.00"), None),
        ("8040", Money.of("-6.16"), None),
    ]
    assert _item(uow, "1001").remaining == Money.of("941.16")
    assert _item(uow, "1001").status is SettledStatus.PARTLY_OPEN
    assert ledger.reported_messages(uow, ORGNO) == []
    _balanced(uow)


def test_a_settlement_after_a_write_off_credits_the_recovered_principal_to_the_loss_account_r_led_7(
    uow: UnitOfWork,
) -> None:
    """R-LED-5, R-LED-7: 2001 was written off (7830 debit 800.00); its letter total 838.84 is then collected, so the
    800.00 principal is a recovery credited to 7830 and the loss nets to 0.00."""
    ledger.write_off(uow, ORGNO, "2001", on=PAY_DAY)
    _pay_client_account(uow, "20001", Money.of("838.84"))
    run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    (voucher,) = _vouchers(uow, vt.COLLECTION_SETTLEMENT)
    assert _lines(voucher) == [
        ("1921", Money.of("838.84"), None),
        ("7830", Money.of("-800.00"), None),
        ("3900", Money.of("-35.00"), None),
        ("8040", Money.of("-3.84"), None),
    ]
    assert "7830 NOK" not in {k for k, v in ledger.balance(uow, ORGNO).trial_balance.items() if not v.is_zero()}
    _balanced(uow)


def test_bank_against_the_intermediary_account_nets_the_remitted_settlement_to_zero_r_led_7(uow: UnitOfWork) -> None:
    """R-LED-7: when the money reaches the creditor's bank, bank against the intermediary account nets it to 0.00."""
    _pay_client_account(uow, "20001", Money.of("838.84"))
    run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    ledger.post_batch(
        uow,
        ORGNO,
        Batch(
            (
                Voucher(
                    vt.BANK,
                    date(2025, 4, 2),
                    (VoucherLine("1920", Money.of("838.84")), VoucherLine("1921", Money.of("-838.84"))),
                    text="Oppgjør mottatt",
                ),
            )
        ),
    )
    trial = ledger.balance(uow, ORGNO).trial_balance
    assert trial["1921 NOK"] == Money.of("0.00")
    assert trial["1920 NOK"] == Money.of("838.84")
    _balanced(uow)
