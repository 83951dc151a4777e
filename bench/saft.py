"""SAF-T import as it grows: `krav import saft` on files of 2,000, 4,000 and 8,000 items, against the bare floor.

    .venv/bin/python bench/saft.py                    # 2,000 / 4,000 / 8,000 items, median of 3 round-robin runs
    .venv/bin/python bench/saft.py --sizes 1000,2000  # other sizes (the growth ratio is last / first)
    .venv/bin/python bench/saft.py --all-open         # no payments: every line an open invoice that is posted
    .venv/bin/python bench/saft.py --write FOLDER     # only write the generated files, e.g. to profile an import

Each file is a SAF-T Financial 1.30 (seeded) that validates against Skatteetaten's schema: a company with one
customer per eight receivables lines, invoices on 1500 (a ReferenceNumber each, 70 % with a DueDate), payments
that name their invoice, payments that do not (settled oldest first), part payments and credit notes, and
opening balances. "Items" are the receivables lines of the file; every rebuilt item the import keeps open is
posted as an opening balance.

* Krav: ``krav import saft FILE --company ORGNO`` as a user runs it, a new process per run, against a fresh
  SQLite database in a temporary ``KRAV_HOME`` (migrated beforehand with ``krav init``, not timed).
* Floor: lxml parsing the same bytes and validating them against the 1.30 schema (schema loaded once, outside
  the timing), as ``FLOORS.md`` compares an XML reader with the parse alone. ``krav company list`` is timed
  too: what starting Krav costs, which the Krav figure includes; the growth is printed with and without it.

Runs are round-robin (every size and the floor once per run); the medians, the ratio Krav / floor per size and
the growth ratio (largest / smallest) are printed. ``bench/run.py --only saft`` runs this file.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Skatteetaten's schemas, found as Krav finds them: KRAV_SAFT_SCHEMA_DIR, else ../shared/fixtures/saft
SCHEMA_DIR = Path(os.environ.get("KRAV_SAFT_SCHEMA_DIR") or ROOT.parent / "shared" / "fixtures" / "saft")
SCHEMA_130 = SCHEMA_DIR / "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd"
KRAV = Path(sys.executable).parent / "krav"  # the command of the venv running this file

SEED = 20261206
ORGNO = "974760673"
PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2025, 12, 31)
LINES_PER_CUSTOMER = 8

_CITIES = (("0155", "Oslo"), ("5003", "Bergen"), ("7010", "Trondheim"), ("4006", "Stavanger"), ("9008", "Tromsø"))


# -- the file ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One transaction: a receivables line for ``customer`` and its counter line."""

    day: date
    customer: int
    ore: int  # signed, debit positive, on 1500
    reference: str | None
    due: date | None
    description: str
    counter: str = "3000"  # the other line's account: sales for invoices and credit notes, bank for payments


def _kr(ore: int) -> str:
    return f"{abs(ore) // 100}.{abs(ore) % 100:02d}"


def _entries(items: int, customers: int, rng: random.Random, *, paid: bool) -> list[_Entry]:
    """``items`` receivables lines: invoices, and (``paid``) for most of them a payment or credit note later."""
    entries: list[_Entry] = []
    invoice = 100_000
    last_day = (PERIOD_END - PERIOD_START).days
    while len(entries) < items:
        customer = rng.randrange(customers)
        day = PERIOD_START + timedelta(days=rng.randrange(last_day - 30))
        ore = rng.randrange(20_000, 5_000_000)
        invoice += 1
        number = str(invoice)
        due = day + timedelta(days=14) if rng.random() < 0.7 else None
        entries.append(_Entry(day, customer, ore, number, due, f"Faktura {number}"))
        if len(entries) == items or not paid:
            continue
        paid_on = day + timedelta(days=rng.randrange(5, 30))
        fate = rng.random()
        if fate < 0.40:  # paid, naming the invoice
            entries.append(_Entry(paid_on, customer, -ore, number, None, f"Innbetaling faktura {number}", "1920"))
        elif fate < 0.50:  # paid without a reference: settled oldest first
            entries.append(_Entry(paid_on, customer, -ore, None, None, "Innbetaling", "1920"))
        elif fate < 0.58:  # paid in part
            part = -(ore // 2)
            entries.append(_Entry(paid_on, customer, part, number, None, f"Delbetaling faktura {number}", "1920"))
        elif fate < 0.60:  # credited
            entries.append(_Entry(paid_on, customer, -ore, number, None, f"Kreditnota for faktura {number}"))
        # else: still open
    entries.sort(key=lambda e: e.day)
    return entries


def _opening_balance(rng: random.Random) -> int:
    """Øre, debit positive: 40 % of customers owe something at the start of the year, 2 % have paid ahead."""
    draw = rng.random()
    if draw < 0.40:
        return rng.randrange(50_000, 2_000_000)
    if draw < 0.42:
        return -rng.randrange(10_000, 200_000)
    return 0


def saft_file(items: int, seed: int = SEED, *, paid: bool = True) -> bytes:
    """A SAF-T Financial 1.30 file with ``items`` receivables lines (see the module docstring); without ``paid``
    every line is an invoice still open, all of which the import posts."""
    rng = random.Random(seed * 100_003 + items)
    customers = max(items // LINES_PER_CUSTOMER, 1)
    opening = [_opening_balance(rng) for _ in range(customers)]
    entries = _entries(items, customers, rng, paid=paid)
    closing = list(opening)
    for entry in entries:
        closing[entry.customer] += entry.ore

    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">\n'
        "<Header><AuditFileVersion>1.30</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry>"
        "<AuditFileDateCreated>2026-01-10</AuditFileDateCreated><SoftwareCompanyName>Krav bench"
        "</SoftwareCompanyName><SoftwareID>krav-bench</SoftwareID><SoftwareVersion>1</SoftwareVersion>"
        f"<Company><RegistrationNumber>{ORGNO}</RegistrationNumber><Name>Kreditor AS</Name><Contact><ContactPerson>"
        "<FirstName>Kari</FirstName><LastName>Nordmann</LastName></ContactPerson><Telephone>22000000</Telephone>"
        "</Contact></Company><DefaultCurrencyCode>NOK</DefaultCurrencyCode><SelectionCriteria>"
        f"<SelectionStartDate>{PERIOD_START}</SelectionStartDate><SelectionEndDate>{PERIOD_END}</SelectionEndDate>"
        "</SelectionCriteria><TaxAccountingBasis>A</TaxAccountingBasis></Header>\n<MasterFiles><Customers>\n"
    ]
    for n in range(customers):
        postcode, city = _CITIES[n % len(_CITIES)]
        open_side = "Debit" if opening[n] >= 0 else "Credit"
        close_side = "Debit" if closing[n] >= 0 else "Credit"
        terms = f"<PartyInfo><PaymentTerms><Days>{10 + n % 3 * 10}</Days></PaymentTerms></PartyInfo>" if n % 4 else ""
        out.append(
            f"<Customer><Name>{escape(f'Kunde {n} Ås & Sønn')}</Name><Address><StreetName>Storgata</StreetName>"
            f"<Number>{n % 200 + 1}</Number><City>{city}</City><PostalCode>{postcode}</PostalCode>"
            f"<Country>NO</Country></Address><Contact><ContactPerson><FirstName>Ola</FirstName>"
            f"<LastName>Nordmann</LastName></ContactPerson><Email>kunde{n}@example.no</Email></Contact>"
            f"<CustomerID>K{n:06d}</CustomerID><BalanceAccount><AccountID>1500</AccountID>"
            f"<Opening{open_side}Balance>{_kr(opening[n])}</Opening{open_side}Balance>"
            f"<Closing{close_side}Balance>{_kr(closing[n])}</Closing{close_side}Balance></BalanceAccount>"
            f"{terms}</Customer>\n"
        )
    total = sum(abs(e.ore) for e in entries)
    out.append(
        f"</Customers></MasterFiles>\n<GeneralLedgerEntries><NumberOfEntries>{len(entries)}</NumberOfEntries>"
        f"<TotalDebit>{_kr(total)}</TotalDebit><TotalCredit>{_kr(total)}</TotalCredit>"
        "<Journal><JournalID>GL</JournalID><Description>Hovedbok</Description><Type>GL</Type>\n"
    )
    for tid, e in enumerate(entries, start=1):
        side, other_side = ("Debit", "Credit") if e.ore > 0 else ("Credit", "Debit")
        amount = f"<{side}Amount><Amount>{_kr(e.ore)}</Amount></{side}Amount>"
        reference = f"<ReferenceNumber>{e.reference}</ReferenceNumber>" if e.reference else ""
        due = f"<DueDate>{e.due}</DueDate>" if e.due else ""
        out.append(
            f"<Transaction><TransactionID>{tid}</TransactionID><Period>{e.day.month}</Period>"
            f"<PeriodYear>{e.day.year}</PeriodYear><TransactionDate>{e.day}</TransactionDate>"
            f"<Description>{e.description}</Description><SystemEntryDate>{e.day}</SystemEntryDate>"
            f"<GLPostingDate>{e.day}</GLPostingDate>"
            f"<Line><RecordID>1</RecordID><AccountID>1500</AccountID><CustomerID>K{e.customer:06d}</CustomerID>"
            f"<Description>{e.description}</Description>{amount}{reference}{due}</Line>"
            f"<Line><RecordID>2</RecordID><AccountID>{e.counter}</AccountID><Description>{e.description}</Description>"
            f"<{other_side}Amount><Amount>{_kr(e.ore)}</Amount></{other_side}Amount></Line></Transaction>\n"
        )
    out.append("</Journal></GeneralLedgerEntries>\n</AuditFile>\n")
    return "".join(out).encode()


# -- measuring ---------------------------------------------------------------------------------------------------------


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("KRAV_DATABASE_URL", None)
    env.update(
        PYTHONPATH=str(ROOT / "src"),  # the checkout this file belongs to, whatever the venv has installed
        KRAV_HOME=str(home),
        KRAV_DATABASE_URL=f"sqlite:///{home / 'krav.sqlite3'}",
        KRAV_SAFT_SCHEMA_DIR=str(SCHEMA_DIR),
    )
    return env


def _run_krav(arguments: Sequence[str], home: Path) -> str:
    done = subprocess.run([str(KRAV), *arguments], env=_environment(home), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"krav {' '.join(arguments)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def krav_import(path: Path, home: Path) -> str:
    """``krav import saft`` on a fresh, migrated database in ``home``; the database is made before, not timed."""
    return _run_krav(["import", "saft", str(path), "--company", ORGNO], home)


def fresh_home(folder: Path, name: str) -> Path:
    home = folder / name
    if home.exists():
        for child in sorted(home.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
    home.mkdir(parents=True, exist_ok=True)
    _run_krav(["init"], home)
    return home


def floor(data: bytes, schema: etree.XMLSchema) -> int:
    """The bare floor: lxml parses the bytes and validates them against the schema; the number of lines."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(root):
        raise RuntimeError(f"the generated file fails the schema: {schema.error_log}")
    return len(root.findall(".//{urn:StandardAuditFile-Taxation-Financial:NO}Line"))


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def bench(sizes: Sequence[int], runs: int, folder: Path, *, paid: bool = True) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_130)))
    files: dict[int, Path] = {}
    for size in sizes:
        data = saft_file(size, paid=paid)
        path = folder / f"saft-{size}.xml"
        path.write_bytes(data)
        files[size] = path
        print(f"  {size:>6,} items: {len(data) / 1e6:.1f} MB, {floor(data, schema):,} lines in all", flush=True)

    krav: dict[int, list[float]] = {size: [] for size in sizes}
    bare: dict[int, list[float]] = {size: [] for size in sizes}
    start_up: list[float] = []
    for run in range(runs):
        for size in sizes:
            home = fresh_home(folder, f"home-{size}")
            data = files[size].read_bytes()
            krav[size].append(_timed(lambda: krav_import(files[size], home)))  # noqa: B023 (called at once)
            bare[size].append(_timed(lambda: floor(data, schema)))  # noqa: B023
        home = fresh_home(folder, "home-start-up")
        start_up.append(_timed(lambda: _run_krav(["company", "list"], home)))  # noqa: B023
        print(f"  run {run + 1}: " + ", ".join(f"{s:,} {krav[s][-1]:.2f} s" for s in sizes), flush=True)

    print(f"\n  {'items':>6}  {'Krav import saft':>18}  {'floor: parse + XSD':>19}  {'ratio':>7}")
    for size in sizes:
        k, f = statistics.median(krav[size]), statistics.median(bare[size])
        runs_text = ", ".join(f"{v:.2f}" for v in krav[size])
        print(f"  {size:>6,}  {_seconds(k):>18}  {_seconds(f):>19}  {k / f:>6.1f}x   (Krav runs: {runs_text})")
        print(f"=> SAF-T import, {size} items: Krav {k:.4f} s, floor {f:.4f} s", flush=True)
    first, last = sizes[0], sizes[-1]
    growth = statistics.median(krav[last]) / statistics.median(krav[first])
    floor_growth = statistics.median(bare[last]) / statistics.median(bare[first])
    start = statistics.median(start_up)
    net = (statistics.median(krav[last]) - start) / (statistics.median(krav[first]) - start)
    print(
        f"  growth {last:,} / {first:,} items: Krav {growth:.2f}x, floor {floor_growth:.2f}x "
        f"(linear: {last / first:.1f}x); `krav company list` (starting Krav) {_seconds(start)}, "
        f"Krav's growth without it {net:.2f}x"
    )
    print(f"=> SAF-T growth {last}/{first}: Krav {growth:.3f}, floor {floor_growth:.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,4000,8000", help="comma-separated numbers of items")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--all-open", action="store_true", help="no payments: every line an open invoice, posted")
    parser.add_argument("--write", type=Path, help="only write the files into this folder")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            (args.write / f"saft-{size}.xml").write_bytes(saft_file(size, paid=not args.all_open))
        return
    print(
        f"[saft] krav import saft, {', '.join(f'{s:,}' for s in sizes)} items{' all open' if args.all_open else ''}; "
        f"median of {args.runs} runs; "
        f"Python {sys.version.split()[0]}, lxml {etree.__version__}, {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="krav-bench-saft-") as tmp:
        bench(sizes, max(args.runs, 1), Path(tmp), paid=not args.all_open)


if __name__ == "__main__":
    main()
