"""Krav against the bare floors of ../shared/FLOORS.md: the same work on the same data, in the same run.

    .venv/bin/python bench/run.py                  # full size (1,000,000 items, 100,000 entries ...), ~8 minutes
    .venv/bin/python bench/run.py --quick          # data 10x smaller, under 2 minutes
    .venv/bin/python bench/run.py --only sql,camt  # some of: sql, interest, camt, ocr, letters
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

FLOORS.md's HTTP row is not measured: Krav has no HTTP API yet.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np  # noqa: E402  (a bench-only dependency: `pip install numpy` into the venv)
import sqlalchemy as sa  # noqa: E402
from lxml import etree  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from krav.adapters.db import tables as t  # noqa: E402
from krav.adapters.db.engine import make_engine  # noqa: E402
from krav.adapters.db.migrate import upgrade  # noqa: E402
from krav.adapters.db.uow import SqlUnitOfWork  # noqa: E402
from krav.adapters.ratefile import load_rate_tables  # noqa: E402
from krav.domain.agreement import Agreement, effective_days_before_transfer  # noqa: E402
from krav.domain.calendar import days_in_year  # noqa: E402
from krav.domain.collection.claims import Claim  # noqa: E402
from krav.domain.collection.interest import interest_accrued  # noqa: E402
from krav.domain.collection.letters import Recipient  # noqa: E402
from krav.domain.kid import mod10_check_digit  # noqa: E402
from krav.domain.ledger import accounts  # noqa: E402
from krav.domain.ledger.voucher_types import OUTGOING_CREDIT_NOTE, OUTGOING_INVOICE  # noqa: E402
from krav.domain.money import Money  # noqa: E402
from krav.domain.party import Company  # noqa: E402
from krav.domain.rates import RateTables  # noqa: E402
from krav.domain.validation import validate_item  # noqa: E402
from krav.formats.camt054 import parse_camt054  # noqa: E402
from krav.formats.camt054_writer import Credit, build_camt054  # noqa: E402
from krav.formats.ocr_giro import parse_ocr_giro  # noqa: E402
from krav.services import ledger as ledger_service  # noqa: E402
from krav.services import submission  # noqa: E402
from krav.services.ports import LikelyValid  # noqa: E402

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
        SqlUnitOfWork(engine), Company(orgno=ORGNO, name="Eksempel Handel AS", bank_account="86011117947")
    )
    agreement = Agreement(active=True, activated_on=today, accepted_by="bench", minimum_amount=Money.of("100.00"))
    with SqlUnitOfWork(engine) as uow:
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
                date=today - timedelta(days=730),
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
    with SqlUnitOfWork(engine) as uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        agreement = uow.agreements.get(company.id)
        narrowing = LikelyValid(
            due_by=today - timedelta(days=effective_days_before_transfer(agreement)),
            minimum_ore=agreement.minimum_amount.ore,
        )
        candidates = uow.ledger.candidates(company.id, today=today, likely_valid=narrowing)
        valid = [c for c in candidates if not validate_item(c, agreement, today)]
    grouped: dict[str, list[int]] = {}
    for candidate in valid:
        grouped.setdefault(candidate.customer.number, []).append(candidate.item.id)
    return grouped


def krav_proposal(engine: Engine, today: date) -> dict[str, list[int]]:
    """``submission.proposal``: every candidate with every failing reason; the valid ones grouped per customer."""
    rows = submission.proposal(SqlUnitOfWork(engine), ORGNO, today=today)
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
    """Claims as the engine holds them. The Money fields Claim defaults to zero share one zero value, to keep a
    million claims in memory (interest reads none of them but ``interest_booked`` and ``interest_waived``)."""
    debtor = Recipient("100000", "Kari Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
    zero = Money.zero()
    zeros: dict[str, Any] = {
        f.name: zero for f in dataclasses.fields(Claim) if f.type == "Money" and f.name != "principal"
    }
    return [
        Claim(1, f"K1-{n:07d}", f"F{n:07d}", due, due, Money.from_ore(p), due, debtor, **zeros)
        for n, (p, due) in enumerate(zip(principals, dues, strict=True))
    ]


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

    def krav() -> list[Money]:
        return [interest_accrued(claim, on, rates) for claim in claims]

    def floor() -> np.ndarray:
        return interest_floor(rates, principal_array, start_array, end_array, first, on)

    def python_integers() -> list[int]:
        return interest_python_integers(rates, claims, on, first)

    medians, results = measure(
        {
            "Krav: interest_accrued per claim": krav,
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
    total = Money.from_ore(int(floor_ore.sum()))
    print(f"  total interest {total.amount} NOK; claims where Krav and the floor differ: {differ}")
    note = f"results differ on {differ} of {items:,} claims" if differ else "same øre on every claim"
    krav_s = medians["Krav: interest_accrued per claim"]
    report("late interest", krav_s, medians["floor: numpy, integer øre"], note)
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


# -- main --------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="data 10x smaller (under 2 minutes)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--only", default="sql,interest,camt,ocr,letters", help="comma-separated benchmarks")
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
    if "letters" in only:
        bench_letters(args.quick)

    print(f"\nSummary (medians of {runs} runs; ratio = Krav / floor; HTTP not measured: Krav has no HTTP API yet)")
    width = max((len(r.benchmark) for r in ROWS), default=10)
    print(f"{'benchmark':<{width}}  {'Krav':>22}  {'floor':>18}  {'ratio':>7}  note")
    for row in ROWS:
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else ""
        print(f"{row.benchmark:<{width}}  {row.krav:>22}  {row.floor:>18}  {ratio:>7}  {row.note}")
    print(f"total {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
