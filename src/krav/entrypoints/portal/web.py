"""What every page of the portal stands on: the visit (session, user, language), the company a page acts on
(never another tenant's: 404, as the API answers), the checked form of a POST, and the rendering of a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from krav.bootstrap import App
from krav.domain.access import Permission, Principal, User
from krav.domain.errors import NotFound
from krav.domain.party import Company
from krav.entrypoints import labels
from krav.entrypoints.clock import oslo_moment, oslo_today
from krav.entrypoints.labels import Lang
from krav.entrypoints.portal import formats, words
from krav.entrypoints.portal.session import Session, Signer
from krav.services import queries, users

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "krav_lang"
#: the largest form body the portal reads (bytes)
MAX_FORM = 64 * 1024


class LoginNeeded(Exception):
    """The page needs a logged-in user: the face sends the browser to the log-in page."""

    def __init__(self, after: str, expired: bool = False) -> None:
        super().__init__(after)
        self.after = after
        self.expired = expired


class PortalRefusal(Exception):
    """A request the portal refuses with a status and one of its words (a stale form, a role that may not)."""

    def __init__(self, status: int, word: str) -> None:
        super().__init__(word)
        self.status = status
        self.word = word


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        kr=formats.kr,
        number=formats.number,
        day=formats.day,
        moment=oslo_moment,
        percent=formats.percent,
        tenths=formats.tenths,
        month=formats.month,
    )
    env.globals.update(labels=labels)
    return env


@dataclass
class Portal:
    """The portal's parts, kept on the application's state."""

    signer: Signer
    env: jinja2.Environment


def portal_of(request: Request) -> Portal:
    found: Portal = request.app.state.portal
    return found


def language(request: Request) -> Lang:
    """The language of the pages: bokmål unless the visitor switched to English."""
    return Lang.EN if request.cookies.get(LANG_COOKIE) == "en" else Lang.NB


@dataclass
class Visit:
    """One request of the portal: Krav, the session, the user logged in (if any) and the language."""

    request: Request
    krav: App
    session: Session
    user: User | None
    lang: Lang
    expired: bool = False

    def t(self, key: str) -> str:
        return words.text(key, self.lang)

    def keep(self, session: Session) -> None:
        """Write ``session`` into the response's cookie (a new one at log-in and log-out)."""
        self.session = session
        self.request.state.portal_session = session


async def visit(request: Request) -> Visit:
    """The visit: a signed, unexpired session (else a new one, with no user) and its user as stored now (a user
    disabled, or deleted, is logged out at once)."""
    krav: App = request.app.state.krav
    portal = portal_of(request)
    found = portal.signer.loads(request.cookies.get("krav_session"))
    expired = found is not None and found.user_id is not None and found.idle
    session = Session.fresh() if found is None or found.idle else found.touched()
    user = None
    if session.user_id is not None:
        user = await run_in_threadpool(users.user, krav.reader(), session.user_id)
        if user is None or not user.active:
            session, user = Session.fresh(), None
    request.state.portal_session = session
    return Visit(request, krav, session, user, language(request), expired)


Visiting = Annotated[Visit, Depends(visit)]


async def signed_in(v: Visiting) -> Visit:
    """The visit of a logged-in user; otherwise to the log-in page, and back here after it."""
    if v.user is None:
        path = v.request.url.path
        query = v.request.url.query
        raise LoginNeeded(path + (f"?{query}" if query else ""), expired=v.expired)
    return v


SignedIn = Annotated[Visit, Depends(signed_in)]


class Fields(dict[str, str]):
    """A form's fields: the last value of each name, and :meth:`every` value of a name given several times."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__(pairs)
        self.pairs = pairs

    def every(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]


async def form(request: Request, v: Visiting) -> Fields:
    """The fields of a POST's form, once its CSRF token (the hidden field, or htmx's ``X-CSRF-Token``) is the
    session's; else 403."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise PortalRefusal(413, "error")
    fields = Fields(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    token = fields.get("csrf") or request.headers.get("x-csrf-token")
    if not v.session.csrf_matches(token):
        raise PortalRefusal(403, "csrf")
    return fields


Form = Annotated[Fields, Depends(form)]


@dataclass(frozen=True)
class Tenant:
    """The company a page acts on, who acts in it, and the visit."""

    visit: Visit
    company: Company
    company_id: int
    who: Principal

    @property
    def orgno(self) -> str:
        return self.company.orgno

    @property
    def krav(self) -> App:
        return self.visit.krav


def tenant_for(permission: Permission) -> Any:
    """A dependency: the company of the path, if the user holds a role there (else 404, as for a company that
    does not exist), and if that role may do ``permission`` (else 403)."""

    async def dependency(orgno: str, v: SignedIn) -> Tenant:
        company = await run_in_threadpool(queries.company, v.krav.reader(), orgno)
        assert v.user is not None
        who = v.user.principal(company.id) if company is not None and company.id is not None else None
        if company is None or company.id is None or who is None:
            raise NotFound(f"no company {orgno}")
        if not who.may(permission):
            raise PortalRefusal(403, "forbidden")
        return Tenant(v, company, company.id, who)

    return Depends(dependency)


Reader = Annotated[Tenant, tenant_for(Permission.READ)]
Collector = Annotated[Tenant, tenant_for(Permission.COLLECT)]
LedgerWriter = Annotated[Tenant, tenant_for(Permission.LEDGER)]
Admin = Annotated[Tenant, tenant_for(Permission.ADMIN)]
CaseHandler = Annotated[Tenant, tenant_for(Permission.CASE)]


def today() -> date:
    """The business date: today in Europe/Oslo."""
    return oslo_today()


def companies_of(v: Visit) -> list[Company]:
    """The companies the user holds a role in."""
    if v.user is None:
        return []
    user = v.user
    return [c for c in queries.companies(v.krav.reader()) if c.id is not None and user.principal(c.id) is not None]


def render(
    visit: Visit, template: str, *, status: int = 200, tenant: Tenant | None = None, **context: Any
) -> HTMLResponse:
    """The page ``template`` in the visit's language, with what every page shows (the user, the company, the
    CSRF token of its forms)."""
    v = visit
    env = portal_of(v.request).env
    common = {
        "lang": v.lang,
        "t": v.t,
        "t_named": lambda found, code: words.named(found, code, v.lang),
        "user": v.user,
        "csrf": v.session.csrf,
        "path": v.request.url.path + (f"?{v.request.url.query}" if v.request.url.query else ""),
        "tenant": tenant,
        "company": tenant.company if tenant else None,
        "base": f"/c/{tenant.orgno}" if tenant else "",
        "partial": v.request.headers.get("hx-request") == "true",
    }
    html = env.get_template(template).render(**common, **context)
    return HTMLResponse(html, status_code=status)


def redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after log-in or a language switch: a path of this site only (never another site's)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def login_url(after: str, *, expired: bool = False) -> str:
    return f"/login?next={quote(after, safe='')}" + ("&expired=1" if expired else "")
