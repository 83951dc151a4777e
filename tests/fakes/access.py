"""The fake of the access repository: API keys, idempotency keys and webhooks over the fake tables, with the
unique keys the database enforces."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from krav.domain.access import ApiKey, User, UserRole
from krav.services.ports import IdempotentRequest, SavedFilter, Webhook, WebhookDelivery
from tests.fakes.store import DuplicateKey, FakeStore


class FakeAccess:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def add_key(self, key: ApiKey) -> int:
        if any(k.prefix == key.prefix for k in self.s.api_keys.values()):
            raise DuplicateKey(f"api_key.prefix {key.prefix}")
        key_id = self.s.new_id("api_key")
        self.s.api_keys[key_id] = replace(key, id=key_id)
        return key_id

    def key_by_prefix(self, prefix: str) -> ApiKey | None:
        return next((k for k in self.s.api_keys.values() if k.prefix == prefix), None)

    def key(self, key_id: int) -> ApiKey | None:
        return self.s.api_keys.get(key_id)

    def keys(self, company_id: int | None = None) -> list[ApiKey]:
        return [k for k in self.s.api_keys.values() if company_id is None or k.company_id == company_id]

    def revoke_key(self, key_id: int, at: datetime) -> None:
        key = self.s.api_keys.get(key_id)
        if key is not None and key.revoked_at is None:
            self.s.api_keys[key_id] = replace(key, revoked_at=at)

    def idempotent(self, scope: str, key: str) -> IdempotentRequest | None:
        return self.s.idempotency.get((scope, key))

    def begin_idempotent(self, request: IdempotentRequest) -> bool:
        if (request.scope, request.key) in self.s.idempotency:
            return False
        self.s.idempotency[(request.scope, request.key)] = request
        return True

    def finish_idempotent(self, scope: str, key: str, status_code: int, body: bytes, media_type: str) -> None:
        found = self.s.idempotency.get((scope, key))
        if found is not None:
            self.s.idempotency[(scope, key)] = replace(found, status_code=status_code, body=body, media_type=media_type)

    def forget_idempotent(self, scope: str, key: str) -> None:
        self.s.idempotency.pop((scope, key), None)

    def expire_idempotent(self, before: datetime) -> int:
        old = [k for k, r in self.s.idempotency.items() if r.created_at < before]
        for k in old:
            del self.s.idempotency[k]
        return len(old)

    def add_webhook(self, webhook: Webhook) -> int:
        webhook_id = self.s.new_id("webhook")
        self.s.webhooks[webhook_id] = replace(webhook, id=webhook_id)
        return webhook_id

    def webhooks(self, company_id: int) -> list[Webhook]:
        return [w for w in self.s.webhooks.values() if w.company_id == company_id]

    def active_webhooks(self) -> list[Webhook]:
        return [w for w in self.s.webhooks.values() if w.disabled_at is None]

    def advance_webhook(self, webhook_id: int, events_seen: int) -> None:
        self.s.webhooks[webhook_id] = replace(self.s.webhooks[webhook_id], events_seen=events_seen)

    def disable_webhook(self, webhook_id: int, at: datetime) -> None:
        found = self.s.webhooks.get(webhook_id)
        if found is not None and found.disabled_at is None:
            self.s.webhooks[webhook_id] = replace(found, disabled_at=at)

    def add_webhook_deliveries(self, deliveries: list[WebhookDelivery]) -> None:
        for d in deliveries:
            if any(
                (o.webhook_id, o.event_id) == (d.webhook_id, d.event_id) for o in self.s.webhook_deliveries.values()
            ):
                raise DuplicateKey(f"webhook_delivery {d.webhook_id}/{d.event_id}")
            delivery_id = self.s.new_id("webhook_delivery")
            self.s.webhook_deliveries[delivery_id] = replace(d, id=delivery_id)

    def webhook_deliveries(self, company_id: int, *, webhook_id: int | None = None) -> list[WebhookDelivery]:
        mine = {w.id for w in self.webhooks(company_id)}
        return [
            d
            for d in self.s.webhook_deliveries.values()
            if d.webhook_id in mine and (webhook_id is None or d.webhook_id == webhook_id)
        ]

    def due_webhook_deliveries(self, at: datetime, limit: int) -> list[tuple[WebhookDelivery, Webhook]]:
        due = sorted(
            (
                d
                for d in self.s.webhook_deliveries.values()
                if d.status == "pending"
                and d.next_attempt_at <= at
                and self.s.webhooks[d.webhook_id].disabled_at is None
            ),
            key=lambda d: (d.next_attempt_at, d.id or 0),
        )
        return [(d, self.s.webhooks[d.webhook_id]) for d in due[:limit]]

    def webhook_attempted(
        self,
        delivery_id: int,
        *,
        status: str,
        attempts: int,
        next_attempt_at: datetime,
        error: str | None,
        delivered_at: datetime | None,
    ) -> None:
        d = self.s.webhook_deliveries[delivery_id]
        self.s.webhook_deliveries[delivery_id] = replace(
            d,
            status=status,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_error=error,
            delivered_at=delivered_at,
        )

    # -- the portal's users ------------------------------------------------------------------------------------

    def add_user(self, user: User) -> int:
        if any(u.email == user.email for u in self.s.users.values()):
            raise DuplicateKey(f"portal_user.email {user.email}")
        user_id = self.s.new_id("portal_user")
        self.s.users[user_id] = replace(user, id=user_id, roles=())
        return user_id

    def user(self, user_id: int) -> User | None:
        return self.s.users.get(user_id)

    def user_by_email(self, email: str) -> User | None:
        return next((u for u in self.s.users.values() if u.email == email), None)

    def users(self, company_id: int | None = None) -> list[User]:
        return [
            u for u in self.s.users.values() if company_id is None or any(r.company_id == company_id for r in u.roles)
        ]

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.s.users[user_id] = replace(self.s.users[user_id], password_hash=password_hash)

    def add_user_role(self, user_id: int, role: UserRole) -> None:
        user = self.s.users[user_id]
        self.s.users[user_id] = replace(user, roles=(*user.roles, replace(role, id=self.s.new_id("user_role"))))

    def revoke_user_role(self, user_id: int, company_id: int | None, at: datetime) -> int:
        user = self.s.users[user_id]
        kept = tuple(r for r in user.roles if r.company_id != company_id)
        self.s.users[user_id] = replace(user, roles=kept)
        return len(user.roles) - len(kept)

    def saved_filters(self, user_id: int, company_id: int) -> list[SavedFilter]:
        return sorted(
            (f for f in self.s.saved_filters.values() if (f.user_id, f.company_id) == (user_id, company_id)),
            key=lambda f: f.name,
        )

    def save_filter(self, saved: SavedFilter) -> None:
        self.s.saved_filters[(saved.user_id, saved.company_id, saved.name)] = saved

    def delete_filter(self, user_id: int, company_id: int, name: str) -> int:
        return 0 if self.s.saved_filters.pop((user_id, company_id, name), None) is None else 1
