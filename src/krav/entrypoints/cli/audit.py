"""``krav audit``: check that the books and the claims' history are as Krav wrote them.

``krav audit verify`` exits 0 when every chain holds and 1 when a row was edited behind Krav's back, naming each
such row (table, id, what is wrong).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from krav.domain.audit import ChainCheck, Finding
from krav.entrypoints.cli.common import JsonOpt, echo, echo_json, handle_errors, read_app
from krav.services import audit

app = typer.Typer(help="Check that the books and the claims' history are as Krav wrote them.", no_args_is_help=True)

_CHAINS = {"voucher": "vouchers", "claim_event": "claim events"}
_PARTS = {"voucher": "lines"}


def _counted(check: ChainCheck) -> str:
    counted = f"{check.rows} {_CHAINS.get(check.table, check.table)}"
    return f"{counted} ({check.parts} {_PARTS[check.table]})" if check.table in _PARTS else counted


def _finding_line(f: Finding) -> str:
    row = f"{f.table} {f.row_id}" if f.row_id is not None else f.table
    return f"  {row}: {f.problem.value} ({f.detail})"


def report_lines(report: audit.AuditReport) -> list[str]:
    """Per company, what was checked and its chains' head hashes, then each row that does not hold."""
    lines: list[str] = []
    for company in report.companies:
        counted = ", ".join(_counted(c) for c in company.chains)
        found = len(company.findings)
        state = "intact" if company.intact else f"not as Krav wrote them ({found} finding{'s' * (found != 1)})"
        lines.append(f"{company.orgno} {company.name}: {counted}: {state}")
        lines += [f"  {c.table} chain head {c.head}" for c in company.chains if c.rows]
        lines += [_finding_line(f) for f in company.findings]
    if not report.companies:
        lines.append("no companies to audit")
    lines.append("the books are as Krav wrote them" if report.intact else "the books were edited behind Krav's back")
    return lines


def report_json(report: audit.AuditReport) -> dict[str, Any]:
    return {
        "intact": report.intact,
        "companies": [
            {
                "orgno": c.orgno,
                "name": c.name,
                "intact": c.intact,
                "chains": [
                    {"table": k.table, "rows": k.rows, "parts": k.parts, "length": k.length, "head": k.head}
                    for k in c.chains
                ],
                "findings": [
                    {"table": f.table, "id": f.row_id, "problem": f.problem.value, "detail": f.detail}
                    for f in c.findings
                ],
            }
            for c in report.companies
        ],
    }


@app.command("verify")
@handle_errors
def verify_command(
    company: Annotated[
        str | None, typer.Option("--company", "-c", help="Only this creditor (organisation number); all if left out.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Recompute the hash chains over the vouchers and the claims' history; exit 1 if a row was edited."""
    report = audit.verify(read_app().reader(), company)
    if json_out:
        echo_json(report_json(report))
    else:
        echo(report_lines(report))
    if not report.intact:
        raise typer.Exit(1)
