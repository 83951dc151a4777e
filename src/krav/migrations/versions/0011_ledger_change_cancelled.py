"""corrections kept apart from the posted books, and letters cancelled before they went (R-LED-1, R-SVC-2)

Revision ID: 0011
Revises: 0010

* ``ledger_change``: a change the creditor made to an open item or a customer outside a voucher (an item's due
  date, a customer's reminder exemption), with who, when, and old → new. The posted voucher line keeps the due
  date it was posted with (its hash covers it); the open item carries the one in force. Append-only.
* ``delivery.status`` may be ``cancelled``: the letter was taken back before it went, and is never sent.

The status check is made again, which on SQLite copies the table (``delivery`` has no triggers to keep).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import (
    drop_append_only,
    drop_replace_and_truncate,
    make_append_only,
    refuse_replace_and_truncate,
)

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STATUSES_BEFORE = "status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'bounced')"
STATUSES = "status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'bounced', 'cancelled')"


def upgrade() -> None:
    op.create_table(
        "ledger_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.String(length=100), nullable=True),
        sa.Column("new", sa.String(length=100), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("subject in ('item', 'customer')", name=op.f("ck_ledger_change_subject")),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_ledger_change_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_change")),
    )
    op.create_index("ix_ledger_change_company", "ledger_change", ["company_id", "subject", "number"], unique=False)
    make_append_only("ledger_change")
    refuse_replace_and_truncate("ledger_change")
    with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_delivery_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_delivery_status"), sa.text(STATUSES))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_delivery_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_delivery_status"), sa.text(STATUSES_BEFORE))
    drop_replace_and_truncate("ledger_change")
    drop_append_only("ledger_change")
    op.drop_index("ix_ledger_change_company", table_name="ledger_change")
    op.drop_table("ledger_change")
