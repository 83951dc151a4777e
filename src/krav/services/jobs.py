"""The daily run on workers (``krav worker``, PostgreSQL): the same business day as ``krav run``, cut into jobs
that several worker processes share.

* :data:`BUSINESS_DAY` (one a day, deferred by the schedule or ``krav run --queue``): the day's start as a run
  does it — the inbox's payment files, the delivery status notifications, the deliveries that failed before —
  holding the database's run lock; then, in one transaction, one :data:`CREDITOR_DAY` per creditor.
* :data:`CREDITOR_DAY`: one creditor's steps (:func:`~krav.services.daily_run.run_creditor_day`), holding the
  run lock shared (creditors run side by side, never beside a whole ``krav run``) and the job lock of its
  creditor (one worker at a time per creditor); then, in one transaction, its deliveries as :data:`DELIVER`
  jobs, cut into shares so that several workers render and send them.
* :data:`DELIVER`: one share of one creditor's e-mails (the print batch goes with the first share: one batch per
  creditor and day).

Every job can run again: a step done is skipped, a letter sent is not sent again. A job that fails is tried
again by the queue; one that keeps failing stays ``failed`` for the operator (``krav jobs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.services.collection.delivery.worker import OutboxReport, deliver_now
from krav.services.daily_run import BusinessDay, DayReport, creditors, run_creditor_day, start_of_day
from krav.services.ports import Collaborators, DeliveryStatus, JobRequest, UnitOfWork, company_and_id

BUSINESS_DAY = "krav.business_day"
CREDITOR_DAY = "krav.creditor_day"
DELIVER = "krav.deliver"

#: deliveries a :data:`DELIVER` job takes at most before the rest go to another share
SHARE = 250
#: the most shares one creditor's deliveries of a day are cut into
MAX_SHARES = 16


class DayNotDone(Exception):
    """A creditor's day stopped at a step; the queue tries the job again (the next try starts at that step)."""


def queue_business_day(uow: UnitOfWork, on: date) -> int:
    """Defer the business day ``on`` to the workers; the job's id."""
    with uow:
        (job,) = uow.jobs.defer([JobRequest(BUSINESS_DAY, {"on": on.isoformat()}, lock=f"day:{on.isoformat()}")])
        uow.commit()
    return job


def business_day(uow: UnitOfWork, collab: Collaborators, on: date, *, company: str | None = None) -> BusinessDay:
    """The :data:`BUSINESS_DAY` job: the day's start, then one creditor day deferred per creditor (or the one
    named). What the start did, and what went wrong in it, is in the report; like a run's, it stops no
    creditor's day (a bad inbox file is refused, a failed delivery tried again tomorrow)."""
    with collab.lock.hold(f"the start of the business day {on}"):
        start = start_of_day(uow, on, collab)
    orgnos = creditors(uow, company)
    with uow:
        uow.jobs.defer(
            [JobRequest(CREDITOR_DAY, {"orgno": o, "on": on.isoformat()}, lock=f"creditor:{o}") for o in orgnos]
        )
        uow.commit()
    return start


def creditor_day(uow: UnitOfWork, collab: Collaborators, orgno: str, on: date) -> DayReport:
    """The :data:`CREDITOR_DAY` job: the creditor's steps, then its deliveries deferred in shares. Raises
    :class:`~krav.domain.errors.RunInProgress` while a whole run holds the database, and :class:`DayNotDone`
    when a step failed (both: the queue tries again)."""
    with collab.lock.share(f"the day of {orgno}"):
        report = run_creditor_day(uow, orgno, on, collab)
    if report.failed:
        raise DayNotDone(f"{orgno} {on.isoformat()}: {report.failed}")
    defer_deliveries(uow, orgno, on)
    return report


@dataclass(frozen=True)
class Shares:
    """How one creditor's deliveries of a day are cut: ``count`` shares of the waiting ``waiting``."""

    waiting: int
    count: int


def shares_for(waiting: int) -> Shares:
    """As many shares as :data:`SHARE` deliveries fill, at least one and at most :data:`MAX_SHARES`."""
    return Shares(waiting, max(1, min(MAX_SHARES, -(-waiting // SHARE))))


def defer_deliveries(uow: UnitOfWork, orgno: str, on: date) -> Shares:
    """Defer the creditor's waiting deliveries as :data:`DELIVER` jobs, in one transaction."""
    with uow:
        _, company_id = company_and_id(uow, orgno)
        shares = shares_for(len(uow.deliveries.deliveries(statuses=[DeliveryStatus.PENDING], company_id=company_id)))
        if shares.waiting:
            uow.jobs.defer(
                [
                    JobRequest(
                        DELIVER, {"company_id": company_id, "on": on.isoformat(), "share": k, "shares": shares.count}
                    )
                    for k in range(shares.count)
                ]
            )
        uow.commit()
    return shares


def deliver_share(
    uow: UnitOfWork, collab: Collaborators, company_id: int, on: date, share: int, shares: int
) -> OutboxReport:
    """The :data:`DELIVER` job: one share of one creditor's waiting deliveries, holding the run lock shared."""
    with collab.lock.share(f"the deliveries of company {company_id}"):
        return deliver_now(uow, collab, on, retry_failed=False, company_id=company_id, share=(share, shares))
