"""payment identity: a payment is the bank's transaction, not the file's bytes

Revision ID: 0006
Revises: 0005

* ``client_payment.bank_id``: the bank's identity of the transaction, NOT NULL and unique, so one transaction is
  one payment on the client account however often and in whatever bytes it arrives. Payments recorded before
  this revision get ``file:SOURCE/REFERENCE`` (their file's SHA-256 and their reference in it), which is unique
  because (source, reference) is, and which is what Krav gives a payment recorded without an identity; they
  are not matched against later files by the bank's identity. SQLite adds a NOT NULL column only with a default,
  so the column is added with the default '' and filled at once; PostgreSQL drops the default again, SQLite
  keeps it (changing it there would rebuild the table). ``client_payment.filename``: the name the file was
  imported under, for the reason a duplicate gives.
* ``client_payment_duplicate``: a later sighting of a payment already on the account, recorded with the reason
  and never applied. It is a table of its own, not a status of ``client_payment``, because the status check of
  ``client_payment`` cannot change on SQLite without rebuilding the table, and rebuilding it is refused once
  allocations refer to its rows (foreign keys are on); keeping the sightings apart also leaves ``bank_id``
  unique outright.
* ``bank_payment``: the payments of the creditor's own bank files that the ledger posted, unique per company and
  identity, with the voucher and the file.

Plain ``add_column``, ``create_index`` and ``create_table``: no table with append-only triggers is copied.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("client_payment", sa.Column("bank_id", sa.String(length=300), nullable=False, server_default=""))
    op.add_column("client_payment", sa.Column("filename", sa.String(length=500), nullable=True))
    op.execute("UPDATE client_payment SET bank_id = 'file:' || source || '/' || reference")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("client_payment", "bank_id", server_default=None)
    op.create_index("ix_client_payment_bank_id", "client_payment", ["bank_id"], unique=True)

    op.create_table(
        "client_payment_duplicate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(length=300), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kid", sa.String(length=25), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("payer", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["client_payment.id"], name=op.f("fk_client_payment_duplicate_payment_id_client_payment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_payment_duplicate")),
        sa.UniqueConstraint("source", "reference", name="uq_client_payment_duplicate_source_reference"),
    )
    op.create_index("ix_client_payment_duplicate_payment", "client_payment_duplicate", ["payment_id"], unique=False)

    op.create_table(
        "bank_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(length=300), nullable=False),
        sa.Column("voucher_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_bank_payment_company_id_company")),
        sa.ForeignKeyConstraint(["voucher_id"], ["voucher.id"], name=op.f("fk_bank_payment_voucher_id_voucher")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_payment")),
        sa.UniqueConstraint("company_id", "bank_id", name="uq_bank_payment_company_bank_id"),
    )


def downgrade() -> None:
    op.drop_table("bank_payment")
    op.drop_index("ix_client_payment_duplicate_payment", table_name="client_payment_duplicate")
    op.drop_table("client_payment_duplicate")
    op.drop_index("ix_client_payment_bank_id", table_name="client_payment")
    op.drop_column("client_payment", "filename")
    op.drop_column("client_payment", "bank_id")
