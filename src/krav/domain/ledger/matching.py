"""Matching open items against each other (R-LED-4).

Three ways: item against item (post mot post), equal amounts, and references. Items that carry a collection ID
can only be matched item against item; the other two refuse them with a clear message, because the collection
service must hear exactly which payment settled which claim. Several items may be matched at once.

Matching produces :class:`Allocation` values (which credit settled how much of which debit); the items' new
remaining amounts follow from them (:func:`apply_allocations`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from krav.domain.errors import MatchingRefused
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.money import Money


@dataclass(frozen=True, slots=True)
class Allocation:
    """``amount`` (positive) of the debit item settled by the credit item."""

    debit_id: int
    credit_id: int
    amount: Money


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item a bulk matching left alone, and why."""

    item_id: int
    number: str
    reason: str


def _debit_order(item: OpenItem) -> tuple[date, date, str, int]:
    return (item.due_date or item.invoice_date, item.invoice_date, item.number, item.id)


def _credit_order(item: OpenItem) -> tuple[date, str, int]:
    return (item.invoice_date, item.number, item.id)


def _allocate(debits: Sequence[OpenItem], credits: Sequence[OpenItem]) -> list[Allocation]:
    """Credits, oldest first, settle debits, oldest due date first, until one side is used up."""
    left = {item.id: abs(item.remaining) for item in (*debits, *credits)}
    allocations: list[Allocation] = []
    ordered_debits = sorted(debits, key=_debit_order)
    for credit in sorted(credits, key=_credit_order):
        for debit in ordered_debits:
            if left[credit.id].is_zero():
                break
            if left[debit.id].is_zero():
                continue
            amount = left[credit.id].min(left[debit.id])
            allocations.append(Allocation(debit.id, credit.id, amount))
            left[credit.id] -= amount
            left[debit.id] -= amount
    return allocations


def match_item_against_item(items: Sequence[OpenItem]) -> list[Allocation]:
    """R-LED-4 item against item: the chosen items, several at once, settle each other.

    All must belong to one customer and currency and still be open; at least one debit and one credit.
    Credits settle debits oldest due date first. Collection IDs are allowed here.
    """
    if len(items) < 2:
        raise MatchingRefused("choose at least two items to match item against item")
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise MatchingRefused("an item is chosen twice")
    customers = {item.customer for item in items}
    if len(customers) > 1:
        raise MatchingRefused(f"items of different customers cannot be matched: {', '.join(sorted(customers))}")
    currencies = {item.currency for item in items}
    if len(currencies) > 1:
        raise MatchingRefused(f"items in different currencies cannot be matched: {', '.join(sorted(currencies))}")
    closed = [item.number for item in items if item.status is SettledStatus.SETTLED]
    if closed:
        raise MatchingRefused(f"already settled: item {', '.join(closed)}")
    debits = [item for item in items if item.is_debit]
    credits = [item for item in items if not item.is_debit]
    if not debits or not credits:
        raise MatchingRefused("matching needs at least one debit (invoice) and one credit (payment or credit note)")
    return _allocate(debits, credits)


def _refuse_collection_ids(items: Iterable[OpenItem], how: str) -> None:
    with_id = [f"{item.number} ({item.collection_id})" for item in items if item.collection_id]
    if with_id:
        raise MatchingRefused(
            f"matching by {how} is not allowed for items sent to collection: {', '.join(with_id)}; "
            "match them item against item"
        )


def _eligible(items: Iterable[OpenItem], how: str, *, strict: bool) -> tuple[list[OpenItem], list[Skipped]]:
    """The open items a bulk matching may use; with ``strict`` a collection ID refuses the whole call."""
    items = [item for item in items if item.status is not SettledStatus.SETTLED]
    if strict:
        _refuse_collection_ids(items, how)
        return items, []
    skipped = [
        Skipped(item.id, item.number, f"sent to collection ({item.collection_id}): match item against item")
        for item in items
        if item.collection_id
    ]
    return [item for item in items if not item.collection_id], skipped


def match_equal_amounts(items: Iterable[OpenItem], *, strict: bool = False) -> tuple[list[Allocation], list[Skipped]]:
    """R-LED-4 equal amounts: a debit and a credit of one customer and currency whose remaining amounts cancel.

    Pairs are made oldest first. Items with a collection ID are refused: with ``strict`` (the user chose them)
    the call fails naming them, otherwise they are skipped with that reason.
    """
    eligible, skipped = _eligible(items, "equal amounts", strict=strict)
    # Each credit takes the oldest debit not yet taken that cancels it: the debits that cancel one amount wait
    # in a queue, oldest first, so a credit finds its debit by key instead of walking all the debits.
    waiting: dict[tuple[str, str, Money], deque[OpenItem]] = defaultdict(deque)
    for debit in sorted((i for i in eligible if i.is_debit), key=_debit_order):
        waiting[(debit.customer, debit.currency, debit.remaining)].append(debit)
    allocations: list[Allocation] = []
    for credit in sorted((i for i in eligible if not i.is_debit), key=_credit_order):
        queue = waiting.get((credit.customer, credit.currency, -credit.remaining))
        if queue:
            debit = queue.popleft()
            allocations.append(Allocation(debit.id, credit.id, debit.remaining))
    return allocations, skipped


def match_references(items: Iterable[OpenItem], *, strict: bool = False) -> tuple[list[Allocation], list[Skipped]]:
    """R-LED-4 references: a credit whose reference (or KID) names a debit of the same customer settles it.

    Items with a collection ID are refused as in :func:`match_equal_amounts`.
    """
    eligible, skipped = _eligible(items, "reference", strict=strict)
    by_key: dict[tuple[str, str, str], OpenItem] = {}
    for debit in sorted((i for i in eligible if i.is_debit), key=_debit_order):
        by_key.setdefault((debit.customer, debit.currency, debit.number), debit)
        if debit.kid:
            by_key.setdefault((debit.customer, debit.currency, debit.kid), debit)
    allocations: list[Allocation] = []
    left = {item.id: abs(item.remaining) for item in eligible}
    for credit in sorted((i for i in eligible if not i.is_debit), key=_credit_order):
        ref = (credit.reference or credit.kid or "").strip()
        found = by_key.get((credit.customer, credit.currency, ref)) if ref else None
        if found is None or left[found.id].is_zero():
            continue
        debit = found
        amount = left[credit.id].min(left[debit.id])
        allocations.append(Allocation(debit.id, credit.id, amount))
        left[credit.id] -= amount
        left[debit.id] -= amount
    return allocations, skipped


def apply_allocations(items: Mapping[int, OpenItem], allocations: Iterable[Allocation]) -> dict[int, OpenItem]:
    """The items after the allocations: each side reduced by what it settled."""
    result = dict(items)
    for allocation in allocations:
        result[allocation.debit_id] = result[allocation.debit_id].settled_by(allocation.amount)
        result[allocation.credit_id] = result[allocation.credit_id].settled_by(allocation.amount)
    return result
