"""Which rate table is in use and where it comes from (DOMAIN.md section 8: rates ship as data, updatable without
a release): the built-in table, one loaded with ``krav rates load``, or the file ``KRAV_RATES_FILE`` names.

Values only; ``krav.adapters.rate_store`` finds the table and keeps a loaded one. A run report or a held letter
can name the table from :attr:`RatesInUse.origin` and :attr:`RatesInUse.path`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from krav.domain.rate_tables import RateTables
from krav.domain.rate_update import RateUpdate

__all__ = ["RateOrigin", "RatesInUse", "RatesLoaded"]


class RateOrigin(StrEnum):
    """Where the table in use comes from."""

    BUILT_IN = "built-in"
    CONFIGURED = "KRAV_RATES_FILE"
    LOADED = "loaded"


@dataclass(frozen=True, slots=True)
class RatesInUse:
    """The rate table in use: its tables and text, where it comes from (``path``: the file read, ``None`` for the
    built-in one; for a loaded one, the file it was loaded from and when). ``set_aside`` says why a loaded table
    is not used; the built-in one is, then."""

    tables: RateTables
    text: str
    origin: RateOrigin
    path: str | None = None
    loaded_from: str | None = None
    loaded_at: datetime | None = None
    set_aside: str | None = None


@dataclass(frozen=True, slots=True)
class RatesLoaded:
    """A table loaded: now in use; what it added and corrected; where the table it replaced was kept."""

    in_use: RatesInUse
    update: RateUpdate
    replaced: str | None
