"""The tables, as SQLAlchemy Core. Money columns are integer øre (``*_ore``, BigInteger).

Append-only tables (posted vouchers, their lines and batches, matchings) are guarded by database triggers that
refuse UPDATE and DELETE; see the migrations.
"""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.types import UTCDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Ore = sa.BigInteger

company = sa.Table(
    "company",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("orgno", sa.String(9), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("bank_account", sa.String(11)),
    sa.Column("vat_registered", sa.Boolean, nullable=False, default=True),
    sa.Column("street", sa.String(200)),
    sa.Column("postcode", sa.String(10)),
    sa.Column("city", sa.String(100)),
    sa.Column("country", sa.String(2), nullable=False, default="NO"),
    sa.Column("email", sa.String(254)),
    sa.Column("phone", sa.String(40)),
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
    sa.Column("number", sa.String(40), nullable=False),
    sa.Column("name", sa.String(10_000), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("orgno", sa.String(20)),
    sa.Column("street", sa.String(200)),
    sa.Column("postcode", sa.String(10)),
    sa.Column("city", sa.String(100)),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("exempt", sa.Boolean, nullable=False),
    sa.Column("payment_terms_days", sa.Integer),
    sa.Column("language", sa.String(2), nullable=False),
    sa.UniqueConstraint("company_id", "number", name="uq_customer_company_number"),
    sa.CheckConstraint("kind in ('consumer', 'business')", name="kind"),
)

account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("number", sa.String(8), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
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
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("collection_type", sa.String(20), nullable=False),
    sa.UniqueConstraint("company_id", "code", name="uq_voucher_type_company_code"),
)

batch = sa.Table(
    "batch",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("text", sa.String(500), nullable=False),
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
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("reverses_id", sa.ForeignKey("voucher.id")),
    sa.UniqueConstraint("company_id", "number", name="uq_voucher_company_number"),
)

voucher_line = sa.Table(
    "voucher_line",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id"), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("account", sa.String(8), nullable=False),
    sa.Column("customer_id", sa.ForeignKey("customer.id")),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("item", sa.String(40)),
    sa.Column("settles", sa.String(400), nullable=False, default=""),
    sa.Column("due_date", sa.Date),
    sa.Column("kid", sa.String(25)),
    sa.Column("reference", sa.String(100)),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Index("ix_voucher_line_company_account", "company_id", "account"),
)

open_item = sa.Table(
    "open_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("customer_id", sa.ForeignKey("customer.id"), nullable=False),
    sa.Column("voucher_id", sa.ForeignKey("voucher.id"), nullable=False),
    sa.Column("voucher_line_id", sa.ForeignKey("voucher_line.id"), nullable=False),
    sa.Column("number", sa.String(40), nullable=False),
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
    sa.Column("kid", sa.String(25)),
    sa.Column("reference", sa.String(100)),
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

# -- the collection agreement (issue: agreement and submission) ---------------------------------------------------

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

# -- the collection side: claims and their history ---------------------------------------------------------------

claim = sa.Table(
    "claim",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("collection_id", sa.String(40), nullable=False, unique=True),
    sa.Column("invoice_number", sa.String(40), nullable=False),
    sa.Column("invoice_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("rule_set", sa.String(40), nullable=False),
    # the debtor as the ledger knew them at submission
    sa.Column("debtor_number", sa.String(40), nullable=False),
    sa.Column("debtor_name", sa.String(10_000), nullable=False),
    sa.Column("debtor_kind", sa.String(10), nullable=False),
    sa.Column("debtor_orgno", sa.String(20)),
    sa.Column("debtor_street", sa.String(200)),
    sa.Column("debtor_postcode", sa.String(10)),
    sa.Column("debtor_city", sa.String(100)),
    sa.Column("debtor_country", sa.String(2), nullable=False),
    sa.Column("debtor_email", sa.String(254)),
    sa.Column("debtor_language", sa.String(2), nullable=False),
    # where it stands
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("paused_on", sa.Date),
    sa.Column("closed_reason", sa.String(30)),
    sa.Column("closed_on", sa.Date),
    sa.Column("next_action_on", sa.Date),
    # what it owes
    sa.Column("principal_outstanding_ore", Ore, nullable=False),
    sa.Column("fees_charged_ore", Ore, nullable=False),
    sa.Column("fees_outstanding_ore", Ore, nullable=False),
    sa.Column("fee_letters", sa.Integer, nullable=False),
    sa.Column("interest_booked_ore", Ore, nullable=False),
    sa.Column("segment_start", sa.Date, nullable=False),
    sa.Column("interest_paid_ore", Ore, nullable=False),
    sa.Column("interest_waived_ore", Ore, nullable=False),
    sa.Column("salaer_charged_ore", Ore, nullable=False),
    sa.Column("salaer_outstanding_ore", Ore, nullable=False),
    sa.Column("salaer_level", sa.SmallInteger, nullable=False),
    sa.Column("salaer_nominal_ore", Ore, nullable=False),
    sa.Column("compensation_ore", Ore, nullable=False),
    sa.Column("compensation_claimed", sa.Boolean, nullable=False),
    sa.Column("overpaid_ore", Ore, nullable=False),
    # the letters and steps behind it
    sa.Column("first_letter_on", sa.Date),
    sa.Column("reminder_deadline", sa.Date),
    sa.Column("notice_sent_on", sa.Date),
    sa.Column("notice_deadline", sa.Date),
    sa.Column("last_deadline", sa.Date),
    sa.Column("interest_note_due", sa.Boolean, nullable=False),
    sa.Column("interest_note_on", sa.Date),
    sa.Column("paid_confirmation_due", sa.Boolean, nullable=False),
    sa.Column("listed_on", sa.Date),
    sa.Column("transfer_on", sa.Date),
    sa.Column("approved_on", sa.Date),
    sa.Column("inkasso_on", sa.Date),
    sa.Column("case_number", sa.String(40)),
    sa.Column("demand_deadline", sa.Date),
    sa.Column("legal_notice_on", sa.Date),
    sa.Column("legal_deadline", sa.Date),
    sa.UniqueConstraint("company_id", "invoice_number", name="uq_claim_company_invoice"),
    sa.CheckConstraint(
        "stage in ('new', 'reminder', 'notice', 'collection_list', 'inkasso', 'legal', 'closed')", name="stage"
    ),
    sa.Index("ix_claim_company_debtor", "company_id", "debtor_number"),
    sa.Index(
        "ix_claim_due",
        "company_id",
        "next_action_on",
        sqlite_where=sa.text("stage <> 'closed'"),
        postgresql_where=sa.text("stage <> 'closed'"),
    ),
)

claim_event = sa.Table(
    "claim_event",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.ForeignKey("claim.id"), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("amount_ore", Ore),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_claim_event_claim", "claim_id", "id"),
)

letter = sa.Table(
    "letter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("debtor_number", sa.String(40), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("sent_on", sa.Date, nullable=False),
    sa.Column("deadline", sa.Date),
    sa.Column("account", sa.String(34)),
    sa.Column("case_number", sa.String(40)),
    sa.Column("total_ore", Ore, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "debtor_number", "n", name="uq_letter_company_debtor_n"),
)

letter_kid = sa.Table(
    "letter_kid",
    metadata,
    sa.Column("letter_id", sa.ForeignKey("letter.id"), primary_key=True),
    sa.Column("kid", sa.String(25), nullable=False, unique=True),
)

letter_line = sa.Table(
    "letter_line",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("letter_id", sa.ForeignKey("letter.id"), nullable=False),
    sa.Column("claim_id", sa.ForeignKey("claim.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("fee_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
    sa.Column("salaer_ore", Ore, nullable=False),
    sa.Column("interest_paid_before_ore", Ore, nullable=False),
    sa.Column("interest_rate", sa.String(10)),
    sa.Index("ix_letter_line_letter", "letter_id"),
    sa.Index("ix_letter_line_claim", "claim_id"),
)

collection_list = sa.Table(
    "collection_list",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("list_date", sa.Date, nullable=False),
    sa.Column("transfer_on", sa.Date),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "list_date", name="uq_collection_list_company_date"),
)

collection_list_line = sa.Table(
    "collection_list_line",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("list_id", sa.ForeignKey("collection_list.id"), nullable=False),
    sa.Column("claim_id", sa.ForeignKey("claim.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    # what the claim owed on the list's date, as the list shows it
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("fee_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
)

client_payment = sa.Table(
    "client_payment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id")),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("kid", sa.String(25)),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("payer", sa.String(200)),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("letter_id", sa.ForeignKey("letter.id")),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(500)),
    sa.Column("applied_on", sa.Date),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("source", "reference", name="uq_client_payment_source_reference"),
    sa.CheckConstraint("status in ('pending', 'applied', 'unmatched', 'assigned', 'reversed')", name="status"),
)

allocation = sa.Table(
    "allocation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("claim_id", sa.ForeignKey("claim.id"), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("payment_id", sa.ForeignKey("client_payment.id")),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("fee_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
    sa.Column("salaer_ore", Ore, nullable=False),
    sa.Column("overpaid_ore", Ore, nullable=False),
    sa.Column("settlement_id", sa.ForeignKey("settlement.id")),
    sa.CheckConstraint("channel in ('client_account', 'direct', 'credit', 'creditor_costs')", name="channel"),
    sa.Index("ix_allocation_unsettled", "company_id", "channel", "settlement_id"),
)

settlement = sa.Table(
    "settlement",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("settled_on", sa.Date, nullable=False),
    sa.Column("reference", sa.String(40), nullable=False, unique=True),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("fee_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
    sa.Column("overpaid_ore", Ore, nullable=False),
    sa.Column("costs_ore", Ore, nullable=False),
    sa.Column("costs_vat_ore", Ore, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "settled_on", name="uq_settlement_company_date"),
)

run_step = sa.Table(
    "run_step",
    metadata,
    sa.Column("company_id", sa.ForeignKey("company.id"), primary_key=True),
    sa.Column("run_date", sa.Date, primary_key=True),
    sa.Column("step", sa.String(30), primary_key=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=False),
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

# -- documents and deliveries (letters out: archive and outbox) ----------------------------------------------------

document = sa.Table(
    "document",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("ref", sa.String(60), nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(60), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "kind", "ref", name="uq_document_company_kind_ref"),
)

delivery = sa.Table(
    "delivery",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("ref_id", sa.Integer, nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("address", sa.String(254)),
    sa.Column("delivery_key", sa.String(80), nullable=False, unique=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.String(1000)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.CheckConstraint("channel in ('email', 'print')", name="channel"),
    sa.CheckConstraint("status in ('pending', 'sending', 'sent', 'failed', 'uncertain')", name="status"),
    sa.Index("ix_delivery_status", "status", "company_id"),
)
