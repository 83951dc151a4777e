"""The `krav` command line on a fresh SQLite database in a temporary KRAV_HOME, for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.config import get_settings
from krav.entrypoints import cli


@pytest.fixture
def krav(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    for name in ("KRAV_DATABASE_URL", "KRAV_SMTP_HOST", "KRAV_TEMPLATES_DIR", "KRAV_SERVICE_ACCOUNT"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    cli.reset_app()
    yield CliRunner()
    cli.reset_app()
    get_settings.cache_clear()
