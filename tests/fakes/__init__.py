"""In-memory fakes of Krav's ports, so the use cases run in unit tests without a database.

Every repository Protocol of :mod:`krav.services.ports.storage` has a fake here with the semantics of its SQL
adapter (:mod:`krav.adapters.db`): the same filters, the same order of results, the same numbering, and the
database's unique keys refused with :class:`DuplicateKey`. A fake reads and writes a :class:`FakeStore`, plain
dictionaries of domain values standing for the tables.

:class:`FakeUnitOfWork` keeps a committed store and, while a ``with`` block is open, a working copy of it:
``commit`` first runs ``before_commit`` (the :class:`krav.services.relay.Relay`, as bootstrap wires the SQL unit
of work) and then publishes the working copy; ``rollback`` goes back to what was committed; leaving the block
without a commit discards the working copy. Claims are mutable aggregates, so they are stored as copies and
handed out as copies: a use case that changes a claim and does not save it changes nothing.

:class:`FakeRenderer` and :class:`FakeMailer` stand in for the PDF renderer and the mail server.
"""

from tests.fakes.collection import FakeCollection
from tests.fakes.deliveries import FakeDeliveries
from tests.fakes.ledger import FakeCompanies, FakeLedger
from tests.fakes.shared import FakeAgreements, FakeImportLog, FakeOutbox
from tests.fakes.store import DuplicateKey, FakeStore
from tests.fakes.uow import FakeMailer, FakeRenderer, FakeUnitOfWork, relayed_unit_of_work

__all__ = [
    "DuplicateKey",
    "FakeAgreements",
    "FakeCollection",
    "FakeCompanies",
    "FakeDeliveries",
    "FakeImportLog",
    "FakeLedger",
    "FakeMailer",
    "FakeOutbox",
    "FakeRenderer",
    "FakeStore",
    "FakeUnitOfWork",
    "relayed_unit_of_work",
]
