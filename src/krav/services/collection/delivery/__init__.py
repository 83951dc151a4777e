"""Letters, lists and settlements out: the outbox, the archive, e-mail and print (DESIGN.md "Time and jobs"); a
letter counts as sent when it went, and its claims wait until it has (R-SVC-2)."""

from krav.services.collection.delivery.bounces import BounceResult, read_bounces, record_bounce
from krav.services.collection.delivery.documents import (
    PDF,
    compose_letter,
    creditor_sender,
    letter_document,
    letter_filename,
    list_document,
    payee_account,
    safe_name,
    settlement_documents,
)
from krav.services.collection.delivery.outbox import (
    ON_PAPER,
    by_email,
    enqueue_letters,
    enqueue_list,
    enqueue_settlement,
    letter_delivery,
    paper_copy,
)
from krav.services.collection.delivery.worker import (
    MAX_ATTEMPTS,
    SUBJECTS,
    OutboxReport,
    deliver,
    deliver_now,
    mark_interrupted,
    retry,
    retry_and_send,
    send_outbox,
    status,
)

__all__ = [
    "MAX_ATTEMPTS",
    "ON_PAPER",
    "PDF",
    "SUBJECTS",
    "BounceResult",
    "OutboxReport",
    "by_email",
    "compose_letter",
    "creditor_sender",
    "deliver",
    "deliver_now",
    "enqueue_letters",
    "enqueue_list",
    "enqueue_settlement",
    "letter_delivery",
    "letter_document",
    "letter_filename",
    "list_document",
    "mark_interrupted",
    "paper_copy",
    "payee_account",
    "read_bounces",
    "record_bounce",
    "retry",
    "retry_and_send",
    "safe_name",
    "send_outbox",
    "settlement_documents",
    "status",
]
