"""The outbox's writes for many deliveries at once, on SQLite and PostgreSQL: taking deliveries for sending only
from the status they were read in (another worker may have taken one meanwhile), marking them sent, and
archiving documents once however often they are archived (R-SVC-2)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from krav.bootstrap import unit_of_work
from krav.domain.party import Company
from krav.services import ledger
from krav.services.ports import Channel, DeliveryKind, DeliveryStatus, Document, DocumentKind, NewDelivery

DAY = date(2025, 3, 28)
AT = datetime(2025, 3, 28, 9, 0, tzinfo=UTC)


def _company(engine: Engine) -> int:
    ledger.create_company(unit_of_work(engine), Company(orgno="974760673", name="Eksempel AS"))
    with unit_of_work(engine) as uow:
        company_id = uow.companies.get("974760673").id
    assert company_id is not None
    return company_id


def _outbox(engine: Engine, company_id: int, count: int) -> list[int]:
    with unit_of_work(engine) as uow:
        uow.deliveries.enqueue(
            [
                NewDelivery(company_id, DeliveryKind.LETTER, n, DAY, Channel.PRINT, None, f"letter-{n}")
                for n in range(1, count + 1)
            ]
        )
        uow.commit()
        return [d.id for d in uow.deliveries.deliveries(company_id=company_id)]


def test_deliveries_are_taken_only_from_the_status_they_were_read_in(engine: Engine) -> None:
    company_id = _company(engine)
    first, second, third = _outbox(engine, company_id, 3)
    with unit_of_work(engine) as uow:  # another worker took the third meanwhile
        assert uow.deliveries.set_status(third, DeliveryStatus.SENDING, expect=DeliveryStatus.PENDING)
        uow.commit()
    read_as = [(first, DeliveryStatus.PENDING), (second, DeliveryStatus.PENDING), (third, DeliveryStatus.PENDING)]
    with unit_of_work(engine) as uow:
        assert uow.deliveries.take(read_as, DeliveryStatus.SENDING) == {first, second}
        assert uow.deliveries.take(read_as, DeliveryStatus.SENDING) == set()  # nothing is taken twice
        uow.commit()


def test_deliveries_marked_sent_at_once_keep_their_account_where_none_is_given(engine: Engine) -> None:
    company_id = _company(engine)
    first, second, third = _outbox(engine, company_id, 3)
    with unit_of_work(engine) as uow:
        uow.deliveries.take([(i, DeliveryStatus.PENDING) for i in (first, second)], DeliveryStatus.SENDING)
        uow.deliveries.mark_sent(
            [(first, "86011117947"), (second, None), (third, "12345678903")],
            sent_at=AT,
            sent_on=DAY,
            attempt=True,
            expect=DeliveryStatus.SENDING,
        )
        uow.commit()
    with unit_of_work(engine) as uow:
        found = {d.id: d for d in uow.deliveries.deliveries(company_id=company_id)}
    assert [(found[i].status, found[i].sent_on, found[i].attempts) for i in (first, second)] == [
        (DeliveryStatus.SENT, DAY, 1),
        (DeliveryStatus.SENT, DAY, 1),
    ]
    assert (found[first].account, found[second].account) == ("86011117947", None)
    assert (found[third].status, found[third].account, found[third].attempts) == (DeliveryStatus.PENDING, None, 0)


def _doc(ref: str, content: bytes) -> Document:
    return Document(DocumentKind.LETTER, ref, f"{ref}.pdf", "application/pdf", "-", content, AT)


def test_documents_archived_at_once_are_kept_once_with_their_first_bytes(engine: Engine) -> None:
    company_id = _company(engine)
    with unit_of_work(engine) as uow:
        uow.deliveries.archive_many(company_id, [_doc("1", b"%PDF first"), _doc("2", b"%PDF second")])
        uow.commit()
    with unit_of_work(engine) as uow:
        uow.deliveries.archive_many(company_id, [_doc("2", b"%PDF changed"), _doc("3", b"%PDF third")])
        uow.commit()
    with unit_of_work(engine) as uow:
        assert uow.deliveries.archived(company_id, DocumentKind.LETTER, ["1", "2", "3", "4"]) == {"1", "2", "3"}
        kept = {d.ref: d.content for d in uow.deliveries.documents(company_id, DocumentKind.LETTER)}
    assert kept == {"1": b"%PDF first", "2": b"%PDF second", "3": b"%PDF third"}
    with unit_of_work(engine) as uow:
        first = uow.deliveries.document(company_id, DocumentKind.LETTER, "1")
    assert first is not None
    assert first.sha256 == hashlib.sha256(b"%PDF first").hexdigest()
