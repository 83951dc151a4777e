"""A claim's page, kept for reading: the read model behind the API's claim (``GET …/claims/{claim}``).

A page is the claim's detail (:func:`krav.services.queries.claim_detail`) as a face renders it, made on a day with
the rate table in use. It is kept (:class:`~krav.services.ports.ClaimPages`) with the stamp of what it was made
from, and answered again while the stamp reads the same: one indexed read instead of the claim, its history, its
letters and its interest. Any change to what the page shows changes the stamp — the database's business, not
the callers' — and the next read makes the page again; so does a new day (interest runs daily) and another rate
table. Pages of earlier days are dropped by the daily run (:func:`forget_stale`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import date

from krav.domain.errors import DatabaseBusy, NotFound
from krav.domain.rates import RateTables
from krav.services.ports import ClaimFilter, UnitOfWork
from krav.services.queries import ClaimDetail, claim_detail_in

log = logging.getLogger(__name__)

_marks: dict[int, tuple[RateTables, str]] = {}
_marks_lock = threading.Lock()


def rates_mark(rates: RateTables) -> str:
    """A short digest of a rate table, the same in every process: part of every page's stamp, so that a page made
    with one table is not answered once another is in use. Computed once per table object."""
    known = _marks.get(id(rates))
    if known is not None and known[0] is rates:
        return known[1]
    mark = hashlib.sha256(repr(rates).encode()).hexdigest()[:16]
    with _marks_lock:
        if len(_marks) > 16:
            _marks.clear()
        _marks[id(rates)] = (rates, mark)  # the table is held, so its id is not reused while it is here
    return mark


def _salt(on: date, rates: RateTables) -> str:
    return f"{on.isoformat()}|{rates_mark(rates)}"


def kept_page(uow: UnitOfWork, company: int, ref: str, *, view: str, on: date, rates: RateTables) -> str | None:
    """The kept page of ``view`` of the company's claim ``ref`` (collection ID or invoice number) as of ``on``, if
    it is still the claim's page; None: it must be made (:func:`claim_page`), or there is no such claim."""
    with uow:
        found = uow.pages.find(company, ref, view=view, salt=_salt(on, rates))
    return None if found is None else found.body


def claim_page(
    reader: UnitOfWork,
    writer: UnitOfWork,
    company: int,
    ref: str,
    *,
    view: str,
    on: date,
    rates: RateTables,
    render: Callable[[ClaimDetail], str],
) -> str:
    """The page of ``view`` of the company's claim ``ref`` as of ``on``: the kept one if it is still the claim's,
    else made by ``render`` from the claim's detail and kept. NotFound when the company has no such claim.

    The stamp is read first, in the transaction the detail is read in: a change committed in between makes the
    kept page stale at once, never a stale page look fresh. Keeping it waits for no other writer: when the
    database is busy writing (a run, an import), the page is answered and made again next time."""
    with reader:
        found = reader.pages.find(company, ref, view=view, salt=_salt(on, rates))
        if found is None:
            raise NotFound(f"no claim {ref}")
        if found.body is not None:
            return found.body
        claims = reader.collection.claims(company, ClaimFilter(ids=[found.claim_id]))
        if not claims:
            raise NotFound(f"no claim {ref}")
        detail = claim_detail_in(reader, company, claims[0], on=on, rates=rates)
    body = render(detail)
    try:
        with writer:
            writer.pages.keep(found.claim_id, view=view, as_of=on, stamp=found.stamp, body=body)
            writer.commit()
    except DatabaseBusy:
        log.info("claim %s: its page was not kept (the database is busy writing); made again on its next read", ref)
    return body


def forget_stale(uow: UnitOfWork, today: date) -> int:
    """Drop the pages made before ``today`` (stale by their day: interest has run since). Returns how many;
    commits."""
    with uow:
        forgotten = uow.pages.forget(before=today)
        uow.commit()
    return forgotten
