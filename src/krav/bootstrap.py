"""The one place that wires concrete adapters to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.adapters.db.uow import SqlUnitOfWork
from krav.adapters.mail import FolderMailer, SmtpMailer
from krav.adapters.pdf import LetterRenderer, LetterTexts
from krav.adapters.ratefile import load_rate_tables
from krav.config import Settings, get_settings
from krav.domain.rates import RateTables
from krav.services.ports import Mailer, Renderer, Service

#: Skatteetaten's SAF-T schemas: ``KRAV_SAFT_SCHEMA_DIR``, else ../shared/fixtures/saft beside a source checkout.
_CHECKOUT_SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "saft"


@dataclass
class App:
    """Krav wired to one database."""

    settings: Settings
    engine: Engine
    _migrated: bool = field(default=False, repr=False)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def migrate(self) -> None:
        if not self._migrated:
            upgrade(self.engine)
            self._migrated = True

    @property
    def rates(self) -> RateTables:
        return load_rate_tables(self.settings.rates_file)

    @property
    def service(self) -> Service:
        s = self.settings
        return Service(s.service_name, s.service_orgno, s.service_account, s.service_email, s.service_phone)

    @property
    def renderer(self) -> Renderer:
        dirs = [self.settings.templates_dir] if self.settings.templates_dir else []
        return LetterRenderer(LetterTexts(dirs))

    @property
    def mailer(self) -> Mailer:
        s = self.settings
        if s.smtp_host:
            return SmtpMailer(
                s.smtp_host, s.smtp_port, user=s.smtp_user, password=s.smtp_password, starttls=s.smtp_starttls
            )
        return FolderMailer(s.home / "mail")

    @property
    def print_dir(self) -> Path:
        return self.settings.home / "print"

    @property
    def inbox(self) -> Path:
        return self.settings.home / "inbox"

    @property
    def saft_schema_dir(self) -> Path:
        return self.settings.saft_schema_dir or _CHECKOUT_SCHEMAS

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, database_url: str | None = None, migrate: bool = True) -> App:
    """Krav on the configured database (SQLite in ``$KRAV_HOME`` unless ``KRAV_DATABASE_URL`` says otherwise)."""
    settings = settings or get_settings()
    url = database_url or settings.effective_database_url
    app = App(settings=settings, engine=make_engine(url))
    if migrate:
        app.migrate()
    return app
