"""Getting data in: SAF-T Financial, customers and invoices as CSV (R-IMP-1).

An import is one transaction: everything of the file is stored, or nothing. The same file (by SHA-256) imported
twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from krav.domain.errors import ImportRefused, NotFound, Problem
from krav.domain.ledger import accounts as acc
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.rebuild import RebuiltItem
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.party import Company, Customer, check_customer, is_valid_orgno
from krav.formats.csv_dialect import CP1252, sniff
from krav.formats.ledger_csv import CsvInvoice, parse_customers_csv, parse_invoices_csv
from krav.formats.saft import parse_saft, rebuild_from_saft
from krav.services import ledger
from krav.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportedItem:
    customer: str
    number: str
    amount: str
    remaining: str
    invoice_date: str
    due_date: str | None
    number_rule: str
    due_rule: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; ``already_imported`` means the same file was imported before and nothing changed."""

    kind: str
    filename: str
    company: str
    already_imported: bool = False
    imported_at: str | None = None
    company_created: bool = False
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    items: tuple[ImportedItem, ...] = ()
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    settled_in_file: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _already(
    uow: UnitOfWork, company_id: int, kind: str, digest: str, filename: str, orgno: str
) -> ImportReport | None:
    previous = uow.imports.find(company_id, kind, digest)
    if previous is None:
        return None
    return ImportReport(kind, filename, orgno, already_imported=True, imported_at=previous.imported_on)


# -- SAF-T ------------------------------------------------------------------------------------------------------


def _saft_voucher(item: RebuiltItem) -> Voucher:
    """An open item carried over from SAF-T as an opening-balance voucher against 2050."""
    if item.is_debit:
        voucher_type, text = vt.OUTGOING_INVOICE, f"Åpen post {item.number} fra SAF-T"
    else:
        voucher_type, text = vt.BANK, f"Uavregnet innbetaling/kreditnota {item.number} fra SAF-T"
    original = item.amount if item.amount != item.remaining else None
    return Voucher(
        voucher_type=voucher_type,
        date=item.invoice_date,
        text=text,
        lines=(
            VoucherLine(
                acc.RECEIVABLES,
                item.remaining,
                customer=item.customer,
                item=item.number,
                reference=item.number if not item.is_debit else item.reference,
                due_date=item.due_date if item.is_debit else None,
                text=(item.description or text)[:500],
                original_amount=original,
            ),
            VoucherLine(acc.OPENING_BALANCE, -item.remaining, text=text),
        ),
    )


def import_saft(
    uow: UnitOfWork, orgno: str, data: bytes, *, filename: str, schema_dir: Path, default_terms_days: int = 14
) -> ImportReport:
    """R-IMP-1: customers from MasterFiles, open items rebuilt from the receivables lines, posted as opening
    balances (debit 1500 per item, credit 2050), all in one transaction.

    The file must be the company's own (its header's organisation number); a company not yet registered is
    created from the header.
    """
    saft = parse_saft(data, filename=filename, schema_dir=schema_dir)
    if saft.header.company_orgno != orgno:
        raise ImportRefused(
            filename,
            [
                Problem(
                    filename,
                    "Header/Company/RegistrationNumber",
                    f"the file belongs to {saft.header.company_orgno} ({saft.header.company_name}), not {orgno}",
                )
            ],
        )
    rebuilt = rebuild_from_saft(saft, default_terms_days=default_terms_days)
    digest = sha256(data)

    with uow:
        company = uow.companies.find(orgno)
        company_created = company is None
        if company is None:
            if not is_valid_orgno(orgno):
                raise NotFound(f"{filename}: company {orgno} is not registered and its number is not valid")
            company = ledger.create_company_in(uow, Company(orgno=orgno, name=saft.header.company_name))
        assert company.id is not None
        done = _already(uow, company.id, "saft", digest, filename, orgno)
        if done is not None:
            return done
        counts = _saved(
            uow,
            company.id,
            [check_customer(c.customer, where=f"{filename}, customer {c.customer.number}") for c in saft.customers],
        )
        open_items = rebuilt.open_items()
        existing = uow.ledger.existing_invoice_numbers(company.id, [i.number for i in open_items if i.is_debit])
        to_post = [i for i in open_items if not (i.is_debit and i.number in existing)]
        skipped = tuple(
            f"{i.number}: already in the ledger, left as it is"
            for i in open_items
            if i.is_debit and i.number in existing
        )
        if to_post:
            ledger.post_batch_in(
                uow,
                orgno,
                Batch(
                    tuple(_saft_voucher(i) for i in to_post), text=f"Åpne poster fra SAF-T {filename}", source="saft"
                ),
                source_name=filename,
            )
        report = ImportReport(
            kind="saft",
            filename=filename,
            company=orgno,
            company_created=company_created,
            customers_created=counts["created"],
            customers_updated=counts["updated"],
            customers_unchanged=counts["unchanged"],
            items=tuple(_imported(i) for i in to_post),
            skipped=skipped,
            notes=tuple(f"customer {c.customer.number}: {note}" for c in saft.customers for note in c.notes),
            settled_in_file=len(rebuilt.items) - len(open_items),
            extra={
                "schema_version": saft.header.schema_version,
                "period": f"{saft.header.period_start.isoformat()}..{saft.header.period_end.isoformat()}",
            },
        )
        uow.imports.record(company.id, "saft", digest, filename, _summary(report))
        uow.commit()
        return report


def _saved(uow: UnitOfWork, company_id: int, customers: Sequence[Customer]) -> dict[str, int]:
    """The customers saved in bulk, and how many were ``created``, ``updated`` and ``unchanged``."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for outcome in uow.ledger.save_customers(company_id, customers):
        counts[outcome] += 1
    return counts


def _imported(item: RebuiltItem) -> ImportedItem:
    return ImportedItem(
        customer=item.customer,
        number=item.number,
        amount=str(item.amount.amount),
        remaining=str(item.remaining.amount),
        invoice_date=item.invoice_date.isoformat(),
        due_date=item.due_date.isoformat() if item.due_date else None,
        number_rule=item.number_rule.value,
        due_rule=item.due_rule.value,
        note=item.number_note,
    )


def _summary(report: ImportReport) -> str:
    return json.dumps(
        {
            "customers_created": report.customers_created,
            "customers_updated": report.customers_updated,
            "items": len(report.items),
            "skipped": len(report.skipped),
        }
    )


# -- CSV --------------------------------------------------------------------------------------------------------


def _how_read(data: bytes, filename: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """The report's ``extra`` (the file's encoding and delimiter) and ``notes`` (a file read as Windows-1252)."""
    dialect = sniff(data, filename=filename)
    notes = (f"read as {CP1252}: the file is not UTF-8",) if dialect.encoding == CP1252 else ()
    return {"encoding": dialect.encoding, "delimiter": dialect.delimiter_name}, notes


def import_customers_csv(uow: UnitOfWork, orgno: str, data: bytes, *, filename: str) -> ImportReport:
    """Customers from CSV (docs/imports.md): created or updated by number, all rows or none."""
    customers = parse_customers_csv(data, filename=filename)
    extra, notes = _how_read(data, filename)
    digest = sha256(data)
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        done = _already(uow, company.id, "customers", digest, filename, orgno)
        if done is not None:
            return done
        counts = _saved(uow, company.id, customers)
        report = ImportReport(
            kind="customers",
            filename=filename,
            company=orgno,
            customers_created=counts["created"],
            customers_updated=counts["updated"],
            customers_unchanged=counts["unchanged"],
            extra=extra,
            notes=notes,
        )
        uow.imports.record(company.id, "customers", digest, filename, _summary(report))
        uow.commit()
        return report


def _invoice_voucher(invoice: CsvInvoice) -> Voucher:
    return Voucher(
        voucher_type=invoice.voucher_type,
        date=invoice.invoice_date,
        text=invoice.text or f"Faktura {invoice.number}",
        lines=(
            VoucherLine(
                acc.RECEIVABLES,
                invoice.amount,
                customer=invoice.customer,
                item=invoice.number,
                due_date=invoice.due_date,
                kid=invoice.kid,
                exempt=invoice.exempt,
                text=invoice.text,
            ),
            VoucherLine(acc.SALES, -invoice.amount, text=invoice.text or f"Faktura {invoice.number}"),
        ),
    )


def _due_from_terms(invoices: list[CsvInvoice], customers: dict[str, Customer]) -> tuple[list[CsvInvoice], set[str]]:
    """An invoice without a due date is due its customer's payment terms after the invoice date, where the
    customer has terms (R-IMP-1 as for SAF-T); returns the invoices and the numbers whose due date came so."""
    derived: set[str] = set()
    out: list[CsvInvoice] = []
    for invoice in invoices:
        terms = customers[invoice.customer].payment_terms_days if invoice.customer in customers else None
        if invoice.due_date is None and terms is not None:
            invoice = replace(invoice, due_date=invoice.invoice_date + timedelta(days=terms))
            derived.add(invoice.number)
        out.append(invoice)
    return out, derived


def import_invoices_csv(uow: UnitOfWork, orgno: str, data: bytes, *, filename: str) -> ImportReport:
    """Outgoing invoices from CSV, each posted as a voucher (debit 1500 the customer, credit 3000 sales).

    Unknown customers or voucher types and invoice numbers already in the ledger refuse the whole file, each
    named with its line. The same file twice changes nothing.
    """
    invoices = parse_invoices_csv(data, filename=filename)
    extra, notes = _how_read(data, filename)
    digest = sha256(data)
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        done = _already(uow, company.id, "invoices", digest, filename, orgno)
        if done is not None:
            return done
        report = post_invoices_in(
            uow, orgno, invoices, source=filename, where=lambda i: f"{filename}, line {i.line}", batch_source="csv"
        )
        report = replace(report, extra=extra, notes=notes)
        uow.imports.record(company.id, "invoices", digest, filename, _summary(report))
        uow.commit()
        return report


def post_invoices_in(
    uow: UnitOfWork,
    orgno: str,
    invoices: Sequence[CsvInvoice],
    *,
    source: str,
    where: Callable[[CsvInvoice], str],
    batch_source: str,
) -> ImportReport:
    """Post outgoing invoices as vouchers in the open unit of work: all, or none with every problem named
    (``where`` says where each invoice came from). An invoice without a due date is due its customer's terms."""
    company = uow.companies.get(orgno)
    assert company.id is not None
    known = uow.ledger.customers(company.id, {i.customer for i in invoices})
    types = uow.ledger.voucher_types(company.id)
    existing = uow.ledger.existing_invoice_numbers(company.id, [i.number for i in invoices])
    problems: list[Problem] = []
    seen: set[str] = set()
    for invoice in invoices:
        if invoice.customer not in known:
            problems.append(
                Problem(where(invoice), "customer", f"unknown customer {invoice.customer!r}; send it first")
            )
        if invoice.voucher_type not in types:
            problems.append(Problem(where(invoice), "voucher_type", f"unknown voucher type {invoice.voucher_type}"))
        if invoice.number in existing:
            problems.append(Problem(where(invoice), "number", f"invoice {invoice.number} is already in the ledger"))
        elif invoice.number in seen:
            problems.append(Problem(where(invoice), "number", f"invoice {invoice.number} appears twice"))
        seen.add(invoice.number)
    if problems:
        raise ImportRefused(source, problems)
    dated, by_terms = _due_from_terms(list(invoices), known)
    result = ledger.post_batch_in(
        uow,
        orgno,
        Batch(tuple(_invoice_voucher(i) for i in dated), text=f"Fakturaer fra {source}", source=batch_source),
        source_name=source,
    )
    return ImportReport(
        kind="invoices",
        filename=source,
        company=orgno,
        items=tuple(
            ImportedItem(
                customer=i.customer,
                number=i.number,
                amount=str(i.amount.amount),
                remaining=str(i.remaining.amount),
                invoice_date=i.invoice_date.isoformat(),
                due_date=i.due_date.isoformat() if i.due_date else None,
                number_rule="number",
                due_rule="customer_terms" if i.number in by_terms else ("due_date" if i.due_date else "none"),
            )
            for i in result.items
        ),
    )


#: an invoice as an ERP sends it (the fields of a line of the invoices CSV)
NewInvoice = CsvInvoice


def receive_invoices(
    uow: UnitOfWork, orgno: str, customers: Sequence[Customer], invoices: Sequence[NewInvoice], *, source: str
) -> ImportReport:
    """Invoices from an outside ERP with the customers they are to: the customers created or updated, then the
    invoices posted, in one transaction — all, or nothing with every problem named (``invoices[n]``)."""
    checked = [check_customer(c, where=f"customers[{n}]") for n, c in enumerate(customers)]
    numbers = [c.number for c in checked]
    if len(set(numbers)) != len(numbers):
        twice = next(n for n in numbers if numbers.count(n) > 1)
        raise ImportRefused(source, [Problem("customers", "number", f"customer {twice} appears twice")])
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        uow.ledger.save_customers(company.id, checked)
        report = post_invoices_in(
            uow, orgno, invoices, source=source, where=lambda i: f"invoices[{i.line}]", batch_source="api"
        )
        uow.commit()
        return report
