"""Access over HTTP: API keys (stored hashed), the idempotency keys of requests that changed something, and the
creditors' webhooks with their outbox of deliveries."""

from __future__ import annotations

import sqlalchemy as sa

from krav.adapters.db.tables.base import metadata
from krav.adapters.db.types import UTCDateTime

api_key = sa.Table(
    "api_key",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("prefix", sa.String(24), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(200), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id")),  # None: a role of the service, across companies
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.Index("ix_api_key_company", "company_id"),
)

# A POST that carried an Idempotency-Key: the request's fingerprint and, once done, the response to replay.
idempotency_key = sa.Table(
    "idempotency_key",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("scope", sa.String(40), nullable=False),  # the company's id, or the key's for the service's roles
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer),  # None while the first request is in flight
    sa.Column("body", sa.LargeBinary),
    sa.Column("media_type", sa.String(100)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("scope", "key", name="uq_idempotency_key_scope_key"),
    sa.Index("ix_idempotency_key_created_at", "created_at"),
)

webhook = sa.Table(
    "webhook",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("events", sa.String(500), nullable=False),  # space-separated event types
    sa.Column("events_seen", sa.BigInteger, nullable=False),  # the company's last claim event handed out
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    sa.Index("ix_webhook_company", "company_id"),
)

# An event for a webhook, written in the transaction that made it happen; the worker delivers it.
webhook_delivery = sa.Table(
    "webhook_delivery",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("webhook_id", sa.ForeignKey("webhook.id"), nullable=False),
    sa.Column("event_id", sa.String(40), nullable=False),
    sa.Column("event", sa.String(40), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # pending, delivered, failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("last_error", sa.String(1000)),
    sa.Column("delivered_at", UTCDateTime),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("webhook_id", "event_id", name="uq_webhook_delivery_event"),
    sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
)

# A person who logs in to the portal: the e-mail found by, the argon2 hash of the password (never the password).
portal_user = sa.Table(
    "portal_user",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200), nullable=False, unique=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("disabled_at", UTCDateTime),
)

# A role a user holds in one company (company_id None: a role of the service, across companies), until revoked.
user_role = sa.Table(
    "user_role",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("portal_user.id"), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id")),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("granted_at", UTCDateTime, nullable=False),
    sa.Column("granted_by", sa.String(100), nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.Index("ix_user_role_user", "user_id"),
    sa.Index("ix_user_role_company", "company_id"),
)

# A filter of the claims list a user saved, by a name, per company: the list's query string as chosen.
saved_filter = sa.Table(
    "saved_filter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("portal_user.id"), nullable=False),
    sa.Column("company_id", sa.ForeignKey("company.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("query", sa.String(500), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("user_id", "company_id", "name", name="uq_saved_filter_name"),
)
