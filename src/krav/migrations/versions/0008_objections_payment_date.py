"""objections and the payment date: R-CLM-15 and R-CLM-14

Revision ID: 0008
Revises: 0007

* ``claim.disputed``, ``disputed_on``: the debtor's objection, open until answered; ``objection_answer`` and
  ``objection_text``: the answer (reject or uphold) and its reasons, until the day's run sends them.
* ``letter.note``: the reasons an answer to an objection gives.
* ``letter_line.fees_charged_ore``, ``salaer_charged_ore``: what the claim had been charged by the letter's date,
  so that a payment of the letter in time waives what was charged after it (R-CLM-14). Lines written before this
  revision have none; the letter's own figures stand in for them.
* ``client_payment.ordered_on`` (and on ``client_payment_duplicate``): the day the debtor's bank got the order,
  where the bank file says. It is frozen with the payment's other bank fields: the trigger of 0007 is made again
  with it.

Plain ``add_column``: SQLite adds a column without copying the table, so the append-only triggers stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from krav.migrations.append_only import drop_frozen, freeze_columns

revision = "0008"
down_revision = "0007"
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
)
PAYMENT_FROZEN = (*PAYMENT_FROZEN_BEFORE, "ordered_on")
PAYMENT_REASON = (
    "keeps each payment as the bank reported it: amount, date, KID, reference, source and bank fields never "
    "change, and no row is deleted"
)


def upgrade() -> None:
    op.add_column("claim", sa.Column("disputed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("claim", sa.Column("disputed_on", sa.Date(), nullable=True))
    op.add_column("claim", sa.Column("objection_answer", sa.String(length=10), nullable=True))
    op.add_column("claim", sa.Column("objection_text", sa.Text(), nullable=True))
    op.add_column("letter", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("letter_line", sa.Column("fees_charged_ore", sa.BigInteger(), nullable=True))
    op.add_column("letter_line", sa.Column("salaer_charged_ore", sa.BigInteger(), nullable=True))
    op.add_column("client_payment", sa.Column("ordered_on", sa.Date(), nullable=True))
    op.add_column("client_payment_duplicate", sa.Column("ordered_on", sa.Date(), nullable=True))
    drop_frozen("client_payment")
    freeze_columns("client_payment", PAYMENT_FROZEN, reason=PAYMENT_REASON)


def downgrade() -> None:
    drop_frozen("client_payment")
    freeze_columns("client_payment", PAYMENT_FROZEN_BEFORE, reason=PAYMENT_REASON)
    op.drop_column("client_payment_duplicate", "ordered_on")
    op.drop_column("client_payment", "ordered_on")
    op.drop_column("letter_line", "salaer_charged_ore")
    op.drop_column("letter_line", "fees_charged_ore")
    op.drop_column("letter", "note")
    op.drop_column("claim", "objection_text")
    op.drop_column("claim", "objection_answer")
    op.drop_column("claim", "disputed_on")
    op.drop_column("claim", "disputed")
