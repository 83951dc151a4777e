"""Users and API clients of the company (:mod:`krav.services.users`, :mod:`krav.services.access`, DOMAIN.md
section 10): who holds which role, a role granted or revoked; the API keys, made (the key is shown once, never
again: only its hash is stored) and revoked.

Every user of the company may see who has access; only a creditor admin may change it (403 otherwise, and the
forms are not shown)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from krav.domain.access import Permission, Role, parse_role
from krav.domain.errors import InputError, NotFound
from krav.entrypoints.portal.web import Admin, Form, Reader, Tenant, render
from krav.entrypoints.portal.words import ROLES
from krav.services import access, users

router = APIRouter()

#: the roles a creditor admin gives in the company: to a person, and to an API key
USER_ROLES = (Role.VIEWER, Role.CREDITOR_USER, Role.CREDITOR_ADMIN)
KEY_ROLES = (Role.VIEWER, Role.CREDITOR_USER, Role.INTEGRATION, Role.CREDITOR_ADMIN)


def _page(
    tenant: Tenant,
    *,
    note: str | None = None,
    error: str | None = None,
    token: str | None = None,
    status: int = 200,
) -> Response:
    reader = tenant.krav.reader()
    people = users.users(reader, tenant.orgno)
    return render(
        tenant.visit,
        "access.html",
        status=status,
        tenant=tenant,
        people=[(u, u.role_in(tenant.company_id)) for u in people],
        keys=access.keys(reader, tenant.orgno),
        roles=ROLES,
        user_roles=USER_ROLES,
        key_roles=KEY_ROLES,
        may_change=tenant.who.may(Permission.ADMIN),
        note=note,
        error=error,
        token=token,
    )


def _role(value: str | None, allowed: tuple[Role, ...]) -> Role:
    role = parse_role(value or "")
    if role not in allowed:
        raise InputError(f"role: {role.value} is not given here ({', '.join(r.value for r in allowed)})")
    return role


@router.get("/c/{orgno}/settings/access")
def access_page(tenant: Reader) -> Response:
    return _page(tenant)


@router.post("/c/{orgno}/settings/access/{what}")
def change_access(what: str, tenant: Admin, fields: Form) -> Response:
    """``grant`` a user a role in the company, ``revoke`` a user's role here, make a ``key`` (shown once) or
    ``unkey`` (revoke) one of the company's keys; what was wrong is shown beside the forms, and nothing changes."""
    now = datetime.now(UTC)
    app, by = tenant.krav, tenant.who.actor
    try:
        if what == "grant":
            role = _role(fields.get("role"), USER_ROLES)
            users.grant(app.uow(), fields.get("email", ""), role, tenant.orgno, by=by, now=now)
        elif what == "revoke":
            users.revoke(app.uow(), fields.get("email", ""), tenant.orgno, now=now)
        elif what == "key":
            role = _role(fields.get("role"), KEY_ROLES)
            made = access.create_key(
                app.uow(), app.hasher, name=fields.get("name", ""), role=role, orgno=tenant.orgno, by=by, now=now
            )
            return _page(tenant, note=tenant.visit.t("saved"), token=made.token)
        elif what == "unkey":
            key_id = fields.get("key", "")
            if not key_id.isdigit():
                raise InputError(f"key: {key_id!r} is not a key's id")
            access.revoke_key(app.uow(), int(key_id), now=now, company_id=tenant.company_id)
        else:
            raise NotFound(f"no such change {what!r}")
    except InputError as error:
        return _page(tenant, error=str(error), status=422)
    except NotFound as missing:  # an e-mail of no user, or of no role here: said beside the forms
        if what not in ("grant", "revoke"):
            raise  # a key not the company's: 404, as for any other company's id
        return _page(tenant, error=str(missing), status=422)
    return _page(tenant, note=tenant.visit.t("saved"))
