"""What the ledger reports to the collection service when a posting settles a claim (R-LED-5)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.domain.messages import CreditReported, DirectPaymentReported, LedgerReport


def reports_for_settlements(
    allocations: Iterable[Allocation],
    items: Mapping[int, OpenItem],
    collection_type_of: Callable[[int], CollectionVoucherType | None],
    *,
    company: str,
    on: date | None,
    voucher_number_of: Callable[[OpenItem], int],
) -> list[LedgerReport]:
    """R-LED-5: each allocation that settles an item with a collection ID is reported by the settling item's
    collection voucher type: *payment* as a direct payment, *credit* as a credit note. *None* (a loss
    write-off), *settlement* (the service's own remittance) and the other types are not reported, so
    collection goes on. Reported as of ``on`` (a matching made that day), or, when None, of the settling
    item's own date (a posting).
    """
    reports: list[LedgerReport] = []
    for allocation in allocations:
        debit = items[allocation.debit_id]
        credit = items[allocation.credit_id]
        if not debit.collection_id:
            continue
        day = on if on is not None else credit.invoice_date
        kind = collection_type_of(credit.voucher_type)
        if kind is CollectionVoucherType.PAYMENT:
            reports.append(
                DirectPaymentReported(
                    company=company,
                    collection_id=debit.collection_id,
                    amount=allocation.amount,
                    paid_on=day,
                    voucher_number=voucher_number_of(credit),
                )
            )
        elif kind is CollectionVoucherType.CREDIT:
            reports.append(
                CreditReported(
                    company=company,
                    collection_id=debit.collection_id,
                    amount=allocation.amount,
                    credited_on=day,
                    voucher_number=voucher_number_of(credit),
                )
            )
    return reports
