"""Settings from the environment (pydantic-settings). SQLite in ``$KRAV_HOME`` is the default database."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from krav.domain.plausible import MAX_FILE_BYTES


class Settings(BaseSettings):
    """Krav's settings; every field can be set as ``KRAV_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="KRAV_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".krav")
    database_url: str | None = None
    rates_file: Path | None = None
    saft_schema_dir: Path | None = None
    # the collection service itself, as every letter names it (R-SVC-1): name, organisation number, postal
    # address, telephone, e-mail, and the client account debtors pay to (R-BANK-2) with its IBAN and BIC. No
    # defaults: a run that would produce a letter refuses while any is missing (krav.bootstrap.service_identity)
    service_name: str | None = None
    service_orgno: str | None = None
    service_street: str | None = None
    service_postcode: str | None = None
    service_city: str | None = None
    service_phone: str | None = None
    service_email: str | None = None
    service_account: str | None = None
    service_iban: str | None = None
    service_bic: str | None = None
    # an example identity, not a real service's: every page of its letters says it is a demo (examples/krav.env)
    service_demo: bool = False
    # e-mail out (letters to debtors, the collection list): SMTP when a host is set, else .eml files in $KRAV_HOME/mail
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    # a creditor's own letter wording (a folder like krav/adapters/pdf/templates)
    templates_dir: Path | None = None
    # the largest file Krav reads (SAF-T, CSV, payment files, vouchers, scenarios), in MiB; a bigger one is refused
    # before it is read
    max_file_mb: int = Field(default=MAX_FILE_BYTES // (1024 * 1024), ge=1)
    # webhooks: plain http:// URLs are refused unless this is set (a receiver on the same machine, tests)
    webhooks_allow_http: bool = False

    @property
    def max_file_bytes(self) -> int:
        """``KRAV_MAX_FILE_MB`` in bytes."""
        return self.max_file_mb * 1024 * 1024

    @property
    def effective_database_url(self) -> str:
        """``KRAV_DATABASE_URL``, or the SQLite file ``$KRAV_HOME/krav.sqlite3``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'krav.sqlite3'}"


#: the settings file in ``$KRAV_HOME``: ``KRAV_NAME=value`` lines, as in the environment, which wins over it
SETTINGS_FILE = "krav.env"


def settings_file() -> Path:
    """``$KRAV_HOME/krav.env`` (``KRAV_HOME`` from the environment, else ``~/.krav``), whether it exists or not."""
    home = os.environ.get("KRAV_HOME")
    return (Path(home) if home else Path.home() / ".krav") / SETTINGS_FILE


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings: the environment, then ``$KRAV_HOME/krav.env`` when there is one, then the defaults."""
    file = settings_file()
    if file.is_file():
        return Settings(_env_file=file, _env_file_encoding="utf-8")
    return Settings()
