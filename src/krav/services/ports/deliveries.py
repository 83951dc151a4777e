"""The port of the document archive and the delivery outbox: every letter and list kept byte for byte, and the
deliveries that take them out by e-mail or on paper (R-SVC-2)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from krav.services.ports.models import Delivery, DeliveryStatus, Document, DocumentKind, NewDelivery


class DeliveryRepository(Protocol):
    def archive(
        self, company_id: int, kind: DocumentKind, ref: str, filename: str, media_type: str, content: bytes
    ) -> Document: ...
    def archived(self, company_id: int, kind: DocumentKind, refs: Sequence[str]) -> set[str]:
        """Which of ``refs`` are archived (their content is not read)."""
        ...

    def archive_many(self, company_id: int, docs: Sequence[Document]) -> None:
        """Keep each document once, all at once; one archived before (same kind and ref) is left as it is."""
        ...

    def document(self, company_id: int, kind: DocumentKind, ref: str) -> Document | None: ...
    def documents(self, company_id: int, kind: DocumentKind | None = None) -> list[Document]: ...
    def enqueue(self, jobs: Sequence[NewDelivery]) -> None:
        """Write delivery jobs in bulk; a job whose key is there already is left as it is."""
        ...

    def deliveries(
        self,
        *,
        statuses: Iterable[DeliveryStatus] | None = None,
        company_id: int | None = None,
        limit: int | None = None,
        max_attempts: int | None = None,
    ) -> list[Delivery]: ...
    def find(self, *, delivery_id: int | None = None, key: str | None = None) -> Delivery | None:
        """The delivery with this id, or this key."""
        ...

    def take(self, deliveries: Sequence[tuple[int, DeliveryStatus]], status: DeliveryStatus) -> set[int]:
        """Move each delivery ``(id, the status it is in)`` to ``status``, those still in the status given, all at
        once; the ids of those moved (another worker may have taken the rest)."""
        ...

    def mark_sent(
        self,
        sent: Sequence[tuple[int, str | None]],
        *,
        sent_at: datetime,
        sent_on: date,
        attempt: bool,
        expect: DeliveryStatus,
    ) -> None:
        """Mark deliveries sent on ``sent_on``, all at once: each ``(delivery id, the account its letter printed or
        None)``, those still in ``expect``; their claims wait for them no more, the error is cleared and, with
        ``attempt``, the attempt counted."""
        ...

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
    ) -> bool: ...
