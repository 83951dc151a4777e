"""Matching open items in the built-in ledger (R-LED-4): item against item, equal amounts, references."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from krav.domain.errors import FieldError, NotFound
from krav.domain.ledger.matching import (
    Allocation,
    Skipped,
    apply_allocations,
    match_equal_amounts,
    match_item_against_item,
    match_references,
)
from krav.domain.ledger.open_items import OpenItem
from krav.domain.messages import LedgerReport
from krav.services.ledger.posting import report_settlements
from krav.services.ports import ItemFilter, UnitOfWork, company_and_id


class MatchMethod(StrEnum):
    ITEM = "item"
    AMOUNTS = "amounts"
    REFERENCES = "references"


@dataclass(frozen=True, slots=True)
class MatchResult:
    allocations: tuple[Allocation, ...]
    items: tuple[OpenItem, ...]
    reports: tuple[LedgerReport, ...]
    skipped: tuple[Skipped, ...] = ()


def _chosen(uow: UnitOfWork, company_id: int, item_ids: Sequence[int], orgno: str) -> list[OpenItem]:
    items = uow.ledger.items(company_id, ItemFilter(ids=item_ids))
    missing = sorted(set(item_ids) - {i.id for i in items})
    if missing:
        raise NotFound(f"no open item with id {', '.join(map(str, missing))} for company {orgno}")
    return items


def match_items(uow: UnitOfWork, orgno: str, item_ids: Sequence[int], *, on: date) -> MatchResult:
    """R-LED-4 item against item: settle the chosen items against each other (collection IDs allowed)."""
    with uow:
        company, company_id = company_and_id(uow, orgno)
        items = _chosen(uow, company_id, item_ids, orgno)
        allocations = match_item_against_item(items)
        state = apply_allocations({i.id: i for i in items}, allocations)
        uow.ledger.save_remaining(company_id, state.values())
        uow.ledger.record_allocations(company_id, allocations, method=MatchMethod.ITEM, on=on, voucher_id=None)
        types = uow.ledger.voucher_types(company_id)
        reports = report_settlements(uow, company, allocations, state, types, on=on)
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
    if method not in (MatchMethod.AMOUNTS, MatchMethod.REFERENCES):
        raise FieldError("method", "match by 'item', 'amounts' or 'references'")
    with uow:
        _, company_id = company_and_id(uow, orgno)
        if item_ids:
            items = _chosen(uow, company_id, item_ids, orgno)
        else:
            items = uow.ledger.items(company_id, ItemFilter(customer=customer, open_only=True))
        matcher = match_equal_amounts if method == MatchMethod.AMOUNTS else match_references
        allocations, skipped = matcher(items, strict=bool(item_ids))
        state = apply_allocations({i.id: i for i in items}, allocations)
        changed = {a.debit_id for a in allocations} | {a.credit_id for a in allocations}
        uow.ledger.save_remaining(company_id, [state[i] for i in changed])
        uow.ledger.record_allocations(company_id, allocations, method=method, on=on, voucher_id=None)
        uow.commit()
        return MatchResult(tuple(allocations), tuple(state[i] for i in sorted(changed)), (), tuple(skipped))
