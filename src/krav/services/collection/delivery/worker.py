"""The delivery worker: renders, archives and sends what the outbox holds (DESIGN.md "Time and jobs").

Each delivery has a key (one per letter) and goes ``pending → sending → sent``; a delivery found still ``sending``
by a later worker may or may not have left (the process died between sending and marking it sent), so it is
marked ``uncertain`` and reported rather than sent twice; a failed one is retried up to :data:`MAX_ATTEMPTS`
times and then reported (the daily run tries it once each run, however often it failed). E-mails go one by one;
print letters go as one batch PDF per creditor and day with a CSV manifest.

R-SVC-2: a letter counts as sent when it was handed to print or accepted by the mail server, on the business day
the worker runs for (``on``). It is rendered then, dated that day with its deadline counted from it and the
account the settings name now, and archived as it went. A letter that could not be sent makes its claims wait
(:mod:`~krav.services.collection.delivery.waiting`); one whose address the mail server refuses goes into the
day's print batch at once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from krav.domain.agreement import Agreement
from krav.domain.collection.letters import Letter
from krav.domain.party import Company
from krav.services.collection.delivery import waiting
from krav.services.collection.delivery.documents import (
    PDF,
    compose_letter,
    letter_filename,
    list_document,
    payee_account,
    print_manifest,
    settlement_documents,
)
from krav.services.collection.delivery.mail_text import SUBJECTS, letter_mail, list_mail, settlement_mail
from krav.services.collection.delivery.outbox import paper_copy
from krav.services.ports import (
    Channel,
    Collaborators,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Document,
    DocumentKind,
    Mailer,
    RecipientRefused,
    Renderer,
    Service,
    StoredLetter,
    UnitOfWork,
)
from krav.services.ports.outside import Progress, quiet

__all__ = [
    "DELIVERIES",
    "MAX_ATTEMPTS",
    "SUBJECTS",
    "OutboxReport",
    "deliver",
    "mark_interrupted",
    "retry",
    "retry_and_send",
    "send_outbox",
    "status",
]

MAX_ATTEMPTS = 5
#: the progress task of a delivery round (:class:`~krav.services.ports.outside.Progress`)
DELIVERIES = "deliveries"


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


@dataclass
class _Round:
    """One round of the worker: what it works with, the business day it sends on, and what it did."""

    uow: UnitOfWork
    renderer: Renderer
    service: Service
    print_dir: Path
    remittance_dir: Path
    on: date
    report: OutboxReport
    creditors: dict[int, tuple[Company, Agreement]] = field(default_factory=dict)

    def creditor(self, company_id: int) -> tuple[Company, Agreement]:
        """The creditor and its agreement, read once a round (inside a transaction)."""
        if company_id not in self.creditors:
            self.creditors[company_id] = (
                self.uow.companies.by_id(company_id),
                self.uow.agreements.get(company_id),
            )
        return self.creditors[company_id]

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
        )
        found = self.uow.deliveries.document(company_id, DocumentKind.LETTER, str(stored.id))
        if found is not None:
            return letter, found
        content = self.renderer.render_letter(letter)
        digest = hashlib.sha256(content).hexdigest()
        return letter, Document(
            DocumentKind.LETTER, str(stored.id), letter_filename(stored), PDF, digest, content, _now()
        )

    def went(self, d: Delivery, stored: StoredLetter, letter: Letter, doc: Document) -> None:
        """The letter went out today: archived as it went, its claims released where they waited or its date
        moved, and the delivery marked sent (inside the caller's transaction)."""
        self.uow.deliveries.archive(
            d.company_id, DocumentKind.LETTER, doc.ref, doc.filename, doc.media_type, doc.content
        )
        if waiting.needs_release(d, stored, self.on):
            waiting.release(self.uow, d, stored, self.on)
        self.uow.deliveries.set_status(
            d.id,
            DeliveryStatus.SENT,
            sent_at=_now(),
            attempt=d.channel is Channel.PRINT,
            expect=DeliveryStatus.SENDING,
            sent_on=self.on,
            account=letter.account,
            claims_held=False,
        )


def _now() -> datetime:
    return datetime.now(UTC)


def mark_interrupted(uow: UnitOfWork, *, stale_after: timedelta = timedelta(minutes=10), resume: bool = False) -> int:
    """Deliveries left ``sending`` by a worker that died. An e-mail handed to the mail server may have left, so it
    becomes ``uncertain`` and is reported, never sent twice; a print delivery left nothing outside Krav's own
    print folder, so it goes back in line. With ``resume`` (the caller holds the run lock, so no other worker is
    sending) this happens at once; otherwise once the delivery is ``stale_after`` old. Returns how many became
    uncertain."""
    with uow:
        count = 0
        cutoff = _now() if resume else _now() - stale_after
        for d in uow.deliveries.deliveries(statuses=[DeliveryStatus.SENDING]):
            if d.sent_at is not None or d.updated_at > cutoff:
                continue
            if d.channel is Channel.PRINT:
                uow.deliveries.set_status(
                    d.id, DeliveryStatus.PENDING, error="interrupted while printing; printed again", expect=d.status
                )
                continue
            uow.deliveries.set_status(
                d.id,
                DeliveryStatus.UNCERTAIN,
                error="interrupted between sending and marking sent; not sent again",
                expect=DeliveryStatus.SENDING,
            )
            count += 1
        uow.commit()
        return count


def deliver(
    uow: UnitOfWork,
    *,
    renderer: Renderer,
    mailer: Mailer,
    print_dir: Path,
    service: Service,
    on: date,
    limit: int = 1000,
    stale_after: timedelta = timedelta(minutes=10),
    remittance_dir: Path | None = None,
    resume: bool = False,
    retry_failed: bool = True,
    max_attempts: int | None = MAX_ATTEMPTS,
    progress: Progress = quiet,
) -> OutboxReport:
    """Render, archive and send what is due on the business day ``on``: e-mails one by one, print letters as
    one batch PDF per creditor and day with a CSV manifest. A delivery is made while it is ``pending`` (or
    ``failed``): an e-mail becomes ``sending`` only when it is handed to the mail server, a print delivery
    ``sent`` once its batch is written, so a worker killed before that leaves it to be made again. An e-mail
    whose address the server refuses goes into the day's print batch. ``resume``: see :func:`mark_interrupted`;
    ``retry_failed=False`` leaves the failed ones (the daily run retries them once, before its steps);
    ``max_attempts``: tries before a delivery waits for :func:`retry` (None: no limit); ``progress`` hears of
    each e-mail and each print batch done."""
    report = OutboxReport()
    report.uncertain = mark_interrupted(uow, stale_after=stale_after, resume=resume)
    statuses = [DeliveryStatus.PENDING, DeliveryStatus.FAILED] if retry_failed else [DeliveryStatus.PENDING]
    with uow:
        due = uow.deliveries.deliveries(statuses=statuses, limit=limit, max_attempts=max_attempts)
    work = _Round(uow, renderer, service, print_dir, remittance_dir or print_dir.parent / "remittance", on, report)
    on_paper: list[Delivery] = []
    emails = [d for d in due if d.channel is Channel.EMAIL]
    printed = [d for d in due if d.channel is Channel.PRINT]
    total = len(emails) + len({d.company_id for d in printed})  # an e-mail refused goes into a print batch
    if due:
        progress(DELIVERIES, 0, total)
    for done, d in enumerate(emails, start=1):
        paper = _deliver_email(work, d, mailer)
        if paper is not None:
            on_paper.append(paper)
        progress(DELIVERIES, done, total)
    batches: dict[int, list[Delivery]] = defaultdict(list)
    for d in printed + on_paper:
        batches[d.company_id].append(d)
    total = len(emails) + len(batches)
    for done, (company_id, group) in enumerate(sorted(batches.items()), start=len(emails) + 1):
        _deliver_print(work, company_id, group)
        progress(DELIVERIES, done, total)
    return report


def _stored_letter(uow: UnitOfWork, company_id: int, letter_id: int) -> StoredLetter:
    found = uow.collection.letters(company_id, letter_ids=[letter_id])
    if not found:
        raise LookupError(f"no letter {letter_id}")
    return found[0]


def _write_remittance(folder: Path, company: Company, docs: Sequence[Document]) -> None:
    """The pain.001 file goes where the bank upload picks it up."""
    target = folder / company.orgno
    target.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        if doc.kind is DocumentKind.PAIN001:
            (target / doc.filename).write_bytes(doc.content)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _deliver_email(work: _Round, d: Delivery, mailer: Mailer) -> Delivery | None:
    """Send one e-mail; returns its paper copy when the mail server refused the address (R-SVC-2)."""
    uow = work.uow
    letter: tuple[StoredLetter, Letter, Document] | None = None
    try:
        with uow:
            company, _ = work.creditor(d.company_id)
            if d.kind is DeliveryKind.LETTER:
                stored = _stored_letter(uow, d.company_id, d.ref_id)
                made, doc = work.letter(d.company_id, stored)
                letter = (stored, made, doc)
                mail = letter_mail(d, company, doc, made, work.service)
            elif d.kind is DeliveryKind.SETTLEMENT:
                docs = settlement_documents(uow, company, d.ref_id, work.renderer, work.service)
                _write_remittance(work.remittance_dir, company, docs)
                mail = settlement_mail(d, company, docs, work.service)
            else:
                mail = list_mail(d, company, list_document(uow, company, d.ref_id, work.renderer), work.service)
            uow.commit()
    except Exception as exc:  # a letter that cannot be made is recorded and retried; the rest go on
        _failed(work, [d], _reason(exc), expect=d.status)
        return None
    with uow:
        if not uow.deliveries.set_status(d.id, DeliveryStatus.SENDING, attempt=True, expect=d.status):
            return None  # another worker took it
        uow.commit()
    try:
        mailer.send(mail)
    except RecipientRefused as exc:  # nothing left: the letter goes on paper today instead
        return _refused(work, d, str(exc))
    except Exception as exc:  # not accepted by the mail server: recorded and retried
        _failed(work, [d], _reason(exc), expect=DeliveryStatus.SENDING, counted=True)
        return None
    with uow:
        if letter is not None:
            work.went(d, *letter)
        else:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.SENT, sent_at=_now(), expect=DeliveryStatus.SENDING, sent_on=work.on
            )
        uow.commit()
    work.report.sent += 1
    return None


def _refused(work: _Round, d: Delivery, why: str) -> Delivery | None:
    """R-SVC-2: the mail server refused the address: the e-mail bounced, and a paper copy joins today's batch."""
    uow = work.uow
    with uow:
        uow.deliveries.set_status(
            d.id, DeliveryStatus.BOUNCED, error=f"refused: {why}"[:1000], expect=DeliveryStatus.SENDING
        )
        copy = paper_copy(d, work.on, claims_held=d.claims_held)
        uow.deliveries.enqueue([copy])
        found = uow.deliveries.find(key=copy.key)
        uow.commit()
    work.report.bounced += 1
    # the run's report may end up in a log: the delivery key names the letter, the debtor's address stays out
    work.report.notes.append(f"{d.delivery_key} by e-mail refused ({why}): on paper instead")
    return found if found is not None and found.status is DeliveryStatus.PENDING else None


def _failed(
    work: _Round,
    deliveries: Sequence[Delivery],
    error: str,
    *,
    expect: DeliveryStatus | None = None,
    batch: str | None = None,
    counted: bool = False,
) -> None:
    """Record that deliveries failed; ``expect``: the status they are in (None: their own); ``counted``: the
    attempt was counted when the delivery was handed on, else it is counted now. R-SVC-2: the claims of a
    letter that could not be sent wait for it."""
    uow = work.uow
    stored = f"{batch}: {error}" if batch is not None else error
    for d in deliveries:
        with uow:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.FAILED, error=stored[:1000], attempt=not counted, expect=expect or d.status
            )
            uow.commit()
        if d.kind is DeliveryKind.LETTER:
            try:
                with uow:
                    held = waiting.hold(uow, d, _stored_letter(uow, d.company_id, d.ref_id), work.on, error[:200])
                    uow.deliveries.set_status(d.id, DeliveryStatus.FAILED, error=stored[:1000], claims_held=held > 0)
                    uow.commit()
                work.report.held += held
            except Exception as exc:  # the failure stands; the claims could not be held back, which is said
                work.report.errors.append(f"{d.delivery_key}: its claims could not be held back: {_reason(exc)}")
    work.report.failed += len(deliveries)
    if batch is not None:
        work.report.errors.append(f"{batch}: {error}")
    else:
        work.report.errors.extend(f"{d.delivery_key} by {d.channel.value}: {error}" for d in deliveries)


def _deliver_print(work: _Round, company_id: int, group: list[Delivery]) -> None:
    uow, on = work.uow, work.on
    with uow:
        company, _ = work.creditor(company_id)
        # claimed as ``sending`` while the batch is made: nothing leaves Krav's print folder, so a worker that dies
        # meanwhile leaves them to be printed again (:func:`mark_interrupted`)
        claimed = [d for d in group if uow.deliveries.set_status(d.id, DeliveryStatus.SENDING, expect=d.status)]
        uow.commit()
    letters: list[tuple[Delivery, StoredLetter, Letter, Document]] = []
    lists: list[tuple[Delivery, Document]] = []
    broken: list[tuple[Delivery, str]] = []
    for d in claimed:
        try:
            with uow:
                if d.kind is DeliveryKind.LETTER:
                    stored = _stored_letter(uow, company_id, d.ref_id)
                    letters.append((d, stored, *work.letter(company_id, stored)))
                elif d.kind is DeliveryKind.SETTLEMENT:
                    docs = settlement_documents(uow, company, d.ref_id, work.renderer, work.service)
                    _write_remittance(work.remittance_dir, company, docs)
                    lists.extend((d, doc) for doc in docs if doc.kind is not DocumentKind.PAIN001)
                else:
                    lists.append((d, list_document(uow, company, d.ref_id, work.renderer)))
                uow.commit()
        except Exception as exc:  # one letter that cannot be made must not hold back the others
            broken.append((d, _reason(exc)))
    for d, error in broken:
        _failed(work, [d], error, expect=DeliveryStatus.SENDING)
    claimed = [d for d in claimed if d not in {b for b, _ in broken}]
    if not claimed:
        return
    folder = work.print_dir / company.orgno / on.isoformat()
    batch: tuple[str, str, bytes] | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if letters:
            content = work.renderer.render_letters([letter for _, _, letter, _ in letters])
            first = min(d.id for d, _, _, _ in letters)
            name = f"utskrift-{company.orgno}-{on.isoformat()}-{first}.pdf"
            (folder / name).write_bytes(content)
            (folder / name.replace(".pdf", ".csv")).write_text(print_manifest(letters), "utf-8")
            batch = (f"{on.isoformat()}#{first}", name, content)
        for _, doc in lists:
            (folder / doc.filename).write_bytes(doc.content)
    except Exception as exc:  # the batch could not be made or written: every letter in it is retried
        what = f"print batch {company.orgno} {on}"
        _failed(work, claimed, _reason(exc), expect=DeliveryStatus.SENDING, batch=what)
        return
    with uow:
        if batch is not None:
            uow.deliveries.archive(company_id, DocumentKind.PRINT_BATCH, batch[0], batch[1], PDF, batch[2])
        for d, stored, letter, doc in letters:
            work.went(d, stored, letter, doc)
        for d, _ in lists:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.SENT, sent_at=_now(), attempt=True, expect=DeliveryStatus.SENDING, sent_on=on
            )
        uow.commit()
    work.report.printed += len(claimed)


def send_outbox(uow: UnitOfWork, collab: Collaborators, *, on: date) -> OutboxReport:
    """``krav outbox send``: deliver what waits on the business day ``on``, holding the run lock (so it resumes
    at once what a worker that died left half-done, and never runs beside a daily run)."""
    with collab.lock.hold("krav outbox send"):
        return deliver_now(uow, collab, on)


def retry_and_send(
    uow: UnitOfWork, collab: Collaborators, *, on: date, uncertain: bool = False
) -> tuple[int, OutboxReport]:
    """``krav outbox retry``: put failed deliveries back in line (see :func:`retry`) and deliver them now, on the
    business day ``on`` (R-SVC-2: a letter that goes now is dated ``on``). Returns how many went back in line,
    and what the delivery did."""
    with collab.lock.hold("krav outbox retry"):
        return retry(uow, uncertain=uncertain), deliver_now(uow, collab, on)


def deliver_now(
    uow: UnitOfWork,
    collab: Collaborators,
    on: date,
    *,
    retry_failed: bool = True,
    max_attempts: int | None = MAX_ATTEMPTS,
) -> OutboxReport:
    """:func:`deliver` with the collaborators of a run, the run lock held by the caller (so that what a worker
    that died left half-done is resumed at once)."""
    return deliver(
        uow,
        renderer=collab.renderer,
        mailer=collab.mailer,
        print_dir=collab.print_dir,
        service=collab.service,
        on=on,
        remittance_dir=collab.remittance_dir,
        resume=True,
        retry_failed=retry_failed,
        max_attempts=max_attempts,
        progress=collab.progress,
    )


def retry(uow: UnitOfWork, *, uncertain: bool = False) -> int:
    """Put failed deliveries (and with ``uncertain``, the uncertain ones, after a person checked) back in line."""
    statuses = [DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN] if uncertain else [DeliveryStatus.FAILED]
    with uow:
        count = 0
        for d in uow.deliveries.deliveries(statuses=statuses):
            if uow.deliveries.set_status(d.id, DeliveryStatus.PENDING, expect=d.status, reset_attempts=True):
                count += 1
        uow.commit()
        return count


def status(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        counts: dict[str, int] = defaultdict(int)
        for d in uow.deliveries.deliveries():
            counts[d.status] += 1
        return dict(counts)
