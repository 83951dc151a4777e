"""Reading the dated rates file from disk: the one place that does (DOMAIN.md section 8).

The packaged ``krav/data/rates.toml`` is used unless ``KRAV_RATES_FILE`` names another file, so newer rates
can be installed without a release. The domain parses and checks the text (:func:`parse_rate_tables`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from krav.domain.errors import FileFormatError
from krav.domain.rates import RateTables, parse_rate_tables

ENV_VAR = "KRAV_RATES_FILE"
PACKAGED = "krav/data/rates.toml"


def load_rate_tables(path: Path | None = None) -> RateTables:
    """The rate tables from ``path``, else from ``$KRAV_RATES_FILE``, else the packaged file; cached per file.

    Raises :class:`FileFormatError` naming the file when it cannot be read or its content is refused.
    """
    if path is None:
        configured = os.environ.get(ENV_VAR, "").strip()
        path = Path(configured) if configured else None
    return _load(path.resolve() if path is not None else None)


def clear_cache() -> None:
    """Forget the files read so far (for tests, or after the rates file was replaced)."""
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(path: Path | None) -> RateTables:
    if path is None:
        text = files("krav").joinpath("data", "rates.toml").read_text(encoding="utf-8")
        return parse_rate_tables(text, file=PACKAGED)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(str(path), f"cannot read the rates file ({ENV_VAR}): {exc}") from exc
    return parse_rate_tables(text, file=str(path))
