"""The creditor portal (Kreditorweb): server-rendered pages (Jinja2, with htmx served from the portal itself, so
it works offline) at ``/``, served by the API's application and calling the same use cases and queries, so its
numbers are the API's. bokmål first, English switchable; amounts ``12 345,50 kr``, dates ``dd.mm.åååå``.

A person logs in with an e-mail and a password (``krav users``) and sees the companies where the user holds a
role; another company's pages and files answer 404, as the API does. Sessions are signed cookies
(:mod:`krav.entrypoints.portal.session`); every POST carries the session's CSRF token. docs/portal.md has the
pages.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from krav.bootstrap import App
from krav.domain.errors import KravError
from krav.entrypoints.api.problems import status_of
from krav.entrypoints.portal import (
    routes_access,
    routes_auth,
    routes_claims,
    routes_customers,
    routes_dashboard,
    routes_filters,
    routes_lists,
    routes_proposal,
    routes_reports,
    routes_settings,
    routes_settlements,
)
from krav.entrypoints.portal.session import COOKIE, IDLE, Signer
from krav.entrypoints.portal.web import (
    HERE,
    LoginNeeded,
    Portal,
    PortalRefusal,
    environment,
    language,
    login_url,
    portal_of,
    redirect,
)
from krav.entrypoints.portal.words import text

__all__ = ["install"]

#: the paths that are the API's, not the portal's
API = "/api/"

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "Cache-Control": "no-store",
}


def install(api: FastAPI, krav: App) -> None:
    """Serve the portal at ``/`` from ``api`` (the API stays at ``/api/v1``)."""
    api.state.portal = Portal(Signer.for_home(krav.settings.home), environment())
    api.mount("/static", StaticFiles(directory=HERE / "static"), name="portal-static")
    for module in (
        routes_auth,
        routes_dashboard,
        routes_proposal,
        routes_customers,
        routes_filters,
        routes_claims,
        routes_lists,
        routes_settlements,
        routes_reports,
        routes_settings,
        routes_access,
    ):
        api.include_router(module.router, include_in_schema=False)
    _answer_errors_as_pages(api)

    api.add_middleware(SessionCookie, signer=api.state.portal.signer)


class SessionCookie:
    """Writes the session a portal page used back into its cookie, and the portal's security headers, as the
    response starts. A pure ASGI middleware: the API's paths pass through untouched, at no cost."""

    def __init__(self, app: ASGIApp, signer: Signer) -> None:
        self.app = app
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope["path"]).startswith(API):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # where the page's ``request.state`` keeps the session
        secure = scope.get("scheme") == "https"

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                session = state.get("portal_session")
                if session is not None:
                    cookie = Response()
                    cookie.set_cookie(
                        COOKIE, self.signer.dumps(session), max_age=IDLE, httponly=True, samesite="lax", secure=secure
                    )
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                for name, value in _HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_session)


def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    lang = language(request)
    html = (
        portal_of(request)
        .env.get_template("error.html")
        .render(lang=lang, t=lambda key: text(key, lang), status=status, title=title, detail=detail)
    )
    return Response(html, status_code=status, media_type="text/html; charset=utf-8")


async def _delegate(handler: Callable[..., Any], request: Request, exc: Exception) -> Response:
    """The API's own answer to an error on one of its paths."""
    answer = handler(request, exc)
    if inspect.isawaitable(answer):
        answer = await answer
    assert isinstance(answer, Response)
    return answer


def _answer_errors_as_pages(api: FastAPI) -> None:
    """The portal's errors as pages; the API's stay problem details (its handlers answer them)."""
    krav_error = api.exception_handlers[KravError]
    http_error = api.exception_handlers[StarletteHTTPException]

    async def on_krav_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(API):
            return await _delegate(krav_error, request, exc)
        assert isinstance(exc, KravError)
        status = status_of(exc)
        lang = language(request)
        title = text("not found" if status == 404 else "error", lang)
        detail = text("not found text", lang) if status == 404 else str(exc)
        return _error_page(request, status, title, detail)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(API):
            return await _delegate(http_error, request, exc)
        assert isinstance(exc, StarletteHTTPException)
        lang = language(request)
        if exc.status_code == 404:
            return _error_page(request, 404, text("not found", lang), text("not found text", lang))
        return _error_page(request, exc.status_code, text("error", lang), str(exc.detail))

    async def on_login_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginNeeded)
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": login_url(exc.after, expired=exc.expired)})
        return redirect(login_url(exc.after, expired=exc.expired))

    async def on_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalRefusal)
        lang = language(request)
        return _error_page(request, exc.status, text("error", lang), text(exc.word, lang))

    api.add_exception_handler(KravError, on_krav_error)
    api.add_exception_handler(StarletteHTTPException, on_http_error)
    api.add_exception_handler(LoginNeeded, on_login_needed)
    api.add_exception_handler(PortalRefusal, on_refusal)
