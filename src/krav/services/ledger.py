"""Use cases of the built-in ledger: companies, customers, posting, matching, write-offs, balances."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from krav.domain.agreement import Agreement
from krav.domain.errors import Conflict, FieldError, MatchingRefused, NotFound, RuleViolation
from krav.domain.ledger import accounts as std_accounts
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.accounts import STANDARD_CHART, Account, check_account_number
from krav.domain.ledger.matching import (
    Allocation,
    Skipped,
    apply_allocations,
    match_equal_amounts,
    match_item_against_item,
    match_references,
)
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.ledger.reporting import reports_for_settlements
from krav.domain.ledger.voucher_types import DEFAULT_VOUCHER_TYPES, CollectionVoucherType, VoucherType
from krav.domain.ledger.vouchers import Batch, PostedVoucher, Voucher, VoucherLine, check_voucher
from krav.domain.messages import ClaimChanged, DirectPaymentReported, LedgerReport, SettlementIssued
from krav.domain.money import Money
from krav.domain.party import Company, Customer, check_customer, validate_bank_account, validate_orgno
from krav.domain.rates import RateTables
from krav.services import claims_query
from krav.services.ports import NewItem, UnitOfWork


@dataclass(frozen=True, slots=True)
class PostingResult:
    batch_id: int
    vouchers: tuple[PostedVoucher, ...]
    items: tuple[OpenItem, ...]
    allocations: tuple[Allocation, ...]
    reports: tuple[LedgerReport, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    allocations: tuple[Allocation, ...]
    items: tuple[OpenItem, ...]
    reports: tuple[LedgerReport, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class LedgerBalance:
    """The ledger's own checks: every account sums to zero overall, and the sub-ledger equals receivables."""

    trial_balance: dict[str, Money]
    total: dict[str, Money]
    subledger_mismatches: dict[str, tuple[Money, Money]] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return all(m.is_zero() for m in self.total.values()) and not self.subledger_mismatches


# -- companies, chart, voucher types ---------------------------------------------------------------------------


def create_company(uow: UnitOfWork, company: Company) -> Company:
    """Register a creditor company with the standard chart (NS 4102) and the default voucher types (R-LED-2)."""
    with uow:
        stored = create_company_in(uow, company)
        uow.commit()
        return stored


def create_company_in(uow: UnitOfWork, company: Company) -> Company:
    """:func:`create_company` inside a unit of work the caller commits."""
    orgno = validate_orgno(company.orgno, field_name="orgno")
    bank_account = validate_bank_account(company.bank_account) if company.bank_account else None
    if not company.name.strip():
        raise FieldError("name", "the company needs a name")
    if uow.companies.find(orgno) is not None:
        raise Conflict(f"company {orgno} exists already")
    stored = uow.companies.add(
        Company(
            orgno=orgno,
            name=company.name.strip(),
            bank_account=bank_account,
            vat_registered=company.vat_registered,
            address=company.address,
            email=company.email,
            phone=company.phone,
        )
    )
    assert stored.id is not None
    uow.ledger.add_accounts(stored.id, STANDARD_CHART)
    for voucher_type in DEFAULT_VOUCHER_TYPES:
        uow.ledger.save_voucher_type(stored.id, voucher_type)
    return stored


def update_company(uow: UnitOfWork, orgno: str, changes: Mapping[str, str | bool | None]) -> Company:
    """Change a company's name, bank account, VAT registration, address or contact; the bank account must pass
    MOD11, and unknown fields are refused by name."""
    allowed = {"name", "bank_account", "vat_registered", "street", "postcode", "city", "email", "phone"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise FieldError(unknown[0], f"unknown field; changeable: {', '.join(sorted(allowed))}")
    with uow:
        company = uow.companies.get(orgno)
        values: dict[str, Any] = {}
        address = company.address
        for key, value in changes.items():
            if key == "bank_account":
                values[key] = validate_bank_account(str(value)) if value else None
            elif key == "vat_registered":
                values[key] = bool(value)
            elif key == "street":
                address = replace(address, street=str(value) if value else None)
            elif key == "postcode":
                address = replace(address, postcode=str(value) if value else None)
            elif key == "city":
                address = replace(address, city=str(value) if value else None)
            elif key == "name":
                if not value or not str(value).strip():
                    raise FieldError("name", "the company needs a name")
                values[key] = str(value).strip()
            else:
                values[key] = value or None
        updated = uow.companies.update(replace(company, address=address, **values))
        uow.commit()
        return updated


def _company_id(uow: UnitOfWork, orgno: str) -> tuple[Company, int]:
    company = uow.companies.get(orgno)
    assert company.id is not None
    return company, company.id


def add_account(uow: UnitOfWork, orgno: str, account: Account) -> None:
    """Add an account to a company's chart."""
    check_account_number(account.number)
    with uow:
        _, company_id = _company_id(uow, orgno)
        if account.number in uow.ledger.accounts(company_id):
            raise Conflict(f"account {account.number} exists already")
        uow.ledger.add_accounts(company_id, [account])
        uow.commit()


def set_voucher_type(uow: UnitOfWork, orgno: str, voucher_type: VoucherType) -> None:
    """Add or change a voucher type and its collection voucher type (R-LED-2)."""
    if not 1 <= voucher_type.code <= 9999:
        raise FieldError("code", "a voucher type code is a number from 1 to 9999")
    with uow:
        _, company_id = _company_id(uow, orgno)
        uow.ledger.save_voucher_type(company_id, voucher_type)
        uow.commit()


# -- customers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerImport:
    created: int
    updated: int
    unchanged: int


def save_customers(
    uow: UnitOfWork,
    orgno: str,
    customers: Sequence[Customer],
    *,
    strict_orgno: bool = True,
    source: str = "input",
) -> CustomerImport:
    """Create or update customers by number, all or none."""
    checked = [
        check_customer(c, where=f"{source}, customer {c.number or n}", strict_orgno=strict_orgno)
        for n, c in enumerate(customers, start=1)
    ]
    seen: set[str] = set()
    for c in checked:
        if c.number in seen:
            raise FieldError("number", f"customer {c.number} appears twice", where=source)
        seen.add(c.number)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with uow:
        _, company_id = _company_id(uow, orgno)
        for c in checked:
            counts[uow.ledger.save_customer(company_id, c)] += 1
        uow.commit()
    return CustomerImport(**counts)


# -- posting ----------------------------------------------------------------------------------------------------


def _collection_type_lookup(types: dict[int, VoucherType]) -> dict[int, CollectionVoucherType]:
    return {code: t.collection_type for code, t in types.items()}


def post_batch(uow: UnitOfWork, orgno: str, batch: Batch, *, source_name: str = "batch") -> PostingResult:
    """Post a batch of vouchers, all or nothing (R-LED-1).

    Each receivables line becomes an open item (R-LED-3); a line that ``settles`` items is matched against them
    item against item (R-LED-4), and settlements of items with a collection ID are reported (R-LED-5).
    """
    with uow:
        result = post_batch_in(uow, orgno, batch, source_name=source_name)
        uow.commit()
        return result


def post_batch_in(
    uow: UnitOfWork, orgno: str, batch: Batch, *, source_name: str = "batch", report: bool = True
) -> PostingResult:
    """:func:`post_batch` inside a unit of work the caller commits (for imports that post and record together).

    ``report=False`` leaves the R-LED-5 reports to the caller (R-LED-6 reports the whole payment at once)."""
    if not batch.vouchers:
        raise FieldError("vouchers", "the batch has no vouchers", where=source_name)
    company, company_id = _company_id(uow, orgno)
    accounts = uow.ledger.accounts(company_id)
    types = uow.ledger.voucher_types(company_id)
    named = {line.customer for v in batch.vouchers for line in v.lines if line.customer}
    customers = set(uow.ledger.customers(company_id, named))

    # Check everything before writing anything.
    new_invoice_numbers: dict[str, str] = {}
    wanted_refs: set[str] = set()
    for n, voucher in enumerate(batch.vouchers, start=1):
        where = f"{source_name}, voucher {n}"
        if voucher.voucher_type not in types:
            raise FieldError("voucher_type", f"unknown voucher type {voucher.voucher_type}", where=where)
        check_voucher(voucher, accounts, customers, where=where)
        for line_no, line in enumerate(voucher.lines, start=1):
            if accounts[line.account].receivable and line.amount.is_positive() and line.item:
                if line.item in new_invoice_numbers:
                    raise FieldError(
                        "item",
                        f"invoice number {line.item} is used twice in this batch",
                        where=f"{where}, line {line_no}",
                    )
                new_invoice_numbers[line.item] = f"{where}, line {line_no}"
            wanted_refs.update(line.settles)
    clashes = uow.ledger.existing_invoice_numbers(company_id, new_invoice_numbers)
    if clashes:
        first = sorted(clashes)[0]
        raise Conflict(f"{new_invoice_numbers[first]}: invoice number {first} exists already in the ledger")
    existing_refs = {i.number: i for i in uow.ledger.items(company_id, numbers=wanted_refs) if i.is_debit}

    batch_id = uow.ledger.add_batch(company_id, batch.text or source_name, batch.source)
    posted: list[PostedVoucher] = []
    created: list[OpenItem] = []
    allocations: list[Allocation] = []
    items_by_number = dict(existing_refs)
    touched: dict[int, OpenItem] = {}
    for n, voucher in enumerate(batch.vouchers, start=1):
        where = f"{source_name}, voucher {n}"
        number = uow.ledger.next_number(company_id, "voucher")
        stored = uow.ledger.add_voucher(company_id, batch_id, number, voucher)
        posted.append(stored)
        new_items = [
            NewItem(
                customer=line.customer,
                number=line.item or str(number),
                voucher_type=voucher.voucher_type,
                amount=line.original_amount or line.amount,
                remaining=line.amount,
                invoice_date=voucher.date,
                due_date=line.due_date,
                voucher_id=stored.id,
                voucher_line_no=line_no,
                kid=line.kid,
                reference=line.reference,
                exempt=line.exempt,
            )
            for line_no, line in enumerate(voucher.lines, start=1)
            if line.customer and accounts[line.account].receivable
        ]
        items = uow.ledger.add_items(company_id, new_items)
        created.extend(items)
        settling_lines = [ln for ln in voucher.lines if ln.customer and accounts[ln.account].receivable]
        for line, item in zip(settling_lines, items, strict=True):
            if item.is_debit:
                items_by_number[item.number] = item
            if not line.settles:
                continue
            targets = []
            for ref in line.settles:
                target = items_by_number.get(ref)
                if target is None:
                    raise NotFound(f"{where}: settles {ref!r}, but there is no such invoice in the ledger")
                targets.append(touched.get(target.id, target))
            current = touched.get(item.id, item)
            found = match_item_against_item([current, *targets])
            state = apply_allocations({i.id: i for i in [current, *targets]}, found)
            touched.update(state)
            for i in state.values():
                if i.is_debit:
                    items_by_number[i.number] = i
            uow.ledger.record_allocations(company_id, found, method="posting", on=voucher.date, voucher_id=stored.id)
            allocations.extend(found)

    uow.ledger.save_remaining(company_id, touched.values())
    reports = _report(uow, company, allocations, touched, types, on=None) if report else []
    final = {i.id: touched.get(i.id, i) for i in created}
    return PostingResult(batch_id, tuple(posted), tuple(final.values()), tuple(allocations), tuple(reports))


def _report(
    uow: UnitOfWork,
    company: Company,
    allocations: Sequence[Allocation],
    items: dict[int, OpenItem],
    types: dict[int, VoucherType],
    *,
    on: date | None,
) -> list[LedgerReport]:
    """R-LED-5: report settlements of items with a collection ID to the service (see
    :func:`reports_for_settlements`); ``on`` None dates each by its settling voucher."""
    assert company.id is not None
    company_id = company.id
    reports = reports_for_settlements(
        allocations,
        items,
        _collection_type_lookup(types).get,
        company=company.orgno,
        on=on,
        voucher_number_of=lambda i: uow.ledger.voucher_number_of_item(company_id, i.id),
    )
    _send(uow, company_id, reports)
    return reports


def _send(uow: UnitOfWork, company_id: int, reports: Iterable[LedgerReport]) -> None:
    """The ledger's reports go to the service through the message table."""
    for r in reports:
        day = r.paid_on if isinstance(r, DirectPaymentReported) else r.credited_on
        uow.outbox.add(company_id, r, direction="to_service", on=day, handled=False)


# -- matching ---------------------------------------------------------------------------------------------------


def match_items(uow: UnitOfWork, orgno: str, item_ids: Sequence[int], *, on: date) -> MatchResult:
    """R-LED-4 item against item: settle the chosen items against each other (collection IDs allowed)."""
    with uow:
        company, company_id = _company_id(uow, orgno)
        items = uow.ledger.items(company_id, ids=item_ids)
        missing = sorted(set(item_ids) - {i.id for i in items})
        if missing:
            raise NotFound(f"no open item with id {', '.join(map(str, missing))} for company {orgno}")
        allocations = match_item_against_item(items)
        state = apply_allocations({i.id: i for i in items}, allocations)
        uow.ledger.save_remaining(company_id, state.values())
        uow.ledger.record_allocations(company_id, allocations, method="item", on=on, voucher_id=None)
        reports = _report(uow, company, allocations, state, uow.ledger.voucher_types(company_id), on=on)
        uow.commit()
        return MatchResult(tuple(allocations), tuple(state.values()), tuple(reports))


def match_bulk(
    uow: UnitOfWork,
    orgno: str,
    *,
    method: str,
    on: date,
    customer: str | None = None,
    item_ids: Sequence[int] | None = None,
) -> MatchResult:
    """R-LED-4 equal amounts (``method="amounts"``) or references (``method="references"``).

    Given explicit items, an item with a collection ID refuses the whole call; over a customer's (or every)
    open items, such items are skipped and reported.
    """
    if method not in ("amounts", "references"):
        raise FieldError("method", "match by 'item', 'amounts' or 'references'")
    with uow:
        _, company_id = _company_id(uow, orgno)
        if item_ids:
            items = uow.ledger.items(company_id, ids=item_ids)
            missing = sorted(set(item_ids) - {i.id for i in items})
            if missing:
                raise NotFound(f"no open item with id {', '.join(map(str, missing))} for company {orgno}")
        else:
            items = uow.ledger.items(company_id, customer=customer, open_only=True)
        matcher = match_equal_amounts if method == "amounts" else match_references
        allocations, skipped = matcher(items, strict=bool(item_ids))
        state = apply_allocations({i.id: i for i in items}, allocations)
        changed = {a.debit_id for a in allocations} | {a.credit_id for a in allocations}
        uow.ledger.save_remaining(company_id, [state[i] for i in changed])
        uow.ledger.record_allocations(company_id, allocations, method=method, on=on, voucher_id=None)
        uow.commit()
        return MatchResult(tuple(allocations), tuple(state[i] for i in sorted(changed)), (), tuple(skipped))


# -- write-off and queries ----------------------------------------------------------------------------------------


def write_off(
    uow: UnitOfWork,
    orgno: str,
    invoice: str,
    *,
    on: date,
    voucher_type: int = vt.WRITE_OFF,
    account: str = std_accounts.LOSS_ON_RECEIVABLES,
) -> PostingResult:
    """Loss write-off (R-LED-5): debit loss on receivables, credit the customer, matched to the invoice.

    With a voucher type whose collection type is *none* (type 2 by default) nothing is reported, so the item is
    closed in the books while collection goes on.
    """
    with uow:
        _, company_id = _company_id(uow, orgno)
        found = [i for i in uow.ledger.items(company_id, numbers=[invoice]) if i.is_debit]
        if not found:
            raise NotFound(f"no invoice {invoice!r} for company {orgno}")
        item = found[0]
        if item.status is SettledStatus.SETTLED:
            raise MatchingRefused(f"invoice {invoice} is settled already; nothing to write off")
        voucher = Voucher(
            voucher_type=voucher_type,
            date=on,
            text=f"Tapsføring faktura {invoice}",
            lines=(
                VoucherLine(account=account, amount=item.remaining, text=f"Tap på faktura {invoice}"),
                VoucherLine(
                    account=std_accounts.RECEIVABLES,
                    amount=-item.remaining,
                    customer=item.customer,
                    settles=(invoice,),
                    text=f"Tapsføring faktura {invoice}",
                ),
            ),
        )
        result = post_batch_in(uow, orgno, Batch((voucher,), text=f"Tapsføring {invoice}", source="write_off"))
        uow.commit()
        return result


def open_items(uow: UnitOfWork, orgno: str, *, customer: str | None = None, open_only: bool = True) -> list[OpenItem]:
    with uow:
        _, company_id = _company_id(uow, orgno)
        return uow.ledger.items(company_id, customer=customer, open_only=open_only)


def balance(uow: UnitOfWork, orgno: str) -> LedgerBalance:
    """The trial balance and the sub-ledger check (R-LED-1, R-LED-3)."""
    with uow:
        _, company_id = _company_id(uow, orgno)
        trial = uow.ledger.trial_balance(company_id)
        totals: dict[str, Money] = {}
        for key, amount in trial.items():
            currency = key.split()[-1]
            totals[currency] = totals.get(currency, Money.zero(currency)) + amount
        gl = uow.ledger.receivables_by_customer(company_id)
        sub = uow.ledger.subledger_by_customer(company_id)
        mismatches = {
            number: (gl.get(number, Money.zero()), sub.get(number, Money.zero()))
            for number in sorted(set(gl) | set(sub))
            if gl.get(number, Money.zero()) != sub.get(number, Money.zero())
        }
        return LedgerBalance(trial, totals, mismatches)


def reported_messages(uow: UnitOfWork, orgno: str) -> list[LedgerReport]:
    with uow:
        _, company_id = _company_id(uow, orgno)
        return uow.outbox.reports(company_id)


def parse_collection_type(value: str) -> CollectionVoucherType:
    try:
        return CollectionVoucherType(value)
    except ValueError as exc:
        allowed = ", ".join(t.value for t in CollectionVoucherType)
        raise FieldError("collection_type", f"{value!r} is not one of {allowed}") from exc


def customers(uow: UnitOfWork, orgno: str, numbers: Iterable[str] | None = None) -> dict[str, Customer]:
    with uow:
        _, company_id = _company_id(uow, orgno)
        return uow.ledger.customers(company_id, numbers)


# -- what the collection service tells the ledger -----------------------------------------------------------------


def receive_settlement(
    uow: UnitOfWork, orgno: str, message: SettlementIssued, agreement: Agreement
) -> PostingResult | None:
    """R-LED-7: post a remittance automatically with voucher type *settlement* (198), never reported back.

    Debit the intermediary bank account with the total; per claim, credit the customer's invoice with the
    principal (matched to it), the fee and interest income accounts, and the overpayment as a credit item on the
    customer (to refund). Principal beyond what the invoice still has in the books (written off) is a recovery
    credited to the loss account. When the money reaches the bank, bank against the intermediary nets it to zero.
    """
    company, company_id = _company_id(uow, orgno)
    acc = agreement.accounting
    items = {
        i.collection_id: i
        for i in uow.ledger.items(company_id, collection_ids=[line.collection_id for line in message.lines])
    }
    lines: list[VoucherLine] = []
    total = Money.zero()
    text = f"Inkassooppgjør {message.settlement_id}"
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
                    acc.receivables,
                    -in_books,
                    customer=item.customer,
                    settles=(item.number,),
                    text=f"{text}: faktura {item.number}",
                )
            )
        if recovered.is_positive():
            lines.append(VoucherLine(acc.loss, -recovered, text=f"{text}: inngått på tapsført faktura {item.number}"))
        if sl.fee.is_positive():
            lines.append(VoucherLine(acc.fee_income, -sl.fee, text=f"{text}: gebyr faktura {item.number}"))
        if sl.interest.is_positive():
            lines.append(VoucherLine(acc.interest_income, -sl.interest, text=f"{text}: renter faktura {item.number}"))
        if sl.overpayment.is_positive():
            lines.append(
                VoucherLine(
                    acc.overpayment,
                    -sl.overpayment,
                    customer=item.customer if acc.overpayment == acc.receivables else None,
                    reference=item.number,
                    text=f"{text}: overbetalt faktura {item.number}",
                )
            )
        if sl.costs.is_positive():
            lines.append(VoucherLine(acc.collection_costs, sl.costs, text=f"{text}: inkassokostnader {item.number}"))
        if sl.costs_vat.is_positive():
            lines.append(VoucherLine(acc.input_vat, sl.costs_vat, text=f"{text}: mva inkassokostnader {item.number}"))
    if not lines:
        return None
    voucher = Voucher(
        voucher_type=vt.COLLECTION_SETTLEMENT,
        date=message.remitted_on,
        text=text,
        lines=((VoucherLine(acc.intermediary_bank, total, text=text),) if not total.is_zero() else ()) + tuple(lines),
    )
    del company
    return post_batch_in(uow, orgno, Batch((voucher,), text=text, source="settlement"), source_name=text)


def receive_claim_changed(uow: UnitOfWork, orgno: str, message: ClaimChanged) -> None:
    """R-LED-3: keep the item's outstanding fee and interest in step with the service."""
    _, company_id = _company_id(uow, orgno)
    uow.ledger.update_collection_amounts(
        company_id, message.collection_id, message.fee_outstanding, message.interest_outstanding
    )


# -- payments on the creditor's own account (R-LED-6) ------------------------------------------------------------


def direct_payment_voucher(
    item: OpenItem, amount: Money, on: date, agreement: Agreement, *, bank_account: str, text: str
) -> tuple[Voucher, bool]:
    """R-LED-6: the voucher of a payment of ``amount`` on the creditor's own account for invoice ``item``.

    When the item has a collection ID, the payment is larger than its remaining principal and fee or interest is
    outstanding, the batch has the lines bank (the total), invoice (principal), reminder fee, interest and
    overpayment (the rest, a credit item on the customer), from the agreement's accounts; the whole amount is
    then reported (the second value is True). Otherwise it is an ordinary payment matched to the invoice.
    """
    acc = agreement.accounting
    fee_out = item.fee_outstanding or Money.zero(item.currency)
    interest_out = item.interest_outstanding or Money.zero(item.currency)
    split = (
        item.collection_id is not None
        and amount > item.remaining
        and (fee_out.is_positive() or interest_out.is_positive())
    )
    if not split:
        lines: tuple[VoucherLine, ...] = (
            VoucherLine(bank_account, amount, text=text),
            VoucherLine(acc.receivables, -amount, customer=item.customer, settles=(item.number,), text=text),
        )
        return Voucher(vt.BANK, on, lines, text=text), False
    rest = amount
    principal = rest.min(item.remaining)
    rest = rest - principal
    fee = rest.min(fee_out)
    rest = rest - fee
    interest = rest.min(interest_out)
    over = rest - interest
    parts = [VoucherLine(bank_account, amount, text=text)]
    parts.append(
        VoucherLine(
            acc.receivables, -principal, customer=item.customer, settles=(item.number,), text=f"{text}: fakturabeløp"
        )
    )
    if fee.is_positive():
        parts.append(VoucherLine(acc.fee_income, -fee, text=f"{text}: purregebyr"))
    if interest.is_positive():
        parts.append(VoucherLine(acc.interest_income, -interest, text=f"{text}: renter"))
    if over.is_positive():
        parts.append(
            VoucherLine(
                acc.overpayment,
                -over,
                customer=item.customer if acc.overpayment == acc.receivables else None,
                reference=item.number,
                text=f"{text}: overbetaling",
            )
        )
    return Voucher(vt.BANK, on, tuple(parts), text=text), True


def pay_invoice_in(
    uow: UnitOfWork,
    orgno: str,
    invoice: str,
    amount: Money,
    *,
    on: date,
    bank_account: str = std_accounts.BANK,
    text: str | None = None,
    rates: RateTables | None = None,
) -> PostingResult:
    """A payment on the creditor's own account for ``invoice``, posted and reported (R-LED-5, R-LED-6).

    With ``rates``, an item sent to collection has its outstanding fee and interest brought up to the day of
    payment from the service first, so the ledger splits the payment as the service will apply it.
    """
    company, company_id = _company_id(uow, orgno)
    found = [i for i in uow.ledger.items(company_id, numbers=[invoice]) if i.is_debit]
    if not found:
        raise NotFound(f"no invoice {invoice!r} for company {orgno}")
    item = found[0]
    if rates is not None and item.collection_id is not None:
        current = claims_query.fee_and_interest_on(uow, company_id, item.collection_id, on, rates)
        if current is not None:
            uow.ledger.update_collection_amounts(company_id, item.collection_id, *current)
            item = replace(item, fee_outstanding=current[0], interest_outstanding=current[1])
    agreement = uow.agreements.get(company_id)
    voucher, whole = direct_payment_voucher(
        item, amount, on, agreement, bank_account=bank_account, text=text or f"Innbetaling faktura {invoice}"
    )
    result = post_batch_in(uow, orgno, Batch((voucher,), text=voucher.text, source="bank"), report=not whole)
    if whole:
        assert item.collection_id is not None
        message = DirectPaymentReported(company.orgno, item.collection_id, amount, on, result.vouchers[0].number)
        _send(uow, company_id, [message])
        result = PostingResult(result.batch_id, result.vouchers, result.items, result.allocations, (message,))
    return result


def pay_invoice(
    uow: UnitOfWork,
    orgno: str,
    invoice: str,
    amount: Money,
    *,
    on: date,
    bank_account: str = std_accounts.BANK,
    rates: RateTables | None = None,
) -> PostingResult:
    """:func:`pay_invoice_in` in its own transaction (``krav ledger pay``)."""
    if not amount.is_positive():
        raise FieldError("amount", "a payment must be more than 0.00")
    with uow:
        result = pay_invoice_in(uow, orgno, invoice, amount, on=on, bank_account=bank_account, rates=rates)
        uow.commit()
        return result


# -- the ledger's own reminders and exemptions ---------------------------------------------------------------------


class LedgerRemindersOff(RuleViolation):
    """R-AGR-2: while the collection agreement is active, the ledger sends no reminders of its own."""

    code = "ledger_reminders_off"


def remind(uow: UnitOfWork, orgno: str, item_ids: Sequence[int], *, on: date) -> list[OpenItem]:
    """The ledger's own reminder (purring) for creditors not using the collection service: records it on the
    items (number of reminders, reminded-on date). Refused while the collection agreement is active (R-AGR-2);
    an item reminded this way is not sent to collection later (``item_already_reminded``)."""
    from krav.domain.agreement import ledger_sends_reminders

    with uow:
        _, company_id = _company_id(uow, orgno)
        if not ledger_sends_reminders(uow.agreements.get(company_id)):
            raise LedgerRemindersOff(
                "the collection agreement is active: reminders are sent by the collection service, not the ledger "
                "(R-AGR-2)"
            )
        items = uow.ledger.items(company_id, ids=item_ids)
        missing = sorted(set(item_ids) - {i.id for i in items})
        if missing:
            raise NotFound(f"no open item with id {', '.join(map(str, missing))} for company {orgno}")
        closed = [i.number for i in items if i.status is SettledStatus.SETTLED or not i.is_debit]
        if closed:
            raise MatchingRefused(f"only open invoices can be reminded, not {', '.join(closed)}")
        uow.ledger.mark_reminded(company_id, item_ids, on)
        uow.commit()
        return uow.ledger.items(company_id, ids=item_ids)


def set_exempt(uow: UnitOfWork, orgno: str, item_id: int, exempt: bool) -> None:
    """Set or clear an item's reminder exemption (purrefritak)."""
    with uow:
        _, company_id = _company_id(uow, orgno)
        if not uow.ledger.set_item_exempt(company_id, item_id, exempt):
            raise NotFound(f"no open item with id {item_id} for company {orgno}")
        uow.commit()
