"""what a letter says: interest per rate period, the standard compensation apart, what a paid confirmation
confirms (R-CLM-16, R-CLM-11, R-CLM-9)

Revision ID: 0010
Revises: 0009

* ``claim.booked_periods``: the closed interest segments, period by period, as they were booked (JSON), so that a
  later letter can state them. Claims from before have none; their interest booked before is still owed, and a
  letter states the periods Krav knows.
* ``claim.compensation_charged_ore``: what the B2B standard compensation added to the fees when it was claimed,
  filled for the claims from before from their history (the fee events "B2B standard compensation").
* ``letter_line.compensation_ore``: the standard compensation a letter line states apart from the fees. Lines
  written before this revision have none: their fee column holds it, as they were printed.
* ``letter_interest_period``: each letter line's interest per rate period (from, to, rate, principal, amount).
* ``letter_paid``: on a paid confirmation, what the debtor paid on each claim, when, and how it was applied.

The two new tables are append-only, as the letter lines they belong to. Plain ``add_column``: no table with
triggers is copied.
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

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

APPEND_ONLY = ("letter_interest_period", "letter_paid")
_COMPENSATION_EVENTS = """
UPDATE claim SET compensation_charged_ore = COALESCE((
    SELECT SUM(e.amount_ore) FROM claim_event e
    WHERE e.claim_id = claim.id AND e.kind = 'fee' AND e.detail LIKE 'B2B standard compensation%'
), 0)
WHERE compensation_claimed
"""


def upgrade() -> None:
    op.add_column("claim", sa.Column("booked_periods", sa.Text(), nullable=True))
    op.add_column("claim", sa.Column("compensation_charged_ore", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute(_COMPENSATION_EVENTS)
    op.add_column("letter_line", sa.Column("compensation_ore", sa.BigInteger(), nullable=True))
    op.create_table(
        "letter_interest_period",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=10), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_letter_interest_period_letter_id_letter")),
        sa.PrimaryKeyConstraint("letter_id", "position", "n", name=op.f("pk_letter_interest_period")),
    )
    op.create_table(
        "letter_paid",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("principal_ore", sa.BigInteger(), nullable=False),
        sa.Column("fee_ore", sa.BigInteger(), nullable=False),
        sa.Column("compensation_ore", sa.BigInteger(), nullable=False),
        sa.Column("interest_ore", sa.BigInteger(), nullable=False),
        sa.Column("salaer_ore", sa.BigInteger(), nullable=False),
        sa.Column("overpaid_ore", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_letter_paid_letter_id_letter")),
        sa.PrimaryKeyConstraint("letter_id", "position", name=op.f("pk_letter_paid")),
    )
    for table in APPEND_ONLY:
        make_append_only(table)
        refuse_replace_and_truncate(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_replace_and_truncate(table)
        drop_append_only(table)
    op.drop_table("letter_paid")
    op.drop_table("letter_interest_period")
    op.drop_column("letter_line", "compensation_ore")
    op.drop_column("claim", "compensation_charged_ore")
    op.drop_column("claim", "booked_periods")
