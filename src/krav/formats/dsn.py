"""Delivery status notifications (DSN, RFC 3464): the report a mail system sends back when it could not deliver a
message, read for the recipients it gave up on and the Message-ID of the message they were sent.

A DSN is a ``multipart/report; report-type=delivery-status`` message (RFC 6522) with three parts: a text for a
person, a ``message/delivery-status`` part and (usually) the original message or its headers
(``message/rfc822`` or ``text/rfc822-headers``). The status part is a block of per-message fields, then one
block per recipient::

    Reporting-MTA: dns; mx.example.no

    Final-Recipient: rfc822; ola@example.no
    Action: failed
    Status: 5.1.1
    Diagnostic-Code: smtp; 550 5.1.1 <ola@example.no>: mailbox unavailable

Only ``Action: failed`` means the mail system gave up for good (``delayed`` still tries; ``delivered``,
``relayed`` and ``expanded`` are no bounce). Krav sets the Message-ID of each e-mail it sends, so the original
headers name the delivery; where a mail system left them out, the per-message field ``X-Original-Message-ID``
some write stands in.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser

from krav.domain.errors import FileFormatError


@dataclass(frozen=True, slots=True)
class Bounce:
    """One recipient a mail system gave up on, and the message it was sent."""

    message_id: str | None  # the original message's Message-ID, as written (``<...>``)
    recipient: str | None  # the address, without its type (``rfc822;``)
    status: str | None  # the RFC 3463 status code, e.g. ``5.1.1``
    diagnostic: str | None  # what the remote server said, if given


def _value(field: str | None) -> str | None:
    """A DSN field's value without its address or diagnostic type (``rfc822; ola@example.no``)."""
    if field is None:
        return None
    text = " ".join(str(field).split())
    kind, sep, rest = text.partition(";")
    return (rest.strip() if sep and " " not in kind.strip() else text) or None


def _original_message_id(report: Message) -> str | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            if isinstance(first, Message) and first.get("Message-ID"):
                return str(first["Message-ID"]).strip()
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(part.get_payload())
            headers = HeaderParser().parsestr(text)
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    return None


def parse_dsn(data: bytes, *, filename: str) -> list[Bounce]:
    """The recipients a delivery status notification reports as failed for good (none: it reports no bounce).

    :class:`FileFormatError` when the file is no delivery status notification."""
    report = BytesParser(policy=policy.compat32).parsebytes(data)
    if report.get_content_type() != "multipart/report" or (report.get_param("report-type") or "") != (
        "delivery-status"
    ):
        raise FileFormatError(
            filename, "not a delivery status notification (multipart/report; report-type=delivery-status)"
        )
    status = next((p for p in report.walk() if p.get_content_type() == "message/delivery-status"), None)
    blocks = status.get_payload() if status is not None else None
    if not isinstance(blocks, list) or not blocks:
        raise FileFormatError(filename, "the report has no message/delivery-status part")
    per_message, *recipients = [b for b in blocks if isinstance(b, Message)]
    message_id = _original_message_id(report) or _value(per_message.get("X-Original-Message-ID"))
    return [
        Bounce(
            message_id=message_id,
            recipient=_value(block.get("Final-Recipient") or block.get("Original-Recipient")),
            status=_value(block.get("Status")),
            diagnostic=_value(block.get("Diagnostic-Code")),
        )
        for block in recipients
        if (_value(block.get("Action")) or "").lower() == "failed"
    ]
