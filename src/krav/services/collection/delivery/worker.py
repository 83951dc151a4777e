"""The delivery worker: renders, archives and sends what the outbox holds (DESIGN.md "Time and jobs").

Each delivery has a key (one per letter) and goes ``pending → sending → sent``; a delivery found still ``sending``
by a later worker may or may not have left (the process died between sending and marking it sent), so it is
marked ``uncertain`` and reported rather than sent twice; a failed one is retried up to :data:`MAX_ATTEMPTS`
times and then reported. E-mails go one by one; print letters go as one batch PDF per creditor and day with a
CSV manifest.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from krav.domain.collection.letters import Letter, LetterType
from krav.domain.money import format_amount
from krav.domain.party import Company
from krav.formats.csv_safe import safe_writer
from krav.services.collection.delivery.documents import (
    PDF,
    compose_letter,
    letter_document,
    list_document,
    settlement_documents,
)
from krav.services.ports import (
    Attachment,
    Channel,
    Collaborators,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Document,
    DocumentKind,
    Mailer,
    OutgoingMail,
    Renderer,
    Service,
    StoredLetter,
    UnitOfWork,
)

MAX_ATTEMPTS = 5

SUBJECTS = {
    LetterType.REMINDER: ("Betalingspåminnelse", "Payment reminder"),
    LetterType.NOTICE: ("Inkassovarsel", "Debt collection notice"),
    LetterType.INTEREST_NOTE: ("Rentenota", "Interest note"),
    LetterType.PAYMENT_DEMAND: ("Betalingsoppfordring", "Payment demand"),
    LetterType.LEGAL_NOTICE: ("Varsel om rettslig inkasso", "Notice of legal collection"),
    LetterType.PAID_CONFIRMATION: ("Bekreftelse på betalt sak", "Confirmation of payment"),
}


@dataclass
class OutboxReport:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    printed: int = 0
    errors: list[str] = field(default_factory=list)


def _orgno(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 9 and value.isdigit() else value


def _account(value: str | None) -> str:
    if value and len(value) == 11 and value.isdigit():
        return f"{value[:4]}.{value[4:6]}.{value[6:]}"
    return value or ""


def _mail_for(
    delivery: Delivery, company: Company, doc: Document, stored: StoredLetter | None, service: Service, language: str
) -> OutgoingMail:
    sender = f"{service.name} <{service.email or 'noreply@krav.invalid'}>"
    if stored is not None and language == "en":
        _, en = SUBJECTS[stored.type]
        subject = f"{en} from {company.name}"
        body = (
            f"Hello,\n\nAttached is a {en.lower()} from {company.name} (org. no. {_orgno(company.orgno)}), sent by "
            f"{service.name}.\n"
            + (
                f"Pay NOK {format_amount(stored.total)} to account {_account(stored.account)} with KID {stored.kid} "
                f"by {stored.deadline:%d.%m.%Y}.\n"
                if stored.deadline and stored.kid
                else ""
            )
            + f"\nQuestions? Reply to this e-mail or contact {service.name}.\n"
        )
    elif stored is not None:
        nb, _ = SUBJECTS[stored.type]
        subject = f"{nb} fra {company.name}"
        body = (
            f"Hei,\n\nVedlagt er {nb.lower()} fra {company.name} (org.nr. {_orgno(company.orgno)}), sendt av {service.name}.\n"
            + (
                f"Betal {format_amount(stored.total)} kr til konto {_account(stored.account)} med KID {stored.kid} "
                f"innen {stored.deadline:%d.%m.%Y}.\n"
                if stored.deadline and stored.kid
                else ""
            )
            + f"\nSpørsmål? Svar på denne e-posten eller kontakt {service.name}.\n"
        )
    else:
        subject = f"Inkassoliste {company.name}"
        body = f"Vedlagt er inkassolisten for {company.name} (org.nr. {_orgno(company.orgno)}).\n"
    return OutgoingMail(
        sender=sender,
        to=delivery.address or "",
        subject=subject,
        body=body,
        message_id=f"<{delivery.delivery_key}@krav>",
        attachments=(Attachment(doc.filename, doc.media_type, doc.content),),
    )


def mark_interrupted(uow: UnitOfWork, *, stale_after: timedelta = timedelta(minutes=10), resume: bool = False) -> int:
    """Deliveries left ``sending`` by a worker that died. An e-mail handed to the mail server may have left, so it
    becomes ``uncertain`` and is reported, never sent twice; a print delivery left nothing outside Krav's own
    print folder, so it goes back in line. With ``resume`` (the caller holds the run lock, so no other worker is
    sending) this happens at once; otherwise once the delivery is ``stale_after`` old. Returns how many became
    uncertain."""
    with uow:
        count = 0
        cutoff = datetime.now(UTC) if resume else datetime.now(UTC) - stale_after
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
    limit: int = 1000,
    stale_after: timedelta = timedelta(minutes=10),
    remittance_dir: Path | None = None,
    resume: bool = False,
) -> OutboxReport:
    """Render, archive and send what is due: e-mails one by one, print letters as one batch PDF per creditor
    and day with a CSV manifest. A delivery is made while it is ``pending`` (or ``failed``): an e-mail becomes
    ``sending`` only when it is handed to the mail server, a print delivery ``sent`` once its batch is written,
    so a worker killed before that leaves it to be made again. ``resume``: see :func:`mark_interrupted`."""
    report = OutboxReport()
    report.uncertain = mark_interrupted(uow, stale_after=stale_after, resume=resume)
    with uow:
        due = uow.deliveries.deliveries(
            statuses=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], limit=limit, max_attempts=MAX_ATTEMPTS
        )
    remittance = remittance_dir or print_dir.parent / "remittance"
    for d in [d for d in due if d.channel is Channel.EMAIL]:
        _deliver_email(uow, d, renderer, mailer, service, report, remittance)
    batches: dict[tuple[int, date], list[Delivery]] = defaultdict(list)
    for d in due:
        if d.channel is Channel.PRINT:
            batches[(d.company_id, d.on_date)].append(d)
    for (company_id, on), group in sorted(batches.items()):
        _deliver_print(uow, company_id, on, group, renderer, print_dir, service, report, remittance)
    return report


def send_outbox(uow: UnitOfWork, collab: Collaborators) -> OutboxReport:
    """``krav outbox send``: deliver what waits, holding the run lock (so it resumes at once what a worker that
    died left half-done, and never runs beside a daily run)."""
    with collab.lock.hold("krav outbox send"):
        return deliver(
            uow,
            renderer=collab.renderer,
            mailer=collab.mailer,
            print_dir=collab.print_dir,
            service=collab.service,
            remittance_dir=collab.remittance_dir,
            resume=True,
        )


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


def _deliver_email(
    uow: UnitOfWork,
    d: Delivery,
    renderer: Renderer,
    mailer: Mailer,
    service: Service,
    report: OutboxReport,
    remittance_dir: Path,
) -> None:
    try:
        with uow:
            mail = _compose_mail(uow, d, renderer, service, remittance_dir)
            uow.commit()
    except Exception as exc:  # a letter that cannot be made is recorded and retried; the rest go on
        _failed(uow, [d], f"{type(exc).__name__}: {exc}", report, expect=d.status)
        return
    with uow:
        if not uow.deliveries.set_status(d.id, DeliveryStatus.SENDING, attempt=True, expect=d.status):
            return  # another worker took it
        uow.commit()
    try:
        mailer.send(mail)
    except Exception as exc:  # not accepted by the mail server: recorded and retried
        _failed(uow, [d], f"{type(exc).__name__}: {exc}", report, expect=DeliveryStatus.SENDING, counted=True)
        return
    with uow:
        uow.deliveries.set_status(d.id, DeliveryStatus.SENT, sent_at=datetime.now(UTC), expect=DeliveryStatus.SENDING)
        uow.commit()
    report.sent += 1


def _failed(
    uow: UnitOfWork,
    deliveries: Sequence[Delivery],
    error: str,
    report: OutboxReport,
    *,
    expect: DeliveryStatus | None = None,
    batch: str | None = None,
    counted: bool = False,
) -> None:
    """Record that deliveries failed; ``expect``: the status they are in (None: their own); ``counted``: the
    attempt was counted when the delivery was handed on, else it is counted now."""
    stored = f"{batch}: {error}" if batch is not None else error
    with uow:
        for d in deliveries:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.FAILED, error=stored[:1000], attempt=not counted, expect=expect or d.status
            )
        uow.commit()
    report.failed += len(deliveries)
    if batch is not None:
        report.errors.append(f"{batch}: {error}")
    else:
        report.errors.extend(f"{d.delivery_key} to {d.address or d.channel}: {error}" for d in deliveries)


def _compose_mail(
    uow: UnitOfWork, d: Delivery, renderer: Renderer, service: Service, remittance_dir: Path
) -> OutgoingMail:
    company = uow.companies.by_id(d.company_id)
    stored = _stored_letter(uow, d.company_id, d.ref_id) if d.kind is DeliveryKind.LETTER else None
    extra: list[Document] = []
    if stored is not None:
        doc = letter_document(uow, company, stored, service, renderer)
        language = compose_letter(uow, company, stored, service).recipient.language
    elif d.kind is DeliveryKind.SETTLEMENT:
        doc, *extra = settlement_documents(uow, company, d.ref_id, renderer, service)
        _write_remittance(remittance_dir, company, extra)
        language = "nb"
    else:
        doc = list_document(uow, company, d.ref_id, renderer)
        language = "nb"
    mail = _mail_for(d, company, doc, stored, service, language)
    if d.kind is DeliveryKind.SETTLEMENT:
        mail = replace(
            mail,
            subject=f"Oppgjør fra {service.name} til {company.name}",
            body=f"Vedlagt er oppgjøret til {company.name} (org.nr. {_orgno(company.orgno)}) som PDF og CSV.\n",
            attachments=mail.attachments
            + tuple(
                Attachment(x.filename, x.media_type, x.content) for x in extra if x.kind is DocumentKind.SETTLEMENT_CSV
            ),
        )
    return mail


def _deliver_print(
    uow: UnitOfWork,
    company_id: int,
    on: date,
    group: list[Delivery],
    renderer: Renderer,
    print_dir: Path,
    service: Service,
    report: OutboxReport,
    remittance_dir: Path,
) -> None:
    with uow:
        company = uow.companies.by_id(company_id)
        # claimed as ``sending`` while the batch is made: nothing leaves Krav's print folder, so a worker that dies
        # meanwhile leaves them to be printed again (:func:`mark_interrupted`)
        claimed = [d for d in group if uow.deliveries.set_status(d.id, DeliveryStatus.SENDING, expect=d.status)]
        uow.commit()
    letters: list[tuple[Delivery, StoredLetter, Letter]] = []
    lists: list[tuple[Delivery, Document]] = []
    broken: list[tuple[Delivery, str]] = []
    for d in claimed:
        try:
            with uow:
                if d.kind is DeliveryKind.LETTER:
                    stored = _stored_letter(uow, company_id, d.ref_id)
                    letter_document(uow, company, stored, service, renderer)
                    letters.append((d, stored, compose_letter(uow, company, stored, service)))
                elif d.kind is DeliveryKind.SETTLEMENT:
                    docs = settlement_documents(uow, company, d.ref_id, renderer, service)
                    _write_remittance(remittance_dir, company, docs)
                    lists.extend((d, doc) for doc in docs if doc.kind is not DocumentKind.PAIN001)
                else:
                    lists.append((d, list_document(uow, company, d.ref_id, renderer)))
                uow.commit()
        except Exception as exc:  # one letter that cannot be made must not hold back the others
            broken.append((d, f"{type(exc).__name__}: {exc}"))
    for d, error in broken:
        _failed(uow, [d], error, report, expect=DeliveryStatus.SENDING)
    claimed = [d for d in claimed if d not in {b for b, _ in broken}]
    if not claimed:
        return
    folder = print_dir / company.orgno / on.isoformat()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if letters:
            batch = renderer.render_letters([letter for _, _, letter in letters])
            first = min(d.id for d, _, _ in letters)
            name = f"utskrift-{company.orgno}-{on.isoformat()}-{first}.pdf"
            (folder / name).write_bytes(batch)
            manifest = io.StringIO()
            writer = safe_writer(manifest, delimiter=";")  # names and numbers stay text in a spreadsheet
            writer.writerow(
                [
                    "page_order",
                    "letter_id",
                    "debtor",
                    "n",
                    "type",
                    "name",
                    "street",
                    "postcode",
                    "city",
                    "country",
                    "total",
                    "kid",
                    "deadline",
                ]
            )
            for order, (_, stored, letter) in enumerate(letters, start=1):
                r = letter.recipient
                writer.writerow(
                    [
                        order,
                        stored.id,
                        stored.debtor,
                        stored.n,
                        stored.type.value,
                        r.name[:200],
                        r.street,
                        r.postcode,
                        r.city,
                        r.country,
                        format_amount(letter.total),
                        stored.kid or "",
                        stored.deadline.isoformat() if stored.deadline else "",
                    ]
                )
            (folder / name.replace(".pdf", ".csv")).write_text(manifest.getvalue(), "utf-8")
            with uow:
                uow.deliveries.archive(
                    company_id, DocumentKind.PRINT_BATCH, f"{on.isoformat()}#{first}", name, PDF, batch
                )
                uow.commit()
        for _, doc in lists:
            (folder / doc.filename).write_bytes(doc.content)
    except Exception as exc:  # the batch could not be made or written: every letter in it is retried
        what = f"print batch {company.orgno} {on}"
        _failed(uow, claimed, f"{type(exc).__name__}: {exc}", report, expect=DeliveryStatus.SENDING, batch=what)
        return
    with uow:
        for d in claimed:
            uow.deliveries.set_status(
                d.id, DeliveryStatus.SENT, sent_at=datetime.now(UTC), attempt=True, expect=DeliveryStatus.SENDING
            )
        uow.commit()
    report.printed += len(claimed)


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
