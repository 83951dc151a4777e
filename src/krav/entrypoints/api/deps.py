"""What every route depends on: the wired app, who the request acts as, the company it acts on (never another
tenant's), and the business date."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from krav.bootstrap import App
from krav.domain.access import Permission, Principal
from krav.domain.errors import NotFound
from krav.domain.party import Company
from krav.entrypoints.api.problems import ApiProblem
from krav.entrypoints.clock import oslo_today
from krav.services import queries
from krav.services.access import KeyVerifier, Unauthenticated
from krav.services.ports import UnitOfWork

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer krav_…`")
#: the name of :data:`bearer`'s security scheme in the OpenAPI document
BEARER_SCHEME = "HTTPBearer"


async def krav(request: Request) -> App:
    app: App = request.app.state.krav
    return app


def verifier(request: Request) -> KeyVerifier:
    found: KeyVerifier = request.app.state.verifier
    return found


Krav = Annotated[App, Depends(krav)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def principal(request: Request, credentials: Credentials) -> Principal:
    """Who the request acts as (the dependency; see :func:`principal_on`)."""
    return await principal_on(request, credentials, None)


async def principal_on(
    request: Request, credentials: HTTPAuthorizationCredentials | None, glance: UnitOfWork | None
) -> Principal:
    """Who the request acts as; 401 for a missing, unknown, wrong or revoked key (never which). The key's row is
    read on the event loop (one read by index); only a secret this process has not checked yet goes to the thread
    pool (argon2 takes tens of milliseconds)."""
    token = credentials.credentials if credentials is not None else None
    app: App = request.app.state.krav  # (not a dependency of its own: each costs FastAPI work on every request)
    check = verifier(request)
    try:
        known = check.known_principal(glance or app.glance(), token)
        return known if known is not None else await run_in_threadpool(check.principal, app.reader(), token)
    except Unauthenticated:
        raise ApiProblem(
            401,
            "unauthenticated",
            "give a valid API key: Authorization: Bearer krav_…",
            headers={"WWW-Authenticate": 'Bearer realm="krav"'},
        ) from None


Who = Annotated[Principal, Depends(principal)]


def require(who: Principal, permission: Permission) -> None:
    if not who.may(permission):
        raise ApiProblem(403, "forbidden", f"a {who.role.value} may not do this ({permission.value})")


class Tenant:
    """The company a request acts on, visible to the principal, and who acts. The company's row is read when a
    route first asks for it (most need only its id)."""

    __slots__ = ("_company", "app", "company_id", "orgno", "who")

    def __init__(self, app: App, orgno: str, company_id: int, who: Principal) -> None:
        self.app = app
        self._company: Company | None = None
        self.orgno = orgno
        self.company_id = company_id
        self.who = who

    @property
    def company(self) -> Company:
        if self._company is None:
            found = queries.company(self.app.glance(), self.orgno)
            if found is None:
                raise NotFound(f"no company {self.orgno}")
            self._company = found
        return self._company


OrgnoPath = Annotated[
    str, Path(description="The creditor's organisation number (9 digits).", pattern=r"^\d{9}$", examples=["974760673"])
]


async def tenant(
    request: Request,
    orgno: str,
    credentials: HTTPAuthorizationCredentials | None,
    permission: Permission,
    glance: UnitOfWork | None = None,
) -> Tenant:
    """The company ``orgno``, if the request's principal sees it (else 404, as for a company that does not exist —
    another tenant's data is never confirmed), and if its role may do ``permission`` (else 403). The dependency
    :func:`tenant_for` calls it; a route read most often calls it itself (a dependency costs FastAPI's dependency
    solving on every request). ``glance``: an open glance to read on (the request's one connection)."""
    who = await principal_on(request, credentials, glance)
    app: App = request.app.state.krav
    # companies' ids by organisation number as this server has read them: an id never changes and no company is
    # ever deleted, so each is read once (its row when a route needs more than its id: Tenant.company)
    known: dict[str, int] = request.app.state.company_ids
    company_id = known.get(orgno)
    if company_id is None:
        company = queries.company(glance or app.glance(), orgno)  # one read by index, on the event loop
        if company is None or company.id is None:
            raise NotFound(f"no company {orgno}")
        company_id = known[orgno] = company.id
    if not who.sees(company_id):
        raise NotFound(f"no company {orgno}")
    require(who, permission)
    return Tenant(app, orgno, company_id, who)


def tenant_for(permission: Permission) -> Any:
    """A dependency: :func:`tenant` for ``permission``."""

    async def dependency(request: Request, orgno: OrgnoPath, credentials: Credentials) -> Tenant:
        return await tenant(request, orgno, credentials, permission)

    return Depends(dependency)


Reader = Annotated[Tenant, tenant_for(Permission.READ)]
LedgerWriter = Annotated[Tenant, tenant_for(Permission.LEDGER)]
Collector = Annotated[Tenant, tenant_for(Permission.COLLECT)]
Admin = Annotated[Tenant, tenant_for(Permission.ADMIN)]
CaseHandler = Annotated[Tenant, tenant_for(Permission.CASE)]

OnQuery = Annotated[
    date | None, Query(alias="on", description="The business date (ISO 8601); today in Europe/Oslo if left out.")
]


def business_date(on: date | None) -> date:
    """The business date given, or today in Europe/Oslo (R-TIME-1: the clock is read only in the faces)."""
    return on if on is not None else oslo_today()


def now() -> datetime:
    return datetime.now(ZoneInfo("UTC"))


def etag(body: BaseModel) -> str:
    """A strong ETag of a resource as answered: the SHA-256 of its JSON."""
    return '"' + hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:32] + '"'


def check_if_match(request: Request, current: BaseModel) -> None:
    """A change sent with ``If-Match`` is refused (412) unless the resource is still as the sender read it."""
    wanted = request.headers.get("if-match")
    if wanted is None or wanted.strip() == "*":
        return
    if etag(current) not in {tag.strip() for tag in wanted.split(",")}:
        raise ApiProblem(412, "precondition_failed", "the resource changed since you read it; read it again")
