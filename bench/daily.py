"""Submit, the daily run and letters through the ``krav`` command, at growing sizes, each beside a floor.

    .venv/bin/python bench/daily.py                   # N = 10,000 and 100,000 open items
    .venv/bin/python bench/daily.py --sizes 1000      # a quick check of the bench itself
    KRAV_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/daily.py

For each N: a creditor with N open items over N/10 customers (seeded) is bulk-loaded into a migrated database in
a temporary ``KRAV_HOME`` (as ``run.py`` does: one opening-balance voucher the open items point to), every item
overdue and valid, half the customers taking letters by e-mail. Then the commands a user runs are timed as
subprocesses, in order, each once:

* ``krav proposal``: every item with its reasons (none: all are valid), printed as the user sees it (floor: the
  selection query of the valid items);
* ``krav submit --all-valid``: every item becomes a claim (floor: the same selection query);
* ``krav run --no-send`` on that day, a heavy day: every claim's first letter decided and written (floor: the
  query selecting the due claims, read whole);
* ``krav outbox send``: those letters rendered and delivered, e-mails as .eml files, the rest in print batches
  (floor: rendering the same letters with Krav's own renderer in-process, one PDF per letter and one batch
  document per part of the outbox, as the send renders them; beside it, the same text drawn bare with
  ReportLab's canvas);
* ``krav run`` on the day the reminders' deadline has run out, a notice day for every claim (the same floor as
  the first run), its letters sent in the run.

``--steps NAME`` runs these up to the one named (each needs the ones before it): at N = 1,000,000 the sending
and the notice day take an hour or more. ``--keep DIR`` keeps each size's home and database in DIR, to run a
command on copies of it again. It prints each time, its floor, the ratio (also of the time less ``krav --help``,
the start-up every command pays) and how each grows from one size to the next (linear is the size's growth).
``KRAV_BENCH_PROFILE=DIR`` runs each command under cProfile into DIR. With ``KRAV_BENCH_POSTGRES_URL`` the
database is a schema of its own on that server, dropped after (kept with ``--keep``).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from bench.ledger_load import opening_voucher  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from krav.adapters.db import tables as t  # noqa: E402
from krav.adapters.db.engine import make_engine  # noqa: E402
from krav.adapters.db.migrate import upgrade  # noqa: E402
from krav.bootstrap import unit_of_work  # noqa: E402
from krav.domain.agreement import Agreement  # noqa: E402
from krav.domain.ledger import accounts  # noqa: E402
from krav.domain.ledger.voucher_types import OUTGOING_INVOICE  # noqa: E402
from krav.domain.party import Company  # noqa: E402
from krav.services import ledger as ledger_service  # noqa: E402

SEED = 20261206
ORGNO = "974760673"
SUBMIT_DAY = date(2025, 11, 3)  # a Monday
KRAV = str(ROOT / ".venv" / "bin" / "krav")
CHUNK = 50_000


@dataclass
class Timing:
    work: str
    n: int
    krav: float
    floor: float | None
    floor_what: str
    note: str = ""


# -- the data ----------------------------------------------------------------------------------------------------------


def load(url: str, items: int) -> int:
    """A migrated database with one creditor, ``items`` open items over ``items // 10`` customers, every item
    overdue, NOK, above the minimum and not reminded: all valid on the submit day. Returns the company's id."""
    rng = random.Random(SEED)
    engine = make_engine(url)
    upgrade(engine)
    ledger_service.create_company(
        unit_of_work(engine), Company(orgno=ORGNO, name="Eksempel Handel AS", bank_account="86011117947")
    )
    agreement = Agreement(
        active=True,
        activated_on=SUBMIT_DAY - timedelta(days=60),
        accepted_by="bench",
        auto_transfer=False,
        reminder_before_notice=True,
    )
    with unit_of_work(engine) as uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        uow.agreements.save(company_id, agreement)
        uow.commit()
    customers = max(1, items // 10)
    with engine.begin() as conn:
        conn.execute(
            t.customer.insert(),
            [
                {
                    "company_id": company_id,
                    "number": str(100000 + i),
                    "name": f"Kunde {i} Nordmann",
                    "kind": "consumer",
                    "orgno": None,
                    "street": f"Storgata {i % 300 + 1}",
                    "postcode": f"{rng.randrange(1, 9999):04d}",
                    "city": "Oslo",
                    "country": "NO",
                    "email": f"kunde{i}@example.no" if i % 2 == 0 else None,
                    "email_for_letters": i % 2 == 0,
                    "exempt": False,
                    "payment_terms_days": 14,
                    "language": "nb",
                }
                for i in range(customers)
            ],
        )
        customer_ids = list(conn.execute(sa.select(t.customer.c.id).order_by(t.customer.c.id)).scalars())
        rows = []
        for n in range(1, items + 1):
            invoice_date = SUBMIT_DAY - timedelta(days=rng.randrange(30, 120))
            rows.append(
                {
                    "customer_id": customer_ids[(n - 1) % customers],
                    "amount": rng.randrange(50_000, 2_500_000),
                    "invoice_date": invoice_date,
                    "due_date": invoice_date + timedelta(days=14),
                }
            )
        voucher_id = opening_voucher(conn, company_id, SUBMIT_DAY - timedelta(days=200))
        line: dict[str, Any] = {"voucher_id": voucher_id, "company_id": company_id, "currency": "NOK"}
        line.update(settles="", kid=None, reference=None, text="Inngående balanse")
        lines = [
            {
                **line,
                "line_no": n,
                "account": accounts.RECEIVABLES,
                "customer_id": row["customer_id"],
                "amount_ore": row["amount"],
                "item": f"F{n:07d}",
                "due_date": row["due_date"],
            }
            for n, row in enumerate(rows, start=1)
        ]
        total = sum(r["amount"] for r in rows)
        lines.append(
            {**line, "line_no": items + 1, "account": accounts.OPENING_BALANCE, "customer_id": None}
            | {"amount_ore": -total, "item": None, "due_date": None}
        )
        for start in range(0, len(lines), CHUNK):
            conn.execute(t.voucher_line.insert(), lines[start : start + CHUNK])
        line_ids = dict(
            conn.execute(
                sa.select(t.voucher_line.c.line_no, t.voucher_line.c.id).where(
                    t.voucher_line.c.voucher_id == voucher_id
                )
            ).all()
        )
        items_rows = [
            {
                "company_id": company_id,
                "customer_id": row["customer_id"],
                "voucher_id": voucher_id,
                "voucher_line_id": line_ids[n],
                "number": f"F{n:07d}",
                "voucher_type": OUTGOING_INVOICE,
                "amount_ore": row["amount"],
                "remaining_ore": row["amount"],
                "currency": "NOK",
                "invoice_date": row["invoice_date"],
                "due_date": row["due_date"],
                "settled_status": 1,
                "reminder_count": 0,
                "reminded_on": None,
                "exempt": False,
                "collection_id": None,
                "fee_outstanding_ore": 0,
                "interest_outstanding_ore": 0,
                "kid": None,
                "reference": None,
            }
            for n, row in enumerate(rows, start=1)
        ]
        for start in range(0, len(items_rows), CHUNK):
            conn.execute(t.open_item.insert(), items_rows[start : start + CHUNK])
    analyze(url)
    engine.dispose()
    return company_id


def analyze(url: str) -> None:
    """What autovacuum (PostgreSQL) or ``PRAGMA optimize`` would do after a load this size, done now."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("analyze"))
    engine.dispose()


# -- the floors --------------------------------------------------------------------------------------------------------


def floor_selection(url: str, company_id: int) -> tuple[float, int]:
    """The valid items of the submit day, read in one query with their customers (the bare driver)."""
    engine = make_engine(url)
    query = sa.text(
        "select o.id, o.number, o.remaining_ore, o.due_date, c.number, c.name, c.street, c.postcode, c.email "
        "from open_item o join customer c on c.id = o.customer_id where o.company_id = :company "
        "and o.collection_id is null and o.settled_status < 3 and o.amount_ore > 0 and o.due_date <= :due_by "
        "order by c.number, o.due_date"
    )
    start = time.perf_counter()
    with engine.connect() as conn:
        found = conn.execute(query, {"company": company_id, "due_by": SUBMIT_DAY - timedelta(days=14)}).all()
    took = time.perf_counter() - start
    engine.dispose()
    return took, len(found)


def next_action(url: str) -> date:
    """The first day after the submit day a step is due for the claims (the reminders' notice day)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.min(t.claim.c.next_action_on))).scalar_one()
    engine.dispose()
    return found if isinstance(found, date) else date.fromisoformat(found)


def floor_due_claims(url: str, company_id: int, on: date) -> tuple[float, int]:
    """The open claims due on ``on``, read whole in one query (the bare driver)."""
    engine = make_engine(url)
    query = sa.text("select * from claim where company_id = :company and stage <> 'closed' and next_action_on <= :on")
    start = time.perf_counter()
    with engine.connect() as conn:
        found = conn.execute(query, {"company": company_id, "on": on}).all()
    took = time.perf_counter() - start
    engine.dispose()
    return took, len(found)


def floor_render(url: str, company_id: int, folder: Path) -> tuple[float, int]:
    """The letters sent on the submit day rendered bare with ReportLab's canvas: the same text lines per letter
    (one per claim plus the heading), one PDF per e-mailed letter and one document for the print batch."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select l.id, d.channel, l.debtor_number, ll.principal_ore from letter l "
                "join delivery d on d.ref_id = l.id and d.kind = 'letter' "
                "join letter_line ll on ll.letter_id = l.id where l.company_id = :company order by l.id, ll.position"
            ),
            {"company": company_id},
        ).all()
    engine.dispose()
    letters: dict[int, tuple[str, str, list[int]]] = {}
    for letter_id, channel, debtor, principal in rows:
        letters.setdefault(letter_id, (channel, debtor, []))[2].append(principal)
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    batch = canvas.Canvas(io.BytesIO(), pagesize=A4)
    for letter_id, (channel, debtor, lines) in letters.items():
        if channel == "email":
            page = canvas.Canvas(io.BytesIO(), pagesize=A4)
            _page(page, debtor, lines)
            page.save()
            (folder / f"{letter_id}.pdf").write_bytes(page.getpdfdata())
        else:
            _page(batch, debtor, lines)
    batch.save()
    (folder / "batch.pdf").write_bytes(batch.getpdfdata())
    return time.perf_counter() - start, len(letters)


def floor_krav_render(env: dict[str, str], on: date) -> tuple[float, int]:
    """The same letters rendered by Krav's own renderer in-process, as the send renders them: one PDF per letter
    (the archived copy) and, for the letters on paper, one batch document per part of the outbox; composed
    before the clock starts, so that only the rendering is timed."""
    from krav.bootstrap import bootstrap
    from krav.config import get_settings
    from krav.services.collection.delivery import compose_letter, payee_account
    from krav.services.collection.delivery.round import PART

    os.environ.update(KRAV_HOME=env["KRAV_HOME"], KRAV_DATABASE_URL=env["KRAV_DATABASE_URL"])
    get_settings.cache_clear()
    app = bootstrap(migrate=False)
    uow = app.uow()
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        account = payee_account(uow.agreements.get(company.id), company, app.service)
        stored = uow.collection.letters(company.id)
        channels = {d.ref_id: d.channel for d in uow.deliveries.deliveries(company_id=company.id)}
        letters = [
            (compose_letter(uow, company, s, app.service, sent_on=on, account=account), channels.get(s.id))
            for s in stored
            if s.sent_on == on
        ]
    renderer = app.renderer
    start = time.perf_counter()
    on_paper = []
    for letter, channel in letters:
        renderer.render_letter(letter)
        if channel is not None and channel.value == "print":
            on_paper.append(letter)
    for begin in range(0, len(on_paper), PART):
        renderer.render_letters(on_paper[begin : begin + PART])
    took = time.perf_counter() - start
    app.close()
    return took, len(letters)


def _page(page: canvas.Canvas, debtor: str, lines: list[int]) -> None:
    page.setFont("Helvetica", 10)
    y = 800.0
    for text in ("Eksempel Inkasso AS", f"Kunde {debtor}", "Storgata 1", "0150 Oslo", "Inkassovarsel"):
        page.drawString(60, y, text)
        y -= 14
    for n, ore in enumerate(lines, start=1):
        page.drawString(60, y, f"Faktura {n}")
        page.drawRightString(520, y, f"{ore // 100:,},{ore % 100:02d}".replace(",", " ", 1))
        y -= 14
    page.showPage()


# -- the commands ------------------------------------------------------------------------------------------------------


def krav(env: dict[str, str], *args: str) -> float:
    """Run ``krav ARGS`` and return its wall time; a failure stops the bench with what the command said."""
    command = [KRAV, *args]
    profile = os.environ.get("KRAV_BENCH_PROFILE")  # a folder: each command's cProfile output goes there
    if profile:
        name = "-".join(a for a in args if not a.startswith("-"))[:40] or "help"
        Path(profile).mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "cProfile", "-o", f"{profile}/{name}.prof", *command]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"krav {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    last = [line for line in done.stdout.splitlines() if line.strip()][-3:] if args[0] != "--help" else []
    print(f"    krav {' '.join(args)}: {took:.2f} s   ({' | '.join(last)[:160]})", flush=True)
    return took


@contextmanager
def database(home: Path, *, keep: bool = False) -> Iterator[str]:
    """A SQLite file in ``home``, or a schema of its own on ``KRAV_BENCH_POSTGRES_URL`` dropped after (unless
    ``keep``)."""
    server = os.environ.get("KRAV_BENCH_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{home / 'krav.sqlite3'}"
        return
    schema = f"krav_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server)
    with admin.begin() as conn:
        conn.execute(sa.text(f"create schema {schema}"))
    try:
        sep = "&" if "?" in server else "?"
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        if keep:
            print(f"    kept: schema {schema} on {server}", flush=True)
        else:
            with admin.begin() as conn:
                conn.execute(sa.text(f"drop schema {schema} cascade"))
        admin.dispose()


STEPS = ("proposal", "submit", "run", "send", "notice")


def one_size(n: int, steps: int = len(STEPS), keep: Path | None = None) -> list[Timing]:
    print(f"\n== N = {n:,} open items over {max(1, n // 10):,} customers", flush=True)
    if keep is not None:  # a folder per size, kept after the run (to profile a command on it again)
        home = keep / str(n)
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
    else:
        home = Path(tempfile.mkdtemp(prefix="krav-daily-"))
    try:
        shutil.copy(ROOT / "examples" / "krav.env", home / "krav.env")
        with database(home, keep=keep is not None) as url:
            env = {**os.environ, "KRAV_HOME": str(home), "KRAV_DATABASE_URL": url, "COLUMNS": "200"}
            start = time.perf_counter()
            company_id = load(url, n)
            print(f"    loaded in {time.perf_counter() - start:.1f} s", flush=True)
            return _commands(env, url, company_id, n, home, steps)
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"    kept: {home} (its KRAV_HOME; the database in it, or the schema named above)", flush=True)


def _commands(env: dict[str, str], url: str, company_id: int, n: int, home: Path, steps: int) -> list[Timing]:
    # what every command pays before it does anything (Python and Krav's modules loaded)
    found = [Timing("krav --help (start-up)", n, krav(env, "--help"), None, "")]
    selection, valid = floor_selection(url, company_id)
    assert valid == n, f"{valid} valid items of {n}"
    took = krav(env, "proposal", "--company", ORGNO, "--date", SUBMIT_DAY.isoformat())
    found.append(Timing("krav proposal", n, took, selection, "selection query", f"{valid:,} rows printed"))
    if steps < 2:
        return found
    took = krav(env, "submit", "--company", ORGNO, "--all-valid", "--date", SUBMIT_DAY.isoformat())
    found.append(Timing("krav submit --all-valid", n, took, selection, "selection query"))
    if steps < 3:
        return found
    analyze(url)
    due, count = floor_due_claims(url, company_id, SUBMIT_DAY)
    assert count == n, f"{count} claims due of {n}"
    took = krav(env, "run", "--no-send", "--date", SUBMIT_DAY.isoformat())
    found.append(Timing("krav run --no-send, first letters", n, took, due, "due claims query"))
    if steps < 4:
        return found
    bare, letters = floor_render(url, company_id, home / "bare")
    took = krav(env, "outbox", "send", "--date", SUBMIT_DAY.isoformat())
    render, rendered = floor_krav_render(env, SUBMIT_DAY)
    assert rendered == letters, f"{rendered} letters rendered of {letters}"
    note = f"{letters:,} letters; bare ReportLab {bare:.2f} s"
    found.append(Timing("krav outbox send", n, took, render, "Krav's renderer alone", note))
    if steps < 5:
        return found
    notice_day = next_action(url)
    due, count = floor_due_claims(url, company_id, notice_day)
    took = krav(env, "run", "--date", notice_day.isoformat())
    found.append(Timing("krav run, notice day, letters sent", n, took, due, "due claims query", f"{count:,} due"))
    return found


def summary(timings: list[Timing]) -> None:
    """The table: each time, its floor and the ratio, the ratio of the time less the command's start-up, and
    the growth from the size before (of the time, and of the time less start-up)."""
    print("\n| work | N | Krav | floor, same run | ratio | less start-up: ratio | growth from the size before |")
    print("|---|---|---|---|---|---|---|")
    before: dict[str, Timing] = {}
    start_up = {tm.n: tm.krav for tm in timings if tm.floor_what == ""}
    for tm in timings:
        bare = tm.krav - start_up.get(tm.n, 0.0) if tm.floor_what else tm.krav
        ratio = f"{tm.krav / tm.floor:.1f}×" if tm.floor else "—"
        less = f"{bare / tm.floor:.1f}×" if tm.floor else "—"
        floor = f"{tm.floor_what} {tm.floor:.2f} s" if tm.floor is not None else "—"
        prev = before.get(tm.work)
        growth = ""
        if prev is not None:
            prev_bare = prev.krav - start_up.get(prev.n, 0.0) if prev.floor_what else prev.krav
            growth = f"{tm.krav / prev.krav:.1f}× ({bare / prev_bare:.1f}×) for {tm.n // prev.n}×"
        note = f" ({tm.note})" if tm.note else ""
        print(f"| {tm.work}{note} | {tm.n:,} | {tm.krav:.2f} s | {floor} | {ratio} | {less} | {growth} |")
        before[tm.work] = tm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="numbers of open items, comma-separated")
    parser.add_argument("--steps", choices=STEPS, default=STEPS[-1], help="the last command to time (default: all)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep each size's home and database")
    args = parser.parse_args()
    timings: list[Timing] = []
    for n in (int(s) for s in args.sizes.split(",")):
        timings.extend(one_size(n, STEPS.index(args.steps) + 1, args.keep))
        summary(timings)


if __name__ == "__main__":
    main()
