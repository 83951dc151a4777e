"""``krav import claims``: open claims brought from an earlier collection service, with their history, going on as
if Krav had run them from the start (docs/migration.md).

The whole file is checked before anything is stored (:func:`krav.domain.collection.migration.check_migrated`),
every problem named with its line and field, and refused whole; the same file twice changes nothing. Each claim
takes over its open item in the ledger (the item gets the claim's collection ID), and its history shows the
earlier service's letters, fees, salær and payments as imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from krav.domain.collection.interest import interest_outstanding
from krav.domain.collection.letters import Recipient
from krav.domain.collection.migrated import MigratedClaim
from krav.domain.collection.migration import (
    Creditor,
    InvoiceInLedger,
    check_migrated,
    check_salaer,
    migrated_claim,
    migrated_history,
)
from krav.domain.collection.migration_letters import check_kids, migrated_letters
from krav.domain.errors import ImportRefused, Problem
from krav.domain.ledger.open_items import OpenItem
from krav.domain.messages import ClaimChanged
from krav.domain.party import Customer
from krav.domain.rates import RateTables
from krav.formats.claims_csv import parse_claims_csv
from krav.formats.claims_import import is_json_lines, parse_claims_jsonl
from krav.services.ports import ItemFilter, UnitOfWork

KIND = "claims"


@dataclass(frozen=True, slots=True)
class ImportedClaim:
    invoice: str
    customer: str
    collection_id: str
    stage: str
    earlier_id: str


@dataclass(frozen=True, slots=True)
class ClaimImportReport:
    """What ``krav import claims`` did; ``already_imported``: the same file was imported before, nothing changed."""

    filename: str
    company: str
    already_imported: bool = False
    imported_at: str | None = None
    claims: tuple[ImportedClaim, ...] = ()


def _recipient(customer: Customer) -> Recipient:
    a = customer.address
    return Recipient(
        customer.number,
        customer.name,
        customer.kind.value,
        customer.orgno,
        a.street,
        a.postcode,
        a.city,
        a.country,
        customer.email,
        customer.language,
        bool(customer.email_for_letters),
    )


def _in_ledger(item: OpenItem, customers: dict[str, Customer]) -> InvoiceInLedger | None:
    customer = customers.get(item.customer)
    if customer is None or not item.is_debit or item.remaining.is_zero():
        return None
    return InvoiceInLedger(
        customer=item.customer,
        amount=item.amount,
        remaining=item.remaining,
        invoice_date=item.invoice_date,
        due_date=item.due_date,
        collection_id=item.collection_id,
        debtor=_recipient(customer),
    )


def _twice(claims: list[MigratedClaim]) -> list[Problem]:
    problems: list[Problem] = []
    for field in ("invoice", "earlier_id"):
        seen: dict[str, str] = {}
        for c in claims:
            value = getattr(c, field)
            if value in seen:
                problems.append(Problem(c.where, field, f"{value} appears twice (first on {seen[value]})"))
            seen.setdefault(value, c.where)
    return problems


def _earlier(kid: str) -> Callable[[int], str]:
    """The earlier service's KID, kept for the letter that stands for its latest letter (R-BANK-1)."""

    def kid_for(_letter_id: int) -> str:
        return kid

    return kid_for


def import_claims(
    uow: UnitOfWork, orgno: str, data: bytes, *, filename: str, today: date, rates: RateTables
) -> ClaimImportReport:
    """Import the claims of a migration file (JSON Lines or CSV) on ``today``: all, or none with every problem
    named."""
    parse = parse_claims_jsonl if is_json_lines(data) else parse_claims_csv
    claims = parse(data, filename=filename)
    digest = hashlib.sha256(data).hexdigest()
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        previous = uow.imports.find(company.id, KIND, digest)
        if previous is not None:
            return ClaimImportReport(filename, orgno, already_imported=True, imported_at=previous.imported_on)
        agreement = uow.agreements.get(company.id)
        creditor = Creditor(
            vat_registered=company.vat_registered,
            automatic_collection_list=agreement.automatic_collection_list,
            reminder_before_notice=agreement.reminder_before_notice,
            charge_interest=agreement.charge_interest,
        )
        items = {i.number: i for i in uow.ledger.items(company.id, ItemFilter(numbers=[c.invoice for c in claims]))}
        customers = uow.ledger.customers(company.id, {i.customer for i in items.values()})
        ledger = {n: _in_ledger(i, customers) for n, i in items.items()}
        problems = _twice(claims)
        for claim in claims:
            problems += check_migrated(claim, ledger.get(claim.invoice), creditor, rates, today)
        problems += check_salaer(claims, ledger, creditor, rates)
        problems += check_kids(claims)
        problems += [
            Problem(c.where, "kid", f"{c.kid} is the KID of a letter in Krav already")
            for c in claims
            if c.kid is not None and uow.collection.letter_by_kid(c.kid) is not None
        ]
        if problems:
            raise ImportRefused(filename, problems)
        numbers = uow.ledger.next_numbers(company.id, "collection", len(claims))
        ids = {c.invoice: f"K{company.id}-{n:06d}" for c, n in zip(claims, numbers, strict=True)}
        took = uow.ledger.set_collection_ids(company.id, {items[c.invoice].id: ids[c.invoice] for c in claims})
        if len(took) != len(claims):
            raise ImportRefused(filename, [Problem(filename, "invoice", "submitted by someone else meanwhile")])
        built = []
        for claim in claims:
            invoice = ledger[claim.invoice]
            assert invoice is not None
            # the rule set in force when the claim began, as Krav would have given it on submission
            began = claim.reminder_sent or claim.notice_sent or today
            built.append(
                migrated_claim(
                    claim,
                    invoice,
                    creditor,
                    company_id=company.id,
                    collection_id=ids[claim.invoice],
                    rule_set=rates.rule_set_on(began).id,
                )
            )
        stored = uow.collection.add_claims(built)
        by_invoice = {c.invoice_number: c for c in stored}
        for kid, draft in migrated_letters(claims, by_invoice):
            uow.collection.add_letters(company.id, [draft], kid_for=_earlier(kid), account=None)
        claim_ids = {c.collection_id: c.id for c in stored if c.id is not None}
        events = [e for c in claims for e in migrated_history(c, ids[c.invoice], today)]
        uow.collection.add_events(company.id, claim_ids, events, by="import")
        uow.outbox.add_many(
            company.id,
            [
                ClaimChanged(
                    company=orgno,
                    collection_id=c.collection_id,
                    stage=c.stage.value,
                    principal_outstanding=c.principal_outstanding,
                    fee_outstanding=c.fees_outstanding,
                    interest_outstanding=interest_outstanding(
                        c, today, rates, charge_interest=agreement.charge_interest
                    ),
                    changed_on=today,
                )
                for c in stored
            ],
            on=today,
        )
        report = ClaimImportReport(
            filename,
            orgno,
            claims=tuple(ImportedClaim(c.invoice, c.customer, ids[c.invoice], c.stage, c.earlier_id) for c in claims),
        )
        uow.imports.record(company.id, KIND, digest, filename, f"{len(claims)} claims")
        uow.commit()
        return report
