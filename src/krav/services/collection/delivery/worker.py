"""The delivery worker: renders, archives and sends what the outbox holds (DESIGN.md "Time and jobs").

Each delivery has a key (one per letter) and goes ``pending → sending → sent``; a delivery found still ``sending``
by a later worker may or may not have left (the process died between sending and marking it sent), so it is
marked ``uncertain`` and reported rather than sent twice; a failed one is retried up to :data:`MAX_ATTEMPTS`
times and then reported (the daily run tries it once each run, however often it failed). Everything due goes, in
parts of :data:`~krav.services.collection.delivery.round.PART`: e-mails one by one; print letters as one batch PDF
per creditor and part with a CSV manifest.

R-SVC-2: a letter counts as sent when it was handed to print or accepted by the mail server, on the business day
the worker runs for (``on``). It is rendered then, dated that day with its deadline counted from it and the
account the settings name now, and archived as it went. A letter that could not be sent makes its claims wait
(:mod:`~krav.services.collection.delivery.waiting`); one whose address the mail server refuses goes into the
day's print batch at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from krav.domain.collection.letters import Letter
from krav.domain.party import Company
from krav.services.collection.delivery import waiting
from krav.services.collection.delivery.documents import PDF, list_document, print_manifest, settlement_documents
from krav.services.collection.delivery.mail_text import SUBJECTS, letter_mail, list_mail, settlement_mail
from krav.services.collection.delivery.outbox import paper_copy
from krav.services.collection.delivery.round import OutboxReport, Round, now, parts
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


def mark_interrupted(uow: UnitOfWork, *, stale_after: timedelta = timedelta(minutes=10), resume: bool = False) -> int:
    """Deliveries left ``sending`` by a worker that died. An e-mail handed to the mail server may have left, so it
    becomes ``uncertain`` and is reported, never sent twice; a print delivery left nothing outside Krav's own
    print folder, so it goes back in line. With ``resume`` (the caller holds the run lock, so no other worker is
    sending) this happens at once; otherwise once the delivery is ``stale_after`` old. Returns how many became
    uncertain."""
    with uow:
        count = 0
        cutoff = now() if resume else now() - stale_after
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
    limit: int | None = None,
    stale_after: timedelta = timedelta(minutes=10),
    remittance_dir: Path | None = None,
    resume: bool = False,
    retry_failed: bool = True,
    max_attempts: int | None = MAX_ATTEMPTS,
    progress: Progress = quiet,
    company_id: int | None = None,
    share: tuple[int, int] | None = None,
) -> OutboxReport:
    """Render, archive and send what is due on the business day ``on`` (all of it, or the first ``limit``), part
    by part: e-mails one by one, print letters as one batch PDF per creditor and part with a CSV manifest. A delivery is made while it is ``pending`` (or
    ``failed``): an e-mail becomes ``sending`` only when it is handed to the mail server, a print delivery
    ``sent`` once its batch is written, so a worker killed before that leaves it to be made again. An e-mail
    whose address the server refuses goes into the day's print batch. ``resume``: see :func:`mark_interrupted`;
    ``retry_failed=False`` leaves the failed ones (the daily run retries them once, before its steps);
    ``max_attempts``: tries before a delivery waits for :func:`retry` (None: no limit); ``progress`` hears of
    each e-mail and each print batch done. ``company_id`` and ``share`` (k of n: the deliveries whose id leaves k
    divided by n) narrow it to one worker's part; a delivery claimed by another is left to it."""
    report = OutboxReport()
    report.uncertain = mark_interrupted(uow, stale_after=stale_after, resume=resume)
    statuses = [DeliveryStatus.PENDING, DeliveryStatus.FAILED] if retry_failed else [DeliveryStatus.PENDING]
    with uow:
        due = uow.deliveries.deliveries(
            statuses=statuses, limit=limit, max_attempts=max_attempts, company_id=company_id
        )
    if share is not None:
        due = [d for d in due if d.id % share[1] == share[0]]
    work = Round(uow, renderer, service, print_dir, remittance_dir or print_dir.parent / "remittance", on, report)
    # every delivery due goes today, part by part: each part read at once and its print batch written and
    # committed before the next (R-SVC-2: no letter of the day waits for a later run)
    total = len(due) - len([d for d in due if d.channel is Channel.PRINT]) + len(list(parts(due)))
    if due:
        progress(DELIVERIES, 0, total)
    done = 0
    for part in parts(due):
        done = _deliver_part(work, part, mailer, progress, done, total)
    return report


def _deliver_part(
    work: Round, part: Sequence[Delivery], mailer: Mailer, progress: Progress, done: int, total: int
) -> int:
    """Deliver one part of the outbox: its e-mails one by one, then its print letters (and the e-mails refused)
    as one batch per creditor. Returns how many units of progress are done."""
    with work.uow:
        work.read_part(part)
    on_paper: list[Delivery] = []
    try:
        for d in part:
            if d.channel is Channel.EMAIL:
                paper = _deliver_email(work, d, mailer)
                if paper is not None:
                    on_paper.append(paper)
                done += 1
                progress(DELIVERIES, done, total)
    finally:
        work.flush_sent()
    batches: dict[int, list[Delivery]] = defaultdict(list)
    for d in [d for d in part if d.channel is Channel.PRINT] + on_paper:
        batches[d.company_id].append(d)
    for company_id, group in sorted(batches.items()):
        _deliver_print(work, company_id, group)
    done += 1
    progress(DELIVERIES, min(done, total), total)
    return done


def _write_remittance(folder: Path, company: Company, docs: Sequence[Document]) -> None:
    """The pain.001 file goes where the bank upload picks it up."""
    target = folder / company.orgno
    target.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        if doc.kind is DocumentKind.PAIN001:
            (target / doc.filename).write_bytes(doc.content)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _deliver_email(work: Round, d: Delivery, mailer: Mailer) -> Delivery | None:
    """Send one e-mail; returns its paper copy when the mail server refused the address (R-SVC-2). The e-mail
    sent before it is marked sent in the transaction that marks this one sending (one commit per e-mail): a
    worker that dies in between leaves it ``sending``, as one that died before marking it sent always did."""
    uow = work.uow
    letter: tuple[StoredLetter, Letter, Document] | None = None
    try:
        with uow:
            work.mark_sent()
            company, _ = work.creditor(d.company_id)
            if d.kind is DeliveryKind.LETTER:
                stored = work.stored_letter(d.company_id, d.ref_id)
                made, doc = work.letter(d.company_id, stored)
                letter = (stored, made, doc)
                mail = letter_mail(d, company, doc, made, work.service)
            elif d.kind is DeliveryKind.SETTLEMENT:
                docs = settlement_documents(uow, company, d.ref_id, work.renderer, work.service)
                _write_remittance(work.remittance_dir, company, docs)
                mail = settlement_mail(d, company, docs, work.service)
            else:
                mail = list_mail(d, company, list_document(uow, company, d.ref_id, work.renderer), work.service)
            # made, and marked sending in the same transaction: committed before the mail server hears of it
            taken = uow.deliveries.set_status(d.id, DeliveryStatus.SENDING, attempt=True, expect=d.status)
            uow.commit()
            work.sent_marked()
            if not taken:
                return None  # another worker took it
    except BaseException as exc:  # a letter that cannot be made is recorded and retried; the rest go on
        work.flush_sent()
        if not isinstance(exc, Exception):
            raise
        _failed(work, [d], _reason(exc), expect=d.status)
        return None
    try:
        mailer.send(mail)
    except RecipientRefused as exc:  # nothing left: the letter goes on paper today instead
        return _refused(work, d, str(exc))
    except Exception as exc:  # not accepted by the mail server: recorded and retried
        _failed(work, [d], _reason(exc), expect=DeliveryStatus.SENDING, counted=True)
        return None
    work.went_by_email(d, letter)
    work.report.sent += 1
    return None


def _refused(work: Round, d: Delivery, why: str) -> Delivery | None:
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
    work: Round,
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
                    held = waiting.hold(uow, d, work.stored_letter(d.company_id, d.ref_id), work.on, error[:200])
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


def _deliver_print(work: Round, company_id: int, group: list[Delivery]) -> None:
    uow, on = work.uow, work.on
    with uow:
        company, _ = work.creditor(company_id)
        # claimed as ``sending`` while the batch is made: nothing leaves Krav's print folder, so a worker that dies
        # meanwhile leaves them to be printed again (:func:`mark_interrupted`)
        taken = uow.deliveries.take([(d.id, d.status) for d in group], DeliveryStatus.SENDING)
        claimed = [d for d in group if d.id in taken]
        uow.commit()
    letters: list[tuple[Delivery, StoredLetter, Letter, Document]] = []
    lists: list[tuple[Delivery, Document]] = []
    broken: list[tuple[Delivery, str]] = []
    for d in claimed:
        try:
            with uow:
                if d.kind is DeliveryKind.LETTER:  # only read: archived when the batch went (nothing to commit)
                    stored = work.stored_letter(company_id, d.ref_id)
                    letters.append((d, stored, *work.letter(company_id, stored)))
                    continue
                if d.kind is DeliveryKind.SETTLEMENT:
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
        work.went(company_id, letters)
        for d, _ in lists:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.SENT, sent_at=now(), attempt=True, expect=DeliveryStatus.SENDING, sent_on=on
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
    company_id: int | None = None,
    share: tuple[int, int] | None = None,
) -> OutboxReport:
    """:func:`deliver` with the collaborators of a run, the run lock held by the caller (so that what a worker
    that died left half-done is resumed at once); a worker's share (``company_id``, ``share``) resumes nothing
    another worker may be sending, and leaves that to the uncertain window."""
    return deliver(
        uow,
        renderer=collab.renderer,
        mailer=collab.mailer,
        print_dir=collab.print_dir,
        service=collab.service,
        on=on,
        remittance_dir=collab.remittance_dir,
        resume=share is None,
        retry_failed=retry_failed,
        max_attempts=max_attempts,
        progress=collab.progress,
        company_id=company_id,
        share=share,
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
