"""a customer's personal data: processing restricted, and erased (GDPR art. 18 and 17)

Revision ID: 0012
Revises: 0011

* ``customer.restricted_on``: the day the processing of the customer's personal data was restricted; while set,
  none of its items is valid for collection (``customer_restricted``) and its claims that can be are paused.
* ``customer.erased_on``: the day its personal fields were erased, after the books' retention
  (bokføringsloven § 13); the name reads ``[slettet]`` from then on (:mod:`krav.domain.personal_data`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer", sa.Column("restricted_on", sa.Date(), nullable=True))
    op.add_column("customer", sa.Column("erased_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("customer", "erased_on")
    op.drop_column("customer", "restricted_on")
