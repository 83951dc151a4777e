"""The proposal's candidates (R-VAL-1) from the rows of its query: the columns asked for, and the domain values
made of them by position."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from krav.domain.frozen import builder
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import CollectionVoucherType, appears_in_proposal
from krav.domain.money import Money
from krav.domain.party import Customer
from krav.domain.validation import Candidate

#: the columns a candidate is built from, in the order :func:`candidates_of` unpacks them
CANDIDATE_ITEM = (
    "id",
    "customer_id",
    "number",
    "voucher_type",
    "amount_ore",
    "remaining_ore",
    "currency",
    "invoice_date",
    "due_date",
    "reminder_count",
    "reminded_on",
    "exempt",
    "collection_id",
    "fee_outstanding_ore",
    "interest_outstanding_ore",
    "kid",
    "reference",
    "voucher_id",
)

# built many at a time from stored values (krav.domain.frozen)
_open_item = builder(OpenItem)
_candidate = builder(Candidate)


def candidates_of(
    rows: Sequence[tuple[Any, ...]], customers: Mapping[int, Customer], unmatched: Collection[int]
) -> list[Candidate]:
    """Candidates from the proposal query's plain rows (:data:`CANDIDATE_ITEM`, the voucher type's collection type),
    unpacked by position, their ``customers`` by id and the ids of the customers with ``unmatched`` entries: a
    customer's items share its one :class:`Customer`, an item's amounts one :class:`Money` while nothing of it is
    settled, and nothing owed is the shared zero."""
    mapped: dict[str | None, bool] = {}
    out: list[Candidate] = []
    append = out.append
    from_ore = Money.from_ore
    for (
        item_id,
        customer_id,
        number,
        voucher_type,
        amount_ore,
        remaining_ore,
        currency,
        invoice_date,
        due_date,
        reminder_count,
        reminded_on,
        exempt,
        collection_id,
        fee_ore,
        interest_ore,
        kid,
        reference,
        voucher_id,
        collection_type,
        *_,
    ) in rows:
        customer = customers[customer_id]
        amount = from_ore(amount_ore, currency)
        zero = Money.zero(currency)
        item = _open_item(
            item_id,
            customer.number,
            number,
            voucher_type,
            amount,
            amount if remaining_ore == amount_ore else from_ore(remaining_ore, currency),
            invoice_date,
            due_date,
            reminder_count,
            reminded_on,
            exempt,
            collection_id,
            from_ore(fee_ore, currency) if fee_ore else zero,
            from_ore(interest_ore, currency) if interest_ore else zero,
            kid,
            reference,
            voucher_id,
        )
        is_mapped = mapped.get(collection_type)
        if is_mapped is None:
            kind = CollectionVoucherType(collection_type) if collection_type else None
            is_mapped = mapped[collection_type] = appears_in_proposal(kind)
        append(_candidate(item, customer, is_mapped, customer_id in unmatched))
    return out
