"""The README, run as written: every shell block of it, in order, in one shell, as a newcomer types them after
`make run` — the tour of the demo, an own company from the sample files in `examples/` to letters, money in and
out, and the what-ifs. Each command must succeed, and what the text says it does must be there afterwards.

The shell is a fresh one: a new working directory holding a copy of `examples/`, an empty home, no KRAV_*
setting from the test environment, and the `krav` command of this installation first on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404: the README's own commands, run in a shell as a reader runs them
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from krav.entrypoints import labels

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
DEMO_ORGNO = "921605900"
OWN_ORGNO = "974760673"

_FENCE = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Step:
    """One command of the README, what it printed and how it ended."""

    block: int
    command: str
    output: str
    code: int


def shell_blocks(text: str) -> list[list[str]]:
    """The README's ```sh blocks, each as its command lines (comment lines and blank lines left out)."""
    blocks = []
    for match in _FENCE.finditer(text):
        lines = [line.strip() for line in match.group(1).splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def runnable(blocks: list[list[str]]) -> list[list[str]]:
    """The blocks the test runs: ``make run`` stands for the demo it loads (run before them), and ``make test``
    is what runs this test."""
    return [kept for block in blocks if (kept := [c for c in block if not c.startswith("make ")])]


def _script(blocks: list[list[str]]) -> str:
    """One shell script running every command and marking where each begins and how it ended."""
    out = []
    for b, commands in enumerate(blocks):
        for command in commands:
            out.append(f"printf '\\n::begin %s\\n' {b}")
            out.append(command)
            out.append("printf '\\n::end %s\\n' $?")
    return "\n".join(out) + "\n"


def _steps(blocks: list[list[str]], output: str) -> list[Step]:
    parts = re.split(r"\n::begin (\d+)\n", "\n" + output)
    commands = [c for commands in blocks for c in commands]
    found = []
    for (block, body), command in zip(zip(parts[1::2], parts[2::2], strict=True), commands, strict=False):
        text, _, code = body.rpartition("\n::end ")
        found.append(Step(int(block), command, text, int(code.strip())))
    return found


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Step]]:
    """`make run` (the demo in ./var), then every block of the README in one shell."""
    where = tmp_path_factory.mktemp("clone")
    shutil.copytree(EXAMPLES, where / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRAV_")}
    env.update(
        HOME=str(where / "home"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
        KRAV_HOME=str(where / "var"),  # what the Makefile sets for `make run`
        COLUMNS="200",
        LC_ALL="C.UTF-8",
    )
    demo = subprocess.run(  # nosec B603 B607: `make run` is `krav demo`
        ["krav", "demo"], cwd=where, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    del env["KRAV_HOME"]  # the README says to set it
    blocks = runnable(shell_blocks(README.read_text("utf-8")))
    done = subprocess.run(  # nosec B603 B607: the README's blocks, as the reader types them
        ["bash", "-c", _script(blocks)],
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=1200,
    )
    steps = _steps(blocks, done.stdout)
    assert len(steps) == sum(len(b) for b in blocks), done.stdout[-3000:]
    return where, steps


def _step(steps: list[Step], start: str) -> Step:
    """The first command of the README that begins with ``start``."""
    for step in steps:
        if step.command.startswith(start):
            return step
    raise AssertionError(f"the README has no command starting with {start!r}")


def test_the_readme_has_the_two_commands_and_the_blocks_the_test_runs() -> None:
    text = README.read_text("utf-8")
    assert "make run" in text
    assert "make test" in text
    blocks = shell_blocks(text)
    assert [c.split("#")[0].strip() for c in blocks[0]] == ["make run", "make test"]
    assert len(runnable(blocks)) >= 5  # the tour, an own company, money, actions, what-ifs


def test_every_command_of_the_readme_succeeds(readme_run: tuple[Path, list[Step]]) -> None:
    _, steps = readme_run
    failed = [f"{s.command}\n{s.output}" for s in steps if s.code != 0]
    assert not failed, "\n\n".join(failed)


def test_make_run_leaves_the_demo_letters_print_batches_mail_and_remittance_where_the_readme_says(
    readme_run: tuple[Path, list[Step]],
) -> None:
    where, _ = readme_run
    var = where / "var"
    assert (var / "krav.sqlite3").is_file()
    assert len(list((var / "letters").glob("*.pdf"))) > 10
    assert list((var / "print").rglob("*.pdf"))
    assert list((var / "mail").glob("*.eml"))
    assert list((var / "remittance").rglob("*.xml"))


def test_the_tour_shows_the_demo_creditor(readme_run: tuple[Path, list[Step]]) -> None:
    _, steps = readme_run
    assert "item(s)" in _step(steps, f"krav ledger items --company {DEMO_ORGNO}").output
    assert "balanced" in _step(steps, f"krav ledger balance --company {DEMO_ORGNO}").output
    assert "past due" in _step(steps, f"krav proposal --company {DEMO_ORGNO}").output
    claims = _step(steps, f"krav claims list --company {DEMO_ORGNO}").output
    assert "K1-0000" in claims
    assert "renter til" in claims.splitlines()[0]
    english = _step(steps, f"krav --lang en claims list --company {DEMO_ORGNO}").output
    assert "interest to" in english.splitlines()[0]
    assert "hovedstol" not in english
    assert any(f"  {en}  " in english for _, en in labels.STAGES.values())  # each claim's stage in English
    history = _step(steps, f"krav claims history --company {DEMO_ORGNO}").output
    assert "sendt til innfordring" in history
    assert re.search(r"\d\d\.\d\d\.\d{4}", _step(steps, f"krav letters list --company {DEMO_ORGNO}").output)
    assert "sendt" in _step(steps, "krav outbox status").output
    assert _step(steps, "krav audit verify").code == 0
    assert "source" in _step(steps, "krav rates").output.lower()


def test_an_own_company_goes_from_the_sample_files_to_its_first_letters(readme_run: tuple[Path, list[Step]]) -> None:
    where, steps = readme_run
    home = where / "eksempel"
    assert "customers 3 created" in _step(steps, "krav import customers examples/customers.csv").output
    assert "4 open item(s) imported" in _step(steps, "krav import invoices examples/invoices.csv").output
    assert "agreement active from" in _step(steps, f"krav agreement activate --company {OWN_ORGNO}").output
    assert "2 valid" in _step(steps, f"krav proposal --company {OWN_ORGNO}").output
    submitted = _step(steps, f"krav submit --company {OWN_ORGNO}").output
    assert submitted.count("submitted as") == 2
    first = _step(steps, "krav run --date 2025-04-01").output
    assert "2 betalingspåminnelse" in first
    # Ola gave his e-mail for letters: his reminder is e-mailed; Kari's goes on paper
    mailed = {p.name for p in (home / "mail").glob("letter-*.eml")}
    assert "letter-1.eml" in mailed
    assert "letter-2.eml" not in mailed
    assert list((home / "print").rglob("*.pdf"))
    assert "betalingspåminnelse" in _step(steps, f"krav letters list --company {OWN_ORGNO}").output


def test_the_what_ifs_of_the_readme_change_nothing(readme_run: tuple[Path, list[Step]]) -> None:
    where, steps = readme_run
    simulated = _step(steps, "krav simulate").output
    assert "nothing was changed" in simulated
    assert "nothing was changed" in _step(steps, "krav run --date 2025-04-02 --dry-run").output
    with sqlite3.connect(where / "eksempel" / "krav.sqlite3") as db:
        (letters,) = db.execute("select count(*) from letter").fetchone()
    # the two reminders of 1 April, then of 7 April the two paid confirmations and 1003's reminder: no letter of
    # the simulation or the dry run
    assert letters == 5


def test_the_actions_of_the_readme_are_accepted(readme_run: tuple[Path, list[Step]]) -> None:
    _, steps = readme_run
    assert "pause accepted" in _step(steps, f"krav claims pause --company {OWN_ORGNO}").output
    assert "dispute accepted" in _step(steps, f"krav claims dispute --company {OWN_ORGNO}").output
    assert "reject accepted" in _step(steps, f"krav claims reject --company {OWN_ORGNO}").output
    history = _step(steps, f"krav claims history --company {OWN_ORGNO} 1003").output
    assert "Ikke levert" in history
    assert "Levert 28.02" in history


def test_money_in_from_the_sample_bank_file_is_matched_assigned_and_remitted(
    readme_run: tuple[Path, list[Step]],
) -> None:
    where, steps = readme_run
    imported = _step(steps, "krav import payments examples/camt054.xml").output
    assert "matched 1 (1 263,70), unmatched 1 (807,12)" in imported
    assert "Kari Nordmann" in _step(steps, "krav payments unmatched").output
    assert "assigned" in _step(steps, "krav payments assign").output
    paid = _step(steps, "krav run --date 2025-04-07").output
    assert "2 betalingsbekreftelse, 1 betalingspåminnelse" in paid
    assert "posted 1 voucher(s)" in _step(steps, "krav ledger post examples/vouchers.json").output
    items = _step(steps, f"krav ledger items --company {OWN_ORGNO}").output
    assert "1 item(s), remaining NOK 12 500,00" in items
    assert list((where / "eksempel" / "remittance").rglob("*.xml"))


def test_the_example_scenarios_run_from_a_clone(readme_run: tuple[Path, list[Step]]) -> None:
    where, steps = readme_run
    assert "matches its expect" in _step(steps, "krav scenario run examples/scenarios/notice-paid-in-time.yaml").output
    assert list((where / "letters-what-if").glob("*.pdf"))
