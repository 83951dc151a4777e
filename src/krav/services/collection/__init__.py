"""The collection side: the service's use cases (claims, letters, money in and out, the creditor's actions).

It hears from the ledger only through the messages of :mod:`krav.domain.messages` (items submitted, direct
payments and credits reported) and answers the same way (claim changes, settlements). Nothing here reads the
ledger's storage or imports the ledger's services.
"""

from krav.services.collection.actions import ApprovalResult, act, answer, approve, claims_by_invoice, closing_costs
from krav.services.collection.day import CreditorDay, StepOutcome
from krav.services.collection.figures import ServiceFigures
from krav.services.collection.intake import receive_items

__all__ = [
    "ApprovalResult",
    "CreditorDay",
    "ServiceFigures",
    "StepOutcome",
    "act",
    "answer",
    "approve",
    "claims_by_invoice",
    "closing_costs",
    "receive_items",
]
