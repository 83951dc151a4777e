"""Imports through the ``krav`` command, as a user runs them, beside the bare floor of the same work.

    .venv/bin/python bench/imports.py                        # N = 10,000 and 100,000 open items
    .venv/bin/python bench/imports.py --sizes 2000,20000     # other sizes (growth is last / first)
    .venv/bin/python bench/imports.py --only invoices,saft   # some of: customers, invoices, saft, camt, ocr

For each N, in a temporary folder and with ``KRAV_HOME`` there (a fresh SQLite database each), seeded:

* customers  ``krav import customers`` of N/10 customers (CSV); floor: ``executemany`` of the same customer rows
             (read back from Krav's database) into the same empty schema with plain ``sqlite3``.
* invoices   ``krav import invoices`` of N invoices over those customers (CSV); floor: ``executemany`` of the same
             rows Krav stored (batch, vouchers, voucher lines, open items) into the same schema.
* saft       ``krav import saft`` of a SAF-T Financial 1.30 file of N receivables lines (``bench/saft.py``'s
             file); floor: lxml parsing and validating it against the schema (loaded outside the timing).
* camt       the invoices are sent to collection (``krav agreement activate``, ``krav submit --all-valid``,
             ``krav run``: a letter with a KID per debtor; not timed), then a camt.054 of N KID payments (each
             letter paid in ten parts) is imported with ``krav import payments`` and applied by the next
             ``krav run`` (matched and allocated: "money in"); floors: lxml parsing the whole file, and lxml
             iterparse extracting each entry's fields (``bench/run.py``'s ``camt_floor``).
* ocr        the same N payments as a Nets OCR giro file, on a copy of the same database; floor: netsgiro's
             own parse of the file (``netsgiro.parse``).
* … writes   for each payment file, ``krav run`` alone beside what storing its outcome costs by itself: the rows
             the run added, changed and removed (every table compared by primary key with a copy taken just before
             the run) written again into that copy with plain ``executemany`` and committed (``run_writes_floor``).

Each Krav figure is a new process (starting Krav is part of it; ``krav company list`` shows what that costs).
The table gives Krav, the floor, the ratio and Krav's growth from the first N to the last.

With ``KRAV_BENCH_POSTGRES_URL`` (``postgresql+psycopg://postgres@127.0.0.1:5432/test``) every home's database is
a database of its own on that server instead (a copy made with ``CREATE DATABASE … TEMPLATE``), dropped after unless ``--keep``;
the ``executemany`` floors then insert the same rows with plain psycopg (``cursor.executemany``) into the same
empty schema on the same server.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import netsgiro
import psycopg
import sqlalchemy as sa
from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from run import camt_floor  # noqa: E402
from saft import SCHEMA_130, saft_file  # noqa: E402
from saft import floor as saft_floor  # noqa: E402

from krav.adapters.db.tables import metadata  # noqa: E402
from krav.domain.money import Money  # noqa: E402
from krav.formats.camt054_writer import Credit, build_camt054  # noqa: E402

KRAV = Path(sys.executable).parent / "krav"
ORGNO = "974760673"
SEED = 20261206
CLIENT_ACCOUNT = "16020000000"  # examples/krav.env: the service's client account
SUBMIT_ON = date(2025, 11, 4)
PAID_ON = date(2025, 11, 6)
PARTS = 10  # each letter is paid in this many payments
LEDGER_TABLES = ("batch", "voucher", "voucher_line", "open_item")

SERVER = os.environ.get("KRAV_BENCH_POSTGRES_URL")  # PostgreSQL: a database per home instead of a SQLite file
RUN = uuid.uuid4().hex[:8]
CREATED: list[str] = []  # the databases made on SERVER, dropped at the end

START_UP = "`krav company list` (starting Krav)"
RESULTS: dict[str, dict[int, tuple[float, float | None]]] = {}  # row -> N -> (Krav, floor)


# -- running krav ------------------------------------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRAV_")}
    env.update(
        PYTHONPATH=str(HERE.parent / "src"),
        KRAV_HOME=str(home),
        KRAV_DATABASE_URL=database_url(home),
        KRAV_SAFT_SCHEMA_DIR=str(SCHEMA_130.parent),
        KRAV_MAX_FILE_MB="500",  # a camt.054 of 100,000 entries is 124 MB (the default bound is 100 MB)
    )
    return env


def krav(home: Path, *arguments: str) -> str:
    done = subprocess.run([str(KRAV), *arguments], env=_env(home), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"krav {' '.join(arguments)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def new_home(folder: Path, name: str, *, company: bool = True) -> Path:
    home = folder / name
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copy(HERE.parent / "examples" / "krav.env", home / "krav.env")
    if SERVER:
        _server_sql(f'drop database if exists "{_name(home)}"', f'create database "{_name(home)}"')
        CREATED.append(_name(home))
    krav(home, "init")
    if company:
        krav(home, "company", "create", "--orgno", ORGNO, "--name", "Kreditor AS", "--account", "86011117947")
    return home


def copy_home(home: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(home, target)
    if SERVER:
        _server_sql(
            f'drop database if exists "{_name(target)}"', f'create database "{_name(target)}" template "{_name(home)}"'
        )
        CREATED.append(_name(target))
    return target


def database(home: Path) -> Path:
    return home / "krav.sqlite3"


def _name(home: Path) -> str:
    """The PostgreSQL database of ``home``: named after this run and the home's place (``10000/ledger``)."""
    return f"krav_bench_{RUN}_{home.parent.name}_{home.name}".replace("-", "_")


def _server_url(home: Path | None = None, *, driver: bool = True) -> str:
    assert SERVER
    url = sa.make_url(SERVER)
    if home is not None:
        url = url.set(database=_name(home))
    if not driver:
        url = url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _server_sql(*statements: str) -> None:
    """Statements outside a transaction (``CREATE DATABASE`` cannot run in one) on the server's own database."""
    with psycopg.connect(_server_url(driver=False), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def database_url(home: Path) -> str:
    return _server_url(home) if SERVER else f"sqlite:///{database(home)}"


def read(home: Path, query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` on the database in ``home``, read-only, the connection closed after."""
    if SERVER:
        with psycopg.connect(_server_url(home, driver=False)) as conn:
            return list(conn.execute(query.encode()))
    with closing(sqlite3.connect(f"file:{database(home)}?mode=ro", uri=True)) as conn:
        return list(conn.execute(query))


def table_columns(home: Path, table: str) -> list[str]:
    if SERVER:
        return [
            str(c[0])
            for c in read(
                home,
                "select column_name from information_schema.columns "
                f"where table_schema = 'public' and table_name = '{table}' order by ordinal_position",
            )
        ]
    return [str(c[1]) for c in read(home, f"pragma table_info({table})")]


# -- the files ---------------------------------------------------------------------------------------------------------


def customers_csv(n: int) -> bytes:
    rng = random.Random(SEED + n)
    rows = ["number;name;kind;orgno;street;postcode;city;country;email;exempt;payment_terms_days;language"]
    for i in range(max(n // 10, 1)):
        email = f"kunde{i}@example.no" if rng.random() < 0.5 else ""
        rows.append(f"{100000 + i};Kunde {i} Nordmann;;;Storgata {i % 300 + 1};0155;Oslo;;{email};;14;")
    return ("\n".join(rows) + "\n").encode()


def invoices_csv(n: int) -> bytes:
    rng = random.Random(SEED * 7 + n)
    customers = max(n // 10, 1)
    rows = ["number;customer;invoice_date;due_date;amount;currency;voucher_type;kid;exempt;text"]
    for i in range(n):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(280))
        due = (day + timedelta(days=14)).isoformat() if rng.random() < 0.8 else ""  # else: the customer's terms
        ore = rng.randrange(10_000, 2_500_000)
        customer = 100000 + rng.randrange(customers)
        rows.append(f"{500000 + i};{customer};{day.isoformat()};{due};{ore // 100},{ore % 100:02d};;;;;Faktura {i}")
    return ("\n".join(rows) + "\n").encode()


def letters_to_pay(home: Path) -> list[tuple[str, int]]:
    """Every letter's KID and total in øre, as Krav wrote them."""
    return read(home, "select k.kid, l.total_ore from letter_kid k join letter l on l.id = k.letter_id order by l.id")


def payments(letters: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Each letter paid in :data:`PARTS` payments that add up to its total: (KID, øre) each."""
    out: list[tuple[str, int]] = []
    for kid, total in letters:
        part = total // PARTS
        out.extend((kid, part) for _ in range(PARTS - 1))
        out.append((kid, total - part * (PARTS - 1)))
    return out


def camt_bytes(paid: Sequence[tuple[str, int]]) -> bytes:
    credits = [
        Credit(f"NO{PAID_ON:%Y%m%d}{n:09d}", Money.from_ore(ore), PAID_ON, kid=kid, payer_name=f"Kari Nordmann {n}")
        for n, (kid, ore) in enumerate(paid)
    ]
    return build_camt054(
        CLIENT_ACCOUNT, credits, message_id="BENCH-IMPORTS", created=datetime(2025, 11, 6, 6, tzinfo=UTC)
    )


def ocr_bytes(paid: Sequence[tuple[str, int]]) -> bytes:
    """A Nets transmission of one assignment to the client account, in the layout of ``bench/run.py``'s OCR file."""
    dmy = f"{PAID_ON:%d%m%y}"
    lines = ["NY000010" + "00008080" + "1000001" + "00010200" + "0" * 49]
    lines.append("NY090020" + "001008566" + "0000001" + CLIENT_ACCOUNT + "0" * 45)
    for n, (kid, ore) in enumerate(paid, start=1):
        lines.append(f"NY091030{n:07d}{dmy}13{PAID_ON.day:02d}1014640{ore:017d}{kid:>25}000000")
        lines.append(f"NY091031{n:07d}9636827194099038562{'':7}{dmy}{10000000000 + n:011d}" + "0" * 22)
    total, count = sum(ore for _, ore in paid), len(paid)
    lines.append(f"NY090088{count:08d}{2 * count + 2:08d}{total:017d}{dmy}{dmy}{dmy}" + "0" * 21)
    lines.append(f"NY000089{count:08d}{2 * count + 4:08d}{total:017d}{dmy}" + "0" * 33)
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


# -- the floors --------------------------------------------------------------------------------------------------------


def executemany_floor(source: Path, target: Path, tables: Sequence[str]) -> float:
    """Plain ``sqlite3`` (or psycopg on PostgreSQL): the rows of ``tables`` in the database of home ``source``
    inserted with ``executemany`` into that of ``target`` (the same schema, as it was before Krav's import),
    committed; only the inserts and the commit are timed."""
    work = []
    for table in tables:
        names = table_columns(source, table)
        rows = read(source, f"select * from {table}")
        work.append((f"insert into {table} ({', '.join(names)}) values ({', '.join('?' * len(names))})", rows))
    return written(target, work)


def run_writes_floor(before: Path, after: Path) -> tuple[float, str]:
    """What storing the daily run's outcome costs by itself: every table of home ``after`` (after the run) compared
    row by row (by primary key) with ``before`` (the same database just before it); the rows the run added,
    changed and removed are then written again into ``before``'s database (:func:`written`) — inserts, updates of
    every column by key, deletes. Returns the time and what was written, by table. Each table is held in memory
    while it is compared, and the rows to write until they are written: about 1.7 GB at 100,000 payments."""
    work: list[tuple[str, list[tuple[Any, ...]]]] = []
    counts: list[str] = []
    for table in metadata.sorted_tables:
        names = table_columns(after, table.name)
        keys = [c.name for c in table.primary_key.columns]
        place = [names.index(k) for k in keys]
        rest = [n for n in names if n not in keys]
        old = {tuple(r[i] for i in place): r for r in read(before, f"select * from {table.name}")}
        added: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        for row in read(after, f"select * from {table.name}"):
            key = tuple(row[i] for i in place)
            was = old.pop(key, None)
            if was is None:
                added.append(row)
            elif was != row:
                changed.append(tuple(v for n, v in zip(names, row, strict=True) if n not in keys) + key)
        gone = list(old)
        where = " and ".join(f"{k} = ?" for k in keys)
        if added:
            work.append(
                (f"insert into {table.name} ({', '.join(names)}) values ({', '.join('?' * len(names))})", added)
            )
        if changed:
            work.append((f"update {table.name} set {', '.join(f'{n} = ?' for n in rest)} where {where}", changed))
        if gone:
            work.append((f"delete from {table.name} where {where}", gone))
        if added or changed or gone:
            counts.append(f"{table.name} +{len(added):,} ~{len(changed):,} -{len(gone):,}")
    return written(before, work), ", ".join(counts)


def written(target: Path, work: Sequence[tuple[str, Sequence[tuple[Any, ...]]]]) -> float:
    """The floor's writes: each statement (``?`` marks) with its rows by ``executemany`` into the database of home
    ``target`` — plain ``sqlite3``, or psycopg's ``cursor.executemany`` on PostgreSQL — then one commit; only the
    writes and the commit are timed."""
    if SERVER:
        with psycopg.connect(_server_url(target, driver=False)) as server:
            start = time.perf_counter()
            with server.cursor() as cursor:
                for statement, rows in work:
                    cursor.executemany(statement.replace("?", "%s").encode(), rows)
            server.commit()
            return time.perf_counter() - start
    conn = sqlite3.connect(database(target))
    try:
        start = time.perf_counter()
        for statement, rows in work:
            conn.executemany(statement, rows)
        conn.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def note(row: str, n: int, krav_s: float, floor_s: float | None) -> None:
    RESULTS.setdefault(row, {})[n] = (krav_s, floor_s)
    ratio = f", ratio {krav_s / floor_s:.1f}x" if floor_s else ""
    floor_text = f", floor {floor_s:.2f} s" if floor_s is not None else ""
    print(f"  {row:<42} N={n:>7,}: Krav {krav_s:7.2f} s{floor_text}{ratio}", flush=True)


# -- the benchmarks ----------------------------------------------------------------------------------------------------


def bench_size(n: int, folder: Path, only: set[str]) -> None:
    print(f"\n[N = {n:,} open items, {max(n // 10, 1):,} customers]", flush=True)
    (folder / "customers.csv").write_bytes(customers_csv(n))
    (folder / "invoices.csv").write_bytes(invoices_csv(n))
    empty = new_home(folder, "empty")
    note(START_UP, n, timed(lambda: krav(empty, "company", "list")), None)

    home = copy_home(empty, folder, "ledger")
    took = timed(lambda: krav(home, "import", "customers", str(folder / "customers.csv"), "--company", ORGNO))
    if "customers" in only:
        target = copy_home(empty, folder, "floor")
        note("`krav import customers` (N/10)", n, took, executemany_floor(home, target, ["customer"]))
    with_customers = copy_home(home, folder, "with-customers")
    took = timed(lambda: krav(home, "import", "invoices", str(folder / "invoices.csv"), "--company", ORGNO))
    if "invoices" in only:
        target = copy_home(with_customers, folder, "floor")
        note("`krav import invoices`", n, took, executemany_floor(home, target, LEDGER_TABLES))

    if "saft" in only:
        data = saft_file(n)
        (folder / "saft.xml").write_bytes(data)
        schema = etree.XMLSchema(etree.parse(str(SCHEMA_130)))
        saft_home = new_home(folder, "saft", company=False)
        took = timed(lambda: krav(saft_home, "import", "saft", str(folder / "saft.xml"), "--company", ORGNO))
        note("`krav import saft`", n, took, timed(lambda: saft_floor(data, schema)))

    if only & {"camt", "ocr"}:
        bench_payments(n, home, folder, only)


def bench_payments(n: int, home: Path, folder: Path, only: set[str]) -> None:
    start = time.perf_counter()
    krav(
        home,
        "agreement",
        "set",
        "--company",
        ORGNO,
        "collection_list_email=regnskap@example.no",
        "--date",
        "2025-10-01",
    )
    krav(home, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-10-01")
    krav(home, "submit", "--company", ORGNO, "--all-valid", "--date", SUBMIT_ON.isoformat())
    krav(home, "run", "--date", SUBMIT_ON.isoformat(), "--no-send")
    letters = letters_to_pay(home)
    paid = payments(letters)
    print(
        f"  (set-up: {len(letters):,} letters written through krav submit and krav run in "
        f"{time.perf_counter() - start:.1f} s; {len(paid):,} payments)",
        flush=True,
    )
    time_payments(n, home, folder, only, paid)


def time_payments(n: int, home: Path, folder: Path, only: set[str], paid: Sequence[tuple[str, int]]) -> None:
    """The payment files imported and applied on copies of ``home`` (where the letters are), beside the floors."""
    day = PAID_ON.isoformat()
    for kind, data, floors in (
        (
            "camt",
            camt_bytes(paid),
            {
                "lxml parse": lambda d: etree.fromstring(d, etree.XMLParser(huge_tree=True)),
                "lxml iterparse + extract": camt_floor,
            },
        ),
        ("ocr", ocr_bytes(paid), {"netsgiro parse": lambda d: netsgiro.parse(d.decode("iso-8859-1"))}),
    ):
        if kind not in only:
            continue
        path = folder / f"payments.{kind}"
        path.write_bytes(data)
        copy = copy_home(home, folder, f"pay-{kind}")
        imported = timed(lambda: krav(copy, "import", "payments", str(path), "--date", day))  # noqa: B023
        before = copy_home(copy, folder, f"pay-{kind}-imported")
        applied = timed(lambda: krav(copy, "run", "--date", day, "--no-send"))  # noqa: B023
        writes, counts = run_writes_floor(before, copy)
        status = dict(read(copy, "select status, count(*) from client_payment group by status"))
        print(f"  {kind}: {len(data) / 1e6:.1f} MB; payments by status after the run: {status}", flush=True)
        times = {name: timed(lambda f=f, d=data: f(d)) for name, f in floors.items()}  # type: ignore[misc]
        first = next(iter(times))
        note(f"`krav import payments` {kind}", n, imported, times[first])
        note(f"  … + `krav run` applying them ({kind})", n, imported + applied, times[first])
        for name, value in list(times.items())[1:]:
            note(f"  … against {name}", n, imported + applied, value)
        print(f"  (the run wrote {counts}; written again with plain executemany: {writes:.2f} s)", flush=True)
        note(f"  `krav run` alone vs its writes ({kind})", n, applied, writes)


def table(sizes: Sequence[int]) -> None:
    """Krav / floor (ratio; the ratio without what starting Krav costs) per N, and Krav's growth."""
    first, last = sizes[0], sizes[-1]
    start = RESULTS.get(START_UP, {})
    print(
        f"\n| work | {' | '.join(f'N = {s:,}: Krav / floor (ratio; without start-up)' for s in sizes)} "
        f"| growth {first:,} → {last:,} |"
    )
    print("|---|" + "---|" * len(sizes) + "---|")
    for row, by_size in RESULTS.items():
        cells = []
        for size in sizes:
            if size not in by_size:
                cells.append("")
                continue
            k, f = by_size[size]
            net = (k - start[size][0]) / f if f and size in start and row != START_UP else None
            ratio = f" ({k / f:.1f}×; {net:.1f}×)" if net is not None else ""
            cells.append(f"{k:.2f} s / {f:.2f} s{ratio}" if f else f"{k:.2f} s")
        growth = f"{by_size[last][0] / by_size[first][0]:.1f}×" if first in by_size and last in by_size else ""
        print(f"| {row} | {' | '.join(cells)} | {growth} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of open items")
    parser.add_argument("--only", default="customers,invoices,saft,camt,ocr", help="which benchmarks")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    only = set(args.only.split(","))
    print(
        f"[imports] {', '.join(f'{s:,}' for s in sizes)} open items; Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"{'PostgreSQL (a database per home)' if SERVER else 'SQLite'}",
        flush=True,
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="krav-bench-imports-") as tmp:
            for size in sizes:
                folder = (args.keep or Path(tmp)) / str(size)
                folder.mkdir(parents=True, exist_ok=True)
                bench_size(size, folder, only)
        table(sizes)
    finally:
        if SERVER and not args.keep:
            _server_sql(*(f'drop database if exists "{name}"' for name in CREATED))


if __name__ == "__main__":
    main()
