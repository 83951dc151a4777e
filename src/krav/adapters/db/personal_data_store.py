"""SQL storage of a debtor's personal data beyond the customer register: restriction, the latest accounting record,
and erasure over every copy of the customer that may change.

Where the customer is copied, and what erasure does there:

* ``customer``: the record itself, erased (:func:`krav.domain.personal_data.erased`);
* ``claim.debtor_*`` (the debtor as the ledger knew them at submission): erased;
* ``message.payload`` of the items submitted (``item_submitted``: the debtor's data): erased in the JSON;
* ``delivery.address`` and ``last_error`` of the debtor's letters (an e-mail address, a bounce naming it): cleared;
* ``client_payment_duplicate.payer`` and ``message`` (what the payer wrote) of the payments to the debtor's
  letters: cleared.

What stays, because the database refuses the change or a hash seals it: the posted voucher lines (their text and
reference are in the chain's hash; they name the customer by its row id), the claims' history (its detail, with an
objection's words, is in the chain's hash), the letters and their archived PDFs (append-only), and the payer and
message of a payment on the client account (kept as the bank reported it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.codec import decode_message, encode_message
from krav.domain.errors import NotFound
from krav.domain.messages import DebtorData, ItemSubmitted, MessageKind
from krav.domain.party import Customer


class SqlPersonalData:
    """The personal data repository over one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def _customer_id(self, company_id: int, number: str) -> int:
        c = t.customer
        found = self.conn.execute(
            sa.select(c.c.id).where(c.c.company_id == company_id, c.c.number == number)
        ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"unknown customer {number!r}")
        return int(found)

    def set_restricted(self, company_id: int, number: str, on: date | None) -> None:
        c = t.customer
        customer_id = self._customer_id(company_id, number)
        self.conn.execute(c.update().where(c.c.id == customer_id).values(restricted_on=on))

    def latest_record(self, company_id: int, number: str) -> date | None:
        v, line, e, claim = t.voucher, t.voucher_line, t.claim_event, t.claim
        customer_id = self._customer_id(company_id, number)
        vouchers = (
            sa.select(sa.func.max(v.c.date))
            .join(line, line.c.voucher_id == v.c.id)
            .where(v.c.company_id == company_id, line.c.customer_id == customer_id)
        )
        events = (
            sa.select(sa.func.max(e.c.on_date))
            .join(claim, claim.c.id == e.c.claim_id)
            .where(claim.c.company_id == company_id, claim.c.debtor_number == number)
        )
        found = [self.conn.execute(query).scalar_one_or_none() for query in (vouchers, events)]
        dates = [day for day in found if day is not None]
        return max(dates) if dates else None

    def erase(self, company_id: int, customer: Customer) -> dict[str, int]:
        c, claim, lt, d = t.customer, t.claim, t.letter, t.delivery
        customer_id = self._customer_id(company_id, customer.number)
        changed: dict[str, int] = {}
        changed["customer"] = self._update(
            c.update()
            .where(c.c.id == customer_id)
            .values(
                name=customer.name,
                orgno=customer.orgno,
                street=customer.address.street,
                postcode=customer.address.postcode,
                city=customer.address.city,
                email=customer.email,
                email_for_letters=bool(customer.email_for_letters),
                erased_on=customer.erased_on,
            )
        )
        claims = sa.and_(claim.c.company_id == company_id, claim.c.debtor_number == customer.number)
        changed["claim"] = self._update(
            claim.update()
            .where(claims)
            .values(
                debtor_name=customer.name,
                debtor_orgno=customer.orgno,
                debtor_street=customer.address.street,
                debtor_postcode=customer.address.postcode,
                debtor_city=customer.address.city,
                debtor_email=customer.email,
                debtor_email_for_letters=bool(customer.email_for_letters),
            )
        )
        # the kept pages of its claims hold the data as it was: dropped, made again from the erased data when read
        changed["claim_page"] = self._update(
            sa.delete(t.claim_page).where(t.claim_page.c.claim_id.in_(sa.select(claim.c.id).where(claims)))
        )
        collection_ids = sa.select(claim.c.collection_id).where(claims)
        changed["message"] = self._erase_messages(company_id, collection_ids, customer)
        letters = sa.select(lt.c.id).where(lt.c.company_id == company_id, lt.c.debtor_number == customer.number)
        changed["delivery"] = self._update(
            d.update()
            .where(d.c.company_id == company_id, d.c.kind == "letter", d.c.ref_id.in_(letters))
            .values(address=None, last_error=None)
        )
        payments = sa.select(t.client_payment.c.id).where(t.client_payment.c.letter_id.in_(letters))
        dup = t.client_payment_duplicate
        changed["client_payment_duplicate"] = self._update(
            dup.update()
            .where(dup.c.payment_id.in_(payments), sa.or_(dup.c.payer.is_not(None), dup.c.message.is_not(None)))
            .values(payer=None, message=None)
        )
        return changed

    def _update(self, statement: sa.Update | sa.Delete) -> int:
        return int(self.conn.execute(statement).rowcount or 0)

    def _erase_messages(self, company_id: int, collection_ids: sa.Select[Any], customer: Customer) -> int:
        m = t.message
        rows = self.conn.execute(
            sa.select(m.c.id, m.c.payload).where(
                m.c.company_id == company_id,
                m.c.kind == MessageKind.ITEM_SUBMITTED.value,
                m.c.collection_id.in_(collection_ids),
            )
        ).all()
        for row in rows:
            message = decode_message(row.payload)
            assert isinstance(message, ItemSubmitted)  # selected by its kind
            erased = replace(message, debtor=_debtor(message.debtor, customer))
            self.conn.execute(m.update().where(m.c.id == row.id).values(payload=encode_message(erased)))
        return len(rows)


def _debtor(debtor: DebtorData, customer: Customer) -> DebtorData:
    """The debtor's data of a submitted item as the erased ``customer`` has it."""
    return replace(
        debtor,
        name=customer.name,
        orgno=customer.orgno,
        street=customer.address.street,
        postcode=customer.address.postcode,
        city=customer.address.city,
        email=customer.email,
        email_for_letters=bool(customer.email_for_letters),
    )
