"""The fake's reads of what waits for a person: the open claims a payment of the manual-matching queue is matched
against (R-CLM-7), and the claims that wait for a letter that could not be sent (R-SVC-2)."""

from __future__ import annotations

import copy

from krav.domain.collection.claims import Stage
from krav.domain.collection.suggestions import LetterToPay
from krav.services.ports import ClaimToMatch, ClaimWaiting, DeliveryKind, DeliveryStatus
from tests.fakes.store import FakeStore


def claims_to_match(store: FakeStore) -> list[ClaimToMatch]:
    """Every open claim with a letter that carries a KID, with those letters newest first; a letter taken back (a
    delivery of it cancelled) is left out, as in the SQL adapter."""
    cancelled = {
        d.ref_id
        for d in store.deliveries.values()
        if d.kind is DeliveryKind.LETTER and d.status is DeliveryStatus.CANCELLED
    }
    letters: dict[int, list[LetterToPay]] = {}
    for row in sorted(store.letters.values(), key=lambda r: (r.letter.sent_on, r.letter.id), reverse=True):
        lt = row.letter
        if lt.kid is None or lt.id in cancelled:
            continue
        for claim_id in dict.fromkeys(row.claim_ids):
            letters.setdefault(claim_id, []).append(LetterToPay(lt.id, lt.kid, lt.total, lt.sent_on))
    return [
        ClaimToMatch(copy.deepcopy(claim), tuple(letters[claim_id]))
        for claim_id, claim in sorted(store.claims.items())
        if claim.stage is not Stage.CLOSED and claim_id in letters
    ]


def claims_waiting(store: FakeStore) -> list[ClaimWaiting]:
    """The claims that wait for their latest letter, with that letter; the longest waiting first."""
    waiting: list[ClaimWaiting] = []
    for claim_id, claim in store.claims.items():
        since = claim.unsent_state.letter_unsent_since
        mine = [r.letter for r in store.letters.values() if claim_id in r.claim_ids]
        if since is None or not mine:
            continue
        latest = max(mine, key=lambda lt: lt.id)
        waiting.append(
            ClaimWaiting(
                claim.company_id,
                claim.collection_id,
                claim.invoice_number,
                claim.debtor.number,
                claim.debtor.name,
                since,
                latest.id,
                latest.type,
                latest.n,
            )
        )
    return sorted(waiting, key=lambda w: (w.since, w.company_id, w.debtor_number, w.invoice_number))
