"""SQL storage of access over HTTP: API keys, idempotency keys, webhooks and their deliveries."""

from __future__ import annotations

import functools
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import hot_row
from krav.domain.access import ApiKey, Role, User, UserRole
from krav.services.ports import IdempotentRequest, SavedFilter, Webhook, WebhookDelivery


@functools.cache
def _key_by_prefix() -> sa.Select[Any]:
    """A key by its prefix, built once (every API request reads one)."""
    return sa.select(t.api_key).where(t.api_key.c.prefix == sa.bindparam("prefix", type_=sa.String))


class SqlAccess:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    # -- keys ----------------------------------------------------------------------------------------------------

    def add_key(self, key: ApiKey) -> int:
        k = t.api_key
        values = {
            "prefix": key.prefix,
            "secret_hash": key.secret_hash,
            "name": key.name,
            "role": key.role.value,
            "company_id": key.company_id,
            "created_at": key.created_at,
            "created_by": key.created_by,
            "revoked_at": key.revoked_at,
        }
        return int(self.conn.execute(k.insert().values(**values).returning(k.c.id)).scalar_one())

    def key_by_prefix(self, prefix: str) -> ApiKey | None:
        row = hot_row(self.conn, _key_by_prefix(), {"prefix": prefix})
        return _key(SimpleNamespace(**row)) if row is not None else None

    def key(self, key_id: int) -> ApiKey | None:
        row = self.conn.execute(sa.select(t.api_key).where(t.api_key.c.id == key_id)).first()
        return _key(row) if row is not None else None

    def keys(self, company_id: int | None = None) -> list[ApiKey]:
        query = sa.select(t.api_key).order_by(t.api_key.c.id)
        if company_id is not None:
            query = query.where(t.api_key.c.company_id == company_id)
        return [_key(r) for r in self.conn.execute(query)]

    def revoke_key(self, key_id: int, at: datetime) -> None:
        k = t.api_key
        self.conn.execute(k.update().where(k.c.id == key_id, k.c.revoked_at.is_(None)).values(revoked_at=at))

    # -- idempotency keys ----------------------------------------------------------------------------------------

    def idempotent(self, scope: str, key: str) -> IdempotentRequest | None:
        i = t.idempotency_key
        row = self.conn.execute(sa.select(i).where(i.c.scope == scope, i.c.key == key)).first()
        if row is None:
            return None
        return IdempotentRequest(
            scope=row.scope,
            key=row.key,
            fingerprint=row.fingerprint,
            created_at=row.created_at,
            status_code=row.status_code,
            body=row.body,
            media_type=row.media_type,
        )

    def begin_idempotent(self, request: IdempotentRequest) -> bool:
        i = t.idempotency_key
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    i.insert().values(
                        scope=request.scope,
                        key=request.key,
                        fingerprint=request.fingerprint,
                        created_at=request.created_at,
                    )
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def finish_idempotent(self, scope: str, key: str, status_code: int, body: bytes, media_type: str) -> None:
        i = t.idempotency_key
        self.conn.execute(
            i.update()
            .where(i.c.scope == scope, i.c.key == key)
            .values(status_code=status_code, body=body, media_type=media_type)
        )

    def forget_idempotent(self, scope: str, key: str) -> None:
        i = t.idempotency_key
        self.conn.execute(i.delete().where(i.c.scope == scope, i.c.key == key))

    def expire_idempotent(self, before: datetime) -> int:
        i = t.idempotency_key
        return int(self.conn.execute(i.delete().where(i.c.created_at < before)).rowcount)

    # -- webhooks ------------------------------------------------------------------------------------------------

    def add_webhook(self, webhook: Webhook) -> int:
        w = t.webhook
        return int(
            self.conn.execute(
                w.insert()
                .values(
                    company_id=webhook.company_id,
                    url=webhook.url,
                    secret=webhook.secret,
                    events=" ".join(webhook.events),
                    events_seen=webhook.events_seen,
                    created_at=webhook.created_at,
                    disabled_at=webhook.disabled_at,
                )
                .returning(w.c.id)
            ).scalar_one()
        )

    def webhooks(self, company_id: int) -> list[Webhook]:
        w = t.webhook
        return [
            _webhook(r) for r in self.conn.execute(sa.select(w).where(w.c.company_id == company_id).order_by(w.c.id))
        ]

    def active_webhooks(self) -> list[Webhook]:
        return [_webhook(r) for r in self.conn.execute(_active_webhooks_statement())]

    def advance_webhook(self, webhook_id: int, events_seen: int) -> None:
        w = t.webhook
        self.conn.execute(w.update().where(w.c.id == webhook_id).values(events_seen=events_seen))

    def disable_webhook(self, webhook_id: int, at: datetime) -> None:
        w = t.webhook
        self.conn.execute(w.update().where(w.c.id == webhook_id, w.c.disabled_at.is_(None)).values(disabled_at=at))

    def add_webhook_deliveries(self, deliveries: list[WebhookDelivery]) -> None:
        if not deliveries:
            return
        self.conn.execute(
            t.webhook_delivery.insert(),
            [
                {
                    "webhook_id": d.webhook_id,
                    "event_id": d.event_id,
                    "event": d.event,
                    "payload": d.payload,
                    "status": d.status,
                    "attempts": d.attempts,
                    "next_attempt_at": d.next_attempt_at,
                    "created_at": d.created_at,
                }
                for d in deliveries
            ],
        )

    def webhook_deliveries(self, company_id: int, *, webhook_id: int | None = None) -> list[WebhookDelivery]:
        d, w = t.webhook_delivery, t.webhook
        query = sa.select(d).join(w, w.c.id == d.c.webhook_id).where(w.c.company_id == company_id).order_by(d.c.id)
        if webhook_id is not None:
            query = query.where(d.c.webhook_id == webhook_id)
        return [_delivery(r) for r in self.conn.execute(query)]

    def due_webhook_deliveries(self, at: datetime, limit: int) -> list[tuple[WebhookDelivery, Webhook]]:
        d, w = t.webhook_delivery, t.webhook
        rows = self.conn.execute(
            sa.select(d, w.c.company_id, w.c.url, w.c.secret, w.c.events, w.c.created_at.label("w_created_at"))
            .join(w, w.c.id == d.c.webhook_id)
            .where(d.c.status == "pending", d.c.next_attempt_at <= at, w.c.disabled_at.is_(None))
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
        )
        return [
            (
                _delivery(r),
                Webhook(
                    company_id=r.company_id,
                    url=r.url,
                    secret=r.secret,
                    events=tuple(r.events.split()),
                    created_at=r.w_created_at,
                    id=r.webhook_id,
                ),
            )
            for r in rows
        ]

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
        d = t.webhook_delivery
        self.conn.execute(
            d.update()
            .where(d.c.id == delivery_id)
            .values(
                status=status,
                attempts=attempts,
                next_attempt_at=next_attempt_at,
                last_error=error[:1000] if error else None,
                delivered_at=delivered_at,
            )
        )

    # -- the portal's users --------------------------------------------------------------------------------------

    def add_user(self, user: User) -> int:
        u = t.portal_user
        values = {
            "email": user.email,
            "name": user.name,
            "password_hash": user.password_hash,
            "created_at": user.created_at,
            "created_by": user.created_by,
            "disabled_at": user.disabled_at,
        }
        return int(self.conn.execute(u.insert().values(**values).returning(u.c.id)).scalar_one())

    def user(self, user_id: int) -> User | None:
        found = self._users(t.portal_user.c.id == user_id)
        return found[0] if found else None

    def user_by_email(self, email: str) -> User | None:
        found = self._users(t.portal_user.c.email == email)
        return found[0] if found else None

    def users(self, company_id: int | None = None) -> list[User]:
        if company_id is None:
            return self._users(None)
        r = t.user_role
        holders = sa.select(r.c.user_id).where(r.c.company_id == company_id, r.c.revoked_at.is_(None))
        return self._users(t.portal_user.c.id.in_(holders))

    def _users(self, where: Any) -> list[User]:
        u, r = t.portal_user, t.user_role
        query = sa.select(u).order_by(u.c.id)
        if where is not None:
            query = query.where(where)
        rows = list(self.conn.execute(query))
        if not rows:
            return []
        roles: dict[int, list[UserRole]] = {row.id: [] for row in rows}
        held = self.conn.execute(
            sa.select(r).where(r.c.user_id.in_(list(roles)), r.c.revoked_at.is_(None)).order_by(r.c.id)
        )
        for g in held:
            roles[g.user_id].append(UserRole(Role(g.role), g.company_id, g.granted_at, g.granted_by, id=g.id))
        return [
            User(
                email=row.email,
                name=row.name,
                password_hash=row.password_hash,
                created_at=row.created_at,
                created_by=row.created_by,
                disabled_at=row.disabled_at,
                roles=tuple(roles[row.id]),
                id=row.id,
            )
            for row in rows
        ]

    def set_password(self, user_id: int, password_hash: str) -> None:
        u = t.portal_user
        self.conn.execute(u.update().where(u.c.id == user_id).values(password_hash=password_hash))

    def add_user_role(self, user_id: int, role: UserRole) -> None:
        self.conn.execute(
            t.user_role.insert().values(
                user_id=user_id,
                company_id=role.company_id,
                role=role.role.value,
                granted_at=role.granted_at,
                granted_by=role.granted_by,
            )
        )

    def revoke_user_role(self, user_id: int, company_id: int | None, at: datetime) -> int:
        r = t.user_role
        scope = r.c.company_id.is_(None) if company_id is None else r.c.company_id == company_id
        done = self.conn.execute(
            r.update().where(r.c.user_id == user_id, scope, r.c.revoked_at.is_(None)).values(revoked_at=at)
        )
        return int(done.rowcount)

    # -- the portal users' saved filters -------------------------------------------------------------------------

    def saved_filters(self, user_id: int, company_id: int) -> list[SavedFilter]:
        f = t.saved_filter
        rows = self.conn.execute(
            sa.select(f).where(f.c.user_id == user_id, f.c.company_id == company_id).order_by(f.c.name)
        )
        return [SavedFilter(r.user_id, r.company_id, r.name, r.query, r.created_at) for r in rows]

    def save_filter(self, saved: SavedFilter) -> None:
        self.delete_filter(saved.user_id, saved.company_id, saved.name)
        self.conn.execute(
            t.saved_filter.insert().values(
                user_id=saved.user_id,
                company_id=saved.company_id,
                name=saved.name,
                query=saved.query,
                created_at=saved.created_at,
            )
        )

    def delete_filter(self, user_id: int, company_id: int, name: str) -> int:
        f = t.saved_filter
        done = self.conn.execute(
            f.delete().where(f.c.user_id == user_id, f.c.company_id == company_id, f.c.name == name)
        )
        return int(done.rowcount)


def _key(r: Any) -> ApiKey:
    return ApiKey(
        prefix=r.prefix,
        secret_hash=r.secret_hash,
        name=r.name,
        role=Role(r.role),
        company_id=r.company_id,
        created_at=r.created_at,
        created_by=r.created_by,
        revoked_at=r.revoked_at,
        id=r.id,
    )


def _webhook(r: sa.Row[Any]) -> Webhook:
    return Webhook(
        company_id=r.company_id,
        url=r.url,
        secret=r.secret,
        events=tuple(r.events.split()),
        created_at=r.created_at,
        disabled_at=r.disabled_at,
        events_seen=r.events_seen,
        id=r.id,
    )


def _delivery(r: sa.Row[Any]) -> WebhookDelivery:
    return WebhookDelivery(
        webhook_id=r.webhook_id,
        event_id=r.event_id,
        event=r.event,
        payload=r.payload,
        status=r.status,
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        created_at=r.created_at,
        last_error=r.last_error,
        delivered_at=r.delivered_at,
        id=r.id,
    )


@cache
def _active_webhooks_statement() -> sa.Select[Any]:
    """:meth:`SqlAccess.active_webhooks`' query, made once: the relay asks it before every commit."""
    w = t.webhook
    return sa.select(w).where(w.c.disabled_at.is_(None)).order_by(w.c.id)
