"""the portal's saved filters of the claims list

Revision ID: 0017
Revises: 0016

* ``saved_filter``: a filter of the claims list a user saved by a name, per company (the list's query string as
  chosen); one name once per user and company.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_filter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_saved_filter_company_id_company")),
        sa.ForeignKeyConstraint(["user_id"], ["portal_user.id"], name=op.f("fk_saved_filter_user_id_portal_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filter")),
        sa.UniqueConstraint("user_id", "company_id", "name", name="uq_saved_filter_name"),
    )


def downgrade() -> None:
    op.drop_table("saved_filter")
