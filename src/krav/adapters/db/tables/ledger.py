"""The ledger side's tables: companies, customers, the chart, vouchers, open items, matchings, the message
table between the two sides, imports, the bank payments posted, and the collection agreement with its history."""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.tables.base import Ore, metadata
from krav.adapters.db.types import UTCDateTime
from krav.domain import plausible  # the columns' lengths, which the domain checks values against

company = sa.Table(
    "company",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("orgno", sa.String(plausible.ORGNO), nullable=False, unique=True),
    sa.Column("name", sa.String(plausible.NAME), nullable=False),
    sa.Column("bank_account", sa.String(11)),
    sa.Column("vat_registered", sa.Boolean, nullable=False, default=True),
    sa.Column("street", sa.String(plausible.STREET)),
    sa.Column("postcode", sa.String(plausible.POSTCODE)),
    sa.Column("city", sa.String(plausible.CITY)),
    sa.Column("country", sa.String(2), nullable=False, default="NO"),
    sa.Column("email", sa.String(plausible.EMAIL)),
    sa.Column("phone", sa.String(plausible.PHONE)),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

counter = sa.Table(
    "counter",
    metadata,
    sa.Column("company_id", sa.ForeignKey("company.id"), primary_key=True),
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

customer = sa.Table(
    "customer",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("number", sa.String(plausible.NUMBER), nullable=False),
    sa.Column("name", sa.String(plausible.CUSTOMER_NAME), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("orgno", sa.String(plausible.CUSTOMER_ORGNO)),
    sa.Column("street", sa.String(plausible.STREET)),
    sa.Column("postcode", sa.String(plausible.POSTCODE)),
    sa.Column("city", sa.String(plausible.CITY)),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("email", sa.String(plausible.EMAIL)),
    sa.Column("exempt", sa.Boolean, nullable=False),
    sa.Column("payment_terms_days", sa.Integer),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("email_for_letters", sa.Boolean, nullable=False, server_default=sa.false()),  # R-SVC-2
    sa.Column("restricted_on", sa.Date),  # GDPR art. 18: processing restricted from this day
    sa.Column("erased_on", sa.Date),  # GDPR art. 17: the personal fields erased on this day
    sa.UniqueConstraint("company_id", "number", name="uq_customer_company_number"),
    sa.CheckConstraint("kind in ('consumer', 'business')", name="kind"),
)

account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("number", sa.String(8), nullable=False),
    sa.Column("name", sa.String(plausible.NAME), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("receivable", sa.Boolean, nullable=False),
    sa.UniqueConstraint("company_id", "number", name="uq_account_company_number"),
)

voucher_type = sa.Table(
    "voucher_type",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("code", sa.Integer, nullable=False),
    sa.Column("name", sa.String(plausible.TYPE_NAME), nullable=False),
    sa.Column("collection_type", sa.String(20), nullable=False),
    sa.UniqueConstraint("company_id", "code", name="uq_voucher_type_company_code"),
)

batch = sa.Table(
    "batch",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("text", sa.String(plausible.TEXT), nullable=False),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("posted_at", UTCDateTime, nullable=False),
)

voucher = sa.Table(
    "voucher",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("batch_id", sa.ForeignKey("batch.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("voucher_type", sa.Integer, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("text", sa.String(plausible.TEXT), nullable=False),
    sa.Column("reverses_id", sa.ForeignKey("voucher.id")),
    # the company's chain of vouchers, by number (krav.adapters.db.chains): the chain hash of the voucher before
    # and this voucher's own, over its columns and its lines' hashes
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("chain_hash", sa.String(64)),
    sa.UniqueConstraint("company_id", "number", name="uq_voucher_company_number"),
)

voucher_line = sa.Table(
    "voucher_line",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id"), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("account", sa.String(plausible.LEDGER_ACCOUNT), nullable=False),
    sa.Column("customer_id", sa.ForeignKey("customer.id")),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("item", sa.String(plausible.NUMBER)),
    sa.Column("settles", sa.String(plausible.SETTLES), nullable=False, default=""),
    sa.Column("due_date", sa.Date),
    sa.Column("kid", sa.String(plausible.KID)),
    sa.Column("reference", sa.String(plausible.REFERENCE)),
    sa.Column("text", sa.String(plausible.TEXT), nullable=False),
    # the hash of the line's columns, which its voucher's chain hash covers
    sa.Column("line_hash", sa.String(64)),
    sa.Index("ix_voucher_line_company_account", "company_id", "account"),
    # a voucher's lines, read back when its open items are made
    sa.Index("ix_voucher_line_voucher", "voucher_id", "line_no"),
)

open_item = sa.Table(
    "open_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("customer_id", sa.ForeignKey("customer.id"), nullable=False),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id"), nullable=False),
    sa.Column("voucher_line_id", sa.ForeignKey("voucher_line.id"), nullable=False),
    sa.Column("number", sa.String(plausible.NUMBER), nullable=False),
    sa.Column("voucher_type", sa.Integer, nullable=False),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("remaining_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("invoice_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date),
    sa.Column("settled_status", sa.SmallInteger, nullable=False),
    sa.Column("reminder_count", sa.Integer, nullable=False, default=0),
    sa.Column("reminded_on", sa.Date),
    sa.Column("exempt", sa.Boolean, nullable=False, default=False),
    sa.Column("collection_id", sa.String(40), unique=True),
    sa.Column("fee_outstanding_ore", Ore, nullable=False, default=0),
    sa.Column("interest_outstanding_ore", Ore, nullable=False, default=0),
    sa.Column("kid", sa.String(plausible.KID)),
    sa.Column("reference", sa.String(plausible.REFERENCE)),
    sa.CheckConstraint("settled_status in (1, 2, 3)", name="settled_status"),
    sa.CheckConstraint(
        "(amount_ore > 0 and remaining_ore >= 0 and remaining_ore <= amount_ore)"
        " or (amount_ore < 0 and remaining_ore <= 0 and remaining_ore >= amount_ore)",
        name="remaining_within_amount",
    ),
    sa.Index("ix_open_item_company_customer", "company_id", "customer_id"),
    sa.Index(
        "ux_open_item_invoice_number",
        "company_id",
        "number",
        unique=True,
        sqlite_where=sa.text("amount_ore > 0"),
        postgresql_where=sa.text("amount_ore > 0"),
    ),
    sa.Index(
        "ix_open_item_unmatched_credit",
        "company_id",
        "customer_id",
        sqlite_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
        postgresql_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
    ),
    sa.Index(
        "ix_open_item_open_by_due",
        "company_id",
        "due_date",
        sqlite_where=sa.text("settled_status < 3"),
        postgresql_where=sa.text("settled_status < 3"),
    ),
)

item_match = sa.Table(
    "item_match",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("debit_item_id", sa.ForeignKey("open_item.id"), nullable=False),
    sa.Column("credit_item_id", sa.ForeignKey("open_item.id"), nullable=False),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("method", sa.String(20), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("amount_ore > 0", name="positive"),
)

message = sa.Table(
    "message",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("direction", sa.String(12), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("collection_id", sa.String(40)),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("handled_at", UTCDateTime),
    sa.CheckConstraint("direction in ('to_service', 'to_ledger')", name="direction"),
    sa.Index("ix_message_pending", "company_id", "direction", "handled_at"),
    # what the relay reads at every commit: the few messages not yet applied
    sa.Index(
        "ix_message_unhandled",
        "kind",
        sqlite_where=sa.text("handled_at IS NULL"),
        postgresql_where=sa.text("handled_at IS NULL"),
    ),
)

imported_file = sa.Table(
    "imported_file",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("imported_at", UTCDateTime, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.UniqueConstraint("company_id", "kind", "sha256", name="uq_imported_file_company_kind_sha"),
)

# The payments of the creditor's own bank files that the ledger posted, by the bank's identity (one posting each).
bank_payment = sa.Table(
    "bank_payment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("bank_id", sa.String(300), nullable=False),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id"), nullable=False),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("posted_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "bank_id", name="uq_bank_payment_company_bank_id"),
)

# -- the collection agreement ------------------------------------------------------------------------------------

agreement = sa.Table(
    "agreement",
    metadata,
    sa.Column("company_id", sa.ForeignKey("company.id"), primary_key=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("activated_on", sa.Date),
    sa.Column("accepted_by", sa.String(200)),
    sa.Column("days_before_transfer", sa.Integer),
    sa.Column("reminder_before_notice", sa.Boolean, nullable=False),
    sa.Column("reminder_deadline_days", sa.Integer, nullable=False),
    sa.Column("auto_transfer", sa.Boolean, nullable=False),
    sa.Column("automatic_collection_list", sa.Boolean, nullable=False),
    sa.Column("collection_list_email", sa.String(254)),
    sa.Column("dunning_flow", sa.String(20), nullable=False),
    sa.Column("charge_interest", sa.Boolean, nullable=False),
    sa.Column("claim_standard_compensation", sa.Boolean, nullable=False),
    sa.Column("minimum_amount_ore", Ore, nullable=False),
    sa.Column("allocation_order", sa.String(30), nullable=False),
    sa.Column("kid_scheme", sa.String(5), nullable=False),
    sa.Column("kid_length", sa.Integer, nullable=False),
    sa.Column("require_email", sa.Boolean, nullable=False),
    sa.Column("invoice_inkasso_costs_on_close", sa.Boolean, nullable=False),
    sa.Column("accounting", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("days_before_transfer is null or days_before_transfer >= 7", name="min_days"),
)

# A change the creditor made to an open item or a customer outside a voucher (an item's due date, a customer's
# reminder exemption), with who, when, and old → new: the posted voucher line keeps what it was posted with.
ledger_change = sa.Table(
    "ledger_change",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("subject", sa.String(10), nullable=False),
    sa.Column("number", sa.String(plausible.NUMBER), nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.String(100)),
    sa.Column("new", sa.String(100)),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("subject in ('item', 'customer')", name="subject"),
    sa.Index("ix_ledger_change_company", "company_id", "subject", "number"),
)

agreement_change = sa.Table(
    "agreement_change",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
    sa.Column("changed_on", sa.Date, nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("old", sa.String(500)),
    sa.Column("new", sa.String(500)),
)
