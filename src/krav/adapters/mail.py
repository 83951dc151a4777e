"""Sending e-mail: over SMTP (settings from the environment), or into a folder of .eml files when no SMTP
server is configured (the demo)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from krav.services.ports import OutgoingMail, RecipientRefused


def build_message(mail: OutgoingMail) -> EmailMessage:
    """The MIME message: a plain-text body and the attachments; the Message-ID comes from the delivery key."""
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


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

    def _deliver(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
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
        (self.folder / f"{name}.eml").write_bytes(bytes(build_message(mail)))
