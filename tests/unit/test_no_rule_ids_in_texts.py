"""Rule ids (``R-CLM-3``) name a rule in the code — in a docstring or a comment beside the function that decides
it — and never in what a person reads: an error, a claim's history, a letter, an import's notes, a table. This
reads every string of ``src/krav`` that is not a docstring and fails on one that carries a rule id."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "krav"
RULE_ID = re.compile(r"\bR-[A-Z]+-\d+")

#: Files another piece of work has open; their texts are theirs to change (see the report of this change).
OPEN_ELSEWHERE: set[str] = set()


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the nodes that are docstrings (and of string expressions standing alone, as attribute docs)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _step_rules(tree: ast.Module) -> set[int]:
    """The ids of the strings given to ``Step(name, run, rule)`` as its rule: the step's metadata, printed
    nowhere."""
    return {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Step"
        for arg in node.args[2:]
    }


def _texts_with_rule_ids(path: Path, root: Path = SRC) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    skip = _docstrings(tree) | _step_rules(tree)
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and RULE_ID.search(node.value)
    ]


def test_no_text_a_person_reads_carries_a_rule_id() -> None:
    files = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 100
    found = [
        text
        for path in files
        if path.relative_to(SRC).as_posix() not in OPEN_ELSEWHERE
        for text in _texts_with_rule_ids(path)
    ]
    assert found == []


def test_the_check_finds_a_rule_id_in_an_error_message(tmp_path: Path) -> None:
    module = tmp_path / "refusal.py"
    module.write_text(
        '"""R-ACT-4: named in the docstring, as it should be."""\n'
        "def pause(stage: str) -> None:\n"
        '    """R-ACT-4: a claim in inkasso is not paused."""\n'
        "    if stage == 'inkasso':  # R-ACT-4\n"
        "        raise ValueError(f'claim in {stage}: it cannot be paused (R-ACT-4)')\n",
        "utf-8",
    )
    assert _texts_with_rule_ids(module, tmp_path) == ["refusal.py:5: ': it cannot be paused (R-ACT-4)'"]
