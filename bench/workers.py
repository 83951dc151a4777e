"""Letters on worker processes: a day's letters rendered and printed by `krav worker --processes P --once` for
P = 1, 2 and 4, against rendering the same letters in one process with Krav's renderer and nothing else.

    KRAV_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/workers.py
    ... bench/workers.py --letters 1000 --runs 1      # quick check of the bench itself

Workers need PostgreSQL. One database is built once (a creditor with one overdue invoice for each of N debtors,
its notice day run without sending, so N notices wait in the outbox); each timed run works on a copy of it made
with `CREATE DATABASE … TEMPLATE`, in which the day's deliveries are deferred as jobs (shares of
`krav.services.jobs.SHARE`), then the workers are started as a user starts them, and the clock stops when the last
worker has stopped with every letter printed. The runs go round-robin (P = 1, 2, 4, then again), so a busy
neighbour slows them alike; the medians are printed with letters per second and the speed-up over one process.
The floor renders the same N letters in this process with `LetterRenderer.render_letters`, in batches of the
share's size, and writes nothing: what the letters cost at the least.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

import sqlalchemy as sa  # noqa: E402
from bench.api import IDENTITY  # noqa: E402
from tests.builders import ORGNO, consumer, invoice, make_company, post  # noqa: E402

from krav.adapters.pdf.letters import LetterRenderer  # noqa: E402
from krav.bootstrap import bootstrap  # noqa: E402
from krav.config import get_settings  # noqa: E402
from krav.domain.agreement import Agreement  # noqa: E402
from krav.services import jobs, ledger  # noqa: E402
from krav.services.collection.delivery.documents import compose_letter  # noqa: E402
from krav.services.daily_run import run_business_day  # noqa: E402
from krav.services.ports import DeliveryStatus  # noqa: E402

NOTICE_DAY = date(2025, 3, 28)
KRAV = HERE.parent / ".venv" / "bin" / "krav"


@contextmanager
def database(admin_url: str, name: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of ``template``), dropped afterwards; its URL."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"' + (f' template "{template}"' if template else "")))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def build(url: str, letters: int, home: Path) -> float:
    """The creditor, its debtors and invoices, and its notice day run without sending; seconds it took."""
    os.environ["KRAV_HOME"] = str(home)
    get_settings.cache_clear()
    started = time.perf_counter()
    krav = bootstrap(database_url=url)
    krav.job_queue_url()
    uow = krav.uow()
    make_company(uow)
    debtors = [f"{10_000 + n}" for n in range(letters)]
    ledger.save_customers(uow, ORGNO, [consumer(d) for d in debtors])
    post(uow, *[invoice(f"F{n}", d, "1250.00", date(2025, 2, 28), date(2025, 3, 14)) for n, d in enumerate(debtors)])
    with uow:
        uow.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="bench", collection_list_email="l@x.no")
        )
        uow.commit()
    day = run_business_day(krav.uow(), NOTICE_DAY, replace(krav.collaborators(), inbox=None), deliver_letters=False)
    assert sum(day.creditors[0].letters.values()) == letters, day.creditors[0]
    krav.close()
    return time.perf_counter() - started


def workers(url: str, processes: int, home: Path, letters: int) -> tuple[float, float]:
    """Start `krav worker --processes P --once` with nothing queued (its start and stop), then defer the day's
    deliveries and start it again; the seconds of each, the second until every letter is out."""
    os.environ["KRAV_HOME"] = str(home)
    get_settings.cache_clear()
    krav = bootstrap(database_url=url)
    env = os.environ | IDENTITY | {"KRAV_HOME": str(home), "KRAV_DATABASE_URL": url}
    command = [str(KRAV), "worker", "--processes", str(processes), "--once"]
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    idle = time.perf_counter() - started
    jobs.defer_deliveries(krav.uow(), ORGNO, NOTICE_DAY)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or os.environ.get("KRAV_BENCH_VERBOSE"):
        print(done.stderr[-3000:], file=sys.stderr)
        subprocess.run([str(KRAV), "jobs", "list"], env=env, check=False)
    with krav.reader() as uow:
        sent = [d for d in uow.deliveries.deliveries() if d.status is DeliveryStatus.SENT]
    krav.close()
    assert len(sent) == letters, f"{len(sent)} of {letters} letters went out with {processes} worker(s)"
    return seconds, idle


def floor(url: str, home: Path) -> float:
    """The same letters rendered in this process, in batches of a share, nothing written; seconds."""
    os.environ["KRAV_HOME"] = str(home)
    get_settings.cache_clear()
    krav = bootstrap(database_url=url)
    renderer = LetterRenderer()
    with krav.reader() as uow:  # composed as the delivery composes them, before the clock starts
        company = uow.companies.get(ORGNO)
        drafts = [compose_letter(uow, company, s, krav.service, sent_on=NOTICE_DAY) for s in uow.collection.letters(1)]
    krav.close()
    started = time.perf_counter()
    for first in range(0, len(drafts), jobs.SHARE):
        renderer.render_letters(drafts[first : first + jobs.SHARE])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args()
    admin = os.environ.get("KRAV_BENCH_POSTGRES_URL")
    if not admin:
        sys.exit(
            "workers need PostgreSQL: set KRAV_BENCH_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    os.environ.update(IDENTITY)
    counts = [int(p) for p in args.processes.split(",")]
    tag = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="krav-bench-workers-") as folder:
        base_name = f"krav_bench_{tag}"
        with database(admin, base_name) as base:
            print(f"building {args.letters:,} notices ...", flush=True)
            print(f"  built in {build(base, args.letters, Path(folder) / 'base'):.1f} s", flush=True)
            times: dict[str, list[float]] = {f"{p} process(es)": [] for p in counts} | {"floor": []}
            idle: dict[str, list[float]] = {f"{p} process(es)": [] for p in counts}
            for run in range(args.runs):
                for p in counts:
                    with database(admin, f"krav_bench_{tag}_{p}_{run}", template=base_name) as copy:
                        seconds, empty = workers(copy, p, Path(folder) / f"{p}-{run}", args.letters)
                    times[f"{p} process(es)"].append(seconds)
                    idle[f"{p} process(es)"].append(empty)
                    print(f"  run {run + 1}: {p} worker process(es) {seconds:.2f} s (nothing queued: {empty:.2f} s)")
                times["floor"].append(floor(base, Path(folder) / "floor"))
                print(f"  run {run + 1}: floor {times['floor'][-1]:.2f} s", flush=True)
    medians = {k: statistics.median(v) for k, v in times.items()}
    starts = {k: statistics.median(v) for k, v in idle.items()}
    one = medians[f"{counts[0]} process(es)"]
    one_working = one - starts[f"{counts[0]} process(es)"]
    print(f"\n{args.letters:,} letters, median of {args.runs} run(s), on {os.cpu_count()} cores")
    print(
        f"{'':<16}{'seconds':>10}{'letters/s':>12}{'vs one':>9}{'vs floor':>10}   less start and stop (nothing queued)"
    )
    for name, seconds in medians.items():
        speed = one / seconds
        rate, vs_floor = args.letters / seconds, seconds / medians["floor"]
        line = f"{name:<16}{seconds:>10.2f}{rate:>12.0f}{speed:>8.2f}×{vs_floor:>9.2f}×"
        if name in starts:
            working = seconds - starts[name]
            rate, speed = args.letters / working, one_working / working
            line += f"   {working:.2f} s, {rate:.0f}/s, {speed:.2f}× ({starts[name]:.2f} s)"
        print(line)


if __name__ == "__main__":
    main()
