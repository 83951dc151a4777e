"""Small builders for tests: a company with customers and invoices in a few lines."""

from __future__ import annotations

from datetime import date

from krav.domain.ledger import accounts as acc
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.services import ledger
from krav.services.ports import UnitOfWork

ORGNO = "974760673"


def make_company(uow: UnitOfWork, orgno: str = ORGNO, name: str = "Eksempel AS") -> Company:
    return ledger.create_company(uow, Company(orgno=orgno, name=name, bank_account="86011117947"))


def consumer(number: str, name: str = "Ola Nordmann", **kw: object) -> Customer:
    return Customer(
        number=number,
        name=name,
        kind=CustomerKind.CONSUMER,
        address=Address("Storgata 1", "0155", "Oslo"),
        **kw,  # type: ignore[arg-type]
    )


def invoice(number: str, customer: str, amount: str, issued: date, due: date) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vt.OUTGOING_INVOICE,
        date=issued,
        text=f"Faktura {number}",
        lines=(
            VoucherLine(acc.RECEIVABLES, money, customer=customer, item=number, due_date=due),
            VoucherLine(acc.SALES, -money),
        ),
    )


def payment(customer: str, amount: str, on: date, settles: tuple[str, ...] = (), vtype: int = vt.BANK) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vtype,
        date=on,
        text="Innbetaling",
        lines=(
            VoucherLine(acc.BANK, money),
            VoucherLine(acc.RECEIVABLES, -money, customer=customer, settles=settles),
        ),
    )


def credit_note(customer: str, amount: str, on: date, settles: tuple[str, ...] = ()) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vt.OUTGOING_CREDIT_NOTE,
        date=on,
        text="Kreditnota",
        lines=(
            VoucherLine(acc.SALES, money),
            VoucherLine(acc.RECEIVABLES, -money, customer=customer, settles=settles),
        ),
    )


def post(uow: UnitOfWork, *vouchers: Voucher, orgno: str = ORGNO) -> ledger.PostingResult:
    return ledger.post_batch(uow, orgno, Batch(tuple(vouchers)))
