"""the portal's users and their roles per company

Revision ID: 0015
Revises: 0014

* ``portal_user``: a person who logs in to the creditor portal: the e-mail found by, a name, the argon2 hash of
  the password (never the password), who made the user and when it was disabled.
* ``user_role``: a role a user holds in one company (none: a role of the service, across companies), the same
  roles as the API keys (DOMAIN.md section 10), until revoked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_user")),
        sa.UniqueConstraint("email", name=op.f("uq_portal_user_email")),
    )
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_user_role_company_id_company")),
        sa.ForeignKeyConstraint(["user_id"], ["portal_user.id"], name=op.f("fk_user_role_user_id_portal_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_role")),
    )
    op.create_index("ix_user_role_user", "user_role", ["user_id"], unique=False)
    op.create_index("ix_user_role_company", "user_role", ["company_id"], unique=False)


def downgrade() -> None:
    op.drop_table("user_role")
    op.drop_table("portal_user")
