"""The creditor's reports, as the portal draws them and lets them be downloaded: read-side figures over the same
claims, events and letters as the claims list, so each number adds up to what the other pages show.

* **aged receivables**: the open claims by how long they are past due on a day (0–30, 31–60, 61–90 and more than
  90 days), counted and with what they owe that day (principal, fees, interest to the day and salær, as the
  claims list and the API's ``owed``);
* **collected per month**: what debtors paid on the creditor's claims, to the client account or directly to the
  creditor, by the month of the payment (the events a claim page sums as paid);
* **the stage funnel**: how many claims got at least as far as each stage, how many were paid while that was the
  furthest they had got, the share of those that reached it (the resolution rate) and the days from submission
  to payment; and the same for all claims together;
* **outcomes**: the closed claims by why they closed, counted, with their principal;
* **the letter log**: every letter sent for the creditor, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from krav.domain.collection.claims import ClosedReason, Stage
from krav.domain.collection.events import EventKind
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services import queries
from krav.services.ports import HistoryEntry, StoredLetter, UnitOfWork, company_id
from krav.services.queries import ClaimRecord, ClaimView

#: the age buckets of the receivables, in days past due: (from, to), ``None`` for no upper end
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 60), (61, 90), (91, None))
#: the events that are a debtor's payment on a claim: to the client account, or directly to the creditor
PAYMENT_KINDS = (EventKind.PAYMENT, EventKind.DIRECT_PAYMENT)
#: the stages of the funnel, in the order a claim moves through them
FUNNEL: tuple[Stage, ...] = (
    Stage.NEW,
    Stage.REMINDER,
    Stage.NOTICE,
    Stage.COLLECTION_LIST,
    Stage.INKASSO,
    Stage.LEGAL,
)
#: events read per query when the report walks the creditor's history
_EVENTS_PER_READ = 5000
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Open claims ``low`` to ``high`` days past due (``high`` None: more than ``low - 1``), and what they owe."""

    low: int
    high: int | None
    count: int
    owed: Money


def days_past_due(claim: ClaimRecord, on: date) -> int:
    """How many days past its due date the claim is on ``on`` (0 before and on the due date)."""
    return max((on - claim.due_date).days, 0)


def aged_receivables(views: Iterable[ClaimView], on: date) -> tuple[AgeBucket, ...]:
    """The open claims of ``views`` in the age buckets of :data:`AGE_BUCKETS` on ``on``."""
    counts = [0] * len(AGE_BUCKETS)
    owed = [Money.zero()] * len(AGE_BUCKETS)
    for v in views:
        if v.claim.stage is Stage.CLOSED:
            continue
        days = days_past_due(v.claim, on)
        n = next(i for i, (low, high) in enumerate(AGE_BUCKETS) if low <= days and (high is None or days <= high))
        counts[n] += 1
        owed[n] = owed[n] + v.owed
    return tuple(AgeBucket(low, high, counts[n], owed[n]) for n, (low, high) in enumerate(AGE_BUCKETS))


@dataclass(frozen=True, slots=True)
class MonthCollected:
    """What debtors paid in one month (``month``: its first day): to the client account, and directly."""

    month: date
    client_account: Money
    direct: Money
    payments: int

    @property
    def total(self) -> Money:
        return self.client_account + self.direct


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def collected_per_month(entries: Iterable[HistoryEntry], *, first: date, last: date) -> tuple[MonthCollected, ...]:
    """The debtors' payments among ``entries`` by month, every month from ``first``'s to ``last``'s (a month with
    none is there with nothing); a payment outside those months is left out."""
    months: dict[date, tuple[Money, Money, int]] = {}
    month = _month(first)
    while month <= _month(last):
        months[month] = (Money.zero(), Money.zero(), 0)
        month = _next_month(month)
    for e in entries:
        if e.kind not in PAYMENT_KINDS or e.amount is None or _month(e.date) not in months:
            continue
        client, direct, count = months[_month(e.date)]
        if e.kind is EventKind.PAYMENT:
            client = client + e.amount
        else:
            direct = direct + e.amount
        months[_month(e.date)] = (client, direct, count + 1)
    return tuple(MonthCollected(m, client, direct, count) for m, (client, direct, count) in months.items())


def furthest_stage(claim: ClaimRecord) -> Stage:
    """The furthest stage of :data:`FUNNEL` the claim has reached, read off what it keeps: its stage while open,
    and the days of its letters, its collection list and its inkasso case. A claim closed after it moved to
    legal collection keeps no day of that move: it counts as inkasso."""
    reached = [claim.stage] if claim.stage in FUNNEL else []
    for day, stage in (
        (claim.first_letter_on, Stage.REMINDER),
        (claim.notice_sent_on, Stage.NOTICE),
        (claim.listed_on, Stage.COLLECTION_LIST),
        (claim.inkasso_on, Stage.INKASSO),
    ):
        if day is not None:
            reached.append(stage)
    return max(reached, key=FUNNEL.index, default=Stage.NEW)


def _share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, to a tenth; None of nothing."""
    if whole == 0:
        return None
    return (Decimal(part * 100) / whole).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _mean_days(days: Sequence[int]) -> Decimal | None:
    if not days:
        return None
    return (Decimal(sum(days)) / len(days)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class FunnelStage:
    """One stage of the funnel: the claims that got at least this far, those still open with it as the furthest,
    those paid with it as the furthest, and the mean days from submission to payment of those."""

    stage: Stage
    reached: int
    open: int
    paid: int
    days_to_paid: Decimal | None

    @property
    def resolution_rate(self) -> Decimal | None:
        """Of the claims that reached the stage, the share paid at it, in per cent."""
        return _share(self.paid, self.reached)


@dataclass(frozen=True, slots=True)
class Funnel:
    """The funnel's stages, and for every claim: how many, how many paid, the share paid (per cent) and the mean
    days from submission to payment."""

    stages: tuple[FunnelStage, ...]
    claims: int
    paid: int
    days_to_paid: Decimal | None

    @property
    def resolution_rate(self) -> Decimal | None:
        return _share(self.paid, self.claims)


def _days_to_close(c: ClaimRecord) -> int:
    assert c.closed_on is not None
    return (c.closed_on - c.submitted_on).days


def funnel(claims: Sequence[ClaimRecord]) -> Funnel:
    """The stage funnel of ``claims`` (open and closed)."""
    furthest = [(c, FUNNEL.index(furthest_stage(c))) for c in claims]
    paid = [(c, at) for c, at in furthest if c.closed_reason is ClosedReason.PAID and c.closed_on is not None]
    stages = tuple(
        FunnelStage(
            stage,
            reached=sum(1 for _, at in furthest if at >= n),
            open=sum(1 for c, at in furthest if at == n and c.stage is not Stage.CLOSED),
            paid=sum(1 for _, at in paid if at == n),
            days_to_paid=_mean_days([_days_to_close(c) for c, at in paid if at == n]),
        )
        for n, stage in enumerate(FUNNEL)
    )
    return Funnel(stages, len(claims), len(paid), _mean_days([_days_to_close(c) for c, _ in paid]))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The closed claims of one closing reason: how many, their principal, and their share of the closed ones."""

    reason: ClosedReason
    count: int
    principal: Money
    share: Decimal | None


def outcomes(claims: Iterable[ClaimRecord]) -> tuple[Outcome, ...]:
    """The closed claims by closing reason, every reason listed (none closed so: 0)."""
    closed = [c for c in claims if c.stage is Stage.CLOSED and c.closed_reason is not None]
    return tuple(
        Outcome(
            reason,
            len(mine := [c for c in closed if c.closed_reason is reason]),
            sum((c.principal for c in mine), Money.zero()),
            _share(len(mine), len(closed)),
        )
        for reason in ClosedReason
    )


@dataclass(frozen=True, slots=True)
class Reports:
    """The creditor's reports on a day."""

    on: date
    aged: tuple[AgeBucket, ...]
    collected: tuple[MonthCollected, ...]
    funnel: Funnel
    outcomes: tuple[Outcome, ...]

    @property
    def open_claims(self) -> int:
        return sum(b.count for b in self.aged)

    @property
    def open_owed(self) -> Money:
        return sum((b.owed for b in self.aged), Money.zero())


def _events(uow: UnitOfWork, cid: int) -> list[HistoryEntry]:
    """Every event of the company's claims, read in pages."""
    found: list[HistoryEntry] = []
    after = 0
    while page := uow.collection.events_after(cid, after, _EVENTS_PER_READ):
        found.extend(r.entry for r in page)
        after = page[-1].seq
    return found


def reports(uow: UnitOfWork, orgno: str, *, on: date, rates: RateTables) -> Reports:
    """The creditor's reports on ``on``: collected per month from the month of its first claim to ``on``'s."""
    views = queries.claims_view(uow, orgno, on=on, rates=rates, include_closed=True)
    with uow:
        entries = _events(uow, company_id(uow, orgno))
    records = [v.claim for v in views]
    first = min((c.submitted_on for c in records), default=on)
    first = min([first, *(e.date for e in entries if e.kind in PAYMENT_KINDS)])
    return Reports(
        on=on,
        aged=aged_receivables(views, on),
        collected=collected_per_month(entries, first=first, last=on),
        funnel=funnel(records),
        outcomes=outcomes(records),
    )


def letter_log(uow: UnitOfWork, orgno: str) -> list[StoredLetter]:
    """Every letter sent for the creditor, newest first."""
    return sorted(queries.letters(uow, orgno), key=lambda lt: (lt.sent_on, lt.id), reverse=True)
