"""Payments on the creditor's own bank account, posted in the built-in ledger (R-LED-5, R-LED-6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from krav.domain.errors import FieldError
from krav.domain.ledger import accounts as std_accounts
from krav.domain.ledger.posting import direct_payment_voucher
from krav.domain.ledger.vouchers import Batch
from krav.domain.messages import DirectPaymentReported
from krav.domain.money import Money
from krav.domain.plausible import check_amount
from krav.services.ledger.posting import PostingResult, invoice_item, post_batch_in, send_reports
from krav.services.ports import ClaimFigures, UnitOfWork, company_and_id


def pay_invoice_in(
    uow: UnitOfWork,
    figures: ClaimFigures,
    orgno: str,
    invoice: str,
    amount: Money,
    *,
    on: date,
    bank_account: str = std_accounts.BANK,
    text: str | None = None,
) -> PostingResult:
    """A payment on the creditor's own account for ``invoice``, posted and reported (R-LED-5, R-LED-6).

    An item sent to collection has its outstanding fee and interest as of the day of payment from the service
    (``figures``) first, so the ledger splits the payment exactly as the service will apply it.
    """
    company, company_id = company_and_id(uow, orgno)
    item = invoice_item(uow, company_id, invoice, orgno)
    zero = Money.zero(item.currency)
    fee, interest = item.fee_outstanding or zero, item.interest_outstanding or zero
    if item.collection_id is not None:
        current = figures.fee_and_interest(uow, company_id, item.collection_id, on)
        if current is not None:
            fee, interest = current
            uow.ledger.update_collection_amounts(company_id, {item.collection_id: current})
            item = replace(item, fee_outstanding=fee, interest_outstanding=interest)
    accounts = uow.agreements.get(company_id).accounting
    voucher, whole = direct_payment_voucher(
        item,
        amount,
        on,
        accounts,
        fee=fee,
        interest=interest,
        bank_account=bank_account,
        text=text or f"Innbetaling faktura {invoice}",
    )
    result = post_batch_in(uow, orgno, Batch((voucher,), text=voucher.text, source="bank"), report=not whole)
    if whole:
        assert item.collection_id is not None
        message = DirectPaymentReported(company.orgno, item.collection_id, amount, on, result.vouchers[0].number)
        send_reports(uow, company_id, [message])
        result = replace(result, reports=(message,))
    return result


def pay_invoice(
    uow: UnitOfWork,
    figures: ClaimFigures,
    orgno: str,
    invoice: str,
    amount: Money,
    *,
    on: date,
    bank_account: str = std_accounts.BANK,
) -> PostingResult:
    """:func:`pay_invoice_in` in its own transaction (``krav ledger pay``)."""
    if not amount.is_positive():
        raise FieldError("amount", "a payment must be more than 0.00")
    check_amount(amount, field="amount")
    with uow:
        result = pay_invoice_in(uow, figures, orgno, invoice, amount, on=on, bank_account=bank_account)
        uow.commit()
        return result
