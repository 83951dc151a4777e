"""The fake of the claims' kept pages: a page is kept with a stamp over everything of the store its claim's page
could be made from, so any change to it makes the page stale, as the SQL store's stamp does."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from krav.services.ports import FoundPage
from tests.fakes.store import FakeStore, PageRow


class FakeClaimPages:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def _claim_id(self, company_id: int, ref: str) -> int | None:
        mine = {i: c for i, c in self.s.claims.items() if c.company_id == company_id}
        by_id = [i for i, c in mine.items() if c.collection_id == ref]
        by_invoice = [i for i, c in mine.items() if c.invoice_number == ref]
        found = by_id or by_invoice
        return found[0] if found else None

    def find(self, company_id: int, ref: str, *, view: str, salt: str) -> FoundPage | None:
        claim_id = self._claim_id(company_id, ref)
        if claim_id is None:
            return None
        letters = sorted(i for i, row in self.s.letters.items() if claim_id in row.claim_ids)
        made_of = (
            self.s.claims[claim_id],
            sorted((i, e) for i, e in self.s.events.items() if e.claim_id == claim_id),
            [self.s.letters[i] for i in letters],
            sorted((i, d) for i, d in self.s.deliveries.items() if d.ref_id in letters),
            self.s.agreements.get(company_id),
        )
        stamp = f"{salt}|{hashlib.sha256(repr(made_of).encode()).hexdigest()}"
        kept = self.s.claim_pages.get((claim_id, view))
        return FoundPage(claim_id, stamp, kept.body if kept is not None and kept.stamp == stamp else None)

    def keep(self, claim_id: int, *, view: str, as_of: date, stamp: str, body: str) -> None:
        self.s.claim_pages[(claim_id, view)] = PageRow(as_of, stamp, body)

    def forget(self, *, claim_ids: Iterable[int] | None = None, before: date | None = None) -> int:
        ids = set(claim_ids or ())
        gone = [
            k for k, row in self.s.claim_pages.items() if k[0] in ids or (before is not None and row.as_of < before)
        ]
        for key in gone:
            del self.s.claim_pages[key]
        return len(gone)
