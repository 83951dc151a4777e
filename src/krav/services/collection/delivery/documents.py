"""The documents of the collection side as the debtor and the creditor get them: letters, collection lists and
settlement reports rendered once and archived, byte for byte the same after that (R-CLM-4, R-BANK-3)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time

from krav.domain.agreement import Agreement, DunningFlow
from krav.domain.collection.letters import Letter, Recipient, Sender, deadline_from
from krav.domain.collection.migration_letters import IMPORTED_LETTER
from krav.domain.collection.settlement import SettlementReport
from krav.domain.errors import NotFound
from krav.domain.money import format_amount
from krav.domain.party import Company
from krav.formats.csv_safe import safe_writer
from krav.formats.pain001 import PainParty, PainPayment, build_remittance
from krav.formats.settlement_csv import settlement_csv
from krav.services.ports import (
    Delivery,
    Document,
    DocumentKind,
    Renderer,
    Service,
    StoredLetter,
    UnitOfWork,
)

PDF = "application/pdf"


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


def payee_account(agreement: Agreement, company: Company, service: Service) -> str | None:
    """Where the debtor pays: the service's client account, or the creditor's own with its dunning flow."""
    return service.account if agreement.dunning_flow is DunningFlow.CLIENT_ACCOUNT else company.bank_account


def compose_letter(
    uow: UnitOfWork,
    company: Company,
    stored: StoredLetter,
    service: Service,
    *,
    sent_on: date | None = None,
    account: str | None = None,
    recipients: Mapping[str, tuple[date, Recipient]] | None = None,
) -> Letter:
    """The letter as data, with its sender, the service, and the debtor as the claim submitted last of its claims
    recorded them (``recipients``: each claim's day of submission and debtor by collection ID, where the caller
    read them already, for every claim of the letter).

    R-SVC-2: a letter going out (``sent_on``: the day it goes) is dated that day, its deadline counted from then,
    and names the ``account`` the debtor pays to as the settings say now (so a letter that could not be sent
    does not keep a setting that was wrong when it was written)."""
    assert company.id is not None
    named = [line.collection_id for line in stored.lines]
    if recipients is None or any(n not in recipients for n in named):
        recipients = uow.collection.recipients(company.id, named)
    known = [recipients[n] for n in named if n in recipients]
    recipient = max(known, key=lambda k: k[0])[1] if known else _unknown(stored.debtor)
    return Letter(
        type=stored.type,
        creditor=creditor_sender(company),
        service=service.sender(),
        recipient=recipient,
        n=stored.n,
        sent_on=sent_on or stored.sent_on,
        deadline=deadline_from(sent_on, stored.sent_on, stored.deadline) if sent_on else stored.deadline,
        kid=stored.kid,
        account=account if account is not None and stored.account is not None else stored.account,
        lines=stored.lines,
        case_number=stored.case_number,
        note=stored.note,
    )


def _unknown(number: str) -> Recipient:
    return Recipient(number, number, "consumer", None, None, None, None, "NO", None)


def safe_name(text: str) -> str:
    """A customer number as part of a file name: letters, digits, ``-``, ``_`` and ``.`` kept, the rest ``_``,
    never a path of its own."""
    cleaned = re.sub(r"[^0-9A-Za-z._-]", "_", text).lstrip(".")
    return cleaned or "_"


def letter_filename(stored: StoredLetter) -> str:
    """``{debtor}-{n}-{type}.pdf``, as the scenario runner writes them; unique per letter.

    A debtor number that is not a file name as it stands (``K/10001``) is made safe and the letter's id added
    (``K_10001-1-notice-letter7.pdf``), as another debtor may be numbered ``K_10001``. Read from the right, a
    name is the type, the number and the debtor, so no two letters of a creditor share one.
    """
    safe = safe_name(stored.debtor)
    base = f"{safe}-{stored.n}-{stored.type.value}"
    return f"{base}.pdf" if safe == stored.debtor else f"{base}-letter{stored.id}.pdf"


def letter_document(
    uow: UnitOfWork, company: Company, stored: StoredLetter, service: Service, renderer: Renderer
) -> Document:
    """The letter's PDF from the archive, which keeps the bytes that went out (archived when the letter was sent;
    a letter sent before that was archived on first ask, byte for byte after that). A letter not sent yet is
    rendered as it stands, and not archived: it is dated the day it goes out (R-SVC-2)."""
    assert company.id is not None
    if stored.note == IMPORTED_LETTER:  # docs/migration.md: Krav did not send it, so it has no PDF to show for it
        raise NotFound(f"letter {stored.id} was sent by the earlier collection service: Krav has no PDF of it")
    found = uow.deliveries.document(company.id, DocumentKind.LETTER, str(stored.id))
    if found is not None:
        return found
    content = renderer.render_letter(compose_letter(uow, company, stored, service))
    if stored.status is not None and not stored.sent:
        digest = hashlib.sha256(content).hexdigest()
        return Document(DocumentKind.LETTER, str(stored.id), letter_filename(stored), PDF, digest, content, utcnow())
    return uow.deliveries.archive(
        company.id, DocumentKind.LETTER, str(stored.id), letter_filename(stored), PDF, content
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def list_document(uow: UnitOfWork, company: Company, list_id: int, renderer: Renderer) -> Document:
    assert company.id is not None
    found = uow.deliveries.document(company.id, DocumentKind.COLLECTION_LIST, str(list_id))
    if found is not None:
        return found
    for list_date, _invoices, lid in uow.collection.lists(company.id):
        if lid == list_id:
            rows = uow.collection.list_rows(company.id, list_id)
            automatic = uow.agreements.get(company.id).automatic_collection_list
            content = renderer.render_collection_list(creditor_sender(company), list_date, rows, automatic=automatic)
            name = f"inkassoliste-{company.orgno}-{list_date.isoformat()}.pdf"
            return uow.deliveries.archive(company.id, DocumentKind.COLLECTION_LIST, str(list_id), name, PDF, content)
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
    found = [
        uow.deliveries.document(company.id, kind, ref)
        for kind in (DocumentKind.SETTLEMENT_PDF, DocumentKind.SETTLEMENT_CSV, DocumentKind.PAIN001)
    ]
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
            company.id, DocumentKind.SETTLEMENT_PDF, ref, f"{base}.pdf", PDF, renderer.render_settlement_report(report)
        ),
        uow.deliveries.archive(
            company.id, DocumentKind.SETTLEMENT_CSV, ref, f"{base}.csv", "text/csv", settlement_csv(report)
        ),
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
        docs.append(
            uow.deliveries.archive(
                company.id, DocumentKind.PAIN001, ref, f"{base}.pain001.xml", "application/xml", pain
            )
        )
    return docs


def print_manifest(letters: Sequence[tuple[Delivery, StoredLetter, Letter, Document]]) -> str:
    """The print batch's manifest (CSV, ``;``): each letter in page order, its recipient, total, KID and deadline."""
    manifest = io.StringIO()
    writer = safe_writer(manifest, delimiter=";")  # names and numbers stay text in a spreadsheet
    writer.writerow(
        [
            *("page_order", "letter_id", "debtor", "n", "type"),
            *("name", "street", "postcode", "city", "country", "total", "kid", "deadline"),
        ]
    )
    for order, (_, stored, letter, _doc) in enumerate(letters, start=1):
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
                letter.deadline.isoformat() if letter.deadline else "",
            ]
        )
    return manifest.getvalue()
