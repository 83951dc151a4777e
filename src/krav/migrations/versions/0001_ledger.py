"""ledger: companies, customers, chart, vouchers, open items

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import drop_append_only, make_append_only

APPEND_ONLY = ("batch", "voucher", "voucher_line", "item_match")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("orgno", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bank_account", sa.String(length=11), nullable=True),
        sa.Column("vat_registered", sa.Boolean(), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("orgno", name=op.f("uq_company_orgno")),
    )
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("receivable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_account_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("company_id", "number", name="uq_account_company_number"),
    )
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_batch_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch")),
    )
    op.create_table(
        "counter",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_counter_company_id_company")),
        sa.PrimaryKeyConstraint("company_id", "name", name=op.f("pk_counter")),
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=10000), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("orgno", sa.String(length=20), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("exempt", sa.Boolean(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.CheckConstraint("kind in ('consumer', 'business')", name=op.f("ck_customer_kind")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_customer_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("company_id", "number", name="uq_customer_company_number"),
    )
    op.create_table(
        "imported_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_imported_file_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_file")),
        sa.UniqueConstraint("company_id", "kind", "sha256", name="uq_imported_file_company_kind_sha"),
    )
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("collection_id", sa.String(length=40), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("direction in ('to_service', 'to_ledger')", name=op.f("ck_message_direction")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_message_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index("ix_message_pending", ["company_id", "direction", "handled_at"], unique=False)

    op.create_table(
        "voucher_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("collection_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_voucher_type_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_type")),
        sa.UniqueConstraint("company_id", "code", name="uq_voucher_type_company_code"),
    )
    op.create_table(
        "voucher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("voucher_type", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"], name=op.f("fk_voucher_batch_id_batch")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_voucher_company_id_company")),
        sa.ForeignKeyConstraint(["reverses_id"], ["voucher.id"], name=op.f("fk_voucher_reverses_id_voucher")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher")),
        sa.UniqueConstraint("company_id", "number", name="uq_voucher_company_number"),
    )
    op.create_table(
        "voucher_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=True),
        sa.Column("settles", sa.String(length=400), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("kid", sa.String(length=25), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_voucher_line_company_id_company")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_voucher_line_customer_id_customer")),
        sa.ForeignKeyConstraint(["voucher_id"], ["voucher.id"], name=op.f("fk_voucher_line_voucher_id_voucher")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_line")),
    )
    with op.batch_alter_table("voucher_line", schema=None) as batch_op:
        batch_op.create_index("ix_voucher_line_company_account", ["company_id", "account"], unique=False)

    op.create_table(
        "open_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=False),
        sa.Column("voucher_line_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("voucher_type", sa.Integer(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("remaining_ore", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("settled_status", sa.SmallInteger(), nullable=False),
        sa.Column("reminder_count", sa.Integer(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("exempt", sa.Boolean(), nullable=False),
        sa.Column("collection_id", sa.String(length=40), nullable=True),
        sa.Column("fee_outstanding_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_outstanding_ore", sa.BigInteger(), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "(amount_ore > 0 and remaining_ore >= 0 and remaining_ore <= amount_ore) or (amount_ore < 0 and remaining_ore <= 0 and remaining_ore >= amount_ore)",
            name=op.f("ck_open_item_remaining_within_amount"),
        ),
        sa.CheckConstraint("settled_status in (1, 2, 3)", name=op.f("ck_open_item_settled_status")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_open_item_company_id_company")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_open_item_customer_id_customer")),
        sa.ForeignKeyConstraint(["voucher_id"], ["voucher.id"], name=op.f("fk_open_item_voucher_id_voucher")),
        sa.ForeignKeyConstraint(
            ["voucher_line_id"], ["voucher_line.id"], name=op.f("fk_open_item_voucher_line_id_voucher_line")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_item")),
        sa.UniqueConstraint("collection_id", name=op.f("uq_open_item_collection_id")),
    )
    with op.batch_alter_table("open_item", schema=None) as batch_op:
        batch_op.create_index("ix_open_item_company_customer", ["company_id", "customer_id"], unique=False)
        batch_op.create_index(
            "ix_open_item_unmatched_credit",
            ["company_id", "customer_id"],
            unique=False,
            sqlite_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
            postgresql_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
        )
        batch_op.create_index(
            "ix_open_item_open_by_due",
            ["company_id", "due_date"],
            unique=False,
            sqlite_where=sa.text("settled_status < 3"),
            postgresql_where=sa.text("settled_status < 3"),
        )
        batch_op.create_index(
            "ux_open_item_invoice_number",
            ["company_id", "number"],
            unique=True,
            sqlite_where=sa.text("amount_ore > 0"),
            postgresql_where=sa.text("amount_ore > 0"),
        )

    op.create_table(
        "item_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("debit_item_id", sa.Integer(), nullable=False),
        sa.Column("credit_item_id", sa.Integer(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_ore > 0", name=op.f("ck_item_match_positive")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_item_match_company_id_company")),
        sa.ForeignKeyConstraint(
            ["credit_item_id"], ["open_item.id"], name=op.f("fk_item_match_credit_item_id_open_item")
        ),
        sa.ForeignKeyConstraint(
            ["debit_item_id"], ["open_item.id"], name=op.f("fk_item_match_debit_item_id_open_item")
        ),
        sa.ForeignKeyConstraint(["voucher_id"], ["voucher.id"], name=op.f("fk_item_match_voucher_id_voucher")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_match")),
    )

    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    op.drop_table("item_match")
    with op.batch_alter_table("open_item", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_open_item_unmatched_credit",
            sqlite_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
            postgresql_where=sa.text("amount_ore < 0 AND remaining_ore != 0"),
        )
        batch_op.drop_index(
            "ux_open_item_invoice_number",
            sqlite_where=sa.text("amount_ore > 0"),
            postgresql_where=sa.text("amount_ore > 0"),
        )
        batch_op.drop_index(
            "ix_open_item_open_by_due",
            sqlite_where=sa.text("settled_status < 3"),
            postgresql_where=sa.text("settled_status < 3"),
        )
        batch_op.drop_index("ix_open_item_company_customer")

    op.drop_table("open_item")
    with op.batch_alter_table("voucher_line", schema=None) as batch_op:
        batch_op.drop_index("ix_voucher_line_company_account")

    op.drop_table("voucher_line")
    op.drop_table("voucher")
    op.drop_table("voucher_type")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_pending")

    op.drop_table("message")
    op.drop_table("imported_file")
    op.drop_table("customer")
    op.drop_table("counter")
    op.drop_table("batch")
    op.drop_table("account")
    op.drop_table("company")
