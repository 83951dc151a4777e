"""Idempotency keys: a request that moves money, submits items or sends letters may carry an
``Idempotency-Key``; the same key with the same request replays the first response, with another request it is
refused, and while the first is still being worked on the second is told so. Keys are per company (per key for
the service's own roles) and kept at least 24 hours."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from krav.services.ports import IdempotentRequest, UnitOfWork

#: how long a key is kept (the API promises at least 24 hours)
KEPT = timedelta(hours=48)
#: a first request still "in flight" after this long was lost with its process: the next one takes its place
ABANDONED = timedelta(minutes=10)


class Outcome(enum.Enum):
    FIRST = "first"  # go on: the request is recorded as in flight
    REPLAY = "replay"  # answer with the recorded response
    IN_FLIGHT = "in_flight"  # the first request with this key is not done yet
    MISMATCH = "mismatch"  # the key was used with another request


@dataclass(frozen=True, slots=True)
class Begun:
    outcome: Outcome
    recorded: IdempotentRequest | None = None


def begin(uow: UnitOfWork, scope: str, key: str, fingerprint: str, *, now: datetime) -> Begun:
    """Record the request as in flight, or say what was recorded under the key before."""
    with uow:
        uow.access.expire_idempotent(now - KEPT)
        first = uow.access.begin_idempotent(IdempotentRequest(scope, key, fingerprint, now))
        recorded = None if first else uow.access.idempotent(scope, key)
        uow.commit()
    if first or recorded is None:
        return Begun(Outcome.FIRST)
    if recorded.fingerprint != fingerprint:
        return Begun(Outcome.MISMATCH, recorded)
    if recorded.status_code is None:
        if now - recorded.created_at > ABANDONED:
            with uow:
                uow.access.forget_idempotent(scope, key)
                uow.access.begin_idempotent(IdempotentRequest(scope, key, fingerprint, now))
                uow.commit()
            return Begun(Outcome.FIRST)
        return Begun(Outcome.IN_FLIGHT, recorded)
    return Begun(Outcome.REPLAY, recorded)


def finish(uow: UnitOfWork, scope: str, key: str, *, status_code: int, body: bytes, media_type: str) -> None:
    """Keep the response to replay."""
    with uow:
        uow.access.finish_idempotent(scope, key, status_code, body, media_type)
        uow.commit()


def forget(uow: UnitOfWork, scope: str, key: str) -> None:
    """Forget the key of a request that failed on the server's side, so that it can be sent again."""
    with uow:
        uow.access.forget_idempotent(scope, key)
        uow.commit()
