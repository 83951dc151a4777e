"""The ``Idempotency-Key`` of a POST (:mod:`krav.services.idempotency`): the same key and body replay the first
response (with ``Idempotent-Replayed: true``), the same key with another body is refused (422), and a key whose
first request is still being worked on answers 409. A response of 500 or more is not kept, so the request can be
sent again.

A plain ASGI middleware: every request without the header passes straight through, untouched."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from krav.entrypoints.api.deps import now
from krav.entrypoints.api.problems import problem
from krav.services import idempotency
from krav.services.access import Unauthenticated
from krav.services.idempotency import Outcome

HEADER = b"idempotency-key"


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(HEADER)
        if raw is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        answer = await self._idempotent(request, raw.decode("latin-1"), scope, send)
        if answer is not None:
            await answer(scope, receive, send)

    async def _idempotent(self, request: Request, key: str, scope: Scope, send: Send) -> Response | None:
        if not 1 <= len(key) <= 200 or not key.isprintable():
            return problem(request, 422, "invalid_request", "Idempotency-Key: give 1 to 200 printable characters")
        app = request.app.state.krav
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else None
        body = await request.body()

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            who = await run_in_threadpool(request.app.state.verifier.principal, app.reader(), token)
        except Unauthenticated:
            await self.app(scope, replay_body, send)  # the route answers 401
            return None
        scope_key = f"company:{who.company_id}" if who.company_id is not None else f"key:{who.key_id}"
        fingerprint = hashlib.sha256(
            b"\n".join([request.method.encode(), request.url.path.encode(), request.url.query.encode(), body])
        ).hexdigest()
        begun = await run_in_threadpool(idempotency.begin, app.uow(), scope_key, key, fingerprint, now=now())
        if begun.outcome is Outcome.MISMATCH:
            return problem(request, 422, "idempotency_mismatch", "this Idempotency-Key was used with another request")
        if begun.outcome is Outcome.IN_FLIGHT:
            return problem(
                request,
                409,
                "idempotency_in_flight",
                "the first request with this Idempotency-Key is still being worked on; try again shortly",
                headers={"Retry-After": "1"},
            )
        if begun.outcome is Outcome.REPLAY:
            recorded = begun.recorded
            assert recorded is not None
            assert recorded.status_code is not None
            return Response(
                recorded.body or b"",
                status_code=recorded.status_code,
                media_type=recorded.media_type,
                headers={"Idempotent-Replayed": "true"},
            )
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay_body, keep)
        except BaseException:
            await run_in_threadpool(idempotency.forget, app.uow(), scope_key, key)
            raise
        status = int(started.get("status", 500))
        headers = [(k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"]
        content = b"".join(chunks)
        media_type = next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), "application/json")
        if status >= 500:
            await run_in_threadpool(idempotency.forget, app.uow(), scope_key, key)
        else:
            await run_in_threadpool(
                idempotency.finish, app.uow(), scope_key, key, status_code=status, body=content, media_type=media_type
            )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": content, "more_body": False})
        return None
