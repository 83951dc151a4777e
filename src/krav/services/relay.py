"""Messages between the two sides, delivered when a unit of work commits (DESIGN.md "Two sides, one contract").

The ledger and the collection service never call each other: each writes its messages into the message table.
Bootstrap gives every unit of work a :class:`Relay`, which its ``commit`` runs first: it reads the messages
that their receiving side applies at once and hands them over in batches, per creditor, inside the same
transaction: an *item submitted* becomes a claim (:func:`krav.services.collection.receive_items`); the claims'
changed figures and the settlements go to the built-in ledger (:func:`krav.services.ledger.apply_service_reports`).
Direct payments and credits the ledger reports wait in the table for the service's daily run, which applies
them first thing on their day (R-TIME-5). Last, the creditors' webhooks are told what the transaction did
(:func:`krav.services.webhooks.record`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from krav.domain.messages import ClaimChanged, ItemSubmitted, MessageKind, SettlementIssued
from krav.domain.rates import RateTables
from krav.services import collection, ledger, webhooks
from krav.services.ports import PendingMessage, UnitOfWork

#: The kinds the relay delivers at commit; the others wait for their reader.
DELIVERED_AT_COMMIT = (MessageKind.ITEM_SUBMITTED, MessageKind.CLAIM_CHANGED, MessageKind.SETTLEMENT)
#: A handler may write messages in turn (a settlement posted by the ledger reports nothing back, but nothing
#: forbids it); the relay goes round until none is left, and refuses to loop for ever.
MAX_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class Relay:
    """Delivers the messages written in a unit of work before it commits."""

    rates: RateTables

    def __call__(self, uow: UnitOfWork) -> None:
        settled: list[tuple[int, SettlementIssued]] = []
        for _ in range(MAX_ROUNDS):
            pending = uow.outbox.pending(DELIVERED_AT_COMMIT)
            if not pending:
                # the creditors' webhooks hear of what this transaction did, in this transaction
                webhooks.record(uow, now=datetime.now(UTC), settlements=settled)
                return
            by_company: dict[int, list[PendingMessage]] = defaultdict(list)
            for p in pending:
                by_company[p.company_id].append(p)
            for company_id, messages in by_company.items():
                items = [p.message for p in messages if isinstance(p.message, ItemSubmitted)]
                if items:
                    collection.receive_items(uow, company_id, items, self.rates)
                reports = [p.message for p in messages if isinstance(p.message, ClaimChanged | SettlementIssued)]
                settled += [(company_id, r) for r in reports if isinstance(r, SettlementIssued)]
                if reports:
                    ledger.apply_service_reports(uow, company_id, reports)
            uow.outbox.mark_handled(p.id for p in pending)
        raise RuntimeError(f"messages still pending after {MAX_ROUNDS} rounds of delivery")
