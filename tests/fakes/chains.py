"""The fakes' hash chains: vouchers with their lines and the claims' history sealed and linked as the SQL stores do
it (:mod:`krav.adapters.db.chains`), over the fakes' rows. The content is read from the rows as they are at the
time of the audit, so a test that replaces a stored voucher or event sees the audit name it."""

from __future__ import annotations

from dataclasses import replace

from krav.domain.audit import GENESIS, Linked, Sealed, Value, chain, content_hash, with_parts
from krav.domain.ledger.vouchers import PostedVoucher, VoucherLine
from krav.services.ports import StoredChain
from tests.fakes.store import EventRow, FakeStore, VoucherSeal

EVENT_COUNTER = "claim_event"


def _line_content(company_id: int, number: int, line_no: int, line: VoucherLine) -> dict[str, Value]:
    return {
        "company_id": company_id,
        "voucher_number": number,
        "line_no": line_no,
        "account": line.account,
        "customer": line.customer,
        "amount_ore": line.amount.ore,
        "currency": line.amount.currency,
        "item": line.item,
        "settles": line.settles,
        "due_date": line.due_date,
        "kid": line.kid,
        "reference": line.reference,
        "text": line.text,
    }


def _voucher_content(company_id: int, voucher: PostedVoucher, line_hashes: tuple[str | None, ...]) -> dict[str, Value]:
    head: dict[str, Value] = {
        "company_id": company_id,
        "batch_id": voucher.batch_id,
        "number": voucher.number,
        "voucher_type": voucher.voucher_type,
        "date": voucher.date,
        "text": voucher.text,
        "reverses_id": voucher.reverses,
    }
    return with_parts(head, line_hashes)


def seal_voucher(store: FakeStore, company_id: int, voucher: PostedVoucher) -> None:
    """Seal a voucher just posted (as it reads back) and link it after the company's voucher numbered before it."""
    before = [v for v in store.vouchers.get(company_id, {}).values() if v.number < voucher.number]
    previous = store.voucher_seals[max(before, key=lambda v: v.number).id].hash if before else GENESIS
    line_hashes = tuple(
        content_hash(_line_content(company_id, voucher.number, n, line)) for n, line in enumerate(voucher.lines, 1)
    )
    ((_, current),) = chain(previous, [_voucher_content(company_id, voucher, line_hashes)])
    line_ids = tuple(store.new_id("voucher_line") for _ in voucher.lines)
    store.voucher_seals[voucher.id] = VoucherSeal(previous, current, line_ids, line_hashes)


def voucher_chain(store: FakeStore, company_id: int) -> StoredChain:
    links: list[Linked] = []
    for voucher in sorted(store.vouchers.get(company_id, {}).values(), key=lambda v: v.number):
        seal = store.voucher_seals[voucher.id]
        lines = tuple(
            Sealed("voucher_line", line_id, _line_content(company_id, voucher.number, n, line), line_hash)
            for n, (line, line_id, line_hash) in enumerate(
                zip(voucher.lines, seal.line_ids, seal.line_hashes, strict=False), 1
            )
        )
        content = _voucher_content(company_id, voucher, seal.line_hashes)
        links.append(Linked("voucher", voucher.id, voucher.number, content, seal.previous, seal.hash, lines))
    length = store.counters.get((company_id, "voucher"), 0)
    return StoredChain("voucher", "voucher number", length, links)


def _event_content(row: EventRow) -> dict[str, Value]:
    e = row.entry
    return {
        "company_id": row.company_id,
        "claim_id": row.claim_id,
        "seq": row.seq,
        "on_date": e.date,
        "kind": e.kind,
        "by": e.by,
        "amount_ore": e.amount.ore if e.amount is not None else None,
        "detail": e.detail,
        "created_at": e.at,
    }


def add_events(store: FakeStore, rows: list[EventRow]) -> None:
    """Store new events of one company, each with its place in the company's chain, linked after the last."""
    if not rows:
        return
    company_id = rows[0].company_id
    places = store.next_values(company_id, EVENT_COUNTER, len(rows))
    placed = [replace(row, seq=seq) for seq, row in zip(places, rows, strict=True)]
    before = [r for r in store.events.values() if r.company_id == company_id and r.seq is not None]
    previous = (max(before, key=lambda r: r.seq or 0).hash or "") if before else GENESIS
    for row, (prev, current) in zip(placed, chain(previous, [_event_content(r) for r in placed]), strict=True):
        store.events[row.id] = replace(row, previous=prev, hash=current)


def event_chain(store: FakeStore, company_id: int) -> StoredChain:
    rows = sorted(
        (r for r in store.events.values() if r.company_id == company_id),
        key=lambda r: (r.seq is None, r.seq or 0, r.id),
    )
    links = [Linked("claim_event", r.id, r.seq, _event_content(r), r.previous, r.hash) for r in rows]
    length = store.counters.get((company_id, EVENT_COUNTER), 0)
    return StoredChain("claim_event", "claim event", length, links)
