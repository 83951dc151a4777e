"""collection agreement, claims and their history

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import drop_append_only, make_append_only

APPEND_ONLY = ("claim_event", "agreement_change")

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
        sa.Column("closed_reason", sa.String(length=30), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
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
        batch_op.create_index("ix_claim_company_stage", ["company_id", "stage"], unique=False)

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

    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_event_claim")

    op.drop_table("claim_event")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_company_stage")
        batch_op.drop_index("ix_claim_company_debtor")

    op.drop_table("claim")
    op.drop_table("agreement_change")
    op.drop_table("agreement")
