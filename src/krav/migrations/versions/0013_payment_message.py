"""what the payer wrote: a payment's message, for the manual-matching queue (R-CLM-7)

Revision ID: 0013
Revises: 0012

* ``client_payment.message`` (and on ``client_payment_duplicate``): what the payer wrote with the payment (camt.054
  ``Ustrd``, an OCR giro's free text), on one line and cut to 500 characters, so that the person who matches a
  payment by hand sees "Faktura 5007". Payments recorded before this revision have none. It is part of what the
  bank reported, frozen with the payment's other bank fields: the trigger of 0008 is made again with it.

Plain ``add_column``: SQLite adds a column without copying the table, so the append-only triggers stay. The
downgrade makes the trigger without the column again before dropping it, as SQLite refuses to drop a column a
trigger names.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import drop_frozen, freeze_columns

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

PAYMENT_FROZEN_BEFORE = (
    "id",
    "received_on",
    "amount_ore",
    "currency",
    "kid",
    "reference",
    "payer",
    "source",
    "bank_id",
    "filename",
    "created_at",
    "ordered_on",
)
PAYMENT_FROZEN = (*PAYMENT_FROZEN_BEFORE, "message")
PAYMENT_REASON = (
    "keeps each payment as the bank reported it: amount, date, KID, reference, source and bank fields never "
    "change, and no row is deleted"
)


def upgrade() -> None:
    op.add_column("client_payment", sa.Column("message", sa.String(length=500), nullable=True))
    op.add_column("client_payment_duplicate", sa.Column("message", sa.String(length=500), nullable=True))
    drop_frozen("client_payment")
    freeze_columns("client_payment", PAYMENT_FROZEN, reason=PAYMENT_REASON)


def downgrade() -> None:
    drop_frozen("client_payment")
    freeze_columns("client_payment", PAYMENT_FROZEN_BEFORE, reason=PAYMENT_REASON)
    op.drop_column("client_payment_duplicate", "message")
    op.drop_column("client_payment", "message")
