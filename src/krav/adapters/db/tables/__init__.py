"""The tables, as SQLAlchemy Core. Money columns are integer øre (``*_ore``, BigInteger).

Append-only tables (posted vouchers, their lines and batches, matchings, claim history, letters, documents,
settlements) are guarded by database triggers that refuse UPDATE and DELETE, and allocations and payments keep
their recorded columns; see the migrations. The vouchers and the claims' history carry hash chains besides
(:mod:`krav.adapters.db.chains`).
"""

from krav.adapters.db.tables.access import (
    api_key,
    idempotency_key,
    portal_user,
    saved_filter,
    user_role,
    webhook,
    webhook_delivery,
)
from krav.adapters.db.tables.base import Ore, metadata
from krav.adapters.db.tables.collection import (
    allocation,
    claim,
    claim_event,
    claim_page,
    client_payment,
    client_payment_duplicate,
    collection_list,
    collection_list_line,
    letter,
    letter_interest_period,
    letter_kid,
    letter_line,
    letter_paid,
    run_step,
    settlement,
)
from krav.adapters.db.tables.ledger import (
    account,
    agreement,
    agreement_change,
    bank_payment,
    batch,
    company,
    counter,
    customer,
    imported_file,
    item_match,
    ledger_change,
    message,
    open_item,
    voucher,
    voucher_line,
    voucher_type,
)
from krav.adapters.db.tables.outbox import (
    delivery,
    document,
)

#: Tables whose rows are never changed or deleted once written (R-LED-1, R-ACT-5); the migrations add triggers.
APPEND_ONLY = (
    "batch",
    "voucher",
    "voucher_line",
    "item_match",
    "claim_event",
    "agreement_change",
    "ledger_change",
    "letter",
    "letter_kid",
    "letter_line",
    "letter_interest_period",
    "letter_paid",
    "document",
    "settlement",
)

#: Tables that keep every row but may change some columns (migration 0007 names the rest, which never change):
#: an allocation's settlement is set once; a payment's status, reason, day applied and letter may change.
WRITE_ONCE = ("allocation", "client_payment")

#: Every table the database guards: besides UPDATE and DELETE, they refuse INSERT OR REPLACE on SQLite and
#: TRUNCATE on PostgreSQL.
GUARDED = (*APPEND_ONLY, *WRITE_ONCE)

__all__ = [
    "APPEND_ONLY",
    "GUARDED",
    "WRITE_ONCE",
    "Ore",
    "account",
    "agreement",
    "agreement_change",
    "allocation",
    "api_key",
    "bank_payment",
    "batch",
    "claim",
    "claim_event",
    "claim_page",
    "client_payment",
    "client_payment_duplicate",
    "collection_list",
    "collection_list_line",
    "company",
    "counter",
    "customer",
    "delivery",
    "document",
    "idempotency_key",
    "imported_file",
    "item_match",
    "ledger_change",
    "letter",
    "letter_interest_period",
    "letter_kid",
    "letter_line",
    "letter_paid",
    "message",
    "metadata",
    "open_item",
    "portal_user",
    "run_step",
    "saved_filter",
    "settlement",
    "user_role",
    "voucher",
    "voucher_line",
    "voucher_type",
    "webhook",
    "webhook_delivery",
]
