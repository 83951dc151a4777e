"""The document archive and the delivery outbox (letters out)."""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.tables.base import metadata
from krav.adapters.db.types import UTCDateTime

document = sa.Table(
    "document",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("ref", sa.String(60), nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(60), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("company_id", "kind", "ref", name="uq_document_company_kind_ref"),
)

delivery = sa.Table(
    "delivery",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("ref_id", sa.Integer, nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("address", sa.String(254)),
    sa.Column("delivery_key", sa.String(80), nullable=False, unique=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.String(1000)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    # R-SVC-2: the business day it was handed to print or accepted by the mail server (the letter's date from
    # then on), the account its PDF printed, and whether its claims wait for it (set when it failed or bounced)
    sa.Column("sent_on", sa.Date),
    sa.Column("account", sa.String(34)),
    sa.Column("claims_held", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.CheckConstraint("channel in ('email', 'print')", name="channel"),
    sa.CheckConstraint(
        "status in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'bounced', 'cancelled')", name="status"
    ),
    sa.Index("ix_delivery_status", "status", "company_id"),
    sa.Index("ix_delivery_ref_id", "ref_id", "kind"),
)
