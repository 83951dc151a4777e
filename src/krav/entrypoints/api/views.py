"""Krav's values as the API's answers (:mod:`krav.entrypoints.api.schemas`)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from krav.domain.access import ApiKey
from krav.domain.collection.actions import ActionResult
from krav.domain.errors import InputError
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.party import Address, Company, Customer
from krav.domain.validation import Reason
from krav.entrypoints.api import schemas as s
from krav.services.ports import ClientPayment, HistoryEntry, StoredLetter, StoredSettlement, Webhook, WebhookDelivery
from krav.services.queries import ClaimView

T = TypeVar("T")


def address(a: Address) -> s.AddressOut:
    return s.AddressOut(street=a.street, postcode=a.postcode, city=a.city, country=a.country)


def company(c: Company) -> s.CompanyOut:
    return s.CompanyOut(
        orgno=c.orgno,
        name=c.name,
        bank_account=c.bank_account,
        vat_registered=c.vat_registered,
        address=address(c.address),
        email=c.email,
    )


def customer(c: Customer) -> s.CustomerOut:
    return s.CustomerOut(
        number=c.number,
        name=c.name,
        kind=c.kind.value,
        orgno=c.orgno,
        address=address(c.address),
        email=c.email,
        email_for_letters=c.email_for_letters,
        exempt=c.exempt,
        payment_terms_days=c.payment_terms_days,
    )


def item(i: OpenItem) -> s.ItemOut:
    return s.ItemOut(
        id=i.id,
        customer=i.customer,
        number=i.number,
        voucher_type=i.voucher_type,
        amount=s.decimal(i.amount),
        remaining=s.decimal(i.remaining),
        invoice_date=i.invoice_date,
        due_date=i.due_date,
        exempt=i.exempt,
        collection_id=i.collection_id,
        kid=i.kid,
    )


def voucher_type(v: VoucherType) -> s.VoucherTypeOut:
    kind = v.collection_type.value if v.collection_type is not None else None
    return s.VoucherTypeOut(code=v.code, name=v.name, collection_type=kind)


def reason(r: Reason, *, norwegian: bool = False) -> s.ReasonOut:
    return s.ReasonOut(code=r.code, message=r.message_nb if norwegian else r.message_en)


def claim(v: ClaimView) -> s.ClaimOut:
    c = v.claim
    return s.ClaimOut(
        collection_id=c.collection_id,
        invoice_number=c.invoice_number,
        customer=c.debtor.number,
        debtor_name=c.debtor.name,
        stage=c.stage.value,
        paused=c.paused,
        disputed=c.disputed,
        closed_reason=c.closed_reason.value if c.closed_reason else None,
        closed_on=c.closed_on,
        invoice_date=c.invoice_date,
        due_date=c.due_date,
        submitted_on=c.submitted_on,
        principal=s.decimal(c.principal),
        principal_outstanding=s.decimal(c.principal_outstanding),
        fees_charged=s.decimal(c.fees_charged),
        fees_outstanding=s.decimal(c.fees_outstanding),
        interest_accrued=s.decimal(v.interest_accrued),
        interest_outstanding=s.decimal(v.interest_outstanding),
        salaer_charged=s.decimal(c.salaer_charged),
        salaer_outstanding=s.decimal(c.salaer_outstanding),
        owed=s.decimal(v.owed),
        next=s.NextOut(
            step=v.progress.step.value if v.progress.step else None,
            on=v.progress.on,
            held_by=v.progress.held.value if v.progress.held else None,
        ),
    )


def history(h: HistoryEntry) -> s.HistoryOut:
    return s.HistoryOut(date=h.date, kind=h.kind.value, by=h.by, amount=s.money(h.amount), detail=h.detail, at=h.at)


def letter(lt: StoredLetter) -> s.LetterOut:
    return s.LetterOut(
        id=lt.id,
        debtor=lt.debtor,
        n=lt.n,
        type=lt.type.value,
        sent_on=lt.sent_on,
        deadline=lt.deadline,
        kid=lt.kid,
        account=lt.account,
        total=s.decimal(lt.total),
        status=lt.status.value if lt.status else None,
        channel=lt.channel.value if lt.channel else None,
        lines=[
            s.LetterLineOut(
                collection_id=line.collection_id,
                invoice_number=line.invoice_number,
                principal=s.decimal(line.principal),
                fee=s.decimal(line.fee),
                interest=s.decimal(line.interest),
                salaer=s.decimal(line.salaer),
            )
            for line in lt.lines
        ],
    )


def action_result(r: ActionResult) -> s.ActionResultOut:
    return s.ActionResultOut(
        collection_id=r.collection_id,
        invoice_number=r.invoice_number,
        action=r.action.value,
        accepted=r.accepted,
        reason=r.reason.value if r.reason else None,
        message={"nb": r.message_nb, "en": r.message_en},
        costs_invoiced=s.money(r.costs_invoiced),
    )


def settlement(st: StoredSettlement) -> s.SettlementOut:
    return s.SettlementOut(
        reference=st.reference,
        settled_on=st.settled_on,
        principal=s.decimal(st.principal),
        fee=s.decimal(st.fee),
        interest=s.decimal(st.interest),
        overpaid=s.decimal(st.overpaid),
        costs=s.decimal(st.costs),
        costs_vat=s.decimal(st.costs_vat),
        total=s.decimal(st.total),
    )


def client_payment(p: ClientPayment) -> s.ClientPaymentOut:
    assert p.id is not None
    return s.ClientPaymentOut(
        id=p.id,
        received_on=p.received_on,
        ordered_on=p.ordered_on,
        amount=s.decimal(p.amount),
        kid=p.kid,
        payer=p.payer,
        message=p.message,
        reference=p.reference,
        filename=p.filename,
        status=p.status.value,
        reason=p.reason,
    )


def api_key(k: ApiKey, orgno: str | None) -> s.ApiKeyOut:
    assert k.id is not None
    return s.ApiKeyOut(
        id=k.id,
        name=k.name,
        role=k.role.value,
        company=orgno,
        created_at=k.created_at,
        created_by=k.created_by,
        revoked_at=k.revoked_at,
    )


def webhook(w: Webhook) -> s.WebhookOut:
    assert w.id is not None
    return s.WebhookOut(id=w.id, url=w.url, events=list(w.events), created_at=w.created_at, disabled_at=w.disabled_at)


def webhook_delivery(d: WebhookDelivery) -> s.WebhookDeliveryOut:
    assert d.id is not None
    return s.WebhookDeliveryOut(
        id=d.id,
        webhook=d.webhook_id,
        event_id=d.event_id,
        event=d.event,
        status=d.status,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_error=d.last_error,
        delivered_at=d.delivered_at,
    )


# -- pages --------------------------------------------------------------------------------------------------------


def page(rows: Sequence[T], cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    """The rows of one page after ``cursor`` (an opaque position), and the cursor of the next page."""
    start = _position(cursor)
    chosen = list(rows[start : start + limit])
    following = start + limit
    return chosen, (_cursor(following) if following < len(rows) else None)


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def _position(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("p"):
            raise ValueError(text)
        position = int(text[1:])
        if position < 0:
            raise ValueError(text)
        return position
    except ValueError:
        raise InputError(f"cursor: {cursor!r} is not a cursor this API gave") from None
