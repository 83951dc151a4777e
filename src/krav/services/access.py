"""API keys (DOMAIN.md section 10): made, shown once and stored hashed; scoped to one company and a role, or to a
role of the service; revoked, after which they are refused on their next request.

A key reads ``krav_<prefix>_<secret>``: the prefix finds the stored key, the secret is checked against its argon2
hash. Checking argon2 on every request would cost more than the request itself, so :class:`KeyVerifier` keeps
the keys it has checked (by a SHA-256 of the whole key) and reads only the key's row on later requests — which
is also how a revoked key is refused at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from krav.domain.access import ApiKey, Principal, Role, role_scope_problem
from krav.domain.errors import FieldError, NotFound
from krav.services.ports import SecretHasher, UnitOfWork

_KEY = re.compile(r"^krav_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,100})$")


class Unauthenticated(Exception):
    """No key, a malformed key, an unknown key, a wrong secret or a revoked key: the request is refused whole
    (the face answers 401 and never says which)."""


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: the only time its secret is seen."""

    key: ApiKey
    token: str


def create_key(
    uow: UnitOfWork,
    hasher: SecretHasher,
    *,
    name: str,
    role: Role,
    orgno: str | None,
    by: str,
    now: datetime,
) -> NewKey:
    """Make a key of ``role`` for the company ``orgno`` (None for a role of the service); the token is returned
    once and only its hash is stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise FieldError("name", "give the key a name of 1 to 100 characters (who or what uses it)")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with uow:
        company_id = uow.companies.get(orgno).id if orgno is not None else None
        problem = role_scope_problem(role, company_id)
        if problem is not None:
            raise FieldError("company", problem)
        key = ApiKey(prefix, hasher.hash(secret), name, role, company_id, now, by)
        key_id = uow.access.add_key(key)
        uow.commit()
    stored = ApiKey(prefix, key.secret_hash, name, role, company_id, now, by, id=key_id)
    return NewKey(stored, f"krav_{prefix}_{secret}")


def keys(uow: UnitOfWork, orgno: str | None = None) -> list[ApiKey]:
    """The keys of one company, or every key (the service's too)."""
    with uow:
        company_id = uow.companies.get(orgno).id if orgno is not None else None
        return uow.access.keys(company_id)


def revoke_key(uow: UnitOfWork, key_id: int, *, now: datetime, company_id: int | None = None) -> ApiKey:
    """Revoke key ``key_id`` (only among ``company_id``'s keys when given); it is refused on its next request."""
    with uow:
        key = uow.access.key(key_id)
        if key is None or (company_id is not None and key.company_id != company_id):
            raise NotFound(f"no API key {key_id}")
        uow.access.revoke_key(key_id, now)
        revoked = uow.access.key(key_id)
        uow.commit()
    assert revoked is not None
    return revoked


class KeyVerifier:
    """Checks presented keys: argon2 the first time a key is seen by this process, its stored row every time."""

    def __init__(self, hasher: SecretHasher, *, remember: int = 10_000) -> None:
        self.hasher = hasher
        self.remember = remember
        self._checked: OrderedDict[bytes, int] = OrderedDict()

    def principal(self, uow: UnitOfWork, token: str | None) -> Principal:
        """Who ``token`` is, or :class:`Unauthenticated`."""
        key, digest, secret = self._stored(uow, token)
        assert key.id is not None  # a stored key has its id
        if self._checked.get(digest) != key.id:
            if not self.hasher.verify(key.secret_hash, secret):
                raise Unauthenticated("wrong secret")
            self._checked[digest] = key.id
            while len(self._checked) > self.remember:
                self._checked.popitem(last=False)
        return key.principal()

    def known_principal(self, uow: UnitOfWork, token: str | None) -> Principal | None:
        """Who ``token`` is if this process has checked its secret before (its stored row is read every time, so
        a revoked key is refused on its next request); None: the secret is still to be checked (argon2, tens of
        milliseconds: :meth:`principal`). :class:`Unauthenticated` for a token that cannot be a valid key."""
        key, digest, _ = self._stored(uow, token)
        return key.principal() if self._checked.get(digest) == key.id else None

    def _stored(self, uow: UnitOfWork, token: str | None) -> tuple[ApiKey, bytes, str]:
        """The active key ``token`` names, the token's digest and its secret."""
        if not token:
            raise Unauthenticated("no API key")
        m = _KEY.match(token.strip())
        if m is None:
            raise Unauthenticated("not a Krav API key")
        prefix, secret = m.groups()
        with uow:
            key = uow.access.key_by_prefix(prefix)
        if key is None or not key.active or key.id is None:
            raise Unauthenticated("unknown or revoked key")
        return key, hashlib.sha256(token.strip().encode()).digest(), secret
