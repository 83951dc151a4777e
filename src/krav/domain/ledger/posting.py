"""The ledger's posting rules for collection, as pure functions from facts to vouchers (R-LED-5 … R-LED-7).

Each function builds the voucher a use case posts: a payment on the creditor's own account split into principal,
fee, interest and overpayment (R-LED-6), the service's settlement (R-LED-7) and a loss write-off (R-LED-5). The
accounts come from the agreement's accounting section; nothing here reads or writes storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from krav.domain.agreement import AccountingSection
from krav.domain.ledger import accounts as std
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.vouchers import Voucher, VoucherLine
from krav.domain.messages import SettlementIssued
from krav.domain.money import Money


@dataclass(frozen=True, slots=True)
class DirectPaymentSplit:
    """How a payment on the creditor's own account is booked (R-LED-6): the parts always add up to ``total``."""

    total: Money
    principal: Money
    fee: Money
    interest: Money
    overpayment: Money

    @property
    def split(self) -> bool:
        """Whether the payment covers more than the invoice: then the whole amount is reported at once."""
        return not (self.fee.is_zero() and self.interest.is_zero() and self.overpayment.is_zero())


def split_direct_payment(amount: Money, remaining: Money, fee: Money, interest: Money) -> DirectPaymentSplit:
    """R-LED-6, R-CLM-7: a direct payment covers the principal first, then the fee, then the interest; the rest
    is overpayment. ``remaining`` is what the invoice has left in the books; ``fee`` and ``interest`` what the
    service says is outstanding on the day of payment.

    >>> s = split_direct_payment(Money.of("1100.00"), Money.of("1000.00"), Money.of("35.00"), Money.of("4.79"))
    >>> (str(s.principal.amount), str(s.fee.amount), str(s.interest.amount), str(s.overpayment.amount))
    ('1000.00', '35.00', '4.79', '60.21')
    """
    rest = amount
    principal = rest.min(remaining.max(Money.zero(amount.currency)))
    rest = rest - principal
    fee_part = rest.min(fee)
    rest = rest - fee_part
    interest_part = rest.min(interest)
    return DirectPaymentSplit(amount, principal, fee_part, interest_part, rest - interest_part)


def splits_direct_payment(item: OpenItem, amount: Money, fee: Money, interest: Money) -> bool:
    """R-LED-6: the payment is split when the item is in collection, the payment is larger than the item's
    remaining principal and fee or interest is outstanding."""
    return item.collection_id is not None and amount > item.remaining and (fee.is_positive() or interest.is_positive())


def direct_payment_voucher(
    item: OpenItem,
    amount: Money,
    on: date,
    accounts: AccountingSection,
    *,
    fee: Money,
    interest: Money,
    bank_account: str,
    text: str,
) -> tuple[Voucher, bool]:
    """R-LED-6: the voucher of a payment of ``amount`` on the creditor's own account for invoice ``item``.

    When :func:`splits_direct_payment` holds, the voucher has the lines bank (the total), invoice (principal),
    reminder fee, interest and overpayment (the rest, a credit item on the customer), from the agreement's
    accounts, and the whole amount is reported (the second value is True). Otherwise it is an ordinary payment
    matched to the invoice, reported as the matching settles it (R-LED-5).
    """
    if not splits_direct_payment(item, amount, fee, interest):
        lines: tuple[VoucherLine, ...] = (
            VoucherLine(bank_account, amount, text=text),
            VoucherLine(accounts.receivables, -amount, customer=item.customer, settles=(item.number,), text=text),
        )
        return Voucher(vt.BANK, on, lines, text=text), False
    parts = split_direct_payment(amount, item.remaining, fee, interest)
    out = [
        VoucherLine(bank_account, amount, text=text),
        VoucherLine(
            accounts.receivables,
            -parts.principal,
            customer=item.customer,
            settles=(item.number,),
            text=f"{text}: fakturabeløp",
        ),
    ]
    if parts.fee.is_positive():
        out.append(VoucherLine(accounts.fee_income, -parts.fee, text=f"{text}: purregebyr"))
    if parts.interest.is_positive():
        out.append(VoucherLine(accounts.interest_income, -parts.interest, text=f"{text}: renter"))
    if parts.overpayment.is_positive():
        out.append(_overpayment_line(accounts, item, parts.overpayment, f"{text}: overbetaling"))
    return Voucher(vt.BANK, on, tuple(out), text=text), True


def _overpayment_line(accounts: AccountingSection, item: OpenItem, amount: Money, text: str) -> VoucherLine:
    """Overpayment is a credit item on the customer when it is booked on the receivables account (R-CLM-9)."""
    return VoucherLine(
        accounts.overpayment,
        -amount,
        customer=item.customer if accounts.overpayment == accounts.receivables else None,
        reference=item.number,
        text=text,
    )


def settlement_text(settlement_id: str) -> str:
    """The text of the voucher that posts settlement ``settlement_id`` (R-LED-7), by which it is found again."""
    return f"Inkassooppgjør {settlement_id}"


def settlement_voucher(
    message: SettlementIssued, items: Mapping[str, OpenItem], accounts: AccountingSection
) -> Voucher | None:
    """R-LED-7: the settlement posted with voucher type *settlement* (198), never reported back.

    Debit the intermediary bank account with the total; per claim, credit the customer's invoice with the
    principal (matched to it), the fee and interest income accounts, and the overpayment as a credit item on the
    customer (to refund); the service's costs and their VAT are debited. Principal beyond what the invoice still
    has in the books (written off) is a recovery credited to the loss account. ``items`` are the invoices by
    collection ID; a line for an unknown one is left out. None when nothing is to be posted.
    """
    lines: list[VoucherLine] = []
    total = Money.zero()
    text = settlement_text(message.settlement_id)
    for sl in message.lines:
        item = items.get(sl.collection_id)
        if item is None:
            continue
        total = total + sl.principal + sl.fee + sl.interest + sl.overpayment - sl.costs - sl.costs_vat
        in_books = sl.principal.min(item.remaining.max(Money.zero()))
        recovered = sl.principal - in_books
        if in_books.is_positive():
            lines.append(
                VoucherLine(
                    accounts.receivables,
                    -in_books,
                    customer=item.customer,
                    settles=(item.number,),
                    text=f"{text}: faktura {item.number}",
                )
            )
        elif in_books.is_negative():  # principal taken back from an earlier settlement: owed on the invoice again
            lines.append(
                VoucherLine(
                    accounts.receivables, -in_books, customer=item.customer, text=f"{text}: faktura {item.number}"
                )
            )
        if recovered.is_positive():
            lines.append(
                VoucherLine(accounts.loss, -recovered, text=f"{text}: inngått på tapsført faktura {item.number}")
            )
        # a part may be negative: what an earlier settlement remitted and the claim no longer owes (interest
        # recomputed from an earlier payment date, R-CLM-14) is taken back here, against the same account
        if not sl.fee.is_zero():
            lines.append(VoucherLine(accounts.fee_income, -sl.fee, text=f"{text}: gebyr faktura {item.number}"))
        if not sl.interest.is_zero():
            lines.append(
                VoucherLine(accounts.interest_income, -sl.interest, text=f"{text}: renter faktura {item.number}")
            )
        if not sl.overpayment.is_zero():
            lines.append(_overpayment_line(accounts, item, sl.overpayment, f"{text}: overbetalt faktura {item.number}"))
        if not sl.costs.is_zero():
            lines.append(
                VoucherLine(accounts.collection_costs, sl.costs, text=f"{text}: inkassokostnader {item.number}")
            )
        if not sl.costs_vat.is_zero():
            lines.append(
                VoucherLine(accounts.input_vat, sl.costs_vat, text=f"{text}: mva inkassokostnader {item.number}")
            )
    if not lines:
        return None
    head = (VoucherLine(accounts.intermediary_bank, total, text=text),) if not total.is_zero() else ()
    return Voucher(
        voucher_type=vt.COLLECTION_SETTLEMENT, date=message.remitted_on, text=text, lines=head + tuple(lines)
    )


def write_off_voucher(
    item: OpenItem,
    on: date,
    *,
    voucher_type: int = vt.WRITE_OFF,
    account: str = std.LOSS_ON_RECEIVABLES,
    receivables: str = std.RECEIVABLES,
) -> Voucher:
    """R-LED-5 loss write-off: debit loss on receivables, credit the customer, matched to the invoice. With a
    voucher type whose collection type is *none* (type 2 by default) nothing is reported, so the item is closed
    in the books while collection goes on."""
    return Voucher(
        voucher_type=voucher_type,
        date=on,
        text=f"Tapsføring faktura {item.number}",
        lines=(
            VoucherLine(account=account, amount=item.remaining, text=f"Tap på faktura {item.number}"),
            VoucherLine(
                account=receivables,
                amount=-item.remaining,
                customer=item.customer,
                settles=(item.number,),
                text=f"Tapsføring faktura {item.number}",
            ),
        ),
    )
