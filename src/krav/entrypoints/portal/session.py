"""The portal's session: a cookie signed with HMAC-SHA256 that holds the user's id, the CSRF token of its forms and
when it was last used; nothing else, and never a password.

The cookie is ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` when the portal is served over https. A session
unused for :data:`IDLE` ends by itself; log-out ends it at once. Every POST carries the session's CSRF token
(a hidden field in forms, the ``X-CSRF-Token`` header from htmx) or is refused. The signing key is made once per
Krav home (``portal.key``, readable by its owner only); every worker of one server reads the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, replace
from pathlib import Path

COOKIE = "krav_session"
#: a session unused for this long (seconds) ends by itself
IDLE = 30 * 60
#: a session's cookie is written again when it was last written longer ago than this (seconds)
REFRESH = 60


@dataclass(frozen=True, slots=True)
class Session:
    """Who is logged in (None before log-in), the CSRF token of the forms, and when the session was last used."""

    user_id: int | None
    csrf: str
    seen: float

    @classmethod
    def fresh(cls, user_id: int | None = None) -> Session:
        return cls(user_id, secrets.token_urlsafe(24), time.time())

    def touched(self) -> Session:
        return replace(self, seen=time.time())

    @property
    def idle(self) -> bool:
        return time.time() - self.seen > IDLE

    def csrf_matches(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(self.csrf.encode(), token.encode())


class Signer:
    """Signs the session into a cookie's value and reads it back; a value not signed with the key reads as None."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    @classmethod
    def for_home(cls, home: Path) -> Signer:
        """The signer with the key kept in ``home`` (made on first use)."""
        path = home / "portal.key"
        if not path.exists():
            home.mkdir(parents=True, exist_ok=True)
            try:  # made readable by its owner only from the start; a worker that made it first wins
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="ascii") as key:
                    key.write(secrets.token_hex(32))
        return cls(bytes.fromhex(path.read_text(encoding="ascii").strip()))

    def _mac(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def dumps(self, session: Session) -> str:
        body = json.dumps({"u": session.user_id, "c": session.csrf, "s": int(session.seen)}, separators=(",", ":"))
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload.encode())}"

    def loads(self, value: str | None) -> Session | None:
        if not value or "." not in value:
            return None
        payload, mac = value.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(payload.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            user_id, csrf, seen = data["u"], data["c"], data["s"]
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(csrf, str) or not isinstance(seen, int) or not (user_id is None or isinstance(user_id, int)):
            return None
        return Session(user_id, csrf, float(seen))
