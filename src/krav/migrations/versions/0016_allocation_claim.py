"""a claim's allocations by the claim: an index, so the payments applied to a letter's claims are found without
scanning every allocation of the creditor once per letter

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain CREATE INDEX: the table keeps its triggers (a batch copy would drop them on SQLite)
    op.create_index("ix_allocation_claim", "allocation", ["claim_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_allocation_claim", table_name="allocation")
