"""The collection side's tables: claims and their history, letters, collection lists, payments on the client
account, allocations, settlements and the daily run's done-records."""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.tables.base import Ore, metadata
from krav.adapters.db.types import UTCDateTime
from krav.domain import plausible  # the columns' lengths, which the domain checks values against

claim = sa.Table(
    "claim",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("collection_id", sa.String(40), nullable=False, unique=True),
    sa.Column("invoice_number", sa.String(plausible.NUMBER), nullable=False),
    sa.Column("invoice_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("rule_set", sa.String(40), nullable=False),
    # the debtor as the ledger knew them at submission
    sa.Column("debtor_number", sa.String(plausible.NUMBER), nullable=False),
    sa.Column("debtor_name", sa.String(plausible.CUSTOMER_NAME), nullable=False),
    sa.Column("debtor_kind", sa.String(10), nullable=False),
    sa.Column("debtor_orgno", sa.String(plausible.CUSTOMER_ORGNO)),
    sa.Column("debtor_street", sa.String(plausible.STREET)),
    sa.Column("debtor_postcode", sa.String(plausible.POSTCODE)),
    sa.Column("debtor_city", sa.String(plausible.CITY)),
    sa.Column("debtor_country", sa.String(2), nullable=False),
    sa.Column("debtor_email", sa.String(plausible.EMAIL)),
    sa.Column("debtor_language", sa.String(2), nullable=False),
    sa.Column("debtor_email_for_letters", sa.Boolean, nullable=False, server_default=sa.false()),
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
    # the closed segments' interest per rate period, as booked (R-CLM-16): JSON, see krav.adapters.db.claim_rows
    sa.Column("booked_periods", sa.Text),
    sa.Column("salaer_charged_ore", Ore, nullable=False),
    sa.Column("salaer_outstanding_ore", Ore, nullable=False),
    sa.Column("salaer_level", sa.SmallInteger, nullable=False),
    sa.Column("salaer_nominal_ore", Ore, nullable=False),
    sa.Column("compensation_ore", Ore, nullable=False),
    sa.Column("compensation_claimed", sa.Boolean, nullable=False),
    # what the standard compensation added to the fees when it was claimed (R-CLM-11), printed apart on letters
    sa.Column("compensation_charged_ore", Ore, nullable=False, server_default="0"),
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
    # the debtor's objection (R-CLM-15) and the answer the next run sends
    sa.Column("disputed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("disputed_on", sa.Date),
    sa.Column("objection_answer", sa.String(10)),
    sa.Column("objection_text", sa.Text),
    # R-SVC-2: the claim's latest letter could not be sent (since that day): it takes no step until it has been
    sa.Column("letter_unsent_since", sa.Date),
    # raised by one on every change of the row, by the database itself (migration 0018): what a kept page of the
    # claim (``claim_page``) was made from
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
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
    # the company's chain of events (krav.adapters.db.chains): the event's place in it, from 1, the chain hash of
    # the event before and this event's own
    sa.Column("seq", sa.BigInteger),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("chain_hash", sa.String(64)),
    sa.Index("ix_claim_event_claim", "claim_id", "id"),
    sa.Index("ux_claim_event_company_seq", "company_id", "seq", unique=True),
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
    sa.Column("note", sa.Text),  # the reasons of an answer to an objection (R-CLM-15)
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
    # what the claim had been charged by the letter's date, its own fee or salær included (R-CLM-14)
    sa.Column("fees_charged_ore", Ore),
    sa.Column("salaer_charged_ore", Ore),
    # the B2B standard compensation owed, apart from the fees (R-CLM-11); empty where none was claimed
    sa.Column("compensation_ore", Ore),
    sa.Index("ix_letter_line_letter", "letter_id"),
    sa.Index("ix_letter_line_claim", "claim_id"),
)

# A claim's page as a face answers it (the API's JSON), kept while what it was made from is unchanged: ``stamp``
# names the day, the rate table and the claim's revision, last event, last letter line and deliveries it was made
# from (krav.adapters.db.page_store); a page whose stamp no longer matches is made again on its next read.
claim_page = sa.Table(
    "claim_page",
    metadata,
    sa.Column("claim_id", sa.ForeignKey("claim.id"), primary_key=True),
    sa.Column("view", sa.String(20), primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("stamp", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("ix_claim_page_as_of", "as_of"),
)

# R-CLM-16: how a letter line's interest accrued, period by period (the line by its letter and position)
letter_interest_period = sa.Table(
    "letter_interest_period",
    metadata,
    sa.Column("letter_id", sa.ForeignKey("letter.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("period_start", sa.Date, nullable=False),  # the interest days are those after it
    sa.Column("period_end", sa.Date, nullable=False),  # up to and including this day (R-TIME-4)
    sa.Column("rate", sa.String(10), nullable=False),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
)

# R-CLM-9: on a paid confirmation, what the debtor paid on each claim and how it was applied
letter_paid = sa.Table(
    "letter_paid",
    metadata,
    sa.Column("letter_id", sa.ForeignKey("letter.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("paid_on", sa.Date, nullable=False),
    sa.Column("principal_ore", Ore, nullable=False),
    sa.Column("fee_ore", Ore, nullable=False),
    sa.Column("compensation_ore", Ore, nullable=False),
    sa.Column("interest_ore", Ore, nullable=False),
    sa.Column("salaer_ore", Ore, nullable=False),
    sa.Column("overpaid_ore", Ore, nullable=False),
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
    sa.Column("kid", sa.String(plausible.KID)),
    sa.Column("ordered_on", sa.Date),  # the day the debtor's bank got the order, where the file says (R-CLM-14)
    sa.Column("reference", sa.String(plausible.PAYMENT_REFERENCE), nullable=False),
    sa.Column("payer", sa.String(plausible.PAYMENT_REFERENCE)),
    sa.Column("source", sa.String(200), nullable=False),
    # the bank's identity of the transaction (it names the account or the Nets agreement): one payment each
    sa.Column("bank_id", sa.String(300), nullable=False),
    sa.Column("filename", sa.String(500)),
    sa.Column("message", sa.String(plausible.PAYMENT_MESSAGE)),  # what the payer wrote, cut to fit
    sa.Column("letter_id", sa.ForeignKey("letter.id")),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(500)),
    sa.Column("applied_on", sa.Date),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("source", "reference", name="uq_client_payment_source_reference"),
    sa.CheckConstraint("status in ('pending', 'applied', 'unmatched', 'assigned', 'reversed')", name="status"),
    sa.Index("ix_client_payment_bank_id", "bank_id", unique=True),
)

# A later sighting of a payment already on the client account (the same bank_id): recorded, never applied.
client_payment_duplicate = sa.Table(
    "client_payment_duplicate",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("payment_id", sa.ForeignKey("client_payment.id"), nullable=False),
    sa.Column("bank_id", sa.String(300), nullable=False),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("amount_ore", Ore, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("kid", sa.String(25)),
    sa.Column("ordered_on", sa.Date),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("payer", sa.String(200)),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("filename", sa.String(500)),
    sa.Column("message", sa.String(plausible.PAYMENT_MESSAGE)),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("source", "reference", name="uq_client_payment_duplicate_source_reference"),
    sa.Index("ix_client_payment_duplicate_payment", "payment_id"),
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
    sa.Index("ix_allocation_claim", "claim_id", "id"),
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
