"""The collection side receives the items the ledger submits: each *item submitted* message becomes a claim, with
the debtor copied as of that moment and the dated rule set in force on the day of submission (R-VAL-2)."""

from __future__ import annotations

from collections.abc import Sequence

from krav.domain.collection.claims import Claim
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.letters import Recipient
from krav.domain.messages import ItemSubmitted
from krav.domain.rates import RateTables
from krav.services.ports import UnitOfWork


def _claim(company_id: int, message: ItemSubmitted, rates: RateTables) -> Claim:
    d = message.debtor
    return Claim(
        company_id=company_id,
        collection_id=message.collection_id,
        invoice_number=message.invoice_number,
        invoice_date=message.invoice_date,
        due_date=message.due_date,
        principal=message.principal,
        submitted_on=message.submitted_on,
        rule_set=rates.rule_set_on(message.submitted_on).id,
        debtor=Recipient(
            d.number,
            d.name,
            d.kind,
            d.orgno,
            d.street,
            d.postcode,
            d.city,
            d.country,
            d.email,
            d.language,
            d.email_for_letters,
        ),
    )


def receive_items(uow: UnitOfWork, company_id: int, messages: Sequence[ItemSubmitted], rates: RateTables) -> None:
    """Make the claims of one creditor's submitted items, each with its *submitted* event (R-ACT-5)."""
    stored = uow.collection.add_claims([_claim(company_id, m, rates) for m in messages])
    ids = {c.collection_id: c.id for c in stored if c.id is not None}
    events = [
        Event(m.collection_id, m.submitted_on, EventKind.SUBMITTED, m.principal, f"invoice {m.invoice_number}")
        for m in messages
    ]
    uow.collection.add_events(company_id, ids, events, by="ledger")
