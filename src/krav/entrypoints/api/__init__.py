"""The REST API under ``/api/v1`` (FastAPI): the same use cases and queries as the CLI, for an ERP that keeps its
books elsewhere and for the service's own tools. OpenAPI at ``/api/v1/openapi.json``, its docs at
``/api/v1/docs``; ``krav serve`` runs it, with the creditor portal at ``/`` (:mod:`krav.entrypoints.portal`).

Every request carries an API key (``Authorization: Bearer krav_…``); a creditor's key sees its one company and
nothing of any other (another tenant's company answers 404, as one that does not exist). Errors are RFC 9457
problem details; money is a decimal string; dates are ISO 8601; ``Idempotency-Key`` is honoured on every POST.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from krav import __version__
from krav.bootstrap import App, bootstrap
from krav.entrypoints import portal
from krav.entrypoints.api import problems, routes_claims, routes_companies, routes_ledger, routes_service, schemas
from krav.entrypoints.api.idempotency import IdempotencyMiddleware
from krav.services import webhooks
from krav.services.access import KeyVerifier
from krav.services.ports import freeze_for_life, lasting_collector

PREFIX = "/api/v1"
#: how often the server posts the webhook deliveries that are due, in seconds
WEBHOOK_INTERVAL = 5.0

log = logging.getLogger("krav.api")


def _delivering(krav: App, interval: float) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                try:
                    await run_in_threadpool(webhooks.deliver, krav.uow(), krav.webhook_sender, now=datetime.now(UTC))
                except Exception:  # the next round tries again; the server stays up
                    log.exception("webhook delivery failed")
                await asyncio.sleep(interval)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()

    return lifespan


def create_app(krav: App | None = None, *, deliver_webhooks: bool = True) -> FastAPI:
    """The API over ``krav`` (default: Krav on the configured database). While it serves, it posts the webhook
    deliveries that are due every few seconds (``deliver_webhooks=False``: it leaves them to
    ``krav webhooks deliver``)."""
    krav = krav or bootstrap()
    api = FastAPI(
        lifespan=_delivering(krav, WEBHOOK_INTERVAL) if deliver_webhooks else None,
        title="Krav",
        version=__version__,
        summary="Norwegian debt collection from the ledger to inkasso and back.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
    )
    api.state.krav = krav
    api.state.verifier = KeyVerifier(krav.hasher)
    api.state.company_ids = {}  # deps.tenant_for
    problems.install(api)
    api.add_middleware(IdempotencyMiddleware)
    problems_answered = schemas.problem_responses(400, 401, 403, 404, 409, 422, 503)
    # the claims first: a request is matched against the routes in order, and a claim's page is read the most; each
    # router included in the app itself (a router within a router is matched level by level, on every request)
    for module in (routes_claims, routes_companies, routes_ledger, routes_service):
        api.include_router(module.router, prefix=PREFIX, responses=problems_answered)
    _document_problems(api)
    portal.install(api, krav)
    return api


def serve_app() -> FastAPI:
    """The application ``krav serve`` runs: :func:`create_app`, and what was made to serve it (modules, routes,
    templates, which live as long as the server) kept out of the garbage collector's rounds, which would otherwise
    walk it all again and again while requests wait."""
    api = create_app()
    freeze_for_life()
    lasting_collector()  # `krav serve` starts as a command: its collector as Python sets it
    return api


def _document_problems(api: FastAPI) -> None:
    """Add the problem details' schema to the OpenAPI document, which every operation's error answers name."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            document = build()
            found = schemas.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(found.pop("$defs", {}))
            components["Problem"] = found
            api.openapi_schema = document
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
