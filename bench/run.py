"""Krav against the bare floors of ../shared/FLOORS.md: the same work on the same data, in the same run.

    .venv/bin/python bench/run.py                  # full size (1,000,000 items, 100,000 entries ...), ~10 minutes
    .venv/bin/python bench/run.py --quick          # data 10x smaller, under 2 minutes
    .venv/bin/python bench/run.py --only sql,camt  # some of: sql, interest, camt, ocr, letters, saft, matching
    KRAV_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/run.py --only sql

One benchmark per row of FLOORS.md, each generating its data (seeded, into a temporary folder), timing Krav's own
path and the bare floor round-robin (each run times every variant once, so a busy neighbour slows them alike),
and reporting the median of the runs and the ratio Krav / floor (absolute times drift between machines; ratios
hold):

* sql       choosing the items eligible for collection among 1,000,000 open items of 100,000 customers,
            grouped per customer: Krav's auto-transfer choice and its proposal against one hand-written query
            (SQLite; PostgreSQL too when KRAV_BENCH_POSTGRES_URL is set, in a schema of its own, dropped after).
* interest  late interest on 1,000,000 claims over the 24 half-year rate periods 2015-2026: Krav's
            ``interest_accrued`` (Decimal) against numpy on integer øre (exact, round half up).
* camt      a camt.054 of 100,000 entries: ``parse_camt054`` against lxml iterparse extracting the same fields.
* ocr       a Nets OCR giro file of 100,000 transactions: ``parse_ocr_giro`` against fixed-width slicing.
* letters   runs bench/letters.py (its own benchmark) and takes its figures into the table.
* saft      runs bench/saft.py: ``krav import saft`` on SAF-T files of 2,000, 4,000 and 8,000 items against lxml
            parsing and validating the same file, and how Krav's time grows with the file.
* matching  equal-amount matching of 8,000 and 16,000 debits (and their credits): ``match_equal_amounts`` and
            ``krav ledger match --equal-amounts`` against a plain keyed dict match on tuples of integer øre, and
            that with the items read and written through sqlite3.

FLOORS.md's HTTP row is measured by bench/api.py (it needs wrk), and the `krav` commands themselves by imports.py,
daily.py and workers.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from bench.ledger_load import opening_voucher  # noqa: E402
from lxml import etree  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from krav.adapters.db import tables as t  # noqa: E402
from krav.adapters.db.engine import make_engine  # noqa: E402
from krav.adapters.db.migrate import upgrade  # noqa: E402
from krav.adapters.ratefile import load_rate_tables  # noqa: E402
from krav.bootstrap import unit_of_work  # noqa: E402
from krav.domain.agreement import Agreement, effective_days_before_transfer  # noqa: E402
from krav.domain.calendar import days_in_year  # noqa: E402
from krav.domain.collection.claims import (  # noqa: E402
    Balances,
    Claim,
    Compensation,
    Deadlines,
    InkassoCase,
    InterestAccount,
    LettersDue,
    Listing,
    Pause,
)
from krav.domain.collection.interest import interest_accrued  # noqa: E402
from krav.domain.collection.letters import Recipient  # noqa: E402
from krav.domain.kid import mod10_check_digit  # noqa: E402
from krav.domain.ledger import accounts  # noqa: E402
from krav.domain.ledger.matching import match_equal_amounts  # noqa: E402
from krav.domain.ledger.open_items import OpenItem  # noqa: E402
from krav.domain.ledger.voucher_types import OUTGOING_CREDIT_NOTE, OUTGOING_INVOICE  # noqa: E402
from krav.domain.money import Money  # noqa: E402
from krav.domain.party import Company  # noqa: E402
from krav.domain.rates import RateTables  # noqa: E402
from krav.formats.camt054 import parse_camt054  # noqa: E402
from krav.formats.camt054_writer import Credit, build_camt054  # noqa: E402
from krav.formats.ocr_giro import parse_ocr_giro  # noqa: E402
from krav.services import ledger as ledger_service  # noqa: E402
from krav.services.collection.interest_many import claims_interest, open_segments_ore  # noqa: E402
from krav.services.ledger import submission  # noqa: E402

SEED = 20261128
ORGNO = "974760673"


# -- measuring ---------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the summary table: Krav's median and the floor's, in seconds (or rates for letters)."""

    benchmark: str
    krav: str
    floor: str
    ratio: float | None
    note: str = ""


ROWS: list[Row] = []


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def measure(works: dict[str, Callable[[], object]], runs: int) -> tuple[dict[str, float], dict[str, object]]:
    """The median seconds of each work over ``runs`` round-robin runs, and each work's last result."""
    times: dict[str, list[float]] = {name: [] for name in works}
    results: dict[str, object] = {}
    for _ in range(runs):
        for name, work in works.items():
            results.pop(name, None)
            gc.collect()
            start = time.perf_counter()
            results[name] = work()
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        print(f"    {name:<50} {statistics.median(values):8.3f} s  (runs: {', '.join(f'{v:.3f}' for v in values)})")
    return {name: statistics.median(values) for name, values in times.items()}, results


def report(benchmark: str, krav: float, floor: float, note: str = "") -> None:
    ratio = krav / floor
    print(f"  => {benchmark}: Krav {_seconds(krav)}, floor {_seconds(floor)}, ratio {ratio:.1f}x", flush=True)
    ROWS.append(Row(benchmark, _seconds(krav), _seconds(floor), ratio, note))


@contextmanager
def timed(what: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    print(f"  {what}: {time.perf_counter() - start:.1f} s", flush=True)


# -- 1. choosing eligible items (SQL) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    engine: Engine
    company_id: int
    today: date
    due_by: date
    minimum_ore: int


def _orgno(rng: random.Random, valid: bool) -> str:
    """A nine-digit organisation number with a MOD11 check digit (weights 3 2 7 6 5 4 3 2), or a wrong one."""
    while True:
        digits = [rng.choice((8, 9))] + [rng.randrange(10) for _ in range(7)]
        check = (11 - sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11) % 11
        if check != 10:
            break
    last = check if valid else (check + 1) % 10
    return "".join(map(str, digits)) + str(last)


def _customers(rng: random.Random, company_id: int, numbers: range) -> list[dict[str, Any]]:
    """Customers as an ERP holds them: mostly complete, a few with what R-VAL-1 refuses."""
    rows = []
    for i in numbers:
        business = rng.random() < 0.2
        country = "SE" if rng.random() < 0.01 else "NO"
        postcode = f"{rng.randrange(1, 9999):04d}" if country == "NO" else "111 22"
        if rng.random() < 0.005:
            postcode = "12A4"  # customer_postcode_invalid
        rows.append(
            {
                "company_id": company_id,
                "number": str(100000 + i),
                "name": " " if rng.random() < 0.002 else f"Kunde {i} {'AS' if business else 'Nordmann'}",
                "kind": "business" if business else "consumer",
                "orgno": _orgno(rng, rng.random() < 0.98) if business else None,
                "street": None if rng.random() < 0.01 else f"Storgata {i % 300 + 1}",
                "postcode": postcode,
                "city": "Oslo" if country == "NO" else "Stockholm",
                "country": country,
                "email": f"kunde{i}@example.no" if rng.random() < 0.9 else None,
                "exempt": rng.random() < 0.01,
                "payment_terms_days": 14,
                "language": "nb",
            }
        )
    return rows


def _items(rng: random.Random, customer_ids: Sequence[int], count: int, today: date) -> list[dict[str, Any]]:
    """Open items over two years: most older ones settled, some not yet due, credit notes for a few customers,
    and the mix R-VAL-1 sorts out (exempt, reminded, already submitted, EUR, unmapped voucher types ...)."""
    rows: list[dict[str, Any]] = []
    credited = rng.sample(customer_ids, len(customer_ids) * 5 // 100)
    for n, customer_id in enumerate(credited):  # 2 % of customers with an unmatched credit note, 3 % matched
        amount = -rng.randrange(10_000, 500_000)
        unmatched = n < len(credited) * 2 // 5
        invoice_date = today - timedelta(days=rng.randrange(1, 365))
        rows.append(
            {
                "customer_id": customer_id,
                "voucher_type": OUTGOING_CREDIT_NOTE,
                "amount_ore": amount,
                "remaining_ore": amount if unmatched else 0,
                "settled_status": 1 if unmatched else 3,
                "currency": "NOK",
                "invoice_date": invoice_date,
                "due_date": invoice_date,
                "reminder_count": 0,
                "reminded_on": None,
                "exempt": False,
                "collection_id": None,
            }
        )
    submitted = 0
    while len(rows) < count:
        invoice_date = today - timedelta(days=rng.randrange(730))
        due: date | None = invoice_date + timedelta(days=rng.choice((10, 14, 14, 30)))
        if rng.random() < 0.002:
            due = None
        overdue = (today - due).days if due is not None else 999
        amount = rng.randrange(1_000, 10_000) if rng.random() < 0.03 else rng.randrange(10_000, 2_500_000)
        r = rng.random()
        if overdue > 60:
            status = 3 if r < 0.92 else 2 if r < 0.95 else 1
        elif overdue > 0:
            status = 3 if r < 0.2 else 2 if r < 0.3 else 1
        else:
            status = 3 if r < 0.1 else 2 if r < 0.12 else 1
        remaining = amount if status == 1 else 0 if status == 3 else rng.randrange(1, amount)
        r = rng.random()
        voucher_type = 99 if r < 0.01 else 17 if r < 0.02 else OUTGOING_INVOICE  # 99: not mapped; 17: interest
        reminded = rng.random() < 0.03
        collection_id = None
        if status < 3 and overdue > 14 and rng.random() < 0.3:
            submitted += 1
            collection_id = f"K1-{submitted:07d}"
        rows.append(
            {
                "customer_id": rng.choice(customer_ids),
                "voucher_type": voucher_type,
                "amount_ore": amount,
                "remaining_ore": remaining,
                "settled_status": status,
                "currency": "EUR" if rng.random() < 0.01 else "NOK",
                "invoice_date": invoice_date,
                "due_date": due,
                "reminder_count": 1 if reminded else 0,
                "reminded_on": invoice_date + timedelta(days=20) if reminded else None,
                "exempt": rng.random() < 0.01,
                "collection_id": collection_id,
            }
        )
    rng.shuffle(rows)
    return rows


def load_ledger(url: str, customers: int, items: int, today: date) -> Ledger:
    """A migrated database with one creditor, ``customers`` customers and ``items`` open items, bulk-inserted
    with SQLAlchemy Core executemany as a take-over of an existing ledger would load them: one opening-balance
    voucher whose receivable lines the open items point to."""
    rng = random.Random(SEED)
    engine = make_engine(url)
    upgrade(engine)
    ledger_service.create_company(
        unit_of_work(engine), Company(orgno=ORGNO, name="Eksempel Handel AS", bank_account="86011117947")
    )
    agreement = Agreement(active=True, activated_on=today, accepted_by="bench", minimum_amount=Money.of("100.00"))
    with unit_of_work(engine) as uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        company_id = company.id
        uow.agreements.save(company_id, agreement)
        uow.commit()
    chunk = 50_000
    with engine.begin() as conn:
        for start in range(0, customers, chunk):
            conn.execute(t.customer.insert(), _customers(rng, company_id, range(start, min(start + chunk, customers))))
        customer_ids = list(conn.execute(sa.select(t.customer.c.id).order_by(t.customer.c.id)).scalars())
        item_rows = _items(rng, customer_ids, items, today)
        voucher_id = opening_voucher(conn, company_id, today - timedelta(days=730))
        lines = [
            {
                "voucher_id": voucher_id,
                "company_id": company_id,
                "line_no": n,
                "account": accounts.RECEIVABLES,
                "customer_id": row["customer_id"],
                "amount_ore": row["remaining_ore"],
                "currency": row["currency"],
                "item": f"F{n:07d}",
                "settles": "",
                "due_date": row["due_date"],
                "kid": None,
                "reference": None,
                "text": "Inngående balanse",
            }
            for n, row in enumerate(item_rows, start=1)
        ]
        for currency in ("NOK", "EUR"):
            lines.append(
                {
                    **lines[0],
                    "line_no": len(lines) + 1,
                    "account": accounts.OPENING_BALANCE,
                    "customer_id": None,
                    "amount_ore": -sum(line["amount_ore"] for line in lines if line["currency"] == currency),
                    "currency": currency,
                    "item": None,
                    "due_date": None,
                }
            )
        for start in range(0, len(lines), chunk):
            conn.execute(t.voucher_line.insert(), lines[start : start + chunk])
        line_ids: dict[int, int] = dict(
            conn.execute(
                sa.select(t.voucher_line.c.line_no, t.voucher_line.c.id).where(
                    t.voucher_line.c.voucher_id == voucher_id
                )
            ).all()
        )
        for start in range(0, len(item_rows), chunk):
            conn.execute(
                t.open_item.insert(),
                [
                    {
                        **row,
                        "company_id": company_id,
                        "voucher_id": voucher_id,
                        "voucher_line_id": line_ids[n],
                        "number": f"F{n:07d}",
                        "fee_outstanding_ore": 0,
                        "interest_outstanding_ore": 0,
                        "kid": None,
                        "reference": None,
                    }
                    for n, row in enumerate(item_rows[start : start + chunk], start=start + 1)
                ],
            )
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what autovacuum does after a load this size, done now for stable plans
            conn.execute(sa.text("analyze"))
    days = effective_days_before_transfer(agreement)
    return Ledger(engine, company_id, today, today - timedelta(days=days), agreement.minimum_amount.ore)


def krav_auto_transfer_choice(engine: Engine, today: date) -> dict[str, list[int]]:
    """What ``submission.auto_transfer_in`` does before it submits: candidates narrowed in SQL, every rule of
    R-VAL-1 applied in Python; here the valid items are then grouped per customer instead of submitted."""
    with unit_of_work(engine) as uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        agreement = uow.agreements.get(company.id)
        valid = submission.valid_candidates(uow, company, agreement, today=today)
    grouped: dict[str, list[int]] = {}
    for candidate in valid:
        grouped.setdefault(candidate.customer.number, []).append(candidate.item.id)
    return grouped


def krav_proposal(engine: Engine, today: date) -> dict[str, list[int]]:
    """``submission.proposal``: every candidate with every failing reason; the valid ones grouped per customer."""
    rows = submission.proposal(unit_of_work(engine), ORGNO, today=today)
    grouped: dict[str, list[int]] = {}
    for row in rows:
        if row.valid:
            grouped.setdefault(row.customer.number, []).append(row.item.id)
    return grouped


# the conditions of R-VAL-1 on the item that are constants, as a partial index can hold them
_ITEM_CONSTANTS = (
    "settled_status < 3 AND collection_id IS NULL AND reminder_count = 0 AND reminded_on IS NULL "
    "AND exempt = {false} AND amount_ore > 0 AND currency = 'NOK'"
)
_UNMATCHED = "amount_ore < 0 AND remaining_ore <> 0"


def floor_sql(dialect: str, *, indexed: dict[str, object] | None = None) -> str:
    """One hand-written query: the items every rule of R-VAL-1 lets through, grouped per customer.

    The customer rules that Krav checks in Python are written in SQL for the data this benchmark makes (blanks
    are spaces; organisation numbers are compact): name and address present, a Norwegian postcode of four
    digits, a business's organisation number passing MOD11. Customers with unmatched credits are excluded with
    ``NOT IN``, which SQLite and PostgreSQL both evaluate once into a hash or an ephemeral index.

    Without ``indexed``: bound parameters, Krav's migrated schema, and on SQLite full scans (``NOT INDEXED``;
    left to itself SQLite takes the unique index on ``collection_id``, as ``IS NULL`` looks like an equality, and
    is 4x slower). With ``indexed`` (the values): the values written in and the partial indexes of
    :data:`FLOOR_INDEXES` (SQLite uses a partial index only for constants it sees when preparing)."""
    sqlite = dialect == "sqlite"
    false = "0" if sqlite else "false"
    cast = "" if sqlite else "::int"
    orgno_sum = " + ".join(
        f"{weight} * substr(c.orgno, {i}, 1){cast}" for i, weight in enumerate((3, 2, 7, 6, 5, 4, 3, 2, 1), start=1)
    )
    four_digits = "GLOB '[0-9][0-9][0-9][0-9]'" if sqlite else "~ '^[0-9]{4}$'"
    nine_digits = "GLOB '" + "[0-9]" * 9 + "'" if sqlite else "~ '^[0-9]{9}$'"
    mod11 = f"({orgno_sum}) % 11 = 0" if sqlite else f"mod({orgno_sum}, 11) = 0"
    ids = "group_concat(oi.id)" if sqlite else "array_agg(oi.id)"
    if indexed is None:
        company, due_by, minimum = (
            (":company", ":due_by", ":minimum") if sqlite else ("%(company)s", "%(due_by)s", "%(minimum)s")
        )
        items_hint = credits_hint = " NOT INDEXED" if sqlite else ""
    else:
        company, due_by, minimum = str(indexed["company"]), f"'{indexed['due_by']}'", str(indexed["minimum"])
        items_hint, credits_hint = (" INDEXED BY bench_ix_open_item_eligible", "") if sqlite else ("", "")
    return f"""
        SELECT oi.customer_id, count(*), sum(oi.remaining_ore), {ids}
        FROM open_item AS oi{items_hint}
        JOIN customer AS c ON c.id = oi.customer_id
        JOIN voucher_type AS vt ON vt.company_id = oi.company_id AND vt.code = oi.voucher_type
        WHERE oi.company_id = {company}
          AND {_ITEM_CONSTANTS.format(false=false).replace(" AND ", " AND oi.").replace("settled", "oi.settled")}
          AND oi.due_date <= {due_by} AND oi.remaining_ore >= {minimum}
          AND vt.collection_type = 'invoice'
          AND c.exempt = {false}
          AND trim(c.name) <> '' AND trim(c.street) <> '' AND trim(c.postcode) <> '' AND trim(c.city) <> ''
          AND (c.country <> 'NO' OR trim(c.postcode) {four_digits})
          AND (c.kind <> 'business' OR (c.orgno {nine_digits} AND {mod11}))
          AND oi.customer_id NOT IN (
            SELECT cr.customer_id FROM open_item AS cr{credits_hint}
            WHERE cr.company_id = {company} AND cr.{_UNMATCHED.replace(" AND ", " AND cr.")})
        GROUP BY oi.customer_id
    """


#: the partial indexes the indexed floor makes (and drops after): the eligible items, the unmatched credits
FLOOR_INDEXES = {
    "bench_ix_open_item_eligible": f"open_item (customer_id, due_date) WHERE {_ITEM_CONSTANTS}",
    "bench_ix_open_item_unmatched": f"open_item (company_id, customer_id) WHERE {_UNMATCHED}",
}


def _floor_ids(rows: Sequence[Sequence[Any]]) -> set[int]:
    found: set[int] = set()
    for row in rows:
        ids = row[3]
        found.update(int(i) for i in (ids.split(",") if isinstance(ids, str) else ids))
    return found


def _krav_ids(grouped: object) -> set[int]:
    assert isinstance(grouped, dict)
    return {i for ids in grouped.values() for i in ids}


def _capture_candidates_sql(led: Ledger) -> tuple[str, Any]:
    """The statement and parameters Krav's auto-transfer choice sends for its candidates."""
    seen: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    sa.event.listen(led.engine, "before_cursor_execute", listen)
    try:
        krav_auto_transfer_choice(led.engine, led.today)
    finally:
        sa.event.remove(led.engine, "before_cursor_execute", listen)
    return next((s, p) for s, p in seen if "FROM open_item" in s and "customer" in s and "credit" in s)


def _raw_query(engine: Engine, statement: str, parameters: Any) -> list[Any]:
    """A statement through the bare driver (sqlite3 or psycopg) on a connection of the engine's pool."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(statement, parameters)
        rows = list(cursor.fetchall())
        cursor.close()
        raw.rollback()
        return rows
    finally:
        raw.close()


def _explain(led: Ledger, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if led.engine.dialect.name == "sqlite" else "EXPLAIN "
    rows = _raw_query(led.engine, prefix + statement, parameters)
    if led.engine.dialect.name == "sqlite":
        return "; ".join(str(r[-1]) for r in rows)
    return "; ".join(str(r[0]).strip() for r in rows if "Scan" in str(r[0]) or "Join" in str(r[0]))


def bench_sql(label: str, url: str, customers: int, items: int, runs: int) -> None:
    today = date(2025, 11, 3)
    print(f"\n[sql, {label}] {items:,} open items, {customers:,} customers", flush=True)
    with timed(f"generate and bulk-insert ({label})"):
        led = load_ledger(url, customers, items, today)
    dialect = led.engine.dialect.name
    params: dict[str, Any] = {"company": led.company_id, "due_by": led.due_by, "minimum": led.minimum_ore}
    if dialect == "sqlite":
        params["due_by"] = led.due_by.isoformat()  # as SQLAlchemy stores dates in SQLite
    krav_sql, krav_params = _capture_candidates_sql(led)
    floor_plain = floor_sql(dialect)
    floor_indexed = floor_sql(dialect, indexed=dict(params))
    print("  plan, Krav's candidates query:", _explain(led, krav_sql, krav_params))
    print("  plan, floor:", _explain(led, floor_plain, params))

    # 1. the schema as Krav migrates it
    works: dict[str, Callable[[], object]] = {
        "Krav: auto-transfer choice (narrowed, validated)": lambda: krav_auto_transfer_choice(led.engine, today),
        "Krav: proposal (every candidate, every reason)": lambda: krav_proposal(led.engine, today),
        "Krav's candidates query alone, bare driver": lambda: _raw_query(led.engine, krav_sql, krav_params),
        "floor: one query": lambda: _raw_query(led.engine, floor_plain, params),
    }
    medians, results = measure(works, runs)
    auto = _krav_ids(results["Krav: auto-transfer choice (narrowed, validated)"])
    proposal = _krav_ids(results["Krav: proposal (every candidate, every reason)"])
    floor_rows: Any = results["floor: one query"]
    floor_ids = _floor_ids(floor_rows)
    assert auto == proposal == floor_ids, f"Krav chose {len(auto)} / {len(proposal)} items, the floor {len(floor_ids)}"
    narrowed: Any = results["Krav's candidates query alone, bare driver"]
    print(
        f"  Krav and the floor choose the same {len(auto):,} items of {len(floor_rows):,} customers "
        f"(Krav's narrowed query returns {len(narrowed):,} rows to validate)"
    )

    # 2. partial indexes matching the rule, made for the floor and dropped after (Krav is timed with them too)
    with led.engine.begin() as conn:
        for name, definition in FLOOR_INDEXES.items():
            conn.execute(
                sa.text(f"CREATE INDEX {name} ON {definition.format(false=0 if dialect == 'sqlite' else 'false')}")
            )
        if dialect == "postgresql":
            conn.execute(sa.text("analyze open_item"))
    try:
        print("  plan, floor indexed:", _explain(led, floor_indexed, {}))
        print("  plan, Krav's query with those indexes:", _explain(led, krav_sql, krav_params))
        indexed, indexed_results = measure(
            {
                "floor: partial indexes, values inlined": lambda: _raw_query(led.engine, floor_indexed, {}),
                "Krav: auto-transfer choice, with those indexes": lambda: krav_auto_transfer_choice(led.engine, today),
            },
            runs,
        )
        indexed_rows: Any = indexed_results["floor: partial indexes, values inlined"]
        assert _floor_ids(indexed_rows) == floor_ids
    finally:
        with led.engine.begin() as conn:
            for name in FLOOR_INDEXES:
                conn.execute(sa.text(f"DROP INDEX {name}"))

    # 3. SQLite after ANALYZE (Krav never runs it; PostgreSQL's autovacuum does, and load_ledger did)
    analyzed: dict[str, float] = {}
    if dialect == "sqlite":
        with led.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
        print("  plan, Krav's query after ANALYZE:", _explain(led, krav_sql, krav_params))
        analyzed, _ = measure(
            {"Krav: auto-transfer choice, after ANALYZE": lambda: krav_auto_transfer_choice(led.engine, today)}, runs
        )
    led.engine.dispose()

    floor = medians["floor: one query"]
    auto_s = medians["Krav: auto-transfer choice (narrowed, validated)"]
    report(
        f"eligible items, {label}: auto-transfer choice",
        auto_s,
        floor,
        f"{len(auto):,} items, {len(floor_rows):,} customers",
    )
    report(f"eligible items, {label}: proposal", medians["Krav: proposal (every candidate, every reason)"], floor)
    report(
        f"eligible items, {label}: Krav's query alone",
        medians["Krav's candidates query alone, bare driver"],
        floor,
        "no domain objects",
    )
    report(
        f"eligible items, {label}: auto choice vs indexed floor",
        auto_s,
        indexed["floor: partial indexes, values inlined"],
        f"Krav with those indexes {_seconds(indexed['Krav: auto-transfer choice, with those indexes'])}",
    )
    if analyzed:
        report(
            f"eligible items, {label}: auto choice after ANALYZE",
            analyzed["Krav: auto-transfer choice, after ANALYZE"],
            floor,
        )


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema of the PostgreSQL database of ``url``; the URL that uses it; dropped afterwards."""
    schema = f"krav_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


# -- 2. late interest --------------------------------------------------------------------------------------------------


def _claims(principals: Sequence[int], dues: Sequence[date]) -> list[Claim]:
    """Claims as the engine holds them. The state values that are the same for every claim are shared (they are
    frozen), to keep a million claims in memory; interest reads the principal and the interest account."""
    debtor = Recipient("100000", "Kari Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
    zero = Money.zero()
    shared: dict[str, Any] = {
        "deadlines": Deadlines(),
        "due": LettersDue(),
        "listing": Listing(),
        "case": InkassoCase(salaer_nominal=zero),
        "compensation_state": Compensation(compensation=zero),
        "pause_state": Pause(),
    }
    claims = []
    for n, (p, due) in enumerate(zip(principals, dues, strict=True)):
        principal = Money.from_ore(p)
        claims.append(
            Claim(
                1,
                f"K1-{n:07d}",
                f"F{n:07d}",
                due,
                due,
                principal,
                due,
                debtor,
                balances=Balances(principal, zero, zero, 0, zero, zero, zero),
                interest=InterestAccount(zero, due, zero, zero),
                **shared,
            )
        )
    return claims


def interest_floor(
    rates: RateTables, principal_ore: np.ndarray, start: np.ndarray, end: np.ndarray, first: date, last: date
) -> np.ndarray:
    """numpy on integer øre, exact: each interest day earns rate / 100 / 365 (366 in a leap year) of the principal,
    so over a common denominator 10 000 × 365 × 366 a day's weight is the rate in hundredths of a percent × 366
    (× 365 in a leap year); a cumulative sum of the weights per day gives any stretch as one subtraction.
    ``start`` and ``end`` are day numbers counted from the day before ``first``; interest days are (start, end]."""
    span = (last - first).days + 1
    weights = np.empty(span + 1, dtype=np.int64)
    weights[0] = 0
    day = first
    for entry_index, entry in enumerate(rates.interest_rates):
        stop = rates.interest_rates[entry_index + 1].valid_from if entry_index + 1 < len(rates.interest_rates) else None
        hundredths = entry.rate * 100
        assert hundredths == int(hundredths), "a rate in whole hundredths of a percent"
        while day <= last and (stop is None or day < stop):
            year_end = min(date(day.year, 12, 31), last, (stop - timedelta(days=1)) if stop else last)
            i, j = (day - first).days + 1, (year_end - first).days + 2
            weights[i:j] = int(hundredths) * (366 if days_in_year(day.year) == 365 else 365)
            day = year_end + timedelta(days=1)
    cumulative = np.cumsum(weights)
    denominator = 10_000 * 365 * 366
    numerator = principal_ore * (cumulative[end] - cumulative[start])
    result: np.ndarray = (2 * numerator + denominator) // (2 * denominator)  # round half up, all positive
    return result


def bench_interest(items: int, runs: int) -> None:
    rates = load_rate_tables()
    first, on = date(2015, 1, 1), date(2026, 12, 31)
    assert rates.interest_rates[0].valid_from == first, "the benchmark's rate periods start 2015-01-01"
    assert len(rates.interest_rates) == 24, "24 half-years 2015-2026"
    print(f"\n[interest] {items:,} claims, due dates 2015-2026, interest as of {on} over 24 rate periods", flush=True)
    rng = random.Random(SEED)
    with timed("generate"):
        principals = [rng.randrange(5_000, 5_000_000) for _ in range(items)]
        dues = [first + timedelta(days=rng.randrange((on - first).days)) for _ in range(items)]
        claims = _claims(principals, dues)
        base = first - timedelta(days=1)
        principal_array = np.array(principals, dtype=np.int64)
        start_array = np.array([(d - base).days for d in dues], dtype=np.int64)
        end_array = np.full(items, (on - base).days, dtype=np.int64)
        start_ordinals = np.array([d.toordinal() for d in dues], dtype=np.int64)
        end_ordinals = np.full(items, on.toordinal(), dtype=np.int64)

    def krav() -> list[Money]:
        return [interest_accrued(claim, on, rates) for claim in claims]

    def krav_columns() -> np.ndarray:
        return open_segments_ore(principal_array, start_ordinals, end_ordinals, rates)

    def krav_claims() -> list[Money]:
        return claims_interest(claims, on, rates).accrued

    def floor() -> np.ndarray:
        return interest_floor(rates, principal_array, start_array, end_array, first, on)

    def python_integers() -> list[int]:
        return interest_python_integers(rates, claims, on, first)

    medians, results = measure(
        {
            "Krav: interest_accrued per claim": krav,
            "Krav: open_segments_ore on columns": krav_columns,
            "Krav: claims_interest on the claims": krav_claims,
            "floor: numpy, integer øre": floor,
            "reference: Python loop, integer øre, on the claims": python_integers,
        },
        runs,
    )
    krav_money: Any = results["Krav: interest_accrued per claim"]
    krav_ore = np.array([m.ore for m in krav_money], dtype=np.int64)
    floor_ore: Any = results["floor: numpy, integer øre"]
    python_ore = np.array(results["reference: Python loop, integer øre, on the claims"], dtype=np.int64)
    differ = int(np.count_nonzero(krav_ore != floor_ore))
    assert np.array_equal(python_ore, floor_ore)
    assert np.array_equal(results["Krav: open_segments_ore on columns"], floor_ore), "the columns differ"
    claims_ore = [m.ore for m in results["Krav: claims_interest on the claims"]]
    assert claims_ore == floor_ore.tolist(), "claims_interest differs"
    total = Money.from_ore(int(floor_ore.sum()))
    print(f"  total interest {total.amount} NOK; claims where Krav and the floor differ: {differ}")
    note = f"results differ on {differ} of {items:,} claims" if differ else "same øre on every claim"
    krav_s = medians["Krav: interest_accrued per claim"]
    report("late interest", krav_s, medians["floor: numpy, integer øre"], note)
    floor_s = medians["floor: numpy, integer øre"]
    report("late interest, Krav's columns", medians["Krav: open_segments_ore on columns"], floor_s, "same øre")
    report("late interest, Krav from the claims", medians["Krav: claims_interest on the claims"], floor_s, "same øre")
    report(
        "late interest vs a Python integer loop",
        krav_s,
        medians["reference: Python loop, integer øre, on the claims"],
        "exact, as the numpy floor; no numpy",
    )


def interest_python_integers(rates: RateTables, claims: Sequence[Claim], on: date, first: date) -> list[int]:
    """The numpy floor's arithmetic in plain Python on Krav's own claims: a cumulative table of day weights (one
    rate lookup per day through ``RateTables.interest_rate``), then per claim one subtraction, one multiplication
    and one integer division, rounding half up. Exact, as the numpy floor."""
    base = first - timedelta(days=1)
    cumulative = [0]
    for offset in range(1, (on - base).days + 1):
        day = base + timedelta(days=offset)
        hundredths = int(rates.interest_rate(day).rate * 100)
        cumulative.append(cumulative[-1] + hundredths * (366 if days_in_year(day.year) == 365 else 365))
    denominator = 10_000 * 365 * 366
    twice = 2 * denominator
    at_end = cumulative[(on - base).days]
    out = []
    for claim in claims:
        start = claim.segment_start
        assert start is not None
        ore = claim.principal_outstanding.ore
        out.append((2 * ore * (at_end - cumulative[(start - base).days]) + denominator) // twice)
    return out


# -- 3. camt.054 -------------------------------------------------------------------------------------------------------


def camt_file(entries: int, folder: Path) -> bytes:
    rng = random.Random(SEED)
    booked = date(2025, 11, 3)
    credits = []
    for n in range(entries):
        kid = None
        text = None
        if rng.random() < 0.9:
            digits = f"{rng.randrange(10**10, 10**11)}"
            kid = digits + mod10_check_digit(digits)
        else:
            text = f"Faktura {rng.randrange(100000, 999999)}"
        credits.append(
            Credit(
                reference=f"NO{booked:%Y%m%d}{n:09d}",
                amount=Money.from_ore(rng.randrange(10_000, 2_500_000)),
                booked_on=booked,
                kid=kid,
                text=text,
                payer_name=f"Kari Nordmann {n}",
            )
        )
    data = build_camt054("86011117947", credits, message_id="BENCH-1", created=datetime(2025, 11, 3, 6, tzinfo=UTC))
    (folder / "camt054.xml").write_bytes(data)
    return data


def camt_floor(data: bytes) -> list[tuple[str, int, str, str | None, str | None, str | None]]:
    """lxml iterparse, streaming: per entry its reference, amount in øre, booking date, KID, payer and free text,
    each entry cleared once read (as FLOORS.md measured: "lxml streaming with extraction")."""
    ns = "{urn:iso:std:iso:20022:tech:xsd:camt.054.001.02}"
    amt, ref, bookg, dt = ns + "Amt", ns + "AcctSvcrRef", ns + "BookgDt", ns + "Dt"
    kid_path = f"{ns}NtryDtls/{ns}TxDtls/{ns}RmtInf/{ns}Strd/{ns}CdtrRefInf/{ns}Ref"
    name_path = f"{ns}NtryDtls/{ns}TxDtls/{ns}RltdPties/{ns}Dbtr/{ns}Nm"
    text_path = f"{ns}NtryDtls/{ns}TxDtls/{ns}RmtInf/{ns}Ustrd"
    out = []
    for _, entry in etree.iterparse(io.BytesIO(data), events=("end",), tag=ns + "Ntry", resolve_entities=False):
        whole, _, cents = (entry.findtext(amt) or "").partition(".")
        out.append(
            (
                entry.findtext(ref) or "",
                int(whole) * 100 + int((cents + "00")[:2]),
                entry.find(bookg).findtext(dt) or "",
                entry.findtext(kid_path),
                entry.findtext(name_path),
                entry.findtext(text_path),
            )
        )
        entry.clear()
        while entry.getprevious() is not None:
            del entry.getparent()[0]
    return out


def bench_camt(entries: int, runs: int, folder: Path) -> None:
    print(f"\n[camt] camt.054.001.02 with {entries:,} entries", flush=True)
    with timed("write with build_camt054"):
        data = camt_file(entries, folder)
    print(f"  {len(data) / 1e6:.1f} MB")

    medians, results = measure(
        {
            "Krav: parse_camt054": lambda: parse_camt054(data, filename="camt054.xml"),
            "floor: lxml iterparse with extraction": lambda: camt_floor(data),
            "floor: lxml parse of the whole tree": lambda: etree.fromstring(data, etree.XMLParser(huge_tree=True)),
        },
        runs,
    )
    parsed: Any = results["Krav: parse_camt054"]
    floor: Any = results["floor: lxml iterparse with extraction"]
    assert len(parsed.payments) == len(floor) == entries
    assert parsed.total.ore == sum(f[1] for f in floor)
    assert [p.kid for p in parsed.payments] == [f[3] for f in floor]
    size = f"{len(data) / 1e6:.0f} MB"
    krav = medians["Krav: parse_camt054"]
    report(
        "camt.054, 100k entries" if entries == 100_000 else f"camt.054, {entries:,} entries",
        krav,
        medians["floor: lxml iterparse with extraction"],
        f"{size}; whole-tree parse {_seconds(medians['floor: lxml parse of the whole tree'])}",
    )


# -- 4. Nets OCR giro --------------------------------------------------------------------------------------------------


def ocr_file(transactions: int, folder: Path) -> bytes:
    """A transmission from Nets: one assignment of ``transactions`` OCR giro transactions (amount items 1 and 2,
    every twentieth with an amount item 3 of free text, every hundredth a reversal), written field by field in
    the Nets layout as netsgiro's ``to_ocr`` writes it (checked below on the first transactions)."""
    rng = random.Random(SEED)
    nets_date = date(2025, 11, 3)
    dmy = f"{nets_date:%d%m%y}"
    lines = ["NY000010" + "00008080" + "1000001" + "00010200" + "0" * 49]
    lines.append("NY090020" + "001008566" + "0000001" + "99991042764" + "0" * 45)
    net = 0
    records = 2
    for n in range(1, transactions + 1):
        amount = rng.randrange(10_000, 2_500_000)
        reversal = n % 100 == 0
        net += -amount if reversal else amount
        digits = f"{rng.randrange(10**10, 10**11)}"
        kid = digits + mod10_check_digit(digits)
        kind = 21 if n % 20 == 0 else 10
        lines.append(
            f"NY09{kind}30{n:07d}{dmy}13{nets_date.day:02d}101464{'-' if reversal else '0'}{amount:017d}{kid:>25}000000"
        )
        account = f"{rng.randrange(10**10, 10**11)}"
        lines.append(f"NY09{kind}31{n:07d}9636827194099038562{'':7}{dmy}{account}" + "0" * 22)
        records += 2
        if kind == 21:
            lines.append(f"NY09{kind}32{n:07d}{'Faktura ' + str(n):40}" + "0" * 25)
            records += 1
    lines.append(f"NY090088{transactions:08d}{records:08d}{net:017d}{dmy}{dmy}{dmy}" + "0" * 21)
    lines.append(f"NY000089{transactions:08d}{records + 2:08d}{net:017d}{dmy}" + "0" * 33)
    data = ("\n".join(lines) + "\n").encode("iso-8859-1")
    (folder / "ocr.txt").write_bytes(data)
    return data


def _check_ocr_layout(data: bytes) -> None:
    """The hand-written lines are what netsgiro reads and writes back unchanged."""
    from netsgiro.records import parse

    head = data.decode("iso-8859-1").splitlines()
    for line in head[:50] + head[-2:]:
        parsed: list[Any] = parse(line)
        assert [r.to_ocr() for r in parsed] == [line], line


def ocr_floor(data: bytes) -> tuple[list[tuple[int, int, str, str, str]], int]:
    """Fixed-width slicing, no validation: per transaction its number, signed amount in øre, KID, Nets date and
    the debited account; and the net total."""
    out: list[tuple[int, int, str, str, str]] = []
    total = 0
    pending: tuple[int, int, str, str] | None = None
    for line in data.decode("iso-8859-1").splitlines():
        kind = line[6:8]
        if kind == "30":
            amount = int(line[32:49])
            if line[31] == "-":
                amount = -amount
            pending = (int(line[8:15]), amount, line[49:74].strip(), line[15:21])
            total += amount
        elif kind == "31" and pending is not None:
            out.append((*pending, line[47:58]))
    return out, total


def bench_ocr(transactions: int, runs: int, folder: Path) -> None:
    print(f"\n[ocr] Nets OCR giro, {transactions:,} transactions", flush=True)
    with timed("write"):
        data = ocr_file(transactions, folder)
        _check_ocr_layout(data)
    records = data.count(b"\n")
    print(f"  {len(data) / 1e6:.1f} MB, {records:,} records")
    medians, results = measure(
        {
            "Krav: parse_ocr_giro": lambda: parse_ocr_giro(data, filename="ocr.txt"),
            "floor: fixed-width slicing": lambda: ocr_floor(data),
        },
        runs,
    )
    parsed: Any = results["Krav: parse_ocr_giro"]
    floor: Any = results["floor: fixed-width slicing"]
    assert len(parsed.payments) == len(floor[0]) == transactions
    assert parsed.total.ore == floor[1]
    report(
        "OCR giro, 100k transactions" if transactions == 100_000 else f"OCR giro, {transactions:,} transactions",
        medians["Krav: parse_ocr_giro"],
        medians["floor: fixed-width slicing"],
        f"{len(data) / 1e6:.0f} MB",
    )


# -- 5. letters (bench/letters.py) -------------------------------------------------------------------------------------


def bench_letters(quick: bool) -> None:
    args = ["--runs", "3", "--n", "50"] if quick else ["--runs", "7", "--n", "200"]
    print(f"\n[letters] bench/letters.py {' '.join(args)}", flush=True)
    done = subprocess.run(
        [sys.executable, str(HERE / "letters.py"), *args], cwd=HERE.parent, capture_output=True, text=True, check=True
    )
    print(done.stdout, end="")
    krav = re.findall(r"Krav\s+(\d+) letters/s\s+([\d.]+) ms", done.stdout)
    floor = re.findall(r"drawString\s+(\d+) letters/s\s+([\d.]+) ms\s+ratio ([\d.]+)x", done.stdout)
    for what, (k_rate, k_ms), (f_rate, f_ms, ratio) in zip(
        ("one letter per PDF", "batch PDF"), krav, floor, strict=False
    ):
        ROWS.append(
            Row(
                f"letters, {what}",
                f"{k_ms} ms/letter ({k_rate}/s)",
                f"{f_ms} ms ({f_rate}/s)",
                float(ratio),
                "ReportLab drawString floor",
            )
        )


# -- 6. SAF-T import (bench/saft.py) -----------------------------------------------------------------------------------


def bench_saft(quick: bool, runs: int) -> None:
    sizes = "200,400,800" if quick else "2000,4000,8000"
    print(f"\n[saft] bench/saft.py --sizes {sizes} --runs {runs}", flush=True)
    done = subprocess.run(
        [sys.executable, str(HERE / "saft.py"), "--sizes", sizes, "--runs", str(runs)],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    print(done.stdout, end="")
    for size, krav, floor in re.findall(
        r"=> SAF-T import, (\d+) items: Krav ([\d.]+) s, floor ([\d.]+) s", done.stdout
    ):
        ROWS.append(
            Row(
                f"SAF-T import, {int(size):,} items",
                _seconds(float(krav)),
                _seconds(float(floor)),
                float(krav) / float(floor),
            )
        )
    growth = re.search(r"=> SAF-T growth (\d+)/(\d+): Krav ([\d.]+), floor ([\d.]+)", done.stdout)
    if growth:
        last, first, krav_growth, floor_growth = growth.groups()
        ROWS.append(
            Row(
                f"SAF-T import, growth {int(last):,} / {int(first):,} items",
                f"{float(krav_growth):.2f}x",
                f"{float(floor_growth):.2f}x",
                None,
                f"linear would be {int(last) / int(first):.1f}x",
            )
        )


# -- 7. equal-amount matching ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRow:
    """An open item as the matching benchmark makes it: amounts in integer øre, signed (debit positive)."""

    id: int
    customer: str
    currency: str
    amount: int
    remaining: int
    invoice_date: date
    due_date: date | None
    number: str
    collection_id: str | None


def matching_rows(debits: int) -> list[MatchRow]:
    """``debits`` open invoices of one customer in eight, half of them with a payment of the same amount, a tenth
    with a payment that cancels nothing, 2 % in EUR, 1 % sent to collection, a few partly paid."""
    rng = random.Random(SEED + debits)
    customers = max(debits // 8, 1)
    rows: list[MatchRow] = []
    for n in range(debits):
        customer = str(100000 + rng.randrange(customers))
        currency = "EUR" if rng.random() < 0.02 else "NOK"
        amount = rng.randrange(100, 5000) * 100
        remaining = amount if rng.random() < 0.95 else amount // 2
        invoiced = date(2025, 1, 1) + timedelta(days=rng.randrange(330))
        due = invoiced + timedelta(days=rng.choice((10, 14, 30))) if rng.random() < 0.97 else None
        collection = f"K1-{n:07d}" if rng.random() < 0.01 else None
        rows.append(MatchRow(0, customer, currency, amount, remaining, invoiced, due, f"F{n:07d}", collection))
        paid_on = invoiced + timedelta(days=rng.randrange(1, 35))
        r = rng.random()
        if r < 0.5:
            rows.append(MatchRow(0, customer, currency, -remaining, -remaining, paid_on, None, f"B{n:07d}", None))
        elif r < 0.6:
            odd = -rng.randrange(100, 500_000)
            rows.append(MatchRow(0, customer, currency, odd, odd, paid_on, None, f"B{n:07d}", None))
    rng.shuffle(rows)
    return [dataclasses.replace(row, id=n) for n, row in enumerate(rows, start=1)]


def _open_item(row: MatchRow) -> OpenItem:
    return OpenItem(
        id=row.id,
        customer=row.customer,
        number=row.number,
        voucher_type=OUTGOING_INVOICE if row.amount > 0 else 1,
        amount=Money.from_ore(row.amount, row.currency),
        remaining=Money.from_ore(row.remaining, row.currency),
        invoice_date=row.invoice_date,
        due_date=row.due_date,
        collection_id=row.collection_id,
    )


def matching_floor(
    rows: Sequence[tuple[int, str, str, int, int, date, date | None, str, str | None]],
) -> list[tuple[int, int]]:
    """The bare floor: plain tuples (id, customer, currency, amount, remaining, invoice date, due date, number,
    collection id), sorted, the debits queued by (customer, currency, remaining øre), each credit taking the first
    of its queue; (debit id, credit id) pairs."""
    usable = [r for r in rows if r[4] != 0 and r[8] is None]
    waiting: dict[tuple[str, str, int], deque[int]] = defaultdict(deque)
    for r in sorted((r for r in usable if r[3] > 0), key=lambda r: (r[6] or r[5], r[5], r[7], r[0])):
        waiting[(r[1], r[2], r[4])].append(r[0])
    pairs = []
    for r in sorted((r for r in usable if r[3] <= 0), key=lambda r: (r[5], r[7], r[0])):
        queue = waiting.get((r[1], r[2], -r[4]))
        if queue:
            pairs.append((queue.popleft(), r[0]))
    return pairs


def matching_floor_sql(database: Path) -> list[tuple[int, int]]:
    """The bare floor with the database: the open items read through sqlite3, matched by :func:`matching_floor`,
    both sides of each pair written settled and the pair recorded with executemany, one commit."""
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "select id, customer_id, currency, amount_ore, remaining_ore, invoice_date, due_date, number,"
            " collection_id, company_id from open_item where settled_status < 3"
        ).fetchall()
        pairs = matching_floor(rows)
        by_id = {r[0]: r for r in rows}
        conn.executemany(
            "update open_item set remaining_ore = 0, settled_status = 3 where id = ?", [(i,) for p in pairs for i in p]
        )
        now = datetime.now(UTC).isoformat()
        conn.executemany(
            "insert into item_match (company_id, debit_item_id, credit_item_id, amount_ore, currency, method, on_date,"
            " created_at) values (?, ?, ?, ?, ?, 'amounts', '2026-01-15', ?)",
            [(by_id[d][9], d, c, by_id[d][4], by_id[d][2], now) for d, c in pairs],
        )
        conn.commit()
    finally:
        conn.close()
    return pairs


KRAV = str(Path(sys.executable).parent / "krav")  # the command of the venv running this file


def _krav_environment(home: Path, database: Path) -> dict[str, str]:
    """The ``krav`` command on ``database``, running the checkout this file belongs to (not what the venv has
    installed, which may be another checkout)."""
    return {
        **os.environ,
        "PYTHONPATH": str(HERE.parent / "src"),
        "KRAV_HOME": str(home),
        "KRAV_DATABASE_URL": f"sqlite:///{database}",
    }


def _matching_database(folder: Path, rows: Sequence[MatchRow]) -> tuple[Path, dict[int, int]]:
    """A migrated SQLite database with the company (through the ``krav`` command), its customers and the rows as
    open items of one opening-balance voucher (bulk-inserted as ``load_ledger`` does); Krav's item id of each row."""
    path = folder / f"matching-{len(rows)}.sqlite3"
    command = [KRAV, "company", "create", "--orgno", ORGNO, "--name", "Eksempel Handel AS"]
    subprocess.run(command, env=_krav_environment(folder, path), check=True, capture_output=True)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        company_id = conn.execute(sa.select(t.company.c.id).where(t.company.c.orgno == ORGNO)).scalar_one()
        numbers = sorted({r.customer for r in rows})
        conn.execute(
            t.customer.insert(),
            [
                {
                    "company_id": company_id,
                    "number": number,
                    "name": f"Kunde {number}",
                    "kind": "consumer",
                    "street": "Storgata 1",
                    "postcode": "0155",
                    "city": "Oslo",
                    "country": "NO",
                    "exempt": False,
                    "language": "nb",
                }
                for number in numbers
            ],
        )
        customer_ids = dict(conn.execute(sa.select(t.customer.c.number, t.customer.c.id)).all())
        batch_id = conn.execute(
            t.batch.insert()
            .values(company_id=company_id, text="Inngående balanse", source="bench", posted_at=datetime.now(UTC))
            .returning(t.batch.c.id)
        ).scalar_one()
        voucher_id = conn.execute(
            t.voucher.insert()
            .values(
                company_id=company_id,
                batch_id=batch_id,
                number=1,
                voucher_type=OUTGOING_INVOICE,
                date=date(2025, 1, 1),
                text="Inngående balanse, kundefordringer",
            )
            .returning(t.voucher.c.id)
        ).scalar_one()
        lines = [
            {
                "voucher_id": voucher_id,
                "company_id": company_id,
                "line_no": n,
                "account": accounts.RECEIVABLES,
                "customer_id": customer_ids[r.customer],
                "amount_ore": r.remaining,
                "currency": r.currency,
                "item": r.number,
                "settles": "",
                "due_date": r.due_date,
                "kid": None,
                "reference": None,
                "text": "Inngående balanse",
            }
            for n, r in enumerate(rows, start=1)
        ]
        for currency in ("NOK", "EUR"):
            lines.append(
                {
                    **lines[0],
                    "line_no": len(lines) + 1,
                    "account": accounts.OPENING_BALANCE,
                    "customer_id": None,
                    "amount_ore": -sum(line["amount_ore"] for line in lines if line["currency"] == currency),
                    "currency": currency,
                    "item": None,
                    "due_date": None,
                }
            )
        conn.execute(t.voucher_line.insert(), lines)
        line_ids = dict(
            conn.execute(
                sa.select(t.voucher_line.c.line_no, t.voucher_line.c.id).where(
                    t.voucher_line.c.voucher_id == voucher_id
                )
            ).all()
        )
        conn.execute(
            t.open_item.insert(),
            [
                {
                    "company_id": company_id,
                    "customer_id": customer_ids[r.customer],
                    "voucher_id": voucher_id,
                    "voucher_line_id": line_ids[n],
                    "number": r.number,
                    "voucher_type": OUTGOING_INVOICE if r.amount > 0 else 1,
                    "amount_ore": r.amount,
                    "remaining_ore": r.remaining,
                    "currency": r.currency,
                    "invoice_date": r.invoice_date,
                    "due_date": r.due_date,
                    "settled_status": 1 if r.remaining == r.amount else 2,
                    "reminder_count": 0,
                    "exempt": False,
                    "collection_id": r.collection_id,
                    "fee_outstanding_ore": 0,
                    "interest_outstanding_ore": 0,
                }
                for n, r in enumerate(rows, start=1)
            ],
        )
        item_ids = dict(conn.execute(sa.select(t.open_item.c.voucher_line_id, t.open_item.c.id)).all())
    engine.dispose()
    return path, {r.id: item_ids[line_ids[n]] for n, r in enumerate(rows, start=1)}


def _krav_match(database: Path, folder: Path) -> str:
    command = [KRAV, "ledger", "match", "--equal-amounts", "--company", ORGNO, "--date", "2026-01-15"]
    env = _krav_environment(folder, database)
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def bench_matching(sizes: Sequence[int], runs: int, folder: Path) -> None:
    print(f"\n[matching] equal amounts, {', '.join(f'{s:,}' for s in sizes)} debits", flush=True)
    medians: dict[int, dict[str, float]] = {}
    for size in sizes:
        rows = matching_rows(size)
        items = [_open_item(r) for r in rows]
        tuples = [dataclasses.astuple(r) for r in rows]
        with timed(f"{size:,} debits, {len(rows) - size:,} credits: database loaded"):
            database, item_id = _matching_database(folder, rows)
        # Each run of the command and of the database floor matches the same open items, in a copy made before.
        paths = [folder / f"matching-{size}-{who}{n}.sqlite3" for who in ("krav", "floor") for n in range(runs)]
        for path in paths:
            shutil.copyfile(database, path)
        krav_copies, floor_copies = iter(paths[:runs]), iter(paths[runs:])
        works: dict[str, Callable[[], object]] = {
            "Krav: match_equal_amounts": lambda: match_equal_amounts(items),  # noqa: B023 (called at once)
            "floor: keyed dict match on tuples": lambda: matching_floor(tuples),  # noqa: B023
            "Krav: krav ledger match --equal-amounts": lambda: _krav_match(next(krav_copies), folder),  # noqa: B023
            "floor: sqlite3 read, keyed match, executemany writes": lambda: matching_floor_sql(next(floor_copies)),  # noqa: B023
        }
        medians[size], results = measure(works, runs)
        output: Any = results["Krav: krav ledger match --equal-amounts"]
        allocations: Any = results["Krav: match_equal_amounts"]
        floor_pairs: Any = results["floor: keyed dict match on tuples"]
        assert [(a.debit_id, a.credit_id) for a in allocations[0]] == floor_pairs
        in_database = [(item_id[d], item_id[c]) for d, c in floor_pairs]
        cli_pairs = re.findall(r"item (\d+) against item (\d+)", output)
        assert [(int(d), int(c)) for c, d in cli_pairs] == in_database
        assert results["floor: sqlite3 read, keyed match, executemany writes"] == in_database
        print(f"  {len(floor_pairs):,} pairs; Krav, its command and both floors made the same pairs", flush=True)
        report(
            f"equal-amount matching, {size:,} debits: match_equal_amounts",
            medians[size]["Krav: match_equal_amounts"],
            medians[size]["floor: keyed dict match on tuples"],
            f"{len(rows) - size:,} credits, {len(floor_pairs):,} pairs",
        )
        report(
            f"equal-amount matching, {size:,} debits: krav ledger match",
            medians[size]["Krav: krav ledger match --equal-amounts"],
            medians[size]["floor: sqlite3 read, keyed match, executemany writes"],
            "a new process, SQLite; floor: sqlite3 in this process",
        )
    first, last = sizes[0], sizes[-1]
    for name in ("Krav: match_equal_amounts", "Krav: krav ledger match --equal-amounts"):
        growth = medians[last][name] / medians[first][name]
        print(f"  growth {last:,} / {first:,} debits, {name}: {growth:.2f}x (linear: {last / first:.1f}x)")


# -- main --------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="data 10x smaller (under 2 minutes)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument(
        "--only", default="sql,interest,camt,ocr,letters,saft,matching", help="comma-separated benchmarks"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    scale = 10 if args.quick else 1
    runs = max(args.runs, 1)
    started = time.perf_counter()
    print(
        f"Krav benchmarks{' (--quick)' if args.quick else ''}: median of {runs} runs; Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, numpy {np.__version__}, lxml {etree.__version__}, "
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="krav-bench-") as tmp:
        folder = Path(tmp)
        if "sql" in only:
            bench_sql(
                "SQLite",
                f"sqlite:///{folder / 'bench.sqlite3'}",
                100_000 // scale,
                1_000_000 // scale,
                runs,
            )
            postgres = os.environ.get("KRAV_BENCH_POSTGRES_URL", "").strip()
            if postgres:
                with postgres_schema(postgres) as url:
                    bench_sql("PostgreSQL", url, 100_000 // scale, 1_000_000 // scale, runs)
            else:
                print("  (PostgreSQL not measured: set KRAV_BENCH_POSTGRES_URL to measure it)")
        if "interest" in only:
            bench_interest(1_000_000 // scale, runs)
        if "camt" in only:
            bench_camt(100_000 // scale, runs, folder)
        if "ocr" in only:
            bench_ocr(100_000 // scale, runs, folder)
        if "matching" in only:
            bench_matching([8_000 // scale, 16_000 // scale], runs, folder)
    if "letters" in only:
        bench_letters(args.quick)
    if "saft" in only:
        bench_saft(args.quick, runs)

    print(f"\nSummary (medians of {runs} runs; ratio = Krav / floor; HTTP: bench/api.py)")
    width = max((len(r.benchmark) for r in ROWS), default=10)
    print(f"{'benchmark':<{width}}  {'Krav':>22}  {'floor':>18}  {'ratio':>7}  note")
    for row in ROWS:
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else ""
        print(f"{row.benchmark:<{width}}  {row.krav:>22}  {row.floor:>18}  {ratio:>7}  {row.note}")
    print(f"total {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
