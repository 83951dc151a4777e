"""The ports of access over HTTP: where keys, idempotency keys and webhooks are kept, and how a key's secret is
hashed. The SQL adapter and the fakes implement the repository; argon2 the hasher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from krav.domain.access import ApiKey, User, UserRole


@dataclass(frozen=True, slots=True)
class SavedFilter:
    """A filter of the claims list a portal user saved by a name, in one company: the list's query string."""

    user_id: int
    company_id: int
    name: str
    query: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A request that carried an ``Idempotency-Key``: its fingerprint (method, path and body), and once it is done
    the response to replay (``status_code`` None: still in flight)."""

    scope: str
    key: str
    fingerprint: str
    created_at: datetime
    status_code: int | None = None
    body: bytes | None = None
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class Webhook:
    """A creditor's URL for claim events, with the secret its deliveries are signed with."""

    company_id: int
    url: str
    secret: str
    events: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None = None
    events_seen: int = 0  # the place in the company's claim history up to which its events were handed out
    id: int | None = None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One event for one webhook: delivered once, retried with backoff while the receiver fails."""

    webhook_id: int
    event_id: str
    event: str
    payload: bytes
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    delivered_at: datetime | None = None
    id: int | None = None


class AccessRepository(Protocol):
    """API keys, idempotency keys and webhooks."""

    def add_key(self, key: ApiKey) -> int: ...
    def key_by_prefix(self, prefix: str) -> ApiKey | None: ...
    def key(self, key_id: int) -> ApiKey | None: ...
    def keys(self, company_id: int | None = None) -> list[ApiKey]:
        """The keys of one company (all keys, the service's too, when ``company_id`` is None)."""
        ...

    def revoke_key(self, key_id: int, at: datetime) -> None: ...

    def idempotent(self, scope: str, key: str) -> IdempotentRequest | None: ...
    def begin_idempotent(self, request: IdempotentRequest) -> bool:
        """Record ``request`` as in flight; False when the scope already has the key (nothing is written)."""
        ...

    def finish_idempotent(self, scope: str, key: str, status_code: int, body: bytes, media_type: str) -> None: ...
    def forget_idempotent(self, scope: str, key: str) -> None: ...
    def expire_idempotent(self, before: datetime) -> int:
        """Forget every idempotency key recorded before ``before``; returns how many."""
        ...

    def add_webhook(self, webhook: Webhook) -> int: ...
    def webhooks(self, company_id: int) -> list[Webhook]: ...
    def active_webhooks(self) -> list[Webhook]:
        """Every webhook not disabled, of every company."""
        ...

    def advance_webhook(self, webhook_id: int, events_seen: int) -> None: ...
    def disable_webhook(self, webhook_id: int, at: datetime) -> None: ...
    def add_webhook_deliveries(self, deliveries: list[WebhookDelivery]) -> None: ...
    def webhook_deliveries(self, company_id: int, *, webhook_id: int | None = None) -> list[WebhookDelivery]: ...
    def due_webhook_deliveries(self, at: datetime, limit: int) -> list[tuple[WebhookDelivery, Webhook]]: ...
    def webhook_attempted(
        self,
        delivery_id: int,
        *,
        status: str,
        attempts: int,
        next_attempt_at: datetime,
        error: str | None,
        delivered_at: datetime | None,
    ) -> None: ...

    # the portal's users
    def add_user(self, user: User) -> int: ...
    def user(self, user_id: int) -> User | None:
        """The user with its roles not revoked."""
        ...

    def user_by_email(self, email: str) -> User | None: ...
    def users(self, company_id: int | None = None) -> list[User]:
        """Every user, or those holding a role in one company, each with its roles not revoked."""
        ...

    def set_password(self, user_id: int, password_hash: str) -> None: ...
    def add_user_role(self, user_id: int, role: UserRole) -> None: ...
    def revoke_user_role(self, user_id: int, company_id: int | None, at: datetime) -> int:
        """Revoke the user's roles in the company (None: the roles across companies); returns how many."""
        ...

    # the portal users' saved filters
    def saved_filters(self, user_id: int, company_id: int) -> list[SavedFilter]:
        """The user's saved filters in the company, by name."""
        ...

    def save_filter(self, saved: SavedFilter) -> None:
        """Keep the filter, in place of the user's filter of the same name in the company."""
        ...

    def delete_filter(self, user_id: int, company_id: int, name: str) -> int:
        """Delete the user's filter of that name in the company; returns how many (0 or 1)."""
        ...


class SecretHasher(Protocol):
    """Hashes a key's secret for storage and checks a presented secret against the hash (argon2)."""

    def hash(self, secret: str) -> str: ...
    def verify(self, secret_hash: str, secret: str) -> bool: ...
