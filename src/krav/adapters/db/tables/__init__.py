"""The tables, as SQLAlchemy Core. Money columns are integer øre (``*_ore``, BigInteger).

Append-only tables (posted vouchers, their lines and batches, matchings, claim history, letters, documents) are
guarded by database triggers that refuse UPDATE and DELETE; see the migrations.
"""

from krav.adapters.db.tables.base import Ore, metadata
from krav.adapters.db.tables.collection import (
    allocation,
    claim,
    claim_event,
    client_payment,
    collection_list,
    collection_list_line,
    letter,
    letter_kid,
    letter_line,
    run_step,
    settlement,
)
from krav.adapters.db.tables.ledger import (
    account,
    agreement,
    agreement_change,
    batch,
    company,
    counter,
    customer,
    imported_file,
    item_match,
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
    "letter",
    "letter_kid",
    "letter_line",
    "document",
)

__all__ = [
    "APPEND_ONLY",
    "Ore",
    "account",
    "agreement",
    "agreement_change",
    "allocation",
    "batch",
    "claim",
    "claim_event",
    "client_payment",
    "collection_list",
    "collection_list_line",
    "company",
    "counter",
    "customer",
    "delivery",
    "document",
    "imported_file",
    "item_match",
    "letter",
    "letter_kid",
    "letter_line",
    "message",
    "metadata",
    "open_item",
    "run_step",
    "settlement",
    "voucher",
    "voucher_line",
    "voucher_type",
]
