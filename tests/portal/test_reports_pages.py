"""The reports of the portal for the demo creditor: the aged receivables add up, bucket by bucket, to what the
API says each open claim owes and how far past due it is; each report downloads as CSV for a Norwegian
spreadsheet and as Excel; the charts are inline SVG with a title, beside their tables; and the letter log lists
every letter."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from krav.entrypoints.api.deps import business_date
from krav.services import queries
from tests.portal.conftest import DEMO, Portal, amounts_of

REPORTS = ("aged", "collected", "funnel", "outcomes", "letters")


def _buckets_from_the_api(portal: Portal) -> dict[int, tuple[int, Decimal]]:
    """The open claims of the API by the low end of their age bucket, counted with what they owe."""
    claims = portal.client.get(f"/api/v1/companies/{DEMO}/claims?limit=1000", headers=portal.api_key()).json()
    today = business_date(None)
    found: dict[int, tuple[int, Decimal]] = {0: (0, Decimal(0)), 31: (0, Decimal(0)), 61: (0, Decimal(0))}
    found[91] = (0, Decimal(0))
    for c in claims["items"]:
        days = max((today - date.fromisoformat(c["due_date"])).days, 0)
        low = 0 if days <= 30 else 31 if days <= 60 else 61 if days <= 90 else 91
        count, owed = found[low]
        found[low] = (count + 1, owed + Decimal(c["owed"]))
    return found


def test_the_aged_receivables_are_the_apis_open_claims_by_age(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/reports")
    assert page.status_code == 200
    expected = _buckets_from_the_api(portal)
    for low, (count, owed) in expected.items():
        shown_count = re.search(rf'data-bucket-count="{low}">(\d+)<', page.text)
        shown_owed = re.search(rf'data-bucket-owed="{low}">([^<]+)<', page.text)
        assert shown_count is not None, low
        assert shown_owed is not None, low
        assert int(shown_count.group(1)) == count, low
        assert amounts_of(f'data-field="x">{shown_owed.group(1)}<')["x"] == owed, low
    assert sum(count for count, _ in expected.values()) > 0
    board = amounts_of(portal.client.get(f"/c/{DEMO}/").text)
    assert amounts_of(page.text)["open_owed"] == board["owed"]  # the overview's figure, too


def test_the_charts_are_inline_svg_with_a_title_and_a_table_beside(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/reports").text
    charts = re.findall(r'<svg class="chart" id="chart-(\w+)" role="img" aria-labelledby="chart-\w+-title"', page)
    assert charts == ["aged", "collected", "funnel", "outcomes"]
    assert page.count('<title id="chart-') == 4
    for name in charts:
        assert f'id="{name}-table"' in page
    assert "<script" not in page.split("</head>")[1]  # drawn on the server, not by a script
    assert "Aldersfordelte krav" in page
    assert re.search(r'data-field="resolution_rate">\d+,\d\u00a0%<', page)  # per cent, with a decimal comma


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_downloads_as_csv_for_a_norwegian_spreadsheet(portal: Portal, name: str) -> None:
    portal.log_in()
    answer = portal.client.get(f"/c/{DEMO}/reports/{name}.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.content.startswith("\ufeff".encode())
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert len(lines) > 1
    assert all(";" in line for line in lines)
    assert not re.search(r"\d\.\d\d(;|$)", "\n".join(lines[1:]))  # decimals with a comma, never a dot
    workbook = load_workbook(io.BytesIO(portal.client.get(f"/c/{DEMO}/reports/{name}.xlsx").content))
    assert workbook.active is not None
    assert workbook.active.max_row == len(lines)


def test_the_aged_csv_has_the_pages_figures(portal: Portal) -> None:
    portal.log_in()
    lines = portal.client.get(f"/c/{DEMO}/reports/aged.csv").content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Dager over forfall;Antall;å betale"
    expected = _buckets_from_the_api(portal)
    rows = [line.split(";") for line in lines[1:]]
    assert [r[0] for r in rows] == ["0–30 dager", "31–60 dager", "61–90 dager", "over 90 dager"]
    assert [(int(r[1]), Decimal(r[2].replace(",", "."))) for r in rows] == list(expected.values())


def test_the_funnel_counts_every_claim_and_the_outcomes_every_closed_one(portal: Portal) -> None:
    portal.log_in()
    on = business_date(None)
    claims = queries.claims_view(portal.krav.reader(), DEMO, on=on, rates=portal.krav.rates)
    funnel = portal.client.get(f"/c/{DEMO}/reports/funnel.csv").content.decode("utf-8-sig").splitlines()
    assert funnel[-1].split(";")[:2] == ["Alle krav", str(len(claims))]
    assert funnel[1].split(";")[1] == str(len(claims))  # every claim reached the first stage
    outcomes = portal.client.get(f"/c/{DEMO}/reports/outcomes.csv").content.decode("utf-8-sig").splitlines()
    closed = sum(1 for v in claims if v.claim.closed_reason is not None)
    assert sum(int(line.split(";")[1]) for line in outcomes[1:]) == closed


def test_the_letter_log_lists_every_letter_newest_first(portal: Portal) -> None:
    portal.log_in()
    page = portal.client.get(f"/c/{DEMO}/reports/letters").text
    letters = queries.letters(portal.krav.reader(), DEMO)
    count = re.search(r'data-field="count">(\d+)<', page)
    assert count is not None
    assert int(count.group(1)) == len(letters) > 0
    lines = portal.client.get(f"/c/{DEMO}/reports/letters.csv").content.decode("utf-8-sig").splitlines()
    assert len(lines) == len(letters) + 1
    sent = [date(*map(int, reversed(line.split(";")[1].split(".")))) for line in lines[1:]]
    assert sent == sorted(sent, reverse=True)


def test_an_unknown_report_or_file_type_is_not_found(portal: Portal) -> None:
    portal.log_in()
    assert portal.client.get(f"/c/{DEMO}/reports/salaries.csv").status_code == 404
    assert portal.client.get(f"/c/{DEMO}/reports/aged.pdf").status_code == 404


def test_the_claims_download_as_excel_too(portal: Portal) -> None:
    portal.log_in()
    csv_lines = portal.client.get(f"/c/{DEMO}/claims.csv").content.decode("utf-8-sig").splitlines()
    answer = portal.client.get(f"/c/{DEMO}/claims.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    assert sheet.max_row == len(csv_lines)
    owed = sheet.cell(row=2, column=10).value
    assert isinstance(owed, Decimal | float | int)  # an amount is a number in the workbook


def test_a_charts_texts_are_escaped() -> None:
    from krav.entrypoints.portal.charts import Bar, bar_chart

    svg = str(bar_chart("c<1>", "<b>titel</b>", [Bar("<script>", Decimal(1), "1 & 2"), Bar("tom", Decimal(0), "0")]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;titel&lt;/b&gt;" in svg
    assert "1 &amp; 2" in svg
    assert svg.count("<rect") == 1  # a bar of nothing is drawn as its value only
