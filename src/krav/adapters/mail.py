"""Sending e-mail: over SMTP (settings from the environment), or into a folder of .eml files when no SMTP
server is configured (the demo)."""

from __future__ import annotations

import smtplib
import ssl
from email import charset, encoders, policy
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

from krav.services.ports import OutgoingMail, RecipientRefused

# the body as quoted-printable UTF-8: readable as it is in the source of the mail, and 7-bit clean
_UTF8 = charset.Charset("utf-8")
_UTF8.header_encoding = charset.BASE64
_UTF8.body_encoding = charset.QP


def _header(value: str) -> str | Header:
    """A header's text, encoded (RFC 2047) only where it is not plain ASCII."""
    return value if value.isascii() else Header(value, _UTF8)


def _address(value: str) -> str:
    """An address with its display name encoded where that is not plain ASCII."""
    name, address = parseaddr(value)
    if not address or value.isascii():
        return value
    return formataddr((name, address), charset=_UTF8)


def build_message(mail: OutgoingMail) -> Message:
    """The MIME message: a plain-text body and the attachments; the Message-ID comes from the delivery key.

    Built on the ``email`` package's MIME classes with its first policy (``compat32``), which writes a letter's
    message in about half the time of ``EmailMessage`` (most of a message is the attachment's base64)."""
    message = MIMEMultipart()
    message["From"] = _address(mail.sender)
    message["To"] = _address(mail.to)
    message["Subject"] = _header(mail.subject)  # type: ignore[assignment]  # the email package takes a Header
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    text = MIMENonMultipart("text", "plain")
    text.set_payload(mail.body, _UTF8)
    message.attach(text)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        part = MIMEBase(maintype, subtype)
        part.set_payload(attachment.content)
        encoders.encode_base64(part)  # as bytes always were: base64, whatever the type
        part.add_header("Content-Disposition", "attachment", filename=_filename(attachment.filename))
        message.attach(part)
    return message


def as_bytes(message: Message) -> bytes:
    """The message as a file holds it (lines ended by a line feed; the SMTP client ends them CRLF on the wire)."""
    return message.as_bytes(policy=policy.compat32)


def _filename(name: str) -> str | tuple[str, str, str]:
    """A file name as a MIME parameter: RFC 2231-encoded where it is not plain ASCII."""
    return name if name.isascii() else ("utf-8", "", name)


class SmtpMailer:
    """Delivers through an SMTP server; STARTTLS when asked, or implicit TLS on port 465."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, mail: OutgoingMail) -> None:
        message = build_message(mail)
        if self.port == 465:
            with smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            ) as smtp:
                self._deliver(smtp, message)
            return
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            self._deliver(smtp, message)

    def _deliver(self, smtp: smtplib.SMTP, message: Message) -> None:
        if self.user:
            smtp.login(self.user, self.password or "")
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            if not refused_for_good(exc):
                raise
            raise RecipientRefused(_said(exc)) from exc


def refused_for_good(exc: smtplib.SMTPRecipientsRefused) -> bool:
    """R-SVC-2: every recipient refused for good (a 5xx reply to RCPT) is a bounce at once, and the letter goes on
    paper; a refusal for now (4xx: mailbox busy, greylisting) is a failure, tried again later."""
    return bool(exc.recipients) and all(500 <= code < 600 for code, _ in exc.recipients.values())


def _said(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{address}: {code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"
        for address, (code, reply) in exc.recipients.items()
    )


class FolderMailer:
    """Writes each message as ``<delivery key>.eml`` into a folder instead of sending it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail: OutgoingMail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = mail.message_id.strip("<>").split("@", 1)[0]
        (self.folder / f"{name}.eml").write_bytes(as_bytes(build_message(mail)))
