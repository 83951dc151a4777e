"""Documents asked for by a person: archived the first time they are asked for, then the same bytes each time
(R-CLM-4, R-BANK-3). Each call is a use case: it may write the archive, so it commits."""

from __future__ import annotations

from pathlib import Path

from krav.domain.errors import NotFound
from krav.services.collection.delivery.documents import letter_document, settlement_documents
from krav.services.ports import Document, DocumentKind, Renderer, Service, UnitOfWork, company_and_id


def archive_letter_pdf(
    uow: UnitOfWork, orgno: str, letter_id: int, *, renderer: Renderer, service: Service
) -> Document:
    """The letter's PDF from the archive; rendered and archived first if it never was (byte for byte after)."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        found = uow.collection.letters(cid, letter_ids=[letter_id])
        if not found:
            raise NotFound(f"no letter {letter_id} for company {orgno}")
        doc = letter_document(uow, company, found[0], service, renderer)
        uow.commit()
    return doc


def write_settlement_files(
    uow: UnitOfWork, orgno: str, folder: Path, *, renderer: Renderer, service: Service
) -> list[str]:
    """Write every settlement's report (PDF and CSV) and its pain.001 file into ``folder``, archiving what never
    was; the names of the files written, in order."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for st in uow.collection.settlements(cid):
            for doc in settlement_documents(uow, company, st.id, renderer, service):
                (folder / doc.filename).write_bytes(doc.content)
                written.append(doc.filename)
        uow.commit()
    return written


def settlement_document(
    uow: UnitOfWork, orgno: str, reference: str, kind: DocumentKind, *, renderer: Renderer, service: Service
) -> Document:
    """One document of the settlement ``reference`` (its report as PDF or CSV, or its pain.001), as archived
    the first time it was made."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        found = [st for st in uow.collection.settlements(cid) if st.reference == reference]
        if not found:
            raise NotFound(f"no settlement {reference} for company {orgno}")
        docs = settlement_documents(uow, company, found[0].id, renderer, service)
        uow.commit()
    return next(d for d in docs if d.kind is kind)
