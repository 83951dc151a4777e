"""a voucher's lines by the voucher: an index, so posting many vouchers does not scan the lines each time

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain CREATE INDEX: the table keeps its append-only triggers (a batch copy would drop them on SQLite)
    op.create_index("ix_voucher_line_voucher", "voucher_line", ["voucher_id", "line_no"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_voucher_line_voucher", table_name="voucher_line")
