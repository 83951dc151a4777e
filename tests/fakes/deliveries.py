"""The fake of the document archive and the delivery outbox."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from krav.services.ports import (
    Delivery,
    DeliveryStatus,
    Document,
    DocumentKind,
    NewDelivery,
)
from tests.fakes.store import DocumentRow, FakeStore, _now


class FakeDeliveries:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def archive(
        self, company_id: int, kind: DocumentKind, ref: str, filename: str, media_type: str, content: bytes
    ) -> Document:
        """Keep a document once; archiving the same (kind, ref) again returns the first copy unchanged."""
        found = self.document(company_id, kind, ref)
        if found is not None:
            return found
        document_id = self.s.new_id("document")
        document = Document(
            DocumentKind(kind), ref, filename, media_type, hashlib.sha256(content).hexdigest(), content, _now()
        )
        self.s.documents[document_id] = DocumentRow(document_id, company_id, document)
        return document

    def archived(self, company_id: int, kind: DocumentKind, refs: Sequence[str]) -> set[str]:
        return {ref for ref in refs if self.document(company_id, kind, ref) is not None}

    def archive_many(self, company_id: int, docs: Sequence[Document]) -> None:
        for doc in docs:
            self.archive(company_id, doc.kind, doc.ref, doc.filename, doc.media_type, doc.content)

    def document(self, company_id: int, kind: DocumentKind, ref: str) -> Document | None:
        return next(
            (
                r.document
                for r in self.s.documents.values()
                if r.company_id == company_id and r.document.kind == kind and r.document.ref == ref
            ),
            None,
        )

    def documents(self, company_id: int, kind: DocumentKind | None = None) -> list[Document]:
        return [
            r.document
            for r in sorted(self.s.documents.values(), key=lambda r: r.id)
            if r.company_id == company_id and (kind is None or r.document.kind == kind)
        ]

    def enqueue(self, jobs: Sequence[NewDelivery]) -> None:
        """Write delivery jobs; a job whose key is there already is left as it is."""
        known = {d.delivery_key for d in self.s.deliveries.values()}
        for job in jobs:
            if job.key in known:
                continue
            known.add(job.key)
            delivery_id = self.s.new_id("delivery")
            self.s.deliveries[delivery_id] = Delivery(
                id=delivery_id,
                company_id=job.company_id,
                kind=job.kind,
                ref_id=job.ref_id,
                on_date=job.on_date,
                channel=job.channel,
                address=job.address,
                delivery_key=job.key,
                status=DeliveryStatus.PENDING,
                attempts=0,
                last_error=None,
                sent_at=None,
                updated_at=_now(),
                claims_held=job.claims_held,
            )

    def deliveries(
        self,
        *,
        statuses: Iterable[DeliveryStatus] | None = None,
        company_id: int | None = None,
        limit: int | None = None,
        max_attempts: int | None = None,
    ) -> list[Delivery]:
        wanted = None if statuses is None else set(statuses)
        found = [
            d
            for d in sorted(self.s.deliveries.values(), key=lambda d: d.id)
            if (wanted is None or d.status in wanted)
            and (max_attempts is None or d.attempts < max_attempts)
            and (company_id is None or d.company_id == company_id)
        ]
        return found if limit is None else found[:limit]

    def find(self, *, delivery_id: int | None = None, key: str | None = None) -> Delivery | None:
        """The delivery with this id, or this key."""
        if delivery_id is None and key is None:
            return None
        return next(
            (
                d
                for d in self.s.deliveries.values()
                if (delivery_id is None or d.id == delivery_id) and (key is None or d.delivery_key == key)
            ),
            None,
        )

    def take(self, deliveries: Sequence[tuple[int, DeliveryStatus]], status: DeliveryStatus) -> set[int]:
        return {i for i, expect in deliveries if self.set_status(i, status, expect=expect)}

    def mark_sent(
        self,
        sent: Sequence[tuple[int, str | None]],
        *,
        sent_at: datetime,
        sent_on: date,
        attempt: bool,
        expect: DeliveryStatus,
    ) -> None:
        for delivery_id, account in sent:
            self.set_status(
                delivery_id,
                DeliveryStatus.SENT,
                sent_at=sent_at,
                attempt=attempt,
                expect=expect,
                sent_on=sent_on,
                account=account,
                claims_held=False,
            )

    def set_status(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        *,
        error: str | None = None,
        sent_at: datetime | None = None,
        attempt: bool = False,
        expect: DeliveryStatus | None = None,
        reset_attempts: bool = False,
        sent_on: date | None = None,
        account: str | None = None,
        claims_held: bool | None = None,
    ) -> bool:
        """Move a delivery to ``status``; with ``expect`` only from that status (False when someone else won)."""
        found = self.s.deliveries.get(delivery_id)
        if found is None or (expect is not None and found.status != expect):
            return False
        attempts = 0 if reset_attempts else found.attempts + 1 if attempt else found.attempts
        self.s.deliveries[delivery_id] = replace(
            found,
            status=DeliveryStatus(status),
            updated_at=_now(),
            last_error=error,
            sent_at=sent_at if sent_at is not None else found.sent_at,
            attempts=attempts,
            sent_on=sent_on if sent_on is not None else found.sent_on,
            account=account if account is not None else found.account,
            claims_held=claims_held if claims_held is not None else found.claims_held,
        )
        return True
