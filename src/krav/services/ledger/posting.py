"""Posting in the built-in ledger: batches of vouchers, all or nothing (R-LED-1), their open items (R-LED-3),
item-against-item settlement (R-LED-4) and the reports to the collection service (R-LED-5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from krav.domain.errors import Conflict, FieldError, MatchingRefused, NotFound
from krav.domain.ledger import accounts as std_accounts
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation, apply_allocations, match_item_against_item
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.ledger.posting import settlement_text, write_off_voucher
from krav.domain.ledger.reporting import reports_for_settlements
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.ledger.vouchers import Batch, PostedVoucher, Voucher, VoucherLine, check_voucher
from krav.domain.messages import LedgerReport
from krav.domain.money import Money
from krav.domain.party import Company
from krav.domain.plausible import TEXT, check_amount, check_text
from krav.formats.voucher_json import parse_batch_json
from krav.services.ports import ItemFilter, NewItem, UnitOfWork, company_and_id


@dataclass(frozen=True, slots=True)
class PostingResult:
    batch_id: int
    vouchers: tuple[PostedVoucher, ...]
    items: tuple[OpenItem, ...]
    allocations: tuple[Allocation, ...]
    reports: tuple[LedgerReport, ...]


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
    check_text(batch.text or source_name, field="text", limit=TEXT, where=source_name, multiline=True)
    company, company_id = company_and_id(uow, orgno)
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
    existing_refs = {
        i.number: i for i in uow.ledger.items(company_id, ItemFilter(numbers=wanted_refs, debits_only=True))
    }

    batch_id = uow.ledger.add_batch(company_id, batch.text or source_name, batch.source)
    numbers = uow.ledger.next_numbers(company_id, "voucher", len(batch.vouchers))
    posted = uow.ledger.add_vouchers(company_id, batch_id, numbers, batch.vouchers)
    receivable = [_receivable_lines(v, accounts) for v in batch.vouchers]
    created = uow.ledger.add_items(
        company_id,
        [
            NewItem(
                customer=customer,
                number=line.item or str(stored.number),
                voucher_type=stored.voucher_type,
                amount=line.original_amount or line.amount,
                remaining=line.amount,
                invoice_date=stored.date,
                due_date=line.due_date,
                voucher_id=stored.id,
                voucher_line_no=line_no,
                kid=line.kid,
                reference=line.reference,
                exempt=line.exempt,
            )
            for stored, lines in zip(posted, receivable, strict=True)
            for line_no, line, customer in lines
        ],
    )
    allocations: list[Allocation] = []
    posted_allocations: list[tuple[int, date, list[Allocation]]] = []
    items_by_number = dict(existing_refs)
    touched: dict[int, OpenItem] = {}
    made = iter(created)
    for n, (stored, lines) in enumerate(zip(posted, receivable, strict=True), start=1):
        where = f"{source_name}, voucher {n}"
        for _, line, _ in lines:
            item = next(made)
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
            assert stored.id is not None
            posted_allocations.append((stored.id, stored.date, found))
            allocations.extend(found)

    uow.ledger.record_posting_allocations(company_id, posted_allocations)
    uow.ledger.save_remaining(company_id, touched.values())
    reports = report_settlements(uow, company, allocations, touched, types, on=None) if report else []
    final = {i.id: touched.get(i.id, i) for i in created}
    return PostingResult(batch_id, tuple(posted), tuple(final.values()), tuple(allocations), tuple(reports))


def _receivable_lines(voucher: Voucher, accounts: Mapping[str, Account]) -> list[tuple[int, VoucherLine, str]]:
    """The voucher's lines on a receivables account naming a customer (each an open item), with their numbers."""
    found: list[tuple[int, VoucherLine, str]] = []
    for line_no, line in enumerate(voucher.lines, start=1):
        if line.customer and accounts[line.account].receivable:
            found.append((line_no, line, line.customer))
    return found


def post_batch_file(uow: UnitOfWork, orgno: str, data: bytes, *, filename: str) -> PostingResult:
    """A batch of vouchers from a JSON file (docs/ledger.md), checked whole and posted all or nothing."""
    return post_batch(uow, orgno, parse_batch_json(data, filename=filename), source_name=filename)


def report_settlements(
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
        {code: t.collection_type for code, t in types.items()}.get,
        company=company.orgno,
        on=on,
        voucher_number_of=lambda i: uow.ledger.voucher_number_of_item(company_id, i.id),
    )
    send_reports(uow, company_id, reports)
    return reports


def send_reports(uow: UnitOfWork, company_id: int, reports: Iterable[LedgerReport]) -> None:
    """The ledger's reports go to the service through the message table, dated the day paid or credited; the
    service applies them first thing in that day's run (R-TIME-5)."""
    for r in reports:
        uow.outbox.add(company_id, r, on=r.on)


def write_off(
    uow: UnitOfWork,
    orgno: str,
    invoice: str,
    *,
    on: date,
    voucher_type: int = vt.WRITE_OFF,
    account: str = std_accounts.LOSS_ON_RECEIVABLES,
) -> PostingResult:
    """Loss write-off (R-LED-5, :func:`write_off_voucher`): closed in the books while collection goes on."""
    with uow:
        _, cid = company_and_id(uow, orgno)
        item = invoice_item(uow, cid, invoice, orgno)
        if item.status is SettledStatus.SETTLED:
            raise MatchingRefused(f"invoice {invoice} is settled already; nothing to write off")
        voucher = write_off_voucher(item, on, voucher_type=voucher_type, account=account)
        result = post_batch_in(uow, orgno, Batch((voucher,), text=f"Tapsføring {invoice}", source="write_off"))
        uow.commit()
        return result


def invoice_item(uow: UnitOfWork, company_id: int, invoice: str, orgno: str) -> OpenItem:
    """The invoice (the debit item) numbered ``invoice``, or NotFound."""
    found = uow.ledger.items(company_id, ItemFilter(numbers=[invoice], debits_only=True))
    if not found:
        raise NotFound(f"no invoice {invoice!r} for company {orgno}")
    return found[0]


def credit_invoice(
    uow: UnitOfWork,
    orgno: str,
    invoice: str,
    amount: Money,
    *,
    on: date,
    number: str | None = None,
    voucher_type: int = vt.OUTGOING_CREDIT_NOTE,
) -> PostingResult:
    """A credit note against ``invoice`` (R-LED-5): credit 1500 the customer, settling the invoice, debit sales;
    a claim on the invoice is reported the credit. Refused above what the invoice still owes."""
    if not amount.is_positive():
        raise FieldError("amount", "a credit note must be more than 0.00")
    check_amount(amount, field="amount")
    with uow:
        _, cid = company_and_id(uow, orgno)
        item = invoice_item(uow, cid, invoice, orgno)
        if amount > item.remaining:
            raise MatchingRefused(
                f"invoice {invoice} owes {item.remaining.amount:.2f}; a credit note of {amount.amount:.2f} is more"
            )
        voucher = Voucher(
            voucher_type,
            on,
            (
                VoucherLine(std_accounts.SALES, amount),
                VoucherLine(std_accounts.RECEIVABLES, -amount, customer=item.customer, settles=(invoice,)),
            ),
            text=f"Kreditnota {number or ''} til faktura {invoice}".replace("  ", " "),
        )
        result = post_batch_in(uow, orgno, Batch((voucher,), text=f"Kreditnota {invoice}", source="credit_note"))
        uow.commit()
        return result


def settlement_postings(uow: UnitOfWork, orgno: str, reference: str) -> PostedVoucher:
    """The voucher the built-in ledger posted for settlement ``reference`` (R-LED-7): what an outside ERP posts in
    its own books for it. NotFound when the settlement was not posted (yet)."""
    with uow:
        _, cid = company_and_id(uow, orgno)
        found = uow.ledger.vouchers(cid, voucher_type=vt.COLLECTION_SETTLEMENT, text=settlement_text(reference))
    if not found:
        raise NotFound(f"no settlement {reference} posted for company {orgno}")
    return found[0]
