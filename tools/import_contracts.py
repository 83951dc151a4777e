"""Krav's own import-linter contract: the domain reads no clock.

import-linter sees imports, not calls; a business rule that asks ``datetime.now()`` or ``date.today()`` breaks
R-TIME-1 (every rule takes the business date) without importing anything new. This contract reads the source of
each module of ``source_modules`` and refuses every call whose dotted name ends in one of ``forbidden_calls``.

Registered in ``pyproject.toml`` as ``contract_types = ["forbidden_calls: tools.import_contracts.ForbiddenCalls"]``;
``lint-imports`` puts the current folder on ``sys.path``, so it runs from the project's root.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _dotted(node: ast.expr) -> str | None:
    """``datetime.now`` for ``datetime.now``, ``dt.datetime.now`` for ``dt.datetime.now``; None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _source(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


class ForbiddenCalls(Contract):
    """No module of ``source_modules`` (or below them) calls any of ``forbidden_calls``."""

    type_name = "forbidden_calls"

    source_modules = fields.ListField(subfield=fields.StringField())
    forbidden_calls = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        roots: list[str] = list(self.source_modules)  # type: ignore[call-overload]
        wanted: list[str] = list(self.forbidden_calls)  # type: ignore[call-overload]
        modules = sorted(m for m in graph.modules if any(m == r or m.startswith(f"{r}.") for r in roots))
        found: list[str] = []
        for module in modules:
            path = _source(module)
            if path is None:
                continue
            tree = ast.parse(path.read_text("utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    name = _dotted(node.func)
                    if name and any(name == w or name.endswith(f".{w}") for w in wanted):
                        found.append(f"{module}:{node.lineno} calls {name}()")
        output.verbose_print(verbose, f"Looked for {', '.join(wanted)} in {len(modules)} modules.")
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(f"- {line}", bold=False)
        output.new_line()
