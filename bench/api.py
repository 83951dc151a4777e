"""Claim reads through Krav's REST API against a bare FastAPI endpoint returning a row of the same database
(``../shared/FLOORS.md``, the HTTP row), in the same run.

    .venv/bin/python bench/api.py                    # 1,000 and 10,000 claims, 3 rounds of 10 s each
    .venv/bin/python bench/api.py --claims 1000 --seconds 5 --runs 3

Both servers run under uvicorn with one worker on the same SQLite file: ``krav serve`` (what a user runs) and
``bench/bare_api.py`` (one async endpoint, one ``SELECT`` by key on a shared connection). The load is ``wrk``
(Debian's package ``wrk``) with 2 threads and 50 connections asking for random claims of the database, each
server in turn, round-robin; the figures are the medians of the rounds: requests per second and the 99th
percentile of latency, and Krav's share of the floor's throughput. The goal (the REST API issue): at least
half the floor's throughput, p99 at most twice the floor's.

The database is made through Krav's own use cases: a company with its agreement active, customers and invoices
(one invoice per claim), every valid item submitted; each claim is then read as ``GET
/api/v1/companies/{orgno}/claims/{collection_id}``: its figures as of today, its history and its letters.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORGNO = "974760673"
IDENTITY = {
    "KRAV_SERVICE_NAME": "Krav Inkasso",
    "KRAV_SERVICE_ORGNO": "916000006",
    "KRAV_SERVICE_STREET": "Postboks 123 Sentrum",
    "KRAV_SERVICE_POSTCODE": "0104",
    "KRAV_SERVICE_CITY": "Oslo",
    "KRAV_SERVICE_PHONE": "22 33 44 55",
    "KRAV_SERVICE_EMAIL": "post@krav-inkasso.example",
    "KRAV_SERVICE_ACCOUNT": "16020000000",
    "KRAV_SERVICE_IBAN": "NO3916020000000",
    "KRAV_SERVICE_BIC": "DNBANOKKXXX",
}


def build(home: Path, claims: int) -> tuple[str, list[str]]:
    """A database in ``home`` with ``claims`` claims of one creditor; an operator's key and the claims' ids."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from krav.bootstrap import bootstrap
    from krav.config import Settings
    from krav.domain.access import Role
    from krav.domain.money import Money
    from krav.domain.party import Address, Company, Customer
    from krav.services import access, agreements, imports, ledger
    from krav.services.ledger import submission

    identity = {name.removeprefix("KRAV_").lower(): value for name, value in IDENTITY.items()}
    krav = bootstrap(Settings(home=home, **identity))
    ledger.create_company(
        krav.uow(), Company(ORGNO, "Benk AS", bank_account="86011117947", address=Address("Gate 1", "0155", "Oslo"))
    )
    agreements.change(
        krav.uow(), ORGNO, {"collection_list_email": "liste@benk.example"}, by="bench", on=date(2025, 1, 2)
    )
    agreements.activate(krav.uow(), ORGNO, by="bench", on=date(2025, 1, 2), accept_terms=True, rates=krav.rates)
    rng = random.Random(7)
    customers = [
        Customer(f"{10000 + n}", f"Kunde {n}", address=Address(f"Veien {n}", "0155", "Oslo"))
        for n in range(max(1, claims // 10))
    ]
    invoices = [
        imports.NewInvoice(
            number=f"{100000 + n}",
            customer=customers[n % len(customers)].number,
            invoice_date=date(2025, 1, 1),
            amount=Money.of(f"{rng.randint(200, 90000)}.{rng.randint(0, 99):02d}"),
            due_date=date(2025, 1, 15),
            line=n,
        )
        for n in range(claims)
    ]
    imports.receive_invoices(krav.uow(), ORGNO, customers, invoices, source="bench")
    today = date(2025, 1, 15) + timedelta(days=30)
    valid = [r.item.id for r in submission.proposal(krav.reader(), ORGNO, today=today, status="valid")]
    submission.submit(krav.uow(), ORGNO, valid, today=today)
    token = access.create_key(
        krav.uow(), krav.hasher, name="bench", role=Role.OPERATOR, orgno=None, by="bench", now=datetime.now(UTC)
    ).token
    krav.close()
    with sqlite3.connect(home / "krav.sqlite3") as db:
        ids = [r[0] for r in db.execute("select collection_id from claim")]
    assert len(ids) == claims, f"{len(ids)} claims made, {claims} asked for"
    return token, ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, probe: str, headers: dict[str, str]) -> Iterator[None]:
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=HERE.parent)
        try:
            _wait_for(server, port, probe, headers, log)
            yield
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(server: subprocess.Popen[bytes], port: int, probe: str, headers: dict[str, str], log: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{probe}", headers=headers)
            with urllib.request.urlopen(request, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError as exc:
            if time.monotonic() > deadline or server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"the server did not start:\n{log.read().decode(errors='replace')}") from exc
            time.sleep(0.3)


def read_each(url_base: str, paths: list[str], headers: dict[str, str]) -> list[float]:
    """Each path read once, one after the other: the milliseconds of each (Krav makes a claim's page on its first
    read of the day and keeps it; the load that follows reads kept pages)."""
    taken = []
    for path in paths:
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url_base + path, headers=headers), timeout=30) as r:
            r.read()
        taken.append((time.perf_counter() - started) * 1000)
    return taken


def wrk(url_base: str, paths: list[str], headers: dict[str, str], seconds: int, folder: Path) -> tuple[float, float]:
    """Requests per second and the 99th percentile of latency in ms."""
    script = folder / "paths.lua"
    quoted = ",".join(f'"{p}"' for p in paths)
    sets = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script.write_text(
        f"{sets}\nlocal paths = {{{quoted}}}\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-s", str(script), url_base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{errors.group(1)} requests failed:\n{out}")
    return rps, float(p99) * scale


def bench(claims: int, seconds: int, runs: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="krav-bench-api-"))
    try:
        started = time.perf_counter()
        token, ids = build(folder / "home", claims)
        print(f"  {claims:,} claims made in {time.perf_counter() - started:.1f} s", flush=True)
        sample = random.Random(3).sample(ids, min(len(ids), 500))
        krav_port, bare_port = _free_port(), _free_port()
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "KRAV_HOME": str(folder / "home"), **IDENTITY, "PYTHONPATH": str(HERE.parent / "src")}
        bare_env = {**env, "BENCH_DATABASE": str(folder / "home" / "krav.sqlite3"), "PYTHONPATH": str(HERE)}
        auth = {"Authorization": f"Bearer {token}"}
        krav_paths = [f"/api/v1/companies/{ORGNO}/claims/{i}" for i in sample]
        bare_paths = [f"/claims/{i}" for i in sample]
        results: dict[str, list[tuple[float, float]]] = {"krav": [], "bare": []}
        krav_cmd = [str(bin_dir / "krav"), "serve", "--port", str(krav_port)]
        bare_cmd = [str(bin_dir / "uvicorn"), "bare_api:app", "--port", str(bare_port), "--log-level", "warning"]
        first_reads: list[float] = []
        for _ in range(runs):
            with serving(krav_cmd, env, krav_port, krav_paths[0], auth):
                if not first_reads:
                    first_reads = read_each(f"http://127.0.0.1:{krav_port}", krav_paths, auth)
                    print(
                        f"  first read of each of {len(first_reads)} claims (its page made and kept): median "
                        f"{statistics.median(first_reads):.1f} ms, slowest {max(first_reads):.1f} ms",
                        flush=True,
                    )
                results["krav"].append(wrk(f"http://127.0.0.1:{krav_port}", krav_paths, auth, seconds, folder))
            with serving(bare_cmd, bare_env, bare_port, bare_paths[0], {}):
                results["bare"].append(wrk(f"http://127.0.0.1:{bare_port}", bare_paths, {}, seconds, folder))
        k_rps = statistics.median(r for r, _ in results["krav"])
        b_rps = statistics.median(r for r, _ in results["bare"])
        k_p99 = statistics.median(p for _, p in results["krav"])
        b_p99 = statistics.median(p for _, p in results["bare"])
        print(
            f"  Krav {k_rps:,.0f} req/s, p99 {k_p99:.1f} ms | bare {b_rps:,.0f} req/s, p99 {b_p99:.1f} ms | "
            f"throughput {k_rps / b_rps:.0%} of the floor, p99 {k_p99 / b_p99:.1f}×",
            flush=True,
        )
        return {"krav_rps": k_rps, "bare_rps": b_rps, "krav_p99": k_p99, "bare_p99": b_p99}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, action="append", help="claims in the database (repeat)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds of load per round and server")
    parser.add_argument("--runs", type=int, default=3, help="rounds, each server in turn")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api.py needs wrk (Debian: apt-get install wrk)")
    for claims in args.claims or [1000, 10000]:
        print(f"claim reads over HTTP, {claims:,} claims:", flush=True)
        bench(claims, args.seconds, args.runs)


if __name__ == "__main__":
    main()
