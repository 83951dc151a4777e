"""The e-mail a letter goes out as: what a mail program reads back from it is what Krav meant to send — Norwegian
letters in the subject, the sender's name and the file names, the text, and the PDF to the byte."""

from __future__ import annotations

import email
import email.policy
import random
from email.message import EmailMessage
from pathlib import Path

from krav.adapters.mail import FolderMailer, as_bytes, build_message
from krav.services.ports import Attachment, OutgoingMail

PDF = random.Random(7).randbytes(40_000)
MAIL = OutgoingMail(
    sender="Inkasso Øst AS <post@krav.example>",
    to="kari.nordmann@example.no",
    subject="Betalingspåminnelse fra Bjørn & Søn AS – faktura 1001, forfalt 14.03.2025, å betale innen 28.03.2025",
    body="Hei,\n\nVedlagt er en betalingspåminnelse fra Bjørn & Søn AS.\nBetal NOK 1 070,00 innen 28.03.2025.\n",
    message_id="<letter-12@krav>",
    attachments=(
        Attachment("påminnelse-12.pdf", "application/pdf", PDF),
        Attachment("oppgjør.csv", "text/csv", "fakturanr;beløp\n1001;1070,00\n".encode()),
    ),
)


def _read(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_a_mail_program_reads_back_every_header_the_text_and_the_attachments() -> None:
    raw = as_bytes(build_message(MAIL))
    assert raw.isascii()  # 7-bit clean: encoded words, quoted-printable and base64
    message = _read(raw)
    assert message["Subject"] == MAIL.subject
    assert message["From"] == MAIL.sender
    assert message["From"].addresses[0].display_name == "Inkasso Øst AS"
    assert message["To"] == MAIL.to
    assert message["Message-ID"] == "<letter-12@krav>"
    assert message["Date"].datetime is not None
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content() == MAIL.body
    pdf, csv = list(message.iter_attachments())
    assert (pdf.get_filename(), pdf.get_content_type(), pdf.get_content()) == (
        "påminnelse-12.pdf",
        "application/pdf",
        PDF,
    )
    assert (csv.get_filename(), csv.get_content_type()) == ("oppgjør.csv", "text/csv")
    assert csv.get_payload(decode=True) == "fakturanr;beløp\n1001;1070,00\n".encode()


def test_the_folder_mailer_writes_the_message_under_its_delivery_key(tmp_path: Path) -> None:
    FolderMailer(tmp_path / "mail").send(MAIL)
    written = _read((tmp_path / "mail" / "letter-12.eml").read_bytes())
    assert written["Subject"] == MAIL.subject
    assert next(written.iter_attachments()).get_content() == PDF
