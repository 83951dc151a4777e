"""delivery: a letter counts as sent when it went, e-mail only to an address given for letters (R-SVC-2)

Revision ID: 0009
Revises: 0008

* ``customer.email_for_letters`` and its copy on the claim, ``claim.debtor_email_for_letters``: the debtor gave
  the e-mail address for letters. Customers and claims from before have not (paper), until the creditor says so.
* ``claim.letter_unsent_since``: the claim's latest letter could not be sent; the claim takes no step until it
  has been.
* ``delivery.sent_on``, ``account``, ``claims_held``: the business day a delivery was handed to print or
  accepted by the mail server, the account its PDF printed, and whether its claims wait for it. Deliveries sent
  before this revision keep ``sent_on`` empty: their letters count as sent the day they were written, as before.
* ``delivery.status`` may be ``bounced``: the mail server refused the address, or a delivery status notification
  came back; the letter goes on paper instead. ``ix_delivery_ref_id``: a letter's deliveries, found by its id.

The status check is made again, which on SQLite copies the table (``delivery`` has no triggers to keep).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STATUSES_BEFORE = "status in ('pending', 'sending', 'sent', 'failed', 'uncertain')"
STATUSES = "status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'bounced')"


def upgrade() -> None:
    op.add_column("customer", sa.Column("email_for_letters", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "claim", sa.Column("debtor_email_for_letters", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("claim", sa.Column("letter_unsent_since", sa.Date(), nullable=True))
    with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("account", sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column("claims_held", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_constraint(op.f("ck_delivery_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_delivery_status"), sa.text(STATUSES))
        batch_op.create_index("ix_delivery_ref_id", ["ref_id", "kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
        batch_op.drop_index("ix_delivery_ref_id")
        batch_op.drop_constraint(op.f("ck_delivery_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_delivery_status"), sa.text(STATUSES_BEFORE))
        batch_op.drop_column("claims_held")
        batch_op.drop_column("account")
        batch_op.drop_column("sent_on")
    op.drop_column("claim", "letter_unsent_since")
    op.drop_column("claim", "debtor_email_for_letters")
    op.drop_column("customer", "email_for_letters")
