"""The import contracts of ``pyproject.toml`` bite: each kind of violation, written into a copy of the tree, makes
``lint-imports`` fail on the contract that forbids it (DESIGN.md "Shape", "Two sides, one contract").

The copy holds ``src/``, ``tools/`` and ``pyproject.toml``; ``lint-imports`` runs in it with the copy's ``src`` first
on ``PYTHONPATH``, so it reads the copy and not the installed tree. The untouched copy keeps every contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

LAYERS = "Layers point inwards"
DOMAIN_SIDES = "Two sides in the domain"
SERVICE_SIDES = "Two sides in the services"
PURE = "The domain is pure"
CLOCK = "The domain reads no clock"
SERVICES = "Services use ports"
ADAPTERS = "Adapters implement the ports"
FORMATS = "Formats are pure codecs"
FACES = "Faces are thin"

#: (where the new module goes, what it says, the contract that must break)
VIOLATIONS = {
    "the ledger domain imports the collection domain": (
        "domain/ledger/injected.py",
        "from krav.domain.collection import claims\n",
        DOMAIN_SIDES,
    ),
    "the collection domain imports the ledger domain": (
        "domain/collection/injected.py",
        "from krav.domain.ledger import matching\n",
        DOMAIN_SIDES,
    ),
    "the ledger's services import the collection's": (
        "services/ledger/injected.py",
        "from krav.services.collection import money\n",
        SERVICE_SIDES,
    ),
    "the collection's services import the ledger's": (
        "services/collection/injected.py",
        "from krav.services.ledger import posting\n",
        SERVICE_SIDES,
    ),
    "an adapter imports a use case": (
        "adapters/db/injected.py",
        "from krav.services import daily_run\n",
        ADAPTERS,
    ),
    "a format imports the collection steps": (
        "formats/injected.py",
        "from krav.domain.collection import steps\n",
        FORMATS,
    ),
    "a format imports storage": ("formats/injected.py", "import sqlalchemy\n", FORMATS),
    "a service imports an adapter": ("services/injected.py", "from krav.adapters.db import uow\n", SERVICES),
    "the domain imports a service": ("domain/injected.py", "from krav.services import queries\n", LAYERS),
    "an entrypoint imports an adapter": (
        "entrypoints/injected.py",
        "from krav.adapters.db import uow\n",
        FACES,
    ),
    "an entrypoint imports a format": (
        "entrypoints/injected.py",
        "from krav.formats import scenario\n",
        FACES,
    ),
    "an entrypoint imports a rule of the domain": (
        "entrypoints/injected.py",
        "from krav.domain.collection import allocation\n",
        FACES,
    ),
    "the domain reads the clock with datetime.now()": (
        "domain/injected.py",
        "from datetime import datetime\n\n\ndef today() -> object:\n    return datetime.now().date()\n",
        CLOCK,
    ),
    "the domain reads the clock with date.today()": (
        "domain/collection/injected.py",
        "import datetime\n\n\ndef today() -> object:\n    return datetime.date.today()\n",
        CLOCK,
    ),
    **{
        f"the domain imports {module}": (f"domain/injected_{module}.py", f"import {module}\n", PURE)
        for module in (
            "os",
            "pathlib",
            "socket",
            "smtplib",
            "subprocess",
            "sqlalchemy",
            "reportlab",
            "jinja2",
            "netsgiro",
            "lxml",
            "pydantic",
        )
    },
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what ``lint-imports`` reads: the sources, the custom contract and its configuration."""
    copy = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, check=False
    )


def _verdicts(output: str) -> dict[str, str]:
    """Each contract's verdict (KEPT or BROKEN) from ``lint-imports``' summary; a long name wraps onto the next
    line after a space, so the lines are joined as they are."""
    summary = output.split("\nContracts\n", 1)[1].split("\nContracts: ", 1)[0]
    joined = "".join(line for line in summary.splitlines() if not set(line) <= {"-", " "} and "Analyzed" not in line)
    found = re.findall(r"(.+?) (KEPT|BROKEN)(?: \(\d+ ignored imports?\))?", joined)
    return {name.strip(): verdict for name, verdict in found}


def _broken(output: str) -> list[str]:
    verdicts = _verdicts(output)
    return [name for name, verdict in verdicts.items() if verdict == "BROKEN"]


def _named(output: str, contract: str) -> str:
    """The verdict of the contract whose name starts with ``contract``."""
    (verdict,) = [v for name, v in _verdicts(output).items() if name.startswith(contract)]
    return verdict


def test_the_copied_tree_keeps_every_contract(pristine: Path) -> None:
    result = _lint(pristine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _broken(result.stdout) == []
    assert len(_verdicts(result.stdout)) == 9


@pytest.mark.parametrize("violation", sorted(VIOLATIONS))
def test_lint_imports_fails_for_each_kind_of_violation(violation: str, pristine: Path, tmp_path: Path) -> None:
    where, text, contract = VIOLATIONS[violation]
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    target = tree / "src" / "krav" / where
    assert target.parent.is_dir(), f"no package {target.parent}"
    target.write_text(f'"""A violation put here on purpose: {violation}."""\n\n{text}', "utf-8")
    result = _lint(tree)
    assert result.returncode != 0, f"{violation}: lint-imports passed\n{result.stdout}"
    assert "injected" in result.stdout, result.stdout  # the report names the module that broke the contract
    assert _named(result.stdout, contract) == "BROKEN", f"{violation}: expected {contract!r} broken\n{result.stdout}"
