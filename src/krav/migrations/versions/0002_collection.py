"""collection side: agreement, claims, letters, lists, payments, settlements

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import drop_append_only, make_append_only

APPEND_ONLY = ("claim_event", "agreement_change", "letter", "letter_kid", "letter_line")

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("activated_on", sa.Date(), nullable=True),
        sa.Column("accepted_by", sa.String(length=200), nullable=True),
        sa.Column("days_before_transfer", sa.Integer(), nullable=True),
        sa.Column("reminder_before_notice", sa.Boolean(), nullable=False),
        sa.Column("reminder_deadline_days", sa.Integer(), nullable=False),
        sa.Column("auto_transfer", sa.Boolean(), nullable=False),
        sa.Column("automatic_collection_list", sa.Boolean(), nullable=False),
        sa.Column("collection_list_email", sa.String(length=254), nullable=True),
        sa.Column("dunning_flow", sa.String(length=20), nullable=False),
        sa.Column("charge_interest", sa.Boolean(), nullable=False),
        sa.Column("claim_standard_compensation", sa.Boolean(), nullable=False),
        sa.Column("minimum_amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("allocation_order", sa.String(length=30), nullable=False),
        sa.Column("kid_scheme", sa.String(length=5), nullable=False),
        sa.Column("kid_length", sa.Integer(), nullable=False),
        sa.Column("require_email", sa.Boolean(), nullable=False),
        sa.Column("invoice_inkasso_costs_on_close", sa.Boolean(), nullable=False),
        sa.Column("accounting", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "days_before_transfer is null or days_before_transfer >= 7", name=op.f("ck_agreement_min_days")
        ),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_agreement_company_id_company")),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_agreement")),
    )
    op.create_table(
        "agreement_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old", sa.String(length=500), nullable=True),
        sa.Column("new", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_agreement_change_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_change")),
    )
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.String(length=40), nullable=False),
        sa.Column("invoice_number", sa.String(length=40), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("rule_set", sa.String(length=40), nullable=False),
        sa.Column("debtor_number", sa.String(length=40), nullable=False),
        sa.Column("debtor_name", sa.String(length=10000), nullable=False),
        sa.Column("debtor_kind", sa.String(length=10), nullable=False),
        sa.Column("debtor_orgno", sa.String(length=20), nullable=True),
        sa.Column("debtor_street", sa.String(length=200), nullable=True),
        sa.Column("debtor_postcode", sa.String(length=10), nullable=True),
        sa.Column("debtor_city", sa.String(length=100), nullable=True),
        sa.Column("debtor_country", sa.String(length=2), nullable=False),
        sa.Column("debtor_email", sa.String(length=254), nullable=True),
        sa.Column("debtor_language", sa.String(length=2), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(length=30), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("next_action_on", sa.Date(), nullable=True),
        sa.Column("principal_outstanding_ore", sa.BigInteger(), nullable=False),
        sa.Column("fees_charged_ore", sa.BigInteger(), nullable=False),
        sa.Column("fees_outstanding_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_letters", sa.Integer(), nullable=False),
        sa.Column("interest_booked_ore", sa.BigInteger(), nullable=False),
        sa.Column("segment_start", sa.Date(), nullable=False),
        sa.Column("interest_paid_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_waived_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_charged_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_outstanding_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_level", sa.SmallInteger(), nullable=False),
        sa.Column("salaer_nominal_ore", sa.BigInteger(), nullable=False),
        sa.Column("compensation_ore", sa.BigInteger(), nullable=False),
        sa.Column("compensation_claimed", sa.Boolean(), nullable=False),
        sa.Column("overpaid_ore", sa.BigInteger(), nullable=False),
        sa.Column("first_letter_on", sa.Date(), nullable=True),
        sa.Column("reminder_deadline", sa.Date(), nullable=True),
        sa.Column("notice_sent_on", sa.Date(), nullable=True),
        sa.Column("notice_deadline", sa.Date(), nullable=True),
        sa.Column("last_deadline", sa.Date(), nullable=True),
        sa.Column("interest_note_due", sa.Boolean(), nullable=False),
        sa.Column("interest_note_on", sa.Date(), nullable=True),
        sa.Column("paid_confirmation_due", sa.Boolean(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("transfer_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("inkasso_on", sa.Date(), nullable=True),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("demand_deadline", sa.Date(), nullable=True),
        sa.Column("legal_notice_on", sa.Date(), nullable=True),
        sa.Column("legal_deadline", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "stage in ('new', 'reminder', 'notice', 'collection_list', 'inkasso', 'legal', 'closed')",
            name=op.f("ck_claim_stage"),
        ),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_claim_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint("collection_id", name=op.f("uq_claim_collection_id")),
        sa.UniqueConstraint("company_id", "invoice_number", name="uq_claim_company_invoice"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_company_debtor", ["company_id", "debtor_number"], unique=False)
        batch_op.create_index(
            "ix_claim_due",
            ["company_id", "next_action_on"],
            unique=False,
            sqlite_where=sa.text("stage <> 'closed'"),
            postgresql_where=sa.text("stage <> 'closed'"),
        )

    op.create_table(
        "collection_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("list_date", sa.Date(), nullable=False),
        sa.Column("transfer_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_collection_list_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_list")),
        sa.UniqueConstraint("company_id", "list_date", name="uq_collection_list_company_date"),
    )
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("debtor_number", sa.String(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("account", sa.String(length=34), nullable=True),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("total_ore", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_letter_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("company_id", "debtor_number", "n", name="uq_letter_company_debtor_n"),
    )
    op.create_table(
        "run_step",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_run_step_company_id_company")),
        sa.PrimaryKeyConstraint("company_id", "run_date", "step", name=op.f("pk_run_step")),
    )
    op.create_table(
        "settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.Column("overpaid_ore", sa.BigInteger(), nullable=False),
        sa.Column("costs_ore", sa.BigInteger(), nullable=False),
        sa.Column("costs_vat_ore", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_settlement_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement")),
        sa.UniqueConstraint("company_id", "settled_on", name="uq_settlement_company_date"),
        sa.UniqueConstraint("reference", name=op.f("uq_settlement_reference")),
    )
    op.create_table(
        "claim_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_event_claim_id_claim")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_claim_event_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_event")),
    )
    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.create_index("ix_claim_event_claim", ["claim_id", "id"], unique=False)

    op.create_table(
        "client_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("payer", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('pending', 'applied', 'unmatched', 'assigned', 'reversed')",
            name=op.f("ck_client_payment_status"),
        ),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_client_payment_company_id_company")),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_client_payment_letter_id_letter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_payment")),
        sa.UniqueConstraint("source", "reference", name="uq_client_payment_source_reference"),
    )
    op.create_table(
        "collection_list_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_collection_list_line_claim_id_claim")),
        sa.ForeignKeyConstraint(
            ["list_id"], ["collection_list.id"], name=op.f("fk_collection_list_line_list_id_collection_list")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_list_line")),
    )
    op.create_table(
        "letter_kid",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_letter_kid_letter_id_letter")),
        sa.PrimaryKeyConstraint("letter_id", name=op.f("pk_letter_kid")),
        sa.UniqueConstraint("kid", name=op.f("uq_letter_kid_kid")),
    )
    op.create_table(
        "letter_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_paid_before_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_rate", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_letter_line_claim_id_claim")),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_letter_line_letter_id_letter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_line")),
    )
    with op.batch_alter_table("letter_line", schema=None) as batch_op:
        batch_op.create_index("ix_letter_line_claim", ["claim_id"], unique=False)
        batch_op.create_index("ix_letter_line_letter", ["letter_id"], unique=False)

    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_ore", sa.BigInteger(), nullable=False),
        sa.Column("overpaid_ore", sa.BigInteger(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "channel in ('client_account', 'direct', 'credit', 'creditor_costs')", name=op.f("ck_allocation_channel")
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_allocation_claim_id_claim")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_allocation_company_id_company")),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["client_payment.id"], name=op.f("fk_allocation_payment_id_client_payment")
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlement.id"], name=op.f("fk_allocation_settlement_id_settlement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_unsettled", ["company_id", "channel", "settlement_id"], unique=False)

    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_unsettled")

    op.drop_table("allocation")
    with op.batch_alter_table("letter_line", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_line_letter")
        batch_op.drop_index("ix_letter_line_claim")

    op.drop_table("letter_line")
    op.drop_table("letter_kid")
    op.drop_table("collection_list_line")
    op.drop_table("client_payment")
    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_event_claim")

    op.drop_table("claim_event")
    op.drop_table("settlement")
    op.drop_table("run_step")
    op.drop_table("letter")
    op.drop_table("collection_list")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_claim_due", sqlite_where=sa.text("stage <> 'closed'"), postgresql_where=sa.text("stage <> 'closed'")
        )
        batch_op.drop_index("ix_claim_company_debtor")

    op.drop_table("claim")
    op.drop_table("agreement_change")
    op.drop_table("agreement")
