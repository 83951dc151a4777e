"""Vouchers (bilag) and batches (bunter): double entry that must balance (R-LED-1).

A line's amount is signed: debit positive, credit negative. A voucher balances when its lines sum to 0.00 in
each currency. Posted vouchers are never changed or deleted; a correction is a new voucher that reverses the
original line by line and refers to it (:func:`reversal_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from krav.domain.errors import FieldError, UnbalancedVoucher
from krav.domain.ledger.accounts import Account
from krav.domain.money import Money
from krav.domain.plausible import (
    KID,
    LEDGER_ACCOUNT,
    NUMBER,
    REFERENCE,
    SETTLES,
    TEXT,
    check_amount,
    check_date,
    check_text,
)


@dataclass(frozen=True, slots=True)
class VoucherLine:
    """One line of a voucher.

    A line on a receivables account names the ``customer`` and becomes an open item numbered ``item`` (the
    invoice number; the voucher number when empty). ``settles`` names open items (by number) of the same
    customer that the new item is matched against, item against item, when the voucher is posted (motref).
    """

    account: str
    amount: Money
    customer: str | None = None
    item: str | None = None
    settles: tuple[str, ...] = ()
    due_date: date | None = None
    kid: str | None = None
    reference: str | None = None
    text: str = ""
    original_amount: Money | None = None  # an item carried over from another ledger: of this, ``amount`` remains
    exempt: bool = False  # purrefritak on the item this line creates


@dataclass(frozen=True, slots=True)
class Voucher:
    """A voucher as entered, before posting: type, date and lines."""

    voucher_type: int
    date: date
    lines: tuple[VoucherLine, ...]
    text: str = ""
    reverses: int | None = None  # id of the posted voucher this one corrects


@dataclass(frozen=True, slots=True)
class PostedVoucher:
    """A voucher as stored: never changed once posted."""

    id: int
    number: int
    voucher_type: int
    date: date
    lines: tuple[VoucherLine, ...]
    text: str = ""
    batch_id: int | None = None
    reverses: int | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """A list of vouchers posted together, all or nothing (bunt)."""

    vouchers: tuple[Voucher, ...]
    text: str = ""
    source: str = "manual"
    extra: Mapping[str, str] = field(default_factory=dict)


def totals_by_currency(lines: Iterable[VoucherLine]) -> dict[str, Money]:
    """The sum of the lines per currency."""
    totals: dict[str, Money] = {}
    for line in lines:
        current = totals.get(line.amount.currency, Money.zero(line.amount.currency))
        totals[line.amount.currency] = current + line.amount
    return totals


def check_voucher(voucher: Voucher, accounts: Mapping[str, Account], customers: set[str], *, where: str) -> None:
    """Refuse a voucher that may not be posted (R-LED-1).

    It needs two lines or more, no zero line, known accounts, a customer on every receivables line (and only
    there), known customers, and lines that sum to 0.00 in each currency. ``where`` names the voucher in the
    messages (e.g. ``"voucher 3 of batch.json"``).
    """
    if len(voucher.lines) < 2:
        raise UnbalancedVoucher(f"{where}: a voucher needs at least two lines, it has {len(voucher.lines)}")
    check_date(voucher.date, field="date", where=where)
    check_text(voucher.text, field="text", limit=TEXT, where=where, multiline=True)
    for n, line in enumerate(voucher.lines, start=1):
        at = f"{where}, line {n}"
        if line.amount.is_zero():
            raise FieldError("amount", "a line of 0.00 posts nothing; leave it out", where=at)
        check_line(line, where=at)
        account = accounts.get(line.account)
        if account is None:
            raise FieldError("account", f"unknown account {line.account!r}; add it to the chart first", where=at)
        if account.receivable and not line.customer:
            raise FieldError("customer", f"a line on receivables account {line.account} needs a customer", where=at)
        if line.customer and not account.receivable:
            raise FieldError(
                "customer",
                f"account {line.account} is not a receivables account; only those take a customer",
                where=at,
            )
        if line.customer and line.customer not in customers:
            raise FieldError("customer", f"unknown customer {line.customer!r}", where=at)
        if line.settles and not account.receivable:
            raise FieldError("settles", "only a receivables line can settle an open item", where=at)
        original = line.original_amount
        if original is not None and (
            not account.receivable
            or original.currency != line.amount.currency
            or original.is_positive() != line.amount.is_positive()
            or abs(line.amount) > abs(original)
        ):
            raise FieldError(
                "original_amount",
                "must be a receivables item's amount, of the same sign and at least what remains",
                where=at,
            )
    for currency, total in sorted(totals_by_currency(voucher.lines).items()):
        if not total.is_zero():
            raise UnbalancedVoucher(
                f"{where}: the lines in {currency} sum to {total.amount}, not 0.00 (debit positive, credit negative)"
            )


def check_line(line: VoucherLine, *, where: str) -> None:
    """Refuse a line whose amounts, dates or texts no ledger holds (:mod:`krav.domain.plausible`): an amount over
    the maximum, a due date outside 1990–2099, a number, KID or reference too long for its column or written
    over several lines, a NUL in its text."""
    check_amount(line.amount, field="amount", where=where)
    if line.original_amount is not None:
        check_amount(line.original_amount, field="original_amount", where=where)
    if line.due_date is not None:
        check_date(line.due_date, field="due_date", where=where)
    for field_name, value, limit in (
        ("account", line.account, LEDGER_ACCOUNT),
        ("customer", line.customer, NUMBER),
        ("item", line.item, NUMBER),
        ("kid", line.kid, KID),
        ("reference", line.reference, REFERENCE),
    ):
        check_text(value, field=field_name, limit=limit, where=where)
    for settled in line.settles:
        check_text(settled, field="settles", limit=NUMBER, where=where)
    written = sum(len(settled) + 1 for settled in line.settles) - 1  # as stored: one separator between each
    if written > SETTLES:
        raise FieldError(
            "settles", f"names invoices of {written} characters in all; at most {SETTLES} fit", where=where
        )
    check_text(line.text, field="text", limit=TEXT, where=where, multiline=True)


def reversal_of(original: PostedVoucher, on: date, voucher_type: int | None = None) -> Voucher:
    """A voucher that reverses ``original`` line by line and refers to it (R-LED-1: corrections, not edits)."""
    return Voucher(
        voucher_type=original.voucher_type if voucher_type is None else voucher_type,
        date=on,
        lines=tuple(
            VoucherLine(
                account=line.account,
                amount=-line.amount,
                customer=line.customer,
                item=None,
                text=f"Reversering av bilag {original.number}",
            )
            for line in original.lines
        ),
        text=f"Reversering av bilag {original.number}",
        reverses=original.id,
    )
