"""SQL storage of letters with their lines and KIDs (R-CLM-1, R-BANK-1), and of collection lists (R-CLM-4)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.claim_rows import claim_from_row
from krav.adapters.db.letter_details import read_details, write_details
from krav.adapters.db.types import CHUNK, chunks, execute_many, key_in, unindexed, utcnow
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import CollectionListRow, LetterLine, LetterType, deadline_from
from krav.domain.collection.steps import LetterDraft
from krav.domain.collection.suggestions import LetterToPay
from krav.domain.money import Money
from krav.services.ports import (
    Channel,
    ClaimToMatch,
    ClaimWaiting,
    DeliveryKind,
    DeliveryStatus,
    LetterOfKid,
    StoredLetter,
)


def _letter_delivery(lt: sa.Table, *, sent: bool = False) -> sa.ScalarSelect[Any]:
    """The letter's latest delivery (a paper copy after a bounce comes after the e-mail); with ``sent``, the latest
    that went out."""
    d = t.delivery
    query = sa.select(sa.func.max(d.c.id)).where(d.c.ref_id == lt.c.id, d.c.kind == DeliveryKind.LETTER.value)
    if sent:
        query = query.where(d.c.sent_on.is_not(None))
    return query.correlate(lt).scalar_subquery()


@functools.cache
def _letters_query() -> sa.Select[Any]:
    """The letters with their KID and where their deliveries stand, built once (building it costs more than
    running it, for one claim's letters)."""
    lt, lk = t.letter, t.letter_kid
    latest, went = t.delivery.alias("latest"), t.delivery.alias("went")
    return (
        sa.select(
            lt,
            lk.c.kid.label("the_kid"),
            latest.c.status.label("delivery_status"),
            latest.c.channel.label("delivery_channel"),
            went.c.sent_on.label("went_on"),
            went.c.account.label("went_account"),
        )
        .outerjoin(lk, lk.c.letter_id == lt.c.id)
        .outerjoin(latest, latest.c.id == _letter_delivery(lt))
        .outerjoin(went, went.c.id == _letter_delivery(lt, sent=True))
        .order_by(lt.c.sent_on, lt.c.debtor_number, lt.c.n)
    )


class SqlLetters:
    conn: sa.Connection

    # -- letters ---------------------------------------------------------------------------------------------

    def add_letters(
        self, company_id: int, drafts: Sequence[LetterDraft], *, kid_for: Callable[[int], str], account: str | None
    ) -> list[StoredLetter]:
        """Store letters, each numbered as its debtor's next (``n``), in a fixed number of statements however
        many there are; ``kid_for(letter_id)`` makes the KID of a letter that asks for money (R-BANK-1)."""
        if not drafts:
            return []
        lt = t.letter
        debtors = sorted({d.recipient.number for d in drafts})
        last_n: dict[str, int] = {}
        for chunk in chunks(debtors):
            rows = self.conn.execute(
                sa.select(lt.c.debtor_number, sa.func.max(lt.c.n).label("last"))
                .where(lt.c.company_id == company_id, lt.c.debtor_number.in_(chunk))
                .group_by(lt.c.debtor_number)
            )
            last_n.update((r.debtor_number, int(r.last)) for r in rows)
        now = utcnow()
        heads: list[dict[str, Any]] = []
        for draft in drafts:
            n = last_n.get(draft.recipient.number, 0) + 1
            last_n[draft.recipient.number] = n
            heads.append(
                {
                    "company_id": company_id,
                    "debtor_number": draft.recipient.number,
                    "n": n,
                    "type": draft.type.value,
                    "sent_on": draft.sent_on,
                    "deadline": draft.deadline,
                    "account": account if draft.deadline is not None else None,
                    "case_number": draft.case_number,
                    "total_ore": draft.total.ore,
                    "created_at": now,
                    "note": draft.note,
                }
            )
        # a plain executemany, then the ids read back by (debtor, n), unique per creditor: RETURNING in parameter
        # order would make SQLite insert row by row
        self.conn.execute(lt.insert(), heads)
        by_number: dict[tuple[str, int], int] = {}
        for chunk in chunks(sorted({h["debtor_number"] for h in heads})):
            rows = self.conn.execute(
                sa.select(lt.c.id, lt.c.debtor_number, lt.c.n).where(
                    lt.c.company_id == company_id, lt.c.debtor_number.in_(chunk)
                )
            )
            by_number.update(((r.debtor_number, r.n), r.id) for r in rows)
        ids = [by_number[(h["debtor_number"], h["n"])] for h in heads]
        # the letter row is append-only; the KID is derived from its id, so it is stored in a side table
        kids = {
            letter_id: kid_for(letter_id) for letter_id, d in zip(ids, drafts, strict=True) if d.deadline is not None
        }
        if kids:
            self.conn.execute(t.letter_kid.insert(), [{"letter_id": k, "kid": v} for k, v in kids.items()])
        lines: list[dict[str, Any]] = []
        for letter_id, draft in zip(ids, drafts, strict=True):
            claim_ids = {c.collection_id: c.id for c in draft.claims}
            lines.extend(
                {
                    "letter_id": letter_id,
                    "claim_id": claim_ids[line.collection_id],
                    "position": pos,
                    "principal_ore": line.principal.ore,
                    "fee_ore": line.fee.ore,
                    "interest_ore": line.interest.ore,
                    "salaer_ore": line.salaer.ore,
                    "interest_paid_before_ore": line.interest_paid_before.ore if line.interest_paid_before else 0,
                    "interest_rate": str(line.interest_rate) if line.interest_rate is not None else None,
                    "fees_charged_ore": line.fees_charged.ore if line.fees_charged is not None else None,
                    "salaer_charged_ore": line.salaer_charged.ore if line.salaer_charged is not None else None,
                    "compensation_ore": line.compensation.ore if line.compensation is not None else None,
                }
                for pos, line in enumerate(draft.lines, start=1)
            )
        execute_many(self.conn, t.letter_line.insert(), lines)
        write_details(
            self.conn,
            [
                ((letter_id, pos), line)
                for letter_id, draft in zip(ids, drafts, strict=True)
                for pos, line in enumerate(draft.lines, start=1)
            ],
        )
        return [
            StoredLetter(
                id=letter_id,
                company_id=company_id,
                debtor=draft.recipient.number,
                n=head["n"],
                type=draft.type,
                sent_on=draft.sent_on,
                deadline=draft.deadline,
                kid=kids.get(letter_id),
                account=head["account"],
                case_number=draft.case_number,
                lines=tuple(draft.lines),
                note=draft.note,
            )
            for letter_id, draft, head in zip(ids, drafts, heads, strict=True)
        ]

    def letters(
        self,
        company_id: int,
        *,
        letter_ids: Iterable[int] | None = None,
        kid: str | None = None,
        debtor: str | None = None,
        claim_id: int | None = None,
    ) -> list[StoredLetter]:
        lt, ll, c, lk = t.letter, t.letter_line, t.claim, t.letter_kid
        # asked for by id: the letters' own key answers, not a walk of the company's letters per chunk (unindexed)
        company = unindexed(lt.c.company_id) if letter_ids is not None else lt.c.company_id
        query = _letters_query().where(company == company_id)
        if kid is not None:
            query = query.where(lk.c.kid == kid)
        if debtor is not None:
            query = query.where(lt.c.debtor_number == debtor)
        if claim_id is not None:
            query = query.where(lt.c.id.in_(sa.select(ll.c.letter_id).where(ll.c.claim_id == claim_id)))
        if letter_ids is None:
            heads = self.conn.execute(query).all()
        else:  # in chunks, under the driver's limit of bound values (a day's payments may name 100,000 letters)
            wanted = sorted(set(letter_ids))
            dialect = self.conn.dialect
            heads = [h for among in key_in(dialect, lt.c.id, wanted) for h in self.conn.execute(query.where(among))]
            if len(wanted) > CHUNK:  # in the query's order again
                heads.sort(key=lambda h: (h.sent_on, h.debtor_number, h.n))
        if not heads:
            return []
        lines: dict[int, list[LetterLine]] = {}
        lines_query = (
            sa.select(ll, c.c.collection_id, c.c.invoice_number, c.c.invoice_date, c.c.due_date, c.c.currency)
            .join(c, c.c.id == ll.c.claim_id)
            .order_by(ll.c.letter_id, ll.c.position)
        )
        line_rows = [
            r
            for among in key_in(self.conn.dialect, ll.c.letter_id, [h.id for h in heads])
            for r in self.conn.execute(lines_query.where(among))
        ]
        periods, paid = read_details(
            self.conn, [h.id for h in heads], {(r.letter_id, r.position): r.currency for r in line_rows}
        )
        for r in line_rows:
            place = (r.letter_id, r.position)
            lines.setdefault(r.letter_id, []).append(
                LetterLine(
                    collection_id=r.collection_id,
                    invoice_number=r.invoice_number,
                    invoice_date=r.invoice_date,
                    due_date=r.due_date,
                    principal=Money.from_ore(r.principal_ore, r.currency),
                    fee=Money.from_ore(r.fee_ore, r.currency),
                    interest=Money.from_ore(r.interest_ore, r.currency),
                    salaer=Money.from_ore(r.salaer_ore, r.currency),
                    interest_rate=Decimal(r.interest_rate) if r.interest_rate else None,
                    interest_from=r.due_date if r.interest_rate or place in periods else None,
                    interest_paid_before=Money.from_ore(r.interest_paid_before_ore, r.currency),
                    fees_charged=None if r.fees_charged_ore is None else Money.from_ore(r.fees_charged_ore, r.currency),
                    salaer_charged=(
                        None if r.salaer_charged_ore is None else Money.from_ore(r.salaer_charged_ore, r.currency)
                    ),
                    compensation=(
                        None if r.compensation_ore is None else Money.from_ore(r.compensation_ore, r.currency)
                    ),
                    interest_periods=periods.get(place, ()),
                    paid=paid.get(place),
                )
            )
        return [
            StoredLetter(
                id=h.id,
                company_id=h.company_id,
                debtor=h.debtor_number,
                n=h.n,
                type=LetterType(h.type),
                # R-SVC-2: the letter as it went out, where it went later than it was written
                sent_on=h.went_on or h.sent_on,
                deadline=deadline_from(h.went_on, h.sent_on, h.deadline) if h.went_on else h.deadline,
                kid=h.the_kid,
                account=h.went_account or h.account,
                case_number=h.case_number,
                lines=tuple(lines.get(h.id, [])),
                note=h.note,
                written_on=h.sent_on,
                status=DeliveryStatus(h.delivery_status) if h.delivery_status else None,
                channel=Channel(h.delivery_channel) if h.delivery_channel else None,
            )
            for h in heads
        ]

    def wait_for_letter(self, company_id: int, letter_id: int, since: date) -> dict[str, int]:
        """R-SVC-2: the letter could not be sent: each of its claims whose latest letter it is waits for it from
        ``since``, and is not due for anything meanwhile (a paused claim still expires). Two statements however
        many claims; only ever on the way of a delivery that failed."""
        c, ll, later = t.claim, t.letter_line, t.letter_line.alias("later")
        on_letter = sa.select(ll.c.claim_id).where(ll.c.letter_id == letter_id)
        newer = sa.select(later.c.letter_id).where(later.c.claim_id == c.c.id, later.c.letter_id > letter_id)
        rows = self.conn.execute(
            sa.select(c.c.id, c.c.collection_id).where(
                c.c.company_id == company_id, c.c.id.in_(on_letter), ~newer.exists()
            )
        ).all()
        held = {r.collection_id: r.id for r in rows}
        if held:
            self.conn.execute(
                c.update()
                .where(c.c.id.in_(list(held.values())))
                .values(
                    letter_unsent_since=sa.func.coalesce(c.c.letter_unsent_since, since),
                    # as Claim.next_action_on says for a claim that waits
                    next_action_on=sa.case(
                        (sa.and_(c.c.stage != Stage.CLOSED.value, c.c.paused.is_(True)), c.c.next_action_on),
                        else_=None,
                    ),
                )
            )
        return held

    def letter_by_kid(self, kid: str) -> StoredLetter | None:
        """The letter with this KID, whatever creditor it belongs to (payments reach one client account)."""
        row = self.conn.execute(
            sa.select(t.letter.c.company_id)
            .join(t.letter_kid, t.letter_kid.c.letter_id == t.letter.c.id)
            .where(t.letter_kid.c.kid == kid)
        ).one_or_none()
        if row is None:
            return None
        found = self.letters(row.company_id, kid=kid)
        return found[0] if found else None

    def letters_of_kids(self, kids: Iterable[str]) -> dict[str, LetterOfKid]:
        """The letters with these KIDs, whatever creditor each belongs to, by KID: a query per chunk of KIDs."""
        lt, lk = t.letter, t.letter_kid
        found: dict[str, LetterOfKid] = {}
        for chunk in chunks(sorted(set(kids))):
            rows = self.conn.execute(
                sa.select(lk.c.kid, lt.c.id, lt.c.company_id, lt.c.debtor_number, lt.c.n, lt.c.sent_on)
                .join(lt, lt.c.id == lk.c.letter_id)
                .where(lk.c.kid.in_(chunk))
            )
            for r in rows:
                found[r.kid] = LetterOfKid(r.id, r.company_id, r.debtor_number, r.n, r.sent_on)
        return found

    def claims_to_match(self) -> list[ClaimToMatch]:
        """R-CLM-7: every open claim with a letter that carries a KID, of every creditor, with those letters newest
        first; a letter taken back (a delivery of it cancelled) is left out, as the debtor never got its KID. Two
        queries however many claims."""
        c, ll, lt, lk, d = t.claim, t.letter_line, t.letter, t.letter_kid, t.delivery
        cancelled = sa.select(d.c.id).where(
            d.c.kind == DeliveryKind.LETTER.value,
            d.c.ref_id == lt.c.id,
            d.c.status == DeliveryStatus.CANCELLED.value,
        )
        letters = self.conn.execute(
            sa.select(ll.c.claim_id, lt.c.id, lk.c.kid, lt.c.total_ore, lt.c.sent_on, c.c.currency)
            .join(lt, lt.c.id == ll.c.letter_id)
            .join(lk, lk.c.letter_id == lt.c.id)
            .join(c, c.c.id == ll.c.claim_id)
            .where(c.c.stage != Stage.CLOSED.value, ~cancelled.exists())
            .order_by(ll.c.claim_id, lt.c.sent_on.desc(), lt.c.id.desc())
        )
        by_claim: dict[int, list[LetterToPay]] = {}
        for r in letters:
            total = Money.from_ore(r.total_ore, r.currency)
            by_claim.setdefault(r.claim_id, []).append(LetterToPay(r.id, r.kid, total, r.sent_on))
        with_kid = sa.select(ll.c.claim_id).join(lk, lk.c.letter_id == ll.c.letter_id)
        rows = self.conn.execute(
            sa.select(c).where(c.c.stage != Stage.CLOSED.value, c.c.id.in_(with_kid)).order_by(c.c.id)
        )
        return [ClaimToMatch(claim_from_row(r), tuple(by_claim[r.id])) for r in rows if r.id in by_claim]

    def claims_waiting(self) -> list[ClaimWaiting]:
        """R-SVC-2: the claims that wait for their latest letter (the newest on which they stand), which could not
        be sent, with that letter; the longest waiting first. One query."""
        c, ll, lt = t.claim, t.letter_line, t.letter
        latest = sa.select(sa.func.max(ll.c.letter_id)).where(ll.c.claim_id == c.c.id).correlate(c).scalar_subquery()
        rows = self.conn.execute(
            sa.select(
                c.c.company_id,
                c.c.collection_id,
                c.c.invoice_number,
                c.c.debtor_number,
                c.c.debtor_name,
                c.c.letter_unsent_since,
                lt.c.id.label("letter_id"),
                lt.c.type,
                lt.c.n,
            )
            .select_from(c.join(lt, lt.c.id == latest))
            .where(c.c.letter_unsent_since.is_not(None))
            .order_by(c.c.letter_unsent_since, c.c.company_id, c.c.debtor_number, c.c.invoice_number)
        )
        return [
            ClaimWaiting(
                r.company_id,
                r.collection_id,
                r.invoice_number,
                r.debtor_number,
                r.debtor_name,
                r.letter_unsent_since,
                r.letter_id,
                LetterType(r.type),
                r.n,
            )
            for r in rows
        ]

    # -- collection lists ------------------------------------------------------------------------------------

    def add_list(
        self, company_id: int, list_date: date, transfer_on: date | None, rows: Sequence[tuple[Claim, Money]]
    ) -> int:
        """Store a collection list: each claim with what it owed that day (``rows``: claim and its interest)."""
        list_id = int(
            self.conn.execute(
                t.collection_list.insert()
                .values(company_id=company_id, list_date=list_date, transfer_on=transfer_on, created_at=utcnow())
                .returning(t.collection_list.c.id)
            ).scalar_one()
        )
        self.conn.execute(
            t.collection_list_line.insert(),
            [
                {
                    "list_id": list_id,
                    "claim_id": c.id,
                    "position": n,
                    "principal_ore": c.principal_outstanding.ore,
                    "fee_ore": c.fees_outstanding.ore,
                    "interest_ore": interest.ore,
                }
                for n, (c, interest) in enumerate(rows, start=1)
            ],
        )
        return list_id

    def list_rows(self, company_id: int, list_id: int) -> list[CollectionListRow]:
        """A list's claims as shown on the list, with what each owed on the list's date."""
        cl, line, c = t.collection_list, t.collection_list_line, t.claim
        rows = self.conn.execute(
            sa.select(
                line,
                c.c.debtor_number,
                c.c.debtor_name,
                c.c.collection_id,
                c.c.invoice_number,
                c.c.due_date,
                c.c.notice_deadline,
                c.c.currency,
            )
            .join(cl, cl.c.id == line.c.list_id)
            .join(c, c.c.id == line.c.claim_id)
            .where(cl.c.company_id == company_id, cl.c.id == list_id)
            .order_by(line.c.position)
        )
        return [
            CollectionListRow(
                r.debtor_number,
                r.debtor_name,
                r.collection_id,
                r.invoice_number,
                r.due_date,
                Money.from_ore(r.principal_ore, r.currency),
                Money.from_ore(r.fee_ore, r.currency),
                Money.from_ore(r.interest_ore, r.currency),
                r.notice_deadline,
            )
            for r in rows
        ]

    def lists(self, company_id: int) -> list[tuple[date, list[str], int]]:
        """Every collection list of a company: its date, its invoices in list order, and its id."""
        cl, line, c = t.collection_list, t.collection_list_line, t.claim
        rows = self.conn.execute(
            sa.select(cl.c.id, cl.c.list_date, c.c.invoice_number)
            .join(line, line.c.list_id == cl.c.id)
            .join(c, c.c.id == line.c.claim_id)
            .where(cl.c.company_id == company_id)
            .order_by(cl.c.list_date, cl.c.id, line.c.position)
        )
        out: dict[int, tuple[date, list[str]]] = {}
        for r in rows:
            out.setdefault(r.id, (r.list_date, []))[1].append(r.invoice_number)
        return [(d, invoices, list_id) for list_id, (d, invoices) in out.items()]
