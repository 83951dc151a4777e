"""claims' pages kept for reading, and each claim's revision

Revision ID: 0018
Revises: 0017

* ``claim.revision``: raised by one on every UPDATE of the row, by a trigger of the database itself (so every
  program that changes a claim raises it, not only Krav's claim store): on SQLite an AFTER UPDATE trigger raises it
  where the statement left it as it was; on PostgreSQL a BEFORE UPDATE trigger does, in the row being written.
  Krav's own saves raise it in their statement, and the trigger's condition then spares the second write.
* ``claim_page``: a claim's page as a face answers it (the API's JSON), by claim and view, with the day and the
  stamp it was made from (:mod:`krav.adapters.db.page_store`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION krav_claim_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END $$;
"""


def upgrade() -> None:
    op.add_column("claim", sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER claim_revision BEFORE UPDATE ON claim FOR EACH ROW "
            "WHEN (NEW.revision = OLD.revision) EXECUTE FUNCTION krav_claim_revision()"
        )
    else:
        op.execute(
            "CREATE TRIGGER claim_revision AFTER UPDATE ON claim FOR EACH ROW WHEN NEW.revision = OLD.revision "
            "BEGIN UPDATE claim SET revision = OLD.revision + 1 WHERE id = NEW.id; END"
        )
    op.create_table(
        "claim_page",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("stamp", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_page_claim_id_claim")),
        sa.PrimaryKeyConstraint("claim_id", "view", name=op.f("pk_claim_page")),
    )
    op.create_index("ix_claim_page_as_of", "claim_page", ["as_of"])


def downgrade() -> None:
    op.drop_index("ix_claim_page_as_of", table_name="claim_page")
    op.drop_table("claim_page")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS claim_revision ON claim")
        op.execute("DROP FUNCTION IF EXISTS krav_claim_revision()")
    else:
        op.execute("DROP TRIGGER IF EXISTS claim_revision")
    op.drop_column("claim", "revision")
