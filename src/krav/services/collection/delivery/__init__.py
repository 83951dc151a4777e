"""Letters, lists and settlements out: the outbox, the archive, e-mail and print (DESIGN.md "Time and jobs")."""

from krav.services.collection.delivery.documents import (
    PDF,
    compose_letter,
    creditor_sender,
    letter_document,
    letter_filename,
    list_document,
    safe_name,
    settlement_documents,
)
from krav.services.collection.delivery.outbox import (
    ON_PAPER,
    enqueue_letters,
    enqueue_list,
    enqueue_settlement,
    letter_delivery,
)
from krav.services.collection.delivery.worker import (
    MAX_ATTEMPTS,
    SUBJECTS,
    OutboxReport,
    deliver,
    mark_interrupted,
    retry,
    send_outbox,
    status,
)

__all__ = [
    "MAX_ATTEMPTS",
    "ON_PAPER",
    "PDF",
    "SUBJECTS",
    "OutboxReport",
    "compose_letter",
    "creditor_sender",
    "deliver",
    "enqueue_letters",
    "enqueue_list",
    "enqueue_settlement",
    "letter_delivery",
    "letter_document",
    "letter_filename",
    "list_document",
    "mark_interrupted",
    "retry",
    "safe_name",
    "send_outbox",
    "settlement_documents",
    "status",
]
