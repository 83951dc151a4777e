"""Saved filters of the claims list (:mod:`krav.services.users`): a user keeps the list's choice (stage, search,
amounts, dates) under a name, per company, and opens it again from the list; each user's own."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from krav.domain.errors import InputError
from krav.entrypoints.portal.routes_claims import Filters
from krav.entrypoints.portal.web import Form, Reader, Tenant, redirect
from krav.services import users

router = APIRouter()


def _user_id(tenant: Tenant) -> int:
    user = tenant.visit.user
    assert user is not None  # a tenant's visit is a logged-in user's
    assert user.id is not None
    return user.id


@router.post("/c/{orgno}/claims/filters")
def save(tenant: Reader, fields: Form) -> Response:
    """Keep the list's filters as given (read as the list reads them) under the name typed; back to the list."""
    chosen = Filters(
        stage=fields.get("stage", ""),
        q=fields.get("q", ""),
        closed=fields.get("closed") == "true",
        owed_from=fields.get("owed_from", ""),
        due_from=fields.get("due_from", ""),
        due_to=fields.get("due_to", ""),
    )
    users.save_filter(
        tenant.krav.uow(), _user_id(tenant), tenant.orgno, fields.get("name", ""), chosen.query(), now=datetime.now(UTC)
    )
    return redirect(f"/c/{tenant.orgno}/claims?{chosen.query()}")


@router.post("/c/{orgno}/claims/filters/delete")
def delete(tenant: Reader, fields: Form) -> Response:
    name = fields.get("name", "")
    if not name:
        raise InputError("name: say which saved filter to delete")
    users.delete_filter(tenant.krav.uow(), _user_id(tenant), tenant.orgno, name)
    return redirect(f"/c/{tenant.orgno}/claims")
