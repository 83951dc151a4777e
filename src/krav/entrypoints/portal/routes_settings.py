"""Agreement and settings (:mod:`krav.services.agreements`, R-AGR-1, R-AGR-2, DOMAIN.md section 10): the
collection agreement with its history, changed field by field; the activation wizard with the terms and the rates
of the day; the voucher types with what each means to collection, and the chart of accounts.

Every user of the company may read them; only a creditor admin may change them (403 otherwise, and the forms are
not shown)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from krav.domain.access import Permission
from krav.domain.agreement import field_values
from krav.domain.errors import InputError
from krav.domain.ledger.voucher_types import CollectionVoucherType, VoucherType
from krav.entrypoints.cli.terms import terms_lines
from krav.entrypoints.portal.web import Admin, Form, Reader, Tenant, render, today
from krav.entrypoints.portal.words import AGREEMENT_FIELDS
from krav.services import agreements, ledger, queries
from krav.services.agreements import ActivationRefused

router = APIRouter()

#: the agreement's fields as the form shows them: what activating sets is shown, never typed
_SET_BY_ACTIVATION = ("active", "activated_on", "accepted_by")


def _agreement_page(
    tenant: Tenant, *, note: str | None = None, error: str | None = None, status: int = 200
) -> Response:
    reader = tenant.krav.reader()
    view = agreements.show(reader, tenant.orgno)
    active = view.agreement.active
    return render(
        tenant.visit,
        "settings.html",
        status=status,
        tenant=tenant,
        view=view,
        values=field_values(view.agreement),
        names=AGREEMENT_FIELDS,
        fixed=_SET_BY_ACTIVATION,
        terms=None if active else terms_lines(agreements.terms(reader, tenant.orgno, tenant.krav.rates, today())),
        missing=[] if active else agreements.missing(reader, tenant.orgno),
        may_change=tenant.who.may(Permission.ADMIN),
        note=note,
        error=error,
    )


@router.get("/c/{orgno}/settings")
def settings(tenant: Reader) -> Response:
    return _agreement_page(tenant)


@router.post("/c/{orgno}/settings")
def change_agreement(tenant: Admin, fields: Form) -> Response:
    """Save the fields the form changed (each change is recorded: who, when, old → new); a value refused is
    named with its field, and nothing changes."""
    current = field_values(agreements.show(tenant.krav.reader(), tenant.orgno).agreement)
    changes: dict[str, str | None] = {
        name: fields[name].strip()
        for name in current
        if name not in _SET_BY_ACTIVATION and name in fields and fields[name].strip() != (current[name] or "")
    }
    if not changes:
        return _agreement_page(tenant, note=tenant.visit.t("nothing changed"))
    try:
        agreements.change(tenant.krav.uow(), tenant.orgno, changes, by=tenant.who.actor, on=today())
    except InputError as error:  # the field and what is wrong with it, beside the form
        return _agreement_page(tenant, error=str(error), status=422)
    return _agreement_page(tenant, note=tenant.visit.t("saved"))


@router.post("/c/{orgno}/settings/activate")
def activate(tenant: Admin, fields: Form) -> Response:
    """Activate the agreement once its terms are accepted (the terms' fingerprint goes into the history)."""
    try:
        agreements.activate(
            tenant.krav.uow(),
            tenant.orgno,
            by=tenant.who.actor,
            on=today(),
            accept_terms=fields.get("accept") == "yes",
            rates=tenant.krav.rates,
        )
    except ActivationRefused as refused:
        return _agreement_page(tenant, error="; ".join(refused.missing), status=422)
    return _agreement_page(tenant, note=tenant.visit.t("activated"))


def _ledger_page(tenant: Tenant, *, note: str | None = None, error: str | None = None, status: int = 200) -> Response:
    reader = tenant.krav.reader()
    return render(
        tenant.visit,
        "voucher_types.html",
        status=status,
        tenant=tenant,
        voucher_types=queries.voucher_types(reader, tenant.orgno),
        accounts=queries.accounts(reader, tenant.orgno),
        kinds=list(CollectionVoucherType),
        may_change=tenant.who.may(Permission.ADMIN),
        note=note,
        error=error,
    )


@router.get("/c/{orgno}/settings/voucher-types")
def voucher_types(tenant: Reader) -> Response:
    return _ledger_page(tenant)


@router.post("/c/{orgno}/settings/voucher-types")
def change_voucher_type(tenant: Admin, fields: Form) -> Response:
    """Map a voucher type to what it means to collection (R-LED-2)."""
    known = {v.code: v for v in queries.voucher_types(tenant.krav.reader(), tenant.orgno)}
    code = fields.get("code", "")
    try:
        if not code.isdigit() or int(code) not in known:
            raise InputError(f"code: {code!r} is not one of the company's voucher types")
        kind = ledger.parse_collection_type(fields.get("collection_type", ""))
        ledger.set_voucher_type(tenant.krav.uow(), tenant.orgno, VoucherType(int(code), known[int(code)].name, kind))
    except InputError as error:
        return _ledger_page(tenant, error=str(error), status=422)
    return _ledger_page(tenant, note=tenant.visit.t("saved"))
