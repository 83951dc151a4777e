"""What the collection-side commands print: the daily run, claims, letters, the outbox, payments and settlements,
as tables and lines of text in Norwegian formats, and the shapes their ``--json`` prints. Stages, letter types and
statuses are shown as words (:mod:`krav.entrypoints.labels`, in the language of ``krav --lang``); the JSON keeps
the codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from krav.domain.collection.actions import ActionResult
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import Letter, LetterType
from krav.domain.collection.progress import Holding, Progress
from krav.domain.money import Money, format_amount, format_count
from krav.entrypoints import labels
from krav.entrypoints.cli.presenters import LISTED, day, more_lines
from krav.entrypoints.labels import headers
from krav.entrypoints.output import table
from krav.services import daily_run, queries
from krav.services.collection import delivery, payments
from krav.services.ports import ClientPayment, HistoryEntry, StoredLetter, StoredSettlement

# -- the daily run ------------------------------------------------------------------------------------------------


def outbox_lines(sent: delivery.OutboxReport, prefix: str = "") -> list[str]:
    lines = [
        f"{prefix}{format_count(sent.sent)} e-mailed, {format_count(sent.printed)} to print, "
        f"{format_count(sent.failed)} failed, {format_count(sent.uncertain)} uncertain"
        + (f", {format_count(sent.bounced)} refused by the mail server and printed instead" if sent.bounced else "")
    ]
    lines += [f"  {error}" for error in sent.errors] + [f"  {note}" for note in sent.notes]
    if sent.held:
        lines.append(f"  {format_count(sent.held)} claim(s) wait for a letter that could not be sent")
    return lines


def undelivered_lines(count: int) -> list[str]:
    """What a person does about deliveries that failed: see them, fix the cause, retry."""
    return [
        f"{format_count(count)} deliveries not sent: their letters do not count as sent and their claims wait. "
        "See them with `krav outbox status`; fix the cause, then `krav outbox retry` (or the next `krav run`)"
    ]


def bounce_lines(results: Sequence[delivery.BounceResult]) -> list[str]:
    """The delivery status notifications read: which e-mails went on paper, and the files put aside."""
    return [
        f"bounce {r.file}: refused: {r.problem}"
        if r.problem
        else f"bounce {r.file}: " + (", ".join(r.bounced) + " on paper instead" if r.bounced else "no bounce in it")
        for r in results
    ]


def business_day_json(today: daily_run.BusinessDay) -> dict[str, Any]:
    return {
        "inbox": [
            {
                "file": r.path.name,
                "error": r.error,
                "matched": len(r.report.matched) if r.report else 0,
                "unmatched": len(r.report.unmatched) if r.report else 0,
                "duplicates": len(r.report.duplicates) if r.report else 0,
            }
            for r in today.inbox
        ],
        "days": today.creditors,
        "outbox": today.outbox or delivery.OutboxReport(),
        "bounces": today.bounces,
        "problems": today.problems,
        "troubled": today.troubled,
    }


def letter_counts(counts: Mapping[LetterType, int]) -> str:
    """``2 betalingsbekreftelse, 1 betalingspåminnelse``: letters by type, in the order of their codes."""
    return ", ".join(f"{format_count(n)} {labels.letter_type(t)}" for t, n in sorted(counts.items())) or "no letters"


def creditor_day_lines(report: daily_run.DayReport) -> list[str]:
    """The day of one creditor in a line (its date ``dd.mm.åååå``, counts and amounts in Norwegian notation), then
    its notes, where it stopped and what was held."""
    letters = letter_counts(report.letters)
    done = "already run" if not report.steps_run else f"{len(report.steps_run)} step(s)"
    line = (
        f"{report.date:%d.%m.%Y} {report.company}: {done}; submitted {format_count(report.submitted)}; {letters}; "
        f"listed {format_count(report.listed)}; payments {format_count(report.payments_applied)}; "
        f"remitted {format_amount(report.settled)}" + ("" if report.bank_day else " (not a bank day)")
    )
    lines = [line] + [f"  note: {note}" for note in report.notes]
    if report.failed is not None:
        lines.append(f"  stopped at {report.failed}; the rest of the day waits for the next run")
    lines += [f"  held: invoice {h.invoice_number} ({h.collection_id}) in {h.step}: {h.reason}" for h in report.held]
    return lines


def business_day_lines(today: daily_run.BusinessDay) -> list[str]:
    lines = []
    for result in today.inbox:
        if result.error:
            lines.append(f"inbox: {result.path.name} refused: {result.error.splitlines()[0]}")
        elif result.report:
            lines.append(
                f"inbox: {result.path.name}: {format_count(len(result.report.matched))} matched, "
                f"{format_count(len(result.report.unmatched))} unmatched"
                + (f", {format_count(len(result.report.duplicates))} duplicates" if result.report.duplicates else "")
            )
    for report in today.creditors:
        lines += creditor_day_lines(report)
    lines += bounce_lines(today.bounces)
    lines += outbox_lines(today.outbox or delivery.OutboxReport(), "outbox: ")
    if today.undelivered:
        lines += undelivered_lines(today.undelivered)
    lines += [f"problem: {problem}" for problem in today.problems]
    if today.troubled:
        lines.append("the day's run held or refused something: see above")
    return lines


def dry_run_letter_lines(letters: Sequence[tuple[str, StoredLetter]]) -> list[str]:
    """The letters a dry run would send, one line each: creditor, type, debtor and number, total, deadline."""
    if not letters:
        return ["would send no letters"]
    return [f"would send {len(letters)} letter(s):"] + [
        f"  {orgno} {labels.letter_type(letter.type)} to {letter.debtor} (no. {letter.n}): "
        + format_amount(letter.total)
        + (f", deadline {day(letter.deadline)}" if letter.deadline else "")
        for orgno, letter in letters
    ]


def simulation_lines(first: date, last: date, reports: Sequence[daily_run.DayReport]) -> list[str]:
    letters: dict[LetterType, int] = {}
    for r in reports:
        for t, n in r.letters.items():
            letters[t] = letters.get(t, 0) + n
    lines = [
        f"simulated {day(first)} to {day(last)}: {letter_counts(letters)}",
        f"submitted {sum(r.submitted for r in reports)}, listed {sum(r.listed for r in reports)}, "
        f"payments {sum(r.payments_applied for r in reports)}, remitted "
        f"{format_amount(Money.sum(r.settled for r in reports))}",
    ]
    notes = [note for r in reports for note in r.notes]
    if notes:  # e.g. rates the table does not know, assumed (DOMAIN.md section 8): said once, with how often
        lines.append(f"note: {notes[0]}" + (f" (and on {len(notes) - 1} more day(s))" if len(notes) > 1 else ""))
    return lines


def stages_line(orgno: str, views: Iterable[queries.ClaimView]) -> str:
    stages: dict[str, int] = {}
    for v in views:
        stages[v.claim.stage.value] = stages.get(v.claim.stage.value, 0) + 1
    counted = ", ".join(f"{labels.stage(k)} {n}" for k, n in sorted(stages.items()))
    return f"{orgno}: claims by stage: " + (counted or "none")


# -- claims and actions -------------------------------------------------------------------------------------------


def claims_json(views: Sequence[queries.ClaimView], on: date) -> list[dict[str, Any]]:
    """The claims with their codes. ``interest_outstanding`` is counted to the business date ``on``, which
    ``interest_to`` names (the ledger's items carry the interest as last reported instead)."""
    return [
        {
            "claim": v.claim,
            "interest_accrued": v.interest_accrued,
            "interest_outstanding": v.interest_outstanding,
            "interest_to": on,
            "owed": v.owed,
            "next": {"step": v.progress.step, "on": v.progress.on, "held_by": v.progress.held},
        }
        for v in views
    ]


def progress_text(progress: Progress) -> str:
    """``inkassovarsel fra 09.04.2025``, ``på pause; lukkes 01.10.2025``, ``venter på godkjenning …``."""
    step = ""
    if progress.step is not None:
        step = labels.next_step(progress.step) + (f" {labels.word('from')} {day(progress.on)}" if progress.on else "")
    if progress.held is None:
        return step
    if progress.held is Holding.AWAITING_APPROVAL:
        return labels.holding(progress.held)
    return labels.holding(progress.held) + (f"; {step}" if step else "")


def claims_table(views: Sequence[queries.ClaimView], on: date) -> str:
    """The claims, each stage as a word, and the interest counted to the business date ``on``, which the header
    names (``renter til 10.04.2025``): what the debtor owes that day, not what the ledger last heard."""
    rows = [
        (
            v.claim.collection_id,
            v.claim.invoice_number,
            f"{v.claim.debtor.number} {v.claim.debtor.name}"[:32],
            labels.stage(v.claim.stage),
            format_amount(v.claim.principal_outstanding),
            format_amount(v.claim.fees_outstanding),
            format_amount(v.interest_outstanding),
            format_amount(v.claim.salaer_outstanding),
            format_amount(v.owed),
            progress_text(v.progress) or (labels.closed_reason(v.claim.closed_reason) if v.claim.closed_reason else ""),
        )
        for v in views
    ]
    if not rows:
        return labels.word("no open claims")
    columns = headers("collection id", "invoice", "debtor", "stage", "principal", "fee")
    columns += [f"{labels.header('interest to')} {day(on)}", *headers("salær", "owed", "next")]
    return table(columns, rows, right={4, 5, 6, 7, 8})


def actions_json(results: Sequence[ActionResult]) -> list[dict[str, Any]]:
    return [
        {
            "invoice": r.invoice_number,
            "collection_id": r.collection_id,
            "do": r.action.value,
            "result": "accepted" if r.accepted else "refused",
            "reason": r.reason.value if r.reason else None,
        }
        for r in results
    ]


def actions_lines(results: Sequence[ActionResult]) -> list[str]:
    return [
        f"invoice {r.invoice_number}: {r.action.value} "
        + ("accepted" if r.accepted else f"refused ({r.reason}): {r.message_en}")
        for r in results
    ]


def closing_costs_warnings(costs: Mapping[str, Money]) -> list[str]:
    return [
        f"warning: invoice {number} is in inkasso; closing it invoices you {format_amount(amount)} in "
        "collection costs (plus VAT), as your agreement says"
        for number, amount in costs.items()
    ]


#: The history's details that are codes, and the words for them.
_DETAIL_WORDS: dict[str, Callable[[str], str]] = {
    EventKind.LETTER: labels.letter_type,
    EventKind.STAGE: labels.stage,
    EventKind.CLOSED: labels.closed_reason,
    EventKind.ACTION: labels.action,
}

#: A rule id a history written before they were left out of its texts still carries, e.g. `` (R-CLM-3)``.
_RULE_ID = re.compile(r" ?\(R-[A-Z]+-\d+(?:, R-[A-Z]+-\d+)*\)")


def history_detail(kind: str, detail: str) -> str:
    """An event's detail as a person reads it: a letter type, stage, reason for closing or action as its word;
    other text as written, without the rule ids older versions of Krav wrote into some."""
    to_word = _DETAIL_WORDS.get(kind)
    return to_word(detail) if to_word is not None else _RULE_ID.sub("", detail)


def history_table(events: Sequence[HistoryEntry]) -> str:
    return table(
        headers("date", "what", "amount", "detail", "by"),
        [
            (
                day(e.date),
                labels.event_kind(e.kind),
                format_amount(e.amount) if e.amount else "",
                history_detail(e.kind, e.detail),
                e.by,
            )
            for e in events
        ],
        right={2},
    )


# -- letters, the outbox, money in and out ------------------------------------------------------------------------


def account_text(account: str | None) -> str:
    """A Norwegian bank account as it is written: ``1602.00.00000`` (anything else as given)."""
    a = (account or "").replace(".", "").replace(" ", "")
    return f"{a[:4]}.{a[4:6]}.{a[6:]}" if len(a) == 11 and a.isdigit() else (account or "")


def letter_went(lt: StoredLetter) -> bool:
    """R-SVC-2: the letter was sent (one read without its delivery counts as sent the day it was written)."""
    return lt.sent or lt.status is None


def _delivery(lt: StoredLetter) -> str:
    """Where a letter's delivery stands: ``sendt (e-post)``, ``feilet (e-post)``, ``venter (papir)``."""
    if lt.status is None:
        return ""
    status = labels.delivery_status(lt.status)
    return f"{status} ({labels.channel(lt.channel)})" if lt.channel is not None else status


def letters_json(letters: Sequence[StoredLetter]) -> list[dict[str, Any]]:
    """``sent``: the day it went (None while it has not: never a letter that failed, R-SVC-2), ``written``: the
    day the run wrote it, ``deadline``: counted from the day it went, ``delivery``: its latest delivery."""
    return [
        {
            "id": lt.id,
            "debtor": lt.debtor,
            "n": lt.n,
            "type": lt.type.value,
            "written": lt.written,
            "sent": lt.sent_on if letter_went(lt) else None,
            "delivery": {"status": lt.status, "channel": lt.channel} if lt.status is not None else None,
            "deadline": lt.deadline,
            "kid": lt.kid,
            "total": lt.total,
            "invoices": [line.invoice_number for line in lt.lines],
        }
        for lt in letters
    ]


def letters_table(letters: Sequence[StoredLetter]) -> str:
    rows = [
        (
            lt.id,
            day(lt.written),
            day(lt.sent_on) if letter_went(lt) else labels.word("not sent"),
            _delivery(lt),
            lt.debtor,
            lt.n,
            labels.letter_type(lt.type),
            day(lt.deadline),
            lt.kid or "",
            format_amount(lt.total),
            ", ".join(line.invoice_number for line in lt.lines),
        )
        for lt in letters
    ]
    columns = headers(
        "id", "written", "sent", "delivery", "debtor", "n", "letter type", "deadline", "KID", "total", "invoices"
    )
    return table(columns, rows, right={9})


def letter_lines(letter: Letter, stored: StoredLetter | None = None) -> list[str]:
    rows = [
        (
            line.invoice_number,
            day(line.due_date),
            format_amount(line.principal),
            format_amount(line.fee),
            format_amount(line.interest),
            format_amount(line.salaer),
            format_amount(line.total),
        )
        for line in letter.lines
    ]
    return [
        f"{labels.letter_type(letter.type)} {letter.n} to {letter.recipient.name} ({letter.recipient.number}), "
        + (
            f"sent {day(letter.sent_on)}"
            if stored is None or letter_went(stored)
            else f"written {day(stored.written)}, not sent ({_delivery(stored)})"
        )
        + (f", deadline {day(letter.deadline)}" if letter.deadline else ""),
        table(headers("invoice", "due", "principal", "fee", "interest", "salær", "total"), rows, right={2, 3, 4, 5, 6}),
        f"total {format_amount(letter.total)}"
        + (f", account {account_text(letter.account)}, KID {letter.kid}" if letter.kid else ""),
    ]


def outbox_status_json(status: queries.OutboxStatus) -> dict[str, Any]:
    return {"counts": dict(status.counts), "problems": list(status.problems)}


def outbox_status_lines(status: queries.OutboxStatus) -> list[str]:
    """Deliveries by status (each as its word), then those that failed or may have left, with their reason."""
    counted = ", ".join(f"{labels.delivery_status(k)} {v}" for k, v in sorted(status.counts.items()))
    return [counted or "the outbox is empty"] + [
        f"  {labels.delivery_status(d.status)}: {d.delivery_key} {labels.channel(d.channel)} {d.address or ''} "
        f"after {d.attempts} attempt(s): {d.last_error}"
        for d in status.problems
    ]


def payment_import_json(report: payments.PaymentImportReport) -> dict[str, Any]:
    return {
        "file": report.filename,
        "format": report.format,
        "file_id": report.file_id,
        "already_imported": report.already_imported,
        "total": report.total,
        "matched": {"count": len(report.matched), "total": report.matched_total},
        "unmatched": {"count": len(report.unmatched), "total": report.unmatched_total},
        "duplicates": {"count": len(report.duplicates), "total": report.duplicates_total},
        "payments": report.outcomes,
        "skipped": report.skipped,
    }


def payment_import_lines(report: payments.PaymentImportReport) -> list[str]:
    lines = [f"{report.filename}: imported before; nothing changed"] if report.already_imported else []
    lines.append(
        f"{report.filename} ({report.format} {report.file_id}): total {format_amount(report.total)}; "
        f"matched {format_count(len(report.matched))} ({format_amount(report.matched_total)}), "
        f"unmatched {format_count(len(report.unmatched))} ({format_amount(report.unmatched_total)})"
    )
    unmatched, duplicates = report.unmatched, report.duplicates
    lines += [
        f"  unmatched {o.reference} {format_amount(o.amount)} KID {o.kid or '-'}: {o.reason}"
        for o in unmatched[:LISTED]
    ]
    lines += more_lines(len(unmatched), "`krav payments unmatched` lists the queue (--csv, --xlsx)")
    if duplicates:
        lines.append(
            f"duplicates {format_count(len(duplicates))} ({format_amount(report.duplicates_total)}): "
            "received before, not applied again"
        )
        lines += [
            f"  duplicate {o.reference} {format_amount(o.amount)} KID {o.kid or '-'}: {o.reason}"
            for o in duplicates[:LISTED]
        ]
        lines += more_lines(
            len(duplicates),
            f"`krav import payments {report.filename} --json` lists every payment of the file with its reason "
            "(a file imported before is not imported again)",
        )
    return lines + [f"  skipped {line}" for line in report.skipped]


def payments_table(received: Sequence[ClientPayment]) -> str:
    """The client account's payments: booked, ordered (the day the debtor's bank got the order), amount, KID, status
    as a word, and why."""
    return table(
        headers("id", "received", "ordered", "amount", "KID", "status", "reason"),
        [
            (
                p.id,
                day(p.received_on),
                day(p.ordered_on) if p.ordered_on else "",
                format_amount(p.amount),
                p.kid or "",
                labels.payment_status(p.status),
                p.reason or "",
            )
            for p in received
        ],
        right={3},
    )


def settlements_table(settled: Sequence[StoredSettlement]) -> str:
    rows = [
        (
            st.reference,
            day(st.settled_on),
            format_amount(st.principal),
            format_amount(st.fee),
            format_amount(st.interest),
            format_amount(st.overpaid),
            format_amount(st.total),
        )
        for st in settled
    ]
    columns = headers("reference", "date", "principal", "fee", "interest", "overpaid", "remitted")
    return table(columns, rows, right={2, 3, 4, 5, 6})
