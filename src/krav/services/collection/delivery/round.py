"""One round of the delivery worker: what it works with, and what it reads for a part of the outbox at once.

A round delivers the outbox part by part (:data:`PART` deliveries at a time). For each part it reads the stored
letters with one query per creditor, which of them were archived before, and the debtors of the claims they are
written on, so that making a letter costs no query of its own; a letter is composed once, and its PDF made from
that (R-SVC-2).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from krav.domain.agreement import Agreement
from krav.domain.collection.letters import Letter, Recipient
from krav.domain.party import Company
from krav.services.collection.delivery import waiting
from krav.services.collection.delivery.documents import PDF, compose_letter, letter_filename, payee_account
from krav.services.ports import (
    Channel,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Document,
    DocumentKind,
    Renderer,
    Service,
    StoredLetter,
    UnitOfWork,
    many_objects,
)

#: how many deliveries a round reads and works through at once (each e-mail still commits on its own)
PART = 500


@dataclass
class OutboxReport:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    printed: int = 0
    bounced: int = 0  # refused by the mail server: on paper instead (R-SVC-2)
    held: int = 0  # claims that wait for a letter that could not be sent (R-SVC-2)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, other: OutboxReport) -> None:
        """Take in what another round of the worker did (the same day)."""
        self.sent += other.sent
        self.failed += other.failed
        self.uncertain += other.uncertain
        self.printed += other.printed
        self.bounced += other.bounced
        self.held += other.held
        self.errors.extend(other.errors)
        self.notes.extend(other.notes)


def now() -> datetime:
    return datetime.now(UTC)


def parts(due: Sequence[Delivery], size: int | None = None) -> Iterable[Sequence[Delivery]]:
    """``due`` in parts of ``size`` (:data:`PART`), in order."""
    size = size or PART
    for start in range(0, len(due), size):
        yield due[start : start + size]


@dataclass
class Round:
    """One round of the worker: what it works with, the business day it sends on, and what it did."""

    uow: UnitOfWork
    renderer: Renderer
    service: Service
    print_dir: Path
    remittance_dir: Path
    on: date
    report: OutboxReport
    creditors: dict[int, tuple[Company, Agreement]] = field(default_factory=dict)
    # the part's stored letters by id, and the debtors of the claims they are written on (with the day each claim
    # was submitted) by collection ID (:meth:`read_part`)
    stored: dict[int, StoredLetter] = field(default_factory=dict)
    recipients: dict[str, tuple[date, Recipient]] = field(default_factory=dict)
    # of the part's letters, those archived before it was read (a resend): their PDF is the archived one
    archived: set[int] = field(default_factory=set)
    # e-mails the mail server accepted that are still to be marked sent (with the next e-mail's commit)
    unmarked: list[tuple[Delivery, tuple[StoredLetter, Letter, Document] | None]] = field(default_factory=list)

    def creditor(self, company_id: int) -> tuple[Company, Agreement]:
        """The creditor and its agreement, read once a round (inside a transaction)."""
        if company_id not in self.creditors:
            self.creditors[company_id] = (
                self.uow.companies.by_id(company_id),
                self.uow.agreements.get(company_id),
            )
        return self.creditors[company_id]

    def read_part(self, part: Sequence[Delivery]) -> None:
        """The letters of ``part``, which were archived, and their claims' debtors, read in a few queries (inside a
        transaction). A letter is never changed once written, so what is read here holds while the part is
        delivered."""
        self.stored, self.recipients, self.archived = {}, {}, set()
        wanted: dict[int, list[int]] = defaultdict(list)
        for d in part:
            if d.kind is DeliveryKind.LETTER:
                wanted[d.company_id].append(d.ref_id)
        for company_id, ids in wanted.items():
            with many_objects():  # the part's letters live while it is delivered: no walk of them meanwhile
                letters = self.uow.collection.letters(company_id, letter_ids=ids)
            self.stored.update((letter.id, letter) for letter in letters)
            refs = self.uow.deliveries.archived(company_id, DocumentKind.LETTER, [str(i) for i in ids])
            self.archived.update(int(ref) for ref in refs)
            named = {line.collection_id for letter in letters for line in letter.lines}
            self.recipients.update(self.uow.collection.recipients(company_id, sorted(named)))

    def stored_letter(self, company_id: int, letter_id: int) -> StoredLetter:
        """The stored letter, from the part read when it is there, else from the database."""
        found = self.stored.get(letter_id)
        if found is not None and found.company_id == company_id:
            return found
        letters = self.uow.collection.letters(company_id, letter_ids=[letter_id])
        if not letters:
            raise LookupError(f"no letter {letter_id}")
        return letters[0]

    def letter(self, company_id: int, stored: StoredLetter) -> tuple[Letter, Document]:
        """R-SVC-2: the letter as it goes out today, and its PDF: the archived one where it was archived before
        (a resend), else made now, archived once it went (:meth:`went`)."""
        company, agreement = self.creditor(company_id)
        letter = compose_letter(
            self.uow,
            company,
            stored,
            self.service,
            sent_on=self.on,
            account=payee_account(agreement, company, self.service),
            recipients=self.recipients,
        )
        # a letter of the part read is known archived or not; any other is looked up
        if stored.id in self.archived or self.stored.get(stored.id) is not stored:
            found = self.uow.deliveries.document(company_id, DocumentKind.LETTER, str(stored.id))
            if found is not None:
                return letter, found
        content = self.renderer.render_letter(letter)
        digest = hashlib.sha256(content).hexdigest()
        return letter, Document(
            DocumentKind.LETTER, str(stored.id), letter_filename(stored), PDF, digest, content, now()
        )

    def went(self, company_id: int, sent: Sequence[tuple[Delivery, StoredLetter, Letter, Document]]) -> None:
        """Letters of the creditor went out today: each archived as it went, its claims released where they
        waited or its date moved, and its delivery marked sent — the archive and the deliveries written at once
        for all (inside the caller's transaction)."""
        if not sent:
            return
        self.uow.deliveries.archive_many(company_id, [doc for _, _, _, doc in sent])
        for d, stored, _, _ in sent:
            if waiting.needs_release(d, stored, self.on):
                waiting.release(self.uow, d, stored, self.on)
        at = now()
        for printed in (True, False):  # a print delivery's attempt is counted as it goes; an e-mail's was before
            self.uow.deliveries.mark_sent(
                [(d.id, letter.account) for d, _, letter, _ in sent if (d.channel is Channel.PRINT) is printed],
                sent_at=at,
                sent_on=self.on,
                attempt=printed,
                expect=DeliveryStatus.SENDING,
            )

    def went_by_email(self, d: Delivery, letter: tuple[StoredLetter, Letter, Document] | None) -> None:
        """The mail server accepted ``d``: marked sent with the next commit (:meth:`mark_sent`)."""
        self.unmarked.append((d, letter))

    def mark_sent(self) -> None:
        """Mark the e-mails that went as sent, inside the caller's transaction; :meth:`sent_marked` once it is
        committed."""
        for d, letter in self.unmarked:
            if letter is not None:
                self.went(d.company_id, [(d, *letter)])
            else:
                self.uow.deliveries.set_status(
                    d.id, DeliveryStatus.SENT, sent_at=now(), expect=DeliveryStatus.SENDING, sent_on=self.on
                )

    def sent_marked(self) -> None:
        self.unmarked = []

    def flush_sent(self) -> None:
        """Mark the e-mails that went as sent in a transaction of their own (before anything else is done)."""
        if not self.unmarked:
            return
        with self.uow:
            self.mark_sent()
            self.uow.commit()
        self.sent_marked()
