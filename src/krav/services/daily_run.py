"""The business day: the one use case behind ``krav run``, ``krav simulate``, ``krav demo``, the scenario runner
and the tests (DESIGN.md "Time and jobs").

A business day is: money in from the inbox (payment files of the client account), then for each creditor the
steps of R-TIME-5 in order, then the delivery of what the steps wrote to the outbox. Each step is its own
transaction and leaves a done-record for (creditor, date, step), so running the same date again skips what was
done, and a run killed half-way and run again ends exactly as an uninterrupted one. :func:`run_days` is the one
loop over days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from krav.domain.calendar import is_bank_day
from krav.domain.collection.letters import LetterType
from krav.domain.collection.steps import Day
from krav.domain.messages import ClaimChanged
from krav.domain.money import Money
from krav.services import claim_pages
from krav.services.collection import CreditorDay, StepOutcome
from krav.services.collection import day as service_day
from krav.services.collection import money as service_money
from krav.services.collection.delivery import MAX_ATTEMPTS, BounceResult, OutboxReport, deliver_now, read_bounces
from krav.services.collection.holding import Held
from krav.services.collection.payments import InboxResult, import_inbox
from krav.services.ledger.submission import auto_transfer_in
from krav.services.ports import Collaborators, UnitOfWork, company_and_id
from krav.services.ports.outside import Progress


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a creditor's day (R-TIME-5): its name (the done-record's key), what it does, and the rule."""

    name: str
    run: Callable[[UnitOfWork, CreditorDay], StepOutcome]
    rule: str

    def __call__(self, uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
        return self.run(uow, ctx)


def _auto_transfer(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """The ledger side's auto-transfer (R-VAL-2): every valid item submitted on a bank day while the agreement is
    active; the claims are made when the step commits, and lettered in the next step the same day (R-CLM-2)."""
    if not (ctx.day.bank_day and ctx.agreement.active):
        return StepOutcome()
    submitted = auto_transfer_in(uow, ctx.company, today=ctx.today)
    return StepOutcome(submitted=sum(1 for s in submitted if s.submitted))


#: A creditor's day, in the order of R-TIME-5.
STEPS: tuple[Step, ...] = (
    Step("money_in", service_money.money_in, "R-TIME-5 (1): payments, credits and actions reported"),
    Step("pause_expiry", service_day.pause_expiry, "R-TIME-5 (2), R-ACT-1"),
    Step("confirmations", service_day.confirmations, "R-TIME-5 (3), R-CLM-8, R-CLM-9"),
    Step("auto_transfer", _auto_transfer, "R-TIME-5 (4), R-VAL-2"),
    Step("letters", service_day.letters, "R-TIME-5 (4, 5), R-CLM-2, R-CLM-3"),
    Step("inkasso", service_day.inkasso, "R-TIME-5 (6), R-CLM-4, R-CLM-5"),
    Step("legal", service_day.legal, "R-TIME-5 (7), R-CLM-13"),
    Step("collection_list", service_day.collection_list, "R-TIME-5 (8), R-CLM-4"),
    Step("remittance", service_money.remittance, "R-TIME-5 (9), R-BANK-3, R-LED-7"),
)


@dataclass
class DayReport:
    """What a day's run did for one creditor."""

    company: str
    date: date
    bank_day: bool
    steps_run: list[str] = field(default_factory=list)
    steps_skipped: list[str] = field(default_factory=list)
    submitted: int = 0
    letters: Counter[LetterType] = field(default_factory=Counter)
    listed: int = 0
    payments_applied: int = 0
    settled: Money = field(default_factory=Money.zero)
    notes: list[str] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    failed: str | None = None  # why the creditor's day stopped (its other steps wait for the next run)

    def add(self, step: str, outcome: StepOutcome) -> None:
        self.steps_run.append(step)
        self.submitted += outcome.submitted
        self.letters.update(outcome.letters)
        self.listed += outcome.listed
        self.payments_applied += outcome.payments_applied
        self.settled = self.settled + outcome.settled
        self.held.extend(outcome.held)

    @property
    def troubled(self) -> bool:
        """Whether anything was held or failed: the run says so and exits non-zero."""
        return bool(self.held) or self.failed is not None


@dataclass
class BusinessDay:
    """What one business day did: the inbox, each creditor's steps, and the delivery."""

    date: date
    inbox: list[InboxResult] = field(default_factory=list)
    creditors: list[DayReport] = field(default_factory=list)
    outbox: OutboxReport | None = None
    bounces: list[BounceResult] = field(default_factory=list)  # delivery status notifications read (R-SVC-2)
    problems: list[str] = field(default_factory=list)  # what stopped a part of the day that is no creditor's

    @property
    def troubled(self) -> bool:
        """Whether anything was held, refused or failed: ``krav run`` reports it and exits non-zero."""
        return (
            bool(self.problems)
            or any(c.troubled for c in self.creditors)
            or any(r.error for r in self.inbox)
            or any(b.problem for b in self.bounces)
            or self.undelivered > 0
        )

    @property
    def undelivered(self) -> int:
        """R-SVC-2: deliveries that failed or may not have gone today (their letters do not count as sent)."""
        return 0 if self.outbox is None else self.outbox.failed + self.outbox.uncertain


def run_creditor_day(
    uow: UnitOfWork,
    orgno: str,
    on: date,
    collab: Collaborators,
    *,
    steps: Sequence[Step] = STEPS,
    after_step: Callable[[int], None] | None = None,
) -> DayReport:
    """Run one creditor's business day, step by step (R-TIME-5); each step commits on its own with its
    done-record, so a rerun of the same date skips what was done. ``after_step`` hears how many steps are behind
    it after each one (progress)."""
    report = DayReport(orgno, on, is_bank_day(on))
    unknown = _rates_unknown(on, collab)
    if unknown is not None:
        if not collab.what_if:
            report.failed = unknown  # nothing of the day is done; it is run in full once the table is loaded
            return report
        report.notes.append(unknown)
    earlier = _after_the_last_run(uow, orgno, on, steps)
    if earlier is not None:
        report.notes.append(earlier)
        return report
    told: dict[str, ClaimChanged] = {}  # what the steps told the ledger, kept from one step to the next
    for n, step in enumerate(steps, start=1):
        try:
            with uow:
                company, company_id = company_and_id(uow, orgno)
                if uow.collection.step_done(company_id, on, step.name):
                    report.steps_skipped.append(step.name)
                    continue
                agreement = uow.agreements.get(company_id)
                day = Day(on, agreement, collab.rates, creditor_vat_registered=company.vat_registered)
                outcome = step(uow, CreditorDay(company, company_id, day, collab.service, told))
                uow.collection.mark_step(company_id, on, step.name, outcome.summary())
                uow.commit()
        except Exception as exc:  # nothing of the step was kept; it and the steps after it wait for the next run
            report.failed = f"{step.name}: {_reason(exc)}"
            break
        finally:
            if after_step is not None:
                after_step(n)
        report.add(step.name, outcome)
    return report


def _after_the_last_run(uow: UnitOfWork, orgno: str, on: date, steps: Sequence[Step]) -> str | None:
    """None when ``on`` is the creditor's last run day or later (the business days go forward), or a day run in
    full before (run again, it changes nothing); otherwise why nothing is done for it: its claims have already
    lived past ``on``."""
    with uow:
        company, company_id = company_and_id(uow, orgno)
        last = uow.collection.last_run_day(company_id)
        done = last is not None and on < last and all(uow.collection.step_done(company_id, on, s.name) for s in steps)
    if last is not None and on < last and not done:
        return (
            f"skipped: {company.name}'s last run was {last.strftime('%d.%m.%Y')}; an earlier day is not run, as its "
            f"claims have moved past it (to see what a day would do, use `krav simulate` or `krav run --dry-run`)"
        )
    return None


def _rates_unknown(on: date, collab: Collaborators) -> str | None:
    """DOMAIN.md section 8: None when the rate table knows the forsinkelsesrente and standard compensation of
    ``on``'s half-year. Otherwise what a real run says when it holds the creditor's day (no letter may print a
    rate Krav does not know), or what a what-if assumed."""
    check = collab.rates.check(on)
    if check.known:
        return None
    if collab.what_if:
        return f"what-if: {check.assumption()}"
    needed = check.needed_from.strftime("%d.%m.%Y")
    until = check.known_until.strftime("%d.%m.%Y")
    return (
        f"held: the rate table ends {until} and knows no forsinkelsesrente or standard compensation for "
        f"{on.strftime('%d.%m.%Y')}; nothing was done for this creditor today. Load a table covering the "
        f"half-year from {needed} with `krav rates load FILE` (see `krav rates show`) and run the day again"
    )


def creditors(uow: UnitOfWork, company: str | None = None) -> list[str]:
    """The creditors a run covers: the one named, or every registered company."""
    if company is not None:
        return [company]
    with uow:
        return [c.orgno for c in uow.companies.all()]


def run_business_day(
    uow: UnitOfWork,
    on: date,
    collab: Collaborators,
    *,
    company: str | None = None,
    deliver_letters: bool = True,
    steps: Sequence[Step] = STEPS,
) -> BusinessDay:
    """One business day: the inbox's payment files imported, each creditor's steps run (or the one named), and
    what they wrote to the outbox delivered (``deliver_letters=False`` leaves it there, for a what-if). One run
    at a time: :class:`krav.domain.errors.RunInProgress` when another holds the database."""
    with collab.lock.hold(f"the business day {on}"):
        return _business_day(uow, on, collab, company=company, deliver_letters=deliver_letters, steps=steps)


def _business_day(
    uow: UnitOfWork,
    on: date,
    collab: Collaborators,
    *,
    company: str | None,
    deliver_letters: bool,
    steps: Sequence[Step],
) -> BusinessDay:
    result = BusinessDay(on)
    _start(uow, on, collab, result, deliver_letters=deliver_letters)
    orgnos = creditors(uow, company)
    total = len(orgnos) * len(steps)
    collab.progress(STEPS_DONE, 0, total)
    for n, orgno in enumerate(orgnos):
        counted = partial(_steps_done, collab.progress, n * len(steps), total)
        result.creditors.append(_isolated(uow, orgno, on, collab, steps, counted))
        counted(len(steps))  # a creditor held or skipped has run none of its steps, and is done all the same
    if deliver_letters:
        _deliver(uow, on, collab, result, retry_failed=False)
    return result


def start_of_day(uow: UnitOfWork, on: date, collab: Collaborators) -> BusinessDay:
    """What a business day does before the creditors' steps (the workers' day starts so too, see
    :mod:`krav.services.jobs`); the caller holds the run lock. Its ``problems`` and ``troubled`` say what
    went wrong; nothing here stops the creditors' days."""
    result = BusinessDay(on)
    _start(uow, on, collab, result, deliver_letters=True)
    return result


def _start(uow: UnitOfWork, on: date, collab: Collaborators, result: BusinessDay, *, deliver_letters: bool) -> None:
    """The inbox's payment files, the delivery status notifications, and what earlier days could not send; the
    claims' pages kept from earlier days are dropped (stale by their day)."""
    try:
        claim_pages.forget_stale(uow, on)
    except Exception as exc:  # they are only stale: each is made again when it is read
        result.problems.append(f"claims' pages of earlier days: {_reason(exc)}")
    if collab.inbox is not None:
        try:
            result.inbox = import_inbox(uow, collab.inbox, max_bytes=collab.max_file_bytes)
        except Exception as exc:  # the inbox as a whole could not be read: the creditors' days go on
            result.problems.append(f"inbox {collab.inbox}: {_reason(exc)}")
        if deliver_letters:
            try:
                result.bounces = read_bounces(uow, collab.inbox / BOUNCES, on=on)
            except Exception as exc:  # the bounces wait for the next run
                result.problems.append(f"bounces {collab.inbox / BOUNCES}: {_reason(exc)}")
    if deliver_letters:
        # R-SVC-2: what earlier days could not send goes first (failed deliveries, paper copies of bounces), so
        # that the claims that waited for it go on today, counted from today. Every run tries them once however
        # often they failed before: a claim waits for its letter only as long as the cause lasts, and each run
        # that still cannot send it says so
        _deliver(uow, on, collab, result, retry_failed=True)


#: the folder of the inbox where delivery status notifications are dropped (R-SVC-2)
BOUNCES = "bounces"

#: the progress task of the creditors' steps (:class:`~krav.services.ports.outside.Progress`)
STEPS_DONE = "steps"


def _deliver(uow: UnitOfWork, on: date, collab: Collaborators, result: BusinessDay, *, retry_failed: bool) -> None:
    """Deliver what the outbox holds on ``on``; ``retry_failed``: failed deliveries too (once a run)."""
    try:
        # the run lock is held: no other worker is sending
        report = deliver_now(
            uow, collab, on, retry_failed=retry_failed, max_attempts=None if retry_failed else MAX_ATTEMPTS
        )
    except Exception as exc:  # what waits in the outbox is sent by the next run or `krav outbox send`
        result.problems.append(f"delivery: {_reason(exc)}")
        return
    if result.outbox is None:
        result.outbox = report
    else:
        result.outbox.add(report)


def _steps_done(progress: Progress, before: int, total: int, done: int) -> None:
    """Progress through the day's steps: ``done`` of a creditor's, after ``before`` of the creditors' before it."""
    progress(STEPS_DONE, before + done, total)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _isolated(
    uow: UnitOfWork,
    orgno: str,
    on: date,
    collab: Collaborators,
    steps: Sequence[Step],
    after_step: Callable[[int], None],
) -> DayReport:
    """One creditor's day; when it fails, the failure is reported and the other creditors' days go on (the
    failed step and those after it wait for the next run, which starts where this one stopped)."""
    try:
        return run_creditor_day(uow, orgno, on, collab, steps=steps, after_step=after_step)
    except Exception as exc:
        return DayReport(orgno, on, is_bank_day(on), failed=_reason(exc))


def run_days(
    uow: UnitOfWork,
    first: date,
    last: date,
    collab: Collaborators,
    *,
    company: str | None = None,
    deliver_letters: bool = True,
    before_day: Callable[[date], None] | None = None,
    after_day: Callable[[BusinessDay], None] | None = None,
    steps: Sequence[Step] = STEPS,
) -> list[BusinessDay]:
    """The business days from ``first`` to ``last`` in order, each as :func:`run_business_day`.
    ``before_day`` brings in what happens outside the service that day (a scenario's events, a demo's payment
    files); ``after_day`` sees each day's report (progress)."""
    days: list[BusinessDay] = []
    on = first
    while on <= last:
        if before_day is not None:
            before_day(on)
        days.append(run_business_day(uow, on, collab, company=company, deliver_letters=deliver_letters, steps=steps))
        if after_day is not None:
            after_day(days[-1])
        on += timedelta(days=1)
    return days
