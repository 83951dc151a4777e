"""Reports with charts (:mod:`krav.services.reports`): aged receivables, collected per month, the stage funnel
and the outcomes by closing reason on one page, the letter log on another; each report downloadable as CSV (and
Excel). The charts are inline SVG drawn here, each with the table of its figures beside it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from fastapi import APIRouter, Response

from krav.domain.errors import NotFound
from krav.entrypoints import labels
from krav.entrypoints.labels import Lang
from krav.entrypoints.portal import formats
from krav.entrypoints.portal.charts import Bar, bar_chart
from krav.entrypoints.portal.downloads import sheet_file, sheet_format
from krav.entrypoints.portal.web import Reader, Tenant, render, today
from krav.entrypoints.portal.words import text
from krav.services import reports
from krav.services.exports import Sheet
from krav.services.reports import AgeBucket, Reports

router = APIRouter()

#: letters on one page of the letter log
PAGE = 100


def bucket_label(bucket: AgeBucket, lang: Lang) -> str:
    """``0–30 dager``; the last bucket ``over 90 dager``."""
    if bucket.high is None:
        return f"{text('over', lang)} {bucket.low - 1} {text('days', lang)}"
    return f"{bucket.low}–{bucket.high} {text('days', lang)}"


def _read(tenant: Tenant) -> Reports:
    return reports.reports(tenant.krav.reader(), tenant.orgno, on=today(), rates=tenant.krav.rates)


def charts(found: Reports, lang: Lang) -> dict[str, object]:
    """The page's four charts, each of the figures its table shows."""
    return {
        "aged": bar_chart(
            "chart-aged",
            text("aged", lang),
            [Bar(bucket_label(b, lang), b.owed.amount, f"{formats.kr(b.owed)} ({b.count})") for b in found.aged],
        ),
        "collected": bar_chart(
            "chart-collected",
            text("collected", lang),
            [Bar(formats.month(m.month), m.total.amount, formats.kr(m.total)) for m in found.collected],
        ),
        "funnel": bar_chart(
            "chart-funnel",
            text("funnel", lang),
            [Bar(labels.stage(s.stage.value, lang), Decimal(s.reached), str(s.reached)) for s in found.funnel.stages],
        ),
        "outcomes": bar_chart(
            "chart-outcomes",
            text("outcomes", lang),
            [Bar(labels.closed_reason(o.reason.value, lang), Decimal(o.count), str(o.count)) for o in found.outcomes],
        ),
    }


@router.get("/c/{orgno}/reports")
def reports_page(tenant: Reader) -> Response:
    found = _read(tenant)
    lang = tenant.visit.lang
    labelled = [(bucket_label(b, lang), b) for b in found.aged]
    return render(tenant.visit, "reports.html", tenant=tenant, r=found, aged=labelled, charts=charts(found, lang))


@router.get("/c/{orgno}/reports/letters")
def letter_log(tenant: Reader, page: int = 1) -> Response:
    found = reports.letter_log(tenant.krav.reader(), tenant.orgno)
    pages = max(1, -(-len(found) // PAGE))
    page = min(max(page, 1), pages)
    rows = found[(page - 1) * PAGE : page * PAGE]
    return render(tenant.visit, "letter_log.html", tenant=tenant, rows=rows, count=len(found), page=page, pages=pages)


def _headers(lang: Lang, *keys: str) -> tuple[str, ...]:
    """Column headers: the tables' own (:mod:`krav.entrypoints.labels`) where there is one, else the portal's."""
    return tuple(labels.header(k, lang) if k in labels.HEADERS else text(k, lang) for k in keys)


def aged_sheet(found: Reports, lang: Lang) -> Sheet:
    rows = tuple((bucket_label(b, lang), b.count, b.owed) for b in found.aged)
    return Sheet(text("aged", lang), _headers(lang, "days past due", "count", "owed"), rows)


def collected_sheet(found: Reports, lang: Lang) -> Sheet:
    rows = tuple((formats.month(m.month), m.client_account, m.direct, m.total, m.payments) for m in found.collected)
    return Sheet(
        text("collected", lang), _headers(lang, "month", "client account", "direct", "total", "payments"), rows
    )


def funnel_sheet(found: Reports, lang: Lang) -> Sheet:
    f = found.funnel
    stages = [
        (labels.stage(s.stage.value, lang), s.reached, s.open, s.paid, s.resolution_rate, s.days_to_paid)
        for s in f.stages
    ]
    rows = (*stages, (text("all claims", lang), f.claims, None, f.paid, f.resolution_rate, f.days_to_paid))
    headers = _headers(lang, "stage", "reached", "still open", "paid there", "resolution rate", "days to payment")
    return Sheet(text("funnel", lang), headers, rows)


def outcomes_sheet(found: Reports, lang: Lang) -> Sheet:
    rows = tuple((labels.closed_reason(o.reason.value, lang), o.count, o.principal, o.share) for o in found.outcomes)
    return Sheet(text("outcomes", lang), _headers(lang, "reason", "count", "principal", "share"), rows)


def letters_sheet(tenant: Tenant, lang: Lang) -> Sheet:
    rows = tuple(
        (
            lt.id,
            lt.sent_on,
            labels.letter_type(lt.type.value, lang),
            lt.debtor,
            lt.n,
            lt.deadline,
            lt.kid,
            lt.total,
            labels.channel(lt.channel.value, lang) if lt.channel is not None else None,
            labels.delivery_status(lt.status.value, lang) if lt.status is not None else None,
            ", ".join(line.invoice_number for line in lt.lines),
        )
        for lt in reports.letter_log(tenant.krav.reader(), tenant.orgno)
    )
    headers = _headers(
        lang, "id", "sent", "letter type", "debtor", "n", "deadline", "KID", "total", "delivery", "status", "invoices"
    )
    return Sheet(text("letter log", lang), headers, rows)


_SHEETS: dict[str, Callable[[Reports, Lang], Sheet]] = {
    "aged": aged_sheet,
    "collected": collected_sheet,
    "funnel": funnel_sheet,
    "outcomes": outcomes_sheet,
}


@router.get("/c/{orgno}/reports/{name}.{suffix}")
def report_file(name: str, suffix: str, tenant: Reader) -> Response:
    """One report as CSV for a Norwegian spreadsheet, or as an Excel workbook."""
    kind = sheet_format(suffix)
    lang = tenant.visit.lang
    if name == "letters":
        sheet = letters_sheet(tenant, lang)
    elif name in _SHEETS:
        sheet = _SHEETS[name](_read(tenant), lang)
    else:
        raise NotFound(f"no report {name}")
    return sheet_file(sheet, kind, f"{name}-{tenant.orgno}-{today().isoformat()}")
