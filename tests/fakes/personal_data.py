"""The fake of the personal data repository: restriction and erasure over the fake tables, as the SQL adapter
does them over the real ones (the vouchers, the claims' history, the letters and the archive stay)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

from krav.domain.collection.letters import Recipient
from krav.domain.errors import NotFound
from krav.domain.messages import ItemSubmitted
from krav.domain.party import Customer
from krav.services.ports import DeliveryKind
from tests.fakes.store import FakeStore


class FakePersonalData:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def _require(self, company_id: int, number: str) -> Customer:
        found = self.s.customers.get(company_id, {}).get(number)
        if found is None:
            raise NotFound(f"unknown customer {number!r}")
        return found

    def set_restricted(self, company_id: int, number: str, on: date | None) -> None:
        customer = self._require(company_id, number)
        self.s.customers[company_id][number] = replace(customer, restricted_on=on)

    def latest_record(self, company_id: int, number: str) -> date | None:
        self._require(company_id, number)
        vouchers = [
            v.date
            for v in self.s.vouchers.get(company_id, {}).values()
            if any(line.customer == number for line in v.lines)
        ]
        claims = {c.id for c in self.s.claims.values() if c.company_id == company_id and c.debtor.number == number}
        events = [e.entry.date for e in self.s.events.values() if e.company_id == company_id and e.claim_id in claims]
        dates = vouchers + events
        return max(dates) if dates else None

    def erase(self, company_id: int, customer: Customer) -> dict[str, int]:
        self._require(company_id, customer.number)
        self.s.customers[company_id][customer.number] = customer
        changed = {
            "customer": 1,
            "claim": 0,
            "claim_page": 0,
            "message": 0,
            "delivery": 0,
            "client_payment_duplicate": 0,
        }
        collection_ids = set()
        for claim_id, claim in list(self.s.claims.items()):
            if claim.company_id != company_id or claim.debtor.number != customer.number:
                continue
            erased = copy.deepcopy(claim)
            erased.debtor = _recipient(claim.debtor, customer)
            self.s.claims[claim_id] = erased
            collection_ids.add(claim.collection_id)
            changed["claim"] += 1
            changed["claim_page"] += sum(1 for key in list(self.s.claim_pages) if key[0] == claim_id)
            self.s.claim_pages = {k: v for k, v in self.s.claim_pages.items() if k[0] != claim_id}
        for row_id, row in list(self.s.messages.items()):
            message = row.message
            if not (isinstance(message, ItemSubmitted) and message.collection_id in collection_ids):
                continue
            debtor = replace(
                message.debtor,
                name=customer.name,
                orgno=customer.orgno,
                street=None,
                postcode=None,
                city=None,
                email=None,
                email_for_letters=False,
            )
            self.s.messages[row_id] = replace(row, message=replace(message, debtor=debtor))
            changed["message"] += 1
        letters = {
            r.letter.id
            for r in self.s.letters.values()
            if r.letter.company_id == company_id and r.letter.debtor == customer.number
        }
        for delivery_id, d in list(self.s.deliveries.items()):
            if d.company_id == company_id and d.kind is DeliveryKind.LETTER and d.ref_id in letters:
                self.s.deliveries[delivery_id] = replace(d, address=None, last_error=None)
                changed["delivery"] += 1
        paid = {pid for pid, p in self.s.payments.items() if p.letter_id in letters}
        for dup_id, dup in list(self.s.payment_duplicates.items()):
            seen = dup.sighting
            if dup.first_id in paid and (seen.payer is not None or seen.message is not None):
                self.s.payment_duplicates[dup_id] = replace(dup, sighting=replace(seen, payer=None, message=None))
                changed["client_payment_duplicate"] += 1
        return changed


def _recipient(debtor: Recipient, customer: Customer) -> Recipient:
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
