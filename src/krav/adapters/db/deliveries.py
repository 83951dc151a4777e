"""The document archive (every letter and list, byte for byte, with its SHA-256) and the delivery outbox."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import chunks, utcnow
from krav.services.ports import Channel, Delivery, DeliveryKind, DeliveryStatus, Document, DocumentKind, NewDelivery


def _delivery(r: sa.Row[Any]) -> Delivery:
    return Delivery(
        id=r.id,
        company_id=r.company_id,
        kind=DeliveryKind(r.kind),
        ref_id=r.ref_id,
        on_date=r.on_date,
        channel=Channel(r.channel),
        address=r.address,
        delivery_key=r.delivery_key,
        status=DeliveryStatus(r.status),
        attempts=r.attempts,
        last_error=r.last_error,
        sent_at=r.sent_at,
        updated_at=r.updated_at,
        sent_on=r.sent_on,
        account=r.account,
        claims_held=bool(r.claims_held),
    )


class SqlDeliveries:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    # -- archive ---------------------------------------------------------------------------------------------

    def archive(
        self, company_id: int, kind: DocumentKind, ref: str, filename: str, media_type: str, content: bytes
    ) -> Document:
        """Keep a document once; archiving the same (kind, ref) again returns the first copy unchanged."""
        found = self.document(company_id, kind, ref)
        if found is not None:
            return found
        digest = hashlib.sha256(content).hexdigest()
        created = utcnow()
        self.conn.execute(
            t.document.insert().values(
                company_id=company_id,
                kind=kind,
                ref=ref,
                filename=filename,
                media_type=media_type,
                sha256=digest,
                size=len(content),
                content=content,
                created_at=created,
            )
        )
        # as stored (not read back: the PDF went in, a second read would only bring it back)
        return Document(DocumentKind(kind), ref, filename, media_type, digest, content, created)

    def archived(self, company_id: int, kind: DocumentKind, refs: Sequence[str]) -> set[str]:
        """Which of ``refs`` are archived (their content is not read)."""
        found: set[str] = set()
        for chunk in chunks(sorted(set(refs))):
            params = {"the_company": company_id, "the_kind": kind, "the_refs": list(chunk)}
            found.update(self.conn.execute(_archived_statement(), params).scalars())
        return found

    def archive_many(self, company_id: int, docs: Sequence[Document]) -> None:
        """Keep each document once, in one bulk insert; one archived before (same kind and ref) is left as it
        is."""
        d = t.document
        kept: set[tuple[str, str]] = set()
        for kind in {doc.kind for doc in docs}:
            kept.update((kind, ref) for ref in self.archived(company_id, kind, [x.ref for x in docs if x.kind == kind]))
        rows = []
        for doc in docs:
            if (doc.kind, doc.ref) in kept:
                continue
            kept.add((doc.kind, doc.ref))
            rows.append(
                {
                    "company_id": company_id,
                    "kind": doc.kind,
                    "ref": doc.ref,
                    "filename": doc.filename,
                    "media_type": doc.media_type,
                    "sha256": hashlib.sha256(doc.content).hexdigest(),  # of the bytes kept, whatever was said
                    "size": len(doc.content),
                    "content": doc.content,
                    "created_at": doc.created_at,
                }
            )
        if rows:
            self.conn.execute(d.insert(), rows)

    def document(self, company_id: int, kind: DocumentKind, ref: str) -> Document | None:
        d = t.document
        row = self.conn.execute(
            sa.select(d).where(d.c.company_id == company_id, d.c.kind == kind, d.c.ref == ref)
        ).one_or_none()
        if row is None:
            return None
        return Document(
            DocumentKind(row.kind),
            row.ref,
            row.filename,
            row.media_type,
            row.sha256,
            bytes(row.content),
            row.created_at,
        )

    def documents(self, company_id: int, kind: DocumentKind | None = None) -> list[Document]:
        d = t.document
        query = sa.select(d).where(d.c.company_id == company_id).order_by(d.c.id)
        if kind is not None:
            query = query.where(d.c.kind == kind)
        return [
            Document(DocumentKind(r.kind), r.ref, r.filename, r.media_type, r.sha256, bytes(r.content), r.created_at)
            for r in self.conn.execute(query)
        ]

    # -- outbox ----------------------------------------------------------------------------------------------

    def enqueue(self, jobs: Sequence[NewDelivery]) -> None:
        """Write delivery jobs in one bulk insert; a job whose key is there already is left as it is."""
        if not jobs:
            return
        d = t.delivery
        known: set[str] = set()
        for chunk in chunks(sorted({j.key for j in jobs})):
            known.update(self.conn.execute(sa.select(d.c.delivery_key).where(d.c.delivery_key.in_(chunk))).scalars())
        now = utcnow()
        rows = []
        for job in jobs:
            if job.key in known:
                continue
            known.add(job.key)
            rows.append(
                {
                    "company_id": job.company_id,
                    "kind": job.kind.value,
                    "ref_id": job.ref_id,
                    "on_date": job.on_date,
                    "channel": job.channel.value,
                    "address": job.address,
                    "delivery_key": job.key,
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": 0,
                    "claims_held": job.claims_held,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if rows:
            self.conn.execute(d.insert(), rows)

    def deliveries(
        self,
        *,
        statuses: Iterable[DeliveryStatus] | None = None,
        company_id: int | None = None,
        limit: int | None = None,
        max_attempts: int | None = None,
    ) -> list[Delivery]:
        d = t.delivery
        query = sa.select(d).order_by(d.c.id)
        if statuses is not None:
            query = query.where(d.c.status.in_([str(x) for x in statuses]))
        if max_attempts is not None:
            query = query.where(d.c.attempts < max_attempts)
        if company_id is not None:
            query = query.where(d.c.company_id == company_id)
        if limit is not None:
            query = query.limit(limit)
        return [_delivery(r) for r in self.conn.execute(query)]

    def find(self, *, delivery_id: int | None = None, key: str | None = None) -> Delivery | None:
        """The delivery with this id, or this key."""
        d = t.delivery
        query = sa.select(d)
        if delivery_id is not None:
            query = query.where(d.c.id == delivery_id)
        if key is not None:
            query = query.where(d.c.delivery_key == key)
        if delivery_id is None and key is None:
            return None
        row = self.conn.execute(query).one_or_none()
        return None if row is None else _delivery(row)

    def take(self, deliveries: Sequence[tuple[int, DeliveryStatus]], status: DeliveryStatus) -> set[int]:
        """Move each delivery ``(id, the status it is in)`` to ``status``, those still in the status given, in one
        statement per status they come from; the ids of those moved (another worker may have taken the rest)."""
        d = t.delivery
        taken: set[int] = set()
        now = utcnow()
        for expect in sorted({s for _, s in deliveries}):
            ids = sorted(i for i, s in deliveries if s == expect)
            for chunk in chunks(ids):
                query = (
                    d.update()
                    .where(d.c.id.in_(chunk), d.c.status == expect)
                    .values(status=status, updated_at=now, last_error=None)
                    .returning(d.c.id)
                )
                taken.update(self.conn.execute(query).scalars())
        return taken

    def mark_sent(
        self,
        sent: Sequence[tuple[int, str | None]],
        *,
        sent_at: datetime,
        sent_on: date,
        attempt: bool,
        expect: DeliveryStatus,
    ) -> None:
        """Mark deliveries sent on ``sent_on``, in one statement for all: each ``(delivery id, the account its
        letter printed or None)``, those still in ``expect``; their claims wait for them no more, the error is
        cleared and, with ``attempt``, the attempt counted."""
        if not sent:
            return
        common = {"sent_expect": expect, "sent_updated_at": utcnow(), "sent_sent_at": sent_at, "sent_sent_on": sent_on}
        self.conn.execute(
            _mark_sent_statement(attempt),
            [{**common, "sent_id": i, "sent_account": account} for i, account in sent],
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
        """Move a delivery to ``status``; with ``expect`` only from that status (False when someone else won).
        ``sent_on`` and ``account``: the business day it was sent and the account its letter printed;
        ``claims_held``: whether its letter's claims wait for it (R-SVC-2)."""
        values: dict[str, Any] = {"status": status, "updated_at": utcnow(), "last_error": error}
        if sent_at is not None:
            values["sent_at"] = sent_at
        if sent_on is not None:
            values["sent_on"] = sent_on
        if account is not None:
            values["account"] = account
        if claims_held is not None:
            values["claims_held"] = claims_held
        attempts = "reset" if reset_attempts else "count" if attempt else ""
        query = _status_statement(tuple(values), attempts, expect is not None)
        params = {f"new_{key}": value for key, value in values.items()}
        return bool(self.conn.execute(query, {**params, "the_id": delivery_id, "the_expect": expect}).rowcount)


# -- statements made once (a day's deliveries each change their status a few times) -----------------------------------


@cache
def _archived_statement() -> sa.Select[Any]:
    """:meth:`SqlDeliveries.archived`'s query: the refs of a kind archived among a list of them."""
    d = t.document
    return sa.select(d.c.ref).where(
        d.c.company_id == sa.bindparam("the_company"),
        d.c.kind == sa.bindparam("the_kind", type_=d.c.kind.type),
        d.c.ref.in_(sa.bindparam("the_refs", expanding=True)),
    )


@cache
def _mark_sent_statement(attempt: bool) -> sa.Update:
    """:meth:`SqlDeliveries.mark_sent`'s update, its values bound per row."""
    d = t.delivery
    return (
        d.update()
        .where(d.c.id == sa.bindparam("sent_id"), d.c.status == sa.bindparam("sent_expect", type_=d.c.status.type))
        .values(
            status=DeliveryStatus.SENT,
            updated_at=sa.bindparam("sent_updated_at", type_=d.c.updated_at.type),
            last_error=None,
            sent_at=sa.bindparam("sent_sent_at", type_=d.c.sent_at.type),
            sent_on=sa.bindparam("sent_sent_on", type_=d.c.sent_on.type),
            account=sa.func.coalesce(sa.bindparam("sent_account", type_=d.c.account.type), d.c.account),
            claims_held=False,
            attempts=d.c.attempts + (1 if attempt else 0),
        )
    )


@cache
def _status_statement(keys: tuple[str, ...], attempts: str, expect: bool) -> sa.Update:
    """:meth:`SqlDeliveries.set_status`'s update of the columns ``keys`` (bound as ``new_<key>``), the attempts
    counted (``count``), reset (``reset``) or left (``""``), with or without the status expected."""
    d = t.delivery
    values: dict[str, Any] = {key: sa.bindparam(f"new_{key}", type_=d.c[key].type) for key in keys}
    if attempts == "count":
        values["attempts"] = d.c.attempts + 1
    elif attempts == "reset":
        values["attempts"] = 0
    query = d.update().where(d.c.id == sa.bindparam("the_id"))
    if expect:
        query = query.where(d.c.status == sa.bindparam("the_expect", type_=d.c.status.type))
    return query.values(**values)
