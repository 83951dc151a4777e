"""Running a `krav` command in tests: its output, after checking its exit code."""

from __future__ import annotations

from typer.testing import CliRunner

from krav.entrypoints import cli


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(cli.app, list(args))
    assert result.exit_code == code, result.output
    return result.output
