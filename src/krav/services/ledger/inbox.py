"""What the collection service tells the built-in ledger, applied in batches (DESIGN.md "Two sides, one
contract"): the claims' outstanding fee and interest kept on their items (R-LED-3), and settlements posted
automatically (R-LED-7)."""

from __future__ import annotations

from collections.abc import Sequence

from krav.domain.ledger.posting import settlement_voucher
from krav.domain.ledger.vouchers import Batch
from krav.domain.messages import ClaimChanged, ServiceReport, SettlementIssued
from krav.domain.money import Money
from krav.services.ledger.posting import post_batch_in
from krav.services.ports import ItemFilter, UnitOfWork


def apply_service_reports(uow: UnitOfWork, company_id: int, reports: Sequence[ServiceReport]) -> None:
    """Apply one creditor's messages from the service, in the order they were sent: the newest figures of each
    changed claim in one bulk update, and each settlement posted with voucher type *settlement*."""
    latest: dict[str, tuple[Money, Money]] = {}
    for report in reports:
        if isinstance(report, ClaimChanged):
            latest[report.collection_id] = (report.fee_outstanding, report.interest_outstanding)
    if latest:
        uow.ledger.update_collection_amounts(company_id, latest)
    settlements = [r for r in reports if isinstance(r, SettlementIssued)]
    if not settlements:
        return
    company = uow.companies.by_id(company_id)
    accounts = uow.agreements.get(company_id).accounting
    for message in settlements:
        wanted = [line.collection_id for line in message.lines]
        items = {
            i.collection_id: i
            for i in uow.ledger.items(company_id, ItemFilter(collection_ids=wanted))
            if i.collection_id
        }
        voucher = settlement_voucher(message, items, accounts)
        if voucher is not None:
            batch = Batch((voucher,), text=voucher.text, source="settlement")
            post_batch_in(uow, company.orgno, batch, source_name=voucher.text)
