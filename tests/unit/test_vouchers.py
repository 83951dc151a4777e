"""Vouchers must balance per currency and name what is wrong (R-LED-1)."""

from __future__ import annotations

from datetime import date

import pytest

from krav.domain.errors import FieldError, UnbalancedVoucher
from krav.domain.ledger.accounts import STANDARD_CHART
from krav.domain.ledger.vouchers import PostedVoucher, Voucher, VoucherLine, check_voucher, reversal_of
from krav.domain.money import Money

CHART = {a.number: a for a in STANDARD_CHART}
D = date(2025, 1, 2)


def v(*lines: VoucherLine) -> Voucher:
    return Voucher(11, D, lines)


def test_a_balanced_voucher_passes_r_led_1() -> None:
    check_voucher(
        v(VoucherLine("1500", Money.of(100), customer="1"), VoucherLine("3000", Money.of(-100))),
        CHART,
        {"1"},
        where="v",
    )


def test_a_voucher_that_does_not_sum_to_zero_is_refused_with_the_difference_r_led_1() -> None:
    with pytest.raises(UnbalancedVoucher, match=r"v: the lines in NOK sum to 0\.01"):
        check_voucher(
            v(VoucherLine("1920", Money.of("100.01")), VoucherLine("3000", Money.of(-100))), CHART, set(), where="v"
        )


def test_a_voucher_needs_two_lines_r_led_1() -> None:
    with pytest.raises(UnbalancedVoucher, match="at least two lines"):
        check_voucher(v(VoucherLine("1920", Money.of(0))), CHART, set(), where="v")


def test_a_receivables_line_needs_a_customer_and_other_lines_take_none() -> None:
    with pytest.raises(FieldError, match="line 1: customer: a line on receivables account 1500 needs a customer"):
        check_voucher(v(VoucherLine("1500", Money.of(1)), VoucherLine("3000", Money.of(-1))), CHART, set(), where="v")
    with pytest.raises(FieldError, match="line 2: customer: account 3000 is not a receivables account"):
        check_voucher(
            v(VoucherLine("1500", Money.of(1), customer="1"), VoucherLine("3000", Money.of(-1), customer="1")),
            CHART,
            {"1"},
            where="v",
        )


def test_a_zero_line_is_refused() -> None:
    with pytest.raises(FieldError, match="line 2: amount"):
        check_voucher(
            v(VoucherLine("1920", Money.of(1)), VoucherLine("3000", Money.of(0)), VoucherLine("3000", Money.of(-1))),
            CHART,
            set(),
            where="v",
        )


def test_a_reversal_negates_every_line_and_refers_to_the_original_r_led_1() -> None:
    original = PostedVoucher(
        7, 3, 1, D, (VoucherLine("1920", Money.of(50)), VoucherLine("1500", Money.of(-50), customer="1"))
    )
    reversal = reversal_of(original, date(2025, 1, 3))
    assert reversal.reverses == 7
    assert [line.amount for line in reversal.lines] == [Money.of(-50), Money.of(50)]
    check_voucher(reversal, CHART, {"1"}, where="reversal")


@pytest.mark.parametrize(
    ("principal", "interest", "overpayment"),
    [("67.77", "-0.03", "67.74"), ("10.00", "0.51", "0.00"), ("-5.00", "0.00", "5.00"), ("0.00", "-1.20", "1.20")],
)
def test_a_settlement_voucher_balances_also_when_a_part_is_taken_back_r_led_7(
    principal: str, interest: str, overpayment: str
) -> None:
    """An earlier settlement remitted interest the claim no longer owes (a payment dated earlier, R-CLM-14): the
    next settlement takes it back with a negative part, and the voucher still balances against 1921."""
    from krav.domain.agreement import AccountingSection
    from krav.domain.ledger.open_items import OpenItem
    from krav.domain.ledger.posting import settlement_voucher
    from krav.domain.messages import SettlementIssued, SettlementLine

    item = OpenItem(1, "1", "2001", 11, Money.of(100), Money.of("67.77"), D, collection_id="K1-000001")
    zero = Money.zero()
    line = SettlementLine("K1-000001", Money.of(principal), zero, Money.of(interest), zero, zero, Money.of(overpayment))
    voucher = settlement_voucher(
        SettlementIssued("974760673", "OPG-1", D, (line,)), {"K1-000001": item}, AccountingSection()
    )
    assert voucher is not None
    check_voucher(voucher, CHART, {"1"}, where="settlement")
    bank = [x.amount for x in voucher.lines if x.account == AccountingSection().intermediary_bank]
    assert Money.sum(bank, "NOK") == Money.of(principal) + Money.of(interest) + Money.of(overpayment)
