"""The e-mails the outbox sends: the subject and a short text for a letter (its PDF attached), a collection list
or a settlement, from the service; the Message-ID names the delivery, so a bounce finds it again (R-SVC-2)."""

from __future__ import annotations

from dataclasses import replace

from krav.domain.collection.letters import Letter, LetterType
from krav.domain.money import format_amount
from krav.domain.party import Company
from krav.services.ports import Attachment, Delivery, Document, DocumentKind, OutgoingMail, Service

SUBJECTS = {
    LetterType.REMINDER: ("Betalingspåminnelse", "Payment reminder"),
    LetterType.NOTICE: ("Inkassovarsel", "Debt collection notice"),
    LetterType.INTEREST_NOTE: ("Rentenota", "Interest note"),
    LetterType.PAYMENT_DEMAND: ("Betalingsoppfordring", "Payment demand"),
    LetterType.LEGAL_NOTICE: ("Varsel om rettslig inkasso", "Notice of legal collection"),
    LetterType.PAID_CONFIRMATION: ("Bekreftelse på betalt sak", "Confirmation of payment"),
    LetterType.OBJECTION_ANSWER: ("Svar på innsigelse", "Answer to your objection"),
}


def message_id(delivery_key: str) -> str:
    """The Message-ID of a delivery's e-mail; a delivery status notification quotes it (R-SVC-2)."""
    return f"<{delivery_key}@krav>"


def delivery_key_of(message_id_header: str) -> str | None:
    """The delivery key in a Message-ID Krav set (:func:`message_id`), or None for any other."""
    value = message_id_header.strip()
    if not (value.startswith("<") and value.endswith("@krav>")):
        return None
    return value[1:].removesuffix("@krav>") or None


def _orgno(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 9 and value.isdigit() else value


def _account(value: str | None) -> str:
    if value and len(value) == 11 and value.isdigit():
        return f"{value[:4]}.{value[4:6]}.{value[6:]}"
    return value or ""


def letter_mail(delivery: Delivery, company: Company, doc: Document, letter: Letter, service: Service) -> OutgoingMail:
    """A letter by e-mail: what to pay, where and by when, in the debtor's language, with the PDF attached."""
    nb, en = SUBJECTS[letter.type]
    pays = letter.asks_for_payment and letter.deadline is not None and letter.kid
    if letter.recipient.language == "en":
        subject = f"{en} from {company.name}"
        body = (
            f"Hello,\n\nAttached is a {en.lower()} from {company.name} (org. no. {_orgno(company.orgno)}), sent by "
            f"{service.name}.\n"
            + (
                f"Pay NOK {format_amount(letter.total)} to account {_account(letter.account)} with KID {letter.kid} "
                f"by {letter.deadline:%d.%m.%Y}.\n"
                if pays
                else ""
            )
            + f"\nQuestions? Reply to this e-mail or contact {service.name}.\n"
        )
    else:
        subject = f"{nb} fra {company.name}"
        body = (
            f"Hei,\n\nVedlagt er {nb.lower()} fra {company.name} (org.nr. {_orgno(company.orgno)}), sendt av {service.name}.\n"
            + (
                f"Betal {format_amount(letter.total)} kr til konto {_account(letter.account)} med KID {letter.kid} "
                f"innen {letter.deadline:%d.%m.%Y}.\n"
                if pays
                else ""
            )
            + f"\nSpørsmål? Svar på denne e-posten eller kontakt {service.name}.\n"
        )
    return _mail(delivery, service, subject, body, doc)


def list_mail(delivery: Delivery, company: Company, doc: Document, service: Service) -> OutgoingMail:
    """R-CLM-4: the Tuesday collection list to the agreement's address."""
    body = f"Vedlagt er inkassolisten for {company.name} (org.nr. {_orgno(company.orgno)}).\n"
    return _mail(delivery, service, f"Inkassoliste {company.name}", body, doc)


def settlement_mail(delivery: Delivery, company: Company, docs: list[Document], service: Service) -> OutgoingMail:
    """R-BANK-3: the settlement report as PDF and CSV to the creditor."""
    pdf, *extra = docs
    mail = _mail(
        delivery,
        service,
        f"Oppgjør fra {service.name} til {company.name}",
        f"Vedlagt er oppgjøret til {company.name} (org.nr. {_orgno(company.orgno)}) som PDF og CSV.\n",
        pdf,
    )
    csv = tuple(Attachment(x.filename, x.media_type, x.content) for x in extra if x.kind is DocumentKind.SETTLEMENT_CSV)
    return replace(mail, attachments=mail.attachments + csv)


def _mail(delivery: Delivery, service: Service, subject: str, body: str, doc: Document) -> OutgoingMail:
    return OutgoingMail(
        sender=f"{service.name} <{service.email or 'noreply@krav.invalid'}>",
        to=delivery.address or "",
        subject=subject,
        body=body,
        message_id=message_id(delivery.delivery_key),
        attachments=(Attachment(doc.filename, doc.media_type, doc.content),),
    )
