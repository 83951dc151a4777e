"""Letters and lists out: the outbox, the archive, e-mail and print (DESIGN.md "Time and jobs", R-CLM-4).

The letter record and its delivery job are written in the same transaction as the claim's change (the daily run
calls :func:`enqueue_letter`). A worker (:func:`deliver`) renders, archives and sends. Each delivery has a key
(one per letter) and goes ``pending → sending → sent``; a delivery found still ``sending`` by a later worker may
or may not have left (the process died between sending and marking it sent), so it is marked ``uncertain`` and
reported rather than sent twice; a failed one is retried up to :data:`MAX_ATTEMPTS` times and then reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from krav.domain.collection.letters import Letter, LetterType, Recipient, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.money import format_amount
from krav.domain.party import Company, is_valid_email
from krav.formats.pain001 import PainParty, PainPayment, build_remittance
from krav.formats.settlement_csv import settlement_csv
from krav.services.ports import (
    Attachment,
    Delivery,
    Document,
    Mailer,
    OutgoingMail,
    Renderer,
    Service,
    StoredLetter,
    UnitOfWork,
)

MAX_ATTEMPTS = 5
PDF = "application/pdf"

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


# -- writing the jobs (inside the daily run's transaction) ----------------------------------------------------------


#: inkassoloven § 10: the payment demand goes on paper unless the debtor agreed to electronic letters, which Krav
#: does not record; the notice of legal collection follows it.
ON_PAPER = frozenset({LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE})


def enqueue_letter(uow: UnitOfWork, letter: StoredLetter, recipient: Recipient) -> None:
    """A delivery job for a letter just stored: e-mail when the debtor has an address, else the print batch;
    payment demands and notices of legal collection always on paper (inkassoloven § 10)."""
    email = recipient.email if is_valid_email(recipient.email) and letter.type not in ON_PAPER else None
    uow.deliveries.enqueue(
        letter.company_id,
        "letter",
        letter.id,
        letter.sent_on,
        "email" if email else "print",
        email,
        f"letter-{letter.id}",
    )


def enqueue_list(uow: UnitOfWork, company_id: int, list_id: int, list_date: date, email: str | None) -> None:
    """R-CLM-4: the Tuesday collection list goes as a PDF by e-mail to the agreement's address."""
    channel = "email" if is_valid_email(email) else "print"
    uow.deliveries.enqueue(company_id, "collection_list", list_id, list_date, channel, email, f"list-{list_id}")


def enqueue_settlement(uow: UnitOfWork, company_id: int, settlement_id: int, on: date, email: str | None) -> None:
    """R-BANK-3: the settlement report (PDF and CSV) to the creditor, and the pain.001 remittance file."""
    channel = "email" if is_valid_email(email) else "print"
    uow.deliveries.enqueue(company_id, "settlement", settlement_id, on, channel, email, f"settlement-{settlement_id}")


# -- composing documents --------------------------------------------------------------------------------------------


def creditor_sender(company: Company) -> Sender:
    return Sender(
        company.name,
        company.orgno,
        company.address.street,
        company.address.postcode,
        company.address.city,
        company.email,
        company.phone,
    )


def compose_letter(uow: UnitOfWork, company: Company, stored: StoredLetter, service: Service) -> Letter:
    """The letter as data, with its sender, the service, and the debtor as their claims recorded them."""
    assert company.id is not None
    claims = uow.collection.claims(company.id, collection_ids=[line.collection_id for line in stored.lines])
    recipient = max(claims, key=lambda c: c.submitted_on).debtor if claims else _unknown(stored.debtor)
    return Letter(
        type=stored.type,
        creditor=creditor_sender(company),
        service=service.sender(),
        recipient=recipient,
        n=stored.n,
        sent_on=stored.sent_on,
        deadline=stored.deadline,
        kid=stored.kid,
        account=stored.account,
        lines=stored.lines,
        case_number=stored.case_number,
    )


def _unknown(number: str) -> Recipient:
    return Recipient(number, number, "consumer", None, None, None, None, "NO", None)


def safe_name(text: str) -> str:
    """A customer number as part of a file name: letters, digits, ``-``, ``_`` and ``.`` kept, the rest ``_``,
    never a path of its own."""
    cleaned = re.sub(r"[^0-9A-Za-z._-]", "_", text).lstrip(".")
    return cleaned or "_"


def letter_filename(stored: StoredLetter) -> str:
    """``{debtor}-{n}-{type}.pdf``, as the scenario runner writes them (the debtor number made safe)."""
    return f"{safe_name(stored.debtor)}-{stored.n}-{stored.type.value}.pdf"


def letter_document(
    uow: UnitOfWork, company: Company, stored: StoredLetter, service: Service, renderer: Renderer
) -> Document:
    """The letter's PDF from the archive, rendered and archived the first time (byte for byte after that)."""
    assert company.id is not None
    found = uow.deliveries.document(company.id, "letter", str(stored.id))
    if found is not None:
        return found
    content = renderer.render_letter(compose_letter(uow, company, stored, service))
    return uow.deliveries.archive(company.id, "letter", str(stored.id), letter_filename(stored), PDF, content)


def list_document(uow: UnitOfWork, company: Company, list_id: int, renderer: Renderer) -> Document:
    assert company.id is not None
    found = uow.deliveries.document(company.id, "collection_list", str(list_id))
    if found is not None:
        return found
    for list_date, _invoices, lid in uow.collection.lists_with_ids(company.id):
        if lid == list_id:
            rows = uow.collection.list_rows(company.id, list_id)
            content = renderer.render_collection_list(creditor_sender(company), list_date, rows)
            name = f"inkassoliste-{company.orgno}-{list_date.isoformat()}.pdf"
            return uow.deliveries.archive(company.id, "collection_list", str(list_id), name, PDF, content)
    raise LookupError(f"no collection list {list_id}")


def settlement_documents(
    uow: UnitOfWork, company: Company, settlement_id: int, renderer: Renderer, service: Service
) -> list[Document]:
    """R-BANK-3: the settlement report as PDF and CSV, and the pain.001 file that remits it, archived once."""
    assert company.id is not None
    stored = [st for st in uow.collection.settlements(company.id) if st.id == settlement_id]
    if not stored:
        raise LookupError(f"no settlement {settlement_id}")
    st = stored[0]
    ref = str(settlement_id)
    found = [uow.deliveries.document(company.id, kind, ref) for kind in ("settlement_pdf", "settlement_csv", "pain001")]
    if all(d is not None for d in found):
        return [d for d in found if d is not None]
    report = SettlementReport(
        creditor=creditor_sender(company),
        service=service.sender(),
        reference=st.reference,
        settled_on=st.settled_on,
        to_account=company.bank_account,
        lines=tuple(uow.collection.settlement_lines(company.id, settlement_id)),
    )
    base = f"oppgjor-{company.orgno}-{st.settled_on.isoformat()}"
    docs = [
        uow.deliveries.archive(
            company.id, "settlement_pdf", ref, f"{base}.pdf", PDF, renderer.render_settlement_report(report)
        ),
        uow.deliveries.archive(company.id, "settlement_csv", ref, f"{base}.csv", "text/csv", settlement_csv(report)),
    ]
    if company.bank_account and report.total.is_positive():
        pain = build_remittance(
            PainParty(service.name, service.orgno, service.account),
            [
                PainPayment(
                    end_to_end_id=st.reference,
                    amount=report.total,
                    creditor_name=company.name,
                    creditor_account=company.bank_account,
                    remittance_text=f"Oppgjør {st.reference}",
                    requested_date=st.settled_on,
                )
            ],
            message_id=st.reference,
            created=datetime.combine(st.settled_on, time(6), tzinfo=UTC),
        )
        docs.append(uow.deliveries.archive(company.id, "pain001", ref, f"{base}.pain001.xml", "application/xml", pain))
    return docs


# -- the worker ---------------------------------------------------------------------------------------------------


def _company_by_id(uow: UnitOfWork, company_id: int) -> Company:
    for company in uow.companies.all():
        if company.id == company_id:
            return company
    raise LookupError(f"no company {company_id}")


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


def mark_interrupted(uow: UnitOfWork, *, stale_after: timedelta = timedelta(minutes=10)) -> int:
    """Deliveries left ``sending`` by a worker that died: they may have left, so they become ``uncertain``."""
    with uow:
        count = 0
        cutoff = datetime.now(UTC) - stale_after
        for d in uow.deliveries.deliveries(statuses=["sending"]):
            if d.sent_at is None and d.updated_at <= cutoff:
                uow.deliveries.set_status(
                    d.id,
                    "uncertain",
                    error="interrupted between sending and marking sent; not sent again",
                    expect="sending",
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
) -> OutboxReport:
    """Render, archive and send what is due: e-mails one by one, print letters as one batch PDF per creditor
    and day with a CSV manifest."""
    report = OutboxReport()
    report.uncertain = mark_interrupted(uow, stale_after=stale_after)
    with uow:
        due = uow.deliveries.deliveries(statuses=["pending", "failed"], limit=limit, max_attempts=MAX_ATTEMPTS)
    remittance = remittance_dir or print_dir.parent / "remittance"
    for d in [d for d in due if d.channel == "email"]:
        _deliver_email(uow, d, renderer, mailer, service, report, remittance)
    batches: dict[tuple[int, date], list[Delivery]] = defaultdict(list)
    for d in due:
        if d.channel == "print":
            batches[(d.company_id, d.on_date)].append(d)
    for (company_id, on), group in sorted(batches.items()):
        _deliver_print(uow, company_id, on, group, renderer, print_dir, service, report, remittance)
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
        if doc.kind == "pain001":
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
    with uow:
        if not uow.deliveries.set_status(d.id, "sending", attempt=True, expect=d.status):
            return
        uow.commit()
    try:
        with uow:
            mail = _compose_mail(uow, d, renderer, service, remittance_dir)
            uow.commit()
        mailer.send(mail)
    except Exception as exc:  # a letter that cannot be made or sent is recorded and retried; the rest go on
        _failed(uow, [d], f"{type(exc).__name__}: {exc}", report)
        return
    with uow:
        uow.deliveries.set_status(d.id, "sent", sent_at=datetime.now(UTC), expect="sending")
        uow.commit()
    report.sent += 1


def _failed(
    uow: UnitOfWork, deliveries: Sequence[Delivery], error: str, report: OutboxReport, *, batch: str | None = None
) -> None:
    stored = f"{batch}: {error}" if batch is not None else error
    with uow:
        for d in deliveries:
            uow.deliveries.set_status(d.id, "failed", error=stored[:1000], expect="sending")
        uow.commit()
    report.failed += len(deliveries)
    if batch is not None:
        report.errors.append(f"{batch}: {error}")
    else:
        report.errors.extend(f"{d.delivery_key} to {d.address or d.channel}: {error}" for d in deliveries)


def _compose_mail(
    uow: UnitOfWork, d: Delivery, renderer: Renderer, service: Service, remittance_dir: Path
) -> OutgoingMail:
    company = _company_by_id(uow, d.company_id)
    stored = _stored_letter(uow, d.company_id, d.ref_id) if d.kind == "letter" else None
    extra: list[Document] = []
    if stored is not None:
        doc = letter_document(uow, company, stored, service, renderer)
        language = compose_letter(uow, company, stored, service).recipient.language
    elif d.kind == "settlement":
        doc, *extra = settlement_documents(uow, company, d.ref_id, renderer, service)
        _write_remittance(remittance_dir, company, extra)
        language = "nb"
    else:
        doc = list_document(uow, company, d.ref_id, renderer)
        language = "nb"
    mail = _mail_for(d, company, doc, stored, service, language)
    if d.kind == "settlement":
        mail = replace(
            mail,
            subject=f"Oppgjør fra {service.name} til {company.name}",
            body=f"Vedlagt er oppgjøret til {company.name} (org.nr. {_orgno(company.orgno)}) som PDF og CSV.\n",
            attachments=mail.attachments
            + tuple(Attachment(x.filename, x.media_type, x.content) for x in extra if x.kind == "settlement_csv"),
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
        company = _company_by_id(uow, company_id)
        claimed = [d for d in group if uow.deliveries.set_status(d.id, "sending", attempt=True, expect=d.status)]
        uow.commit()
    letters: list[tuple[Delivery, StoredLetter, Letter]] = []
    lists: list[tuple[Delivery, Document]] = []
    broken: list[tuple[Delivery, str]] = []
    for d in claimed:
        try:
            with uow:
                if d.kind == "letter":
                    stored = _stored_letter(uow, company_id, d.ref_id)
                    letter_document(uow, company, stored, service, renderer)
                    letters.append((d, stored, compose_letter(uow, company, stored, service)))
                elif d.kind == "settlement":
                    docs = settlement_documents(uow, company, d.ref_id, renderer, service)
                    _write_remittance(remittance_dir, company, docs)
                    lists.extend((d, doc) for doc in docs if doc.kind != "pain001")
                else:
                    lists.append((d, list_document(uow, company, d.ref_id, renderer)))
                uow.commit()
        except Exception as exc:  # one letter that cannot be made must not hold back the others
            broken.append((d, f"{type(exc).__name__}: {exc}"))
    for d, error in broken:
        _failed(uow, [d], error, report)
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
            writer = csv.writer(manifest, delimiter=";")
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
                uow.deliveries.archive(company_id, "print_batch", f"{on.isoformat()}#{first}", name, PDF, batch)
                uow.commit()
        for _, doc in lists:
            (folder / doc.filename).write_bytes(doc.content)
    except Exception as exc:  # the batch could not be made or written: every letter in it is retried
        _failed(uow, claimed, f"{type(exc).__name__}: {exc}", report, batch=f"print batch {company.orgno} {on}")
        return
    with uow:
        for d in claimed:
            uow.deliveries.set_status(d.id, "sent", sent_at=datetime.now(UTC), expect="sending")
        uow.commit()
    report.printed += len(claimed)


def retry(uow: UnitOfWork, *, uncertain: bool = False) -> int:
    """Put failed deliveries (and with ``uncertain``, the uncertain ones, after a person checked) back in line."""
    statuses = ["failed", "uncertain"] if uncertain else ["failed"]
    with uow:
        count = 0
        for d in uow.deliveries.deliveries(statuses=statuses):
            if uow.deliveries.set_status(d.id, "pending", expect=d.status, reset_attempts=True):
                count += 1
        uow.commit()
        return count


def status(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        counts: dict[str, int] = defaultdict(int)
        for d in uow.deliveries.deliveries():
            counts[d.status] += 1
        return dict(counts)
