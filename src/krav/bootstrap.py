"""The one place that wires concrete adapters to the services."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy.engine import Engine, make_url

from krav.adapters.db.engine import make_engine
from krav.adapters.db.job_schema import ensure_job_schema
from krav.adapters.db.lock import DatabaseRunLock
from krav.adapters.db.migrate import upgrade
from krav.adapters.db.snapshot import copy_database
from krav.adapters.db.uow import SqlUnitOfWork
from krav.adapters.mail import FolderMailer, SmtpMailer
from krav.adapters.pdf import LetterRenderer, LetterTexts
from krav.adapters.rate_store import RateStore
from krav.adapters.ratefile import load_rate_tables
from krav.adapters.secrets import Argon2Hasher
from krav.adapters.webhook_sender import HttpWebhookSender
from krav.config import Settings, get_settings
from krav.domain.collection.identity import require_identity
from krav.domain.rates import RateTables
from krav.services.collection import ServiceFigures
from krav.services.demo import DEMO_SERVICE
from krav.services.ports import (
    NO_JOB_QUEUE,
    ClaimFigures,
    Collaborators,
    Mailer,
    Renderer,
    RunLock,
    SecretHasher,
    Service,
    UnitOfWork,
)
from krav.services.relay import Relay
from krav.services.webhooks import WebhookSender

#: Skatteetaten's SAF-T schemas as shipped with Krav (``KRAV_SAFT_SCHEMA_DIR`` names another folder).
PACKAGED_SCHEMAS = Path(__file__).resolve().parent / "data" / "saft"


@dataclass
class App:
    """Krav wired to one database."""

    settings: Settings
    engine: Engine
    _migrated: bool = field(default=False, repr=False)
    _lock: DatabaseRunLock | None = field(default=None, repr=False)
    _rate_store: RateStore | None = field(default=None, repr=False)
    what_if: bool = False  # a sandbox for scenarios and what-ifs (R-SVC-3)

    @property
    def run_lock(self) -> RunLock:
        """The database's one run lock (one object per database, so that it is re-entrant in this process)."""
        if self._lock is None:
            self._lock = DatabaseRunLock(self.engine)
        return self._lock

    def uow(self) -> UnitOfWork:
        """A unit of work on the database whose commit delivers the messages between the two sides."""
        return unit_of_work(self.engine, self.rates)

    def uow_if_free(self) -> UnitOfWork:
        """A unit of work for what may be left undone when another writer is busy: on SQLite it waits at most
        0.1 s for the write lock, then raises DatabaseBusy (PostgreSQL's writers do not wait for each other)."""
        return SqlUnitOfWork(self.engine, before_commit=Relay(self.rates), lock_wait_ms=100)

    def glance(self) -> UnitOfWork:
        """A unit of work for one read that needs no transaction (a key, a company, a kept page): each statement
        reads the last commit on its own; cheaper than :meth:`reader` by the BEGIN and the end it spares."""
        return SqlUnitOfWork(self.engine, before_commit=_commits_nothing, glance=True)

    def reader(self) -> UnitOfWork:
        """A unit of work that only reads: it never waits for a writer (SQLite's WAL), and cannot commit."""
        return SqlUnitOfWork(self.engine, before_commit=Relay(self.rates), read_only=True)

    def job_queue_url(self) -> str:
        """The address Krav's workers reach the job queue at (PostgreSQL), the queue's tables made the first time;
        :class:`~krav.services.ports.JobsUnavailable` on SQLite, where ``krav run`` does the work itself."""
        if self.engine.dialect.name != "postgresql":
            NO_JOB_QUEUE.defer([])  # raises JobsUnavailable, saying what to do
        self.migrate()
        ensure_job_schema(self.engine)
        return self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def migrate(self) -> None:
        if not self._migrated:
            upgrade(self.engine)
            self._migrated = True

    @property
    def database_url(self) -> str:
        """The database's URL to show a person, its password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def rate_store(self) -> RateStore:
        """Where the rate table in use comes from, and where ``krav rates load`` keeps a newer one."""
        if self._rate_store is None:
            self._rate_store = rate_store(self.settings)
        return self._rate_store

    @property
    def rates(self) -> RateTables:
        """The rate table in use: ``KRAV_RATES_FILE``, else the one loaded with ``krav rates load``, else the
        built-in one (DOMAIN.md section 8)."""
        return self.rate_store.in_use().tables

    @property
    def figures(self) -> ClaimFigures:
        """The service's figures the ledger splits a direct payment with (R-LED-6), on every path."""
        return ServiceFigures(self.rates)

    def collaborators(self, *, inbox: bool = True, what_if: bool | None = None, demo: bool = False) -> Collaborators:
        """What the daily run works with; ``inbox=False`` leaves the inbox folder alone; ``what_if`` (default: a
        sandbox's) assumes rates the table does not know instead of holding the day. A what-if, and the demo
        (``demo``), name the demo identity on their letters, never the configured one (R-SVC-1)."""
        what_if = self.what_if if what_if is None else what_if
        return Collaborators(
            rates=self.rates,
            service=DEMO_SERVICE if what_if or demo else service_identity(self.settings),
            renderer=self.renderer,
            mailer=self.mailer,
            print_dir=self.print_dir,
            remittance_dir=self.remittance_dir,
            inbox=self.inbox if inbox else None,
            max_file_bytes=self.settings.max_file_bytes,
            lock=self.run_lock,
            what_if=what_if,
        )

    @property
    def service(self) -> Service:
        """The service as letters name it: the configured identity (R-SVC-1; check it with
        :func:`require_service_identity` before producing a letter), or the demo identity in a what-if."""
        return DEMO_SERVICE if self.what_if else service_identity(self.settings)

    @property
    def webhook_sender(self) -> WebhookSender:
        """How webhook deliveries are posted (HTTP)."""
        return HttpWebhookSender()

    @property
    def hasher(self) -> SecretHasher:
        """How API keys' secrets are hashed and checked (argon2id)."""
        return Argon2Hasher()

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
    def remittance_dir(self) -> Path:
        return self.settings.home / "remittance"

    @property
    def inbox(self) -> Path:
        return self.settings.home / "inbox"

    @property
    def saft_schema_dir(self) -> Path:
        return self.settings.saft_schema_dir or PACKAGED_SCHEMAS

    def close(self) -> None:
        self.engine.dispose()


def service_identity(settings: Settings) -> Service:
    """The collection service's identity from the settings ``KRAV_SERVICE_*`` (R-SVC-1), as given: a part not set
    is empty (:meth:`Service.gaps` names it)."""
    s = settings
    return Service(
        name=(s.service_name or "").strip(),
        orgno=(s.service_orgno or "").replace(" ", ""),
        account=(s.service_account or "").replace(" ", "").replace(".", ""),
        email=s.service_email,
        phone=s.service_phone,
        street=s.service_street,
        postcode=s.service_postcode,
        city=s.service_city,
        iban=(s.service_iban or "").replace(" ", "").upper() or None,
        bic=(s.service_bic or "").replace(" ", "").upper() or None,
        demo=s.service_demo,
    )


def setting_of(part: str) -> str:
    """The environment setting of a part of the service's identity: ``street`` → ``KRAV_SERVICE_STREET``."""
    return f"KRAV_SERVICE_{part.upper()}"


def require_service_identity(settings: Settings | None = None) -> Service:
    """R-SVC-1: the configured identity, or :class:`IdentityIncomplete` naming every setting that is missing or
    invalid. Whatever produces or renders a letter for real (``krav run``, ``krav outbox send|retry``,
    ``krav letters pdf``) asks first, before it touches the database."""
    service = service_identity(settings or get_settings())
    require_identity(service.sender(), setting_of)
    return service


def rate_store(settings: Settings | None = None) -> RateStore:
    """The rate table of the configured ``$KRAV_HOME`` (or ``KRAV_RATES_FILE``), without opening a database."""
    settings = settings or get_settings()
    return RateStore(settings.home, settings.rates_file)


def _commits_nothing(_: SqlUnitOfWork) -> None:
    """A glance cannot commit (:meth:`SqlUnitOfWork.commit` refuses it first)."""


def unit_of_work(engine: Engine, rates: RateTables | None = None) -> UnitOfWork:
    """A unit of work on ``engine`` wired as Krav runs it: its commit relays the messages between the two sides."""
    return SqlUnitOfWork(engine, before_commit=Relay(rates or load_rate_tables()))


@contextmanager
def sandbox() -> Iterator[App]:
    """Krav on a fresh in-memory database whose files (print, mail, inbox, remittance) go to a temporary folder
    removed after, and whose mail is only ever written as files: for scenarios and what-ifs, which never send
    anything (R-SVC-3). It uses the rate table in use where Krav is installed, not one of the temporary folder."""
    rates = rate_store()
    with TemporaryDirectory(prefix="krav-sandbox-") as folder:
        settings = get_settings().model_copy(
            update={"home": Path(folder), "database_url": "sqlite://", "smtp_host": None}
        )
        app = bootstrap(settings, rates=rates)
        app.what_if = True
        try:
            yield app
        finally:
            app.close()


@contextmanager
def what_if_copy(app: App, *, inbox: bool = False) -> Iterator[App]:
    """Krav on a copy of ``app``'s database in a temporary home, removed after (R-SVC-3): a what-if works on it and
    the real books, claims, letters and outbox stay as they were. Its mail is only ever written as files, and its
    inbox holds copies of the real inbox's files when ``inbox`` (the real ones stay where they are)."""
    with TemporaryDirectory(prefix="krav-what-if-") as folder:
        home = Path(folder)
        database = home / "krav.sqlite3"
        copy_database(app.engine, database)
        if inbox and app.inbox.is_dir():
            shutil.copytree(app.inbox, home / "inbox", symlinks=True)
        settings = app.settings.model_copy(
            update={"home": home, "database_url": f"sqlite:///{database}", "smtp_host": None}
        )
        copy = bootstrap(settings, rates=app.rate_store)
        copy.what_if = True
        try:
            yield copy
        finally:
            copy.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    database_url: str | None = None,
    migrate: bool = True,
    rates: RateStore | None = None,
) -> App:
    """Krav on the configured database (SQLite in ``$KRAV_HOME`` unless ``KRAV_DATABASE_URL`` says otherwise);
    ``rates`` another home's rate table (the sandbox's is the installation's)."""
    settings = settings or get_settings()
    url = database_url or settings.effective_database_url
    app = App(settings=settings, engine=make_engine(url), _rate_store=rates)
    if migrate:
        app.migrate()
    return app


def missing_database(settings: Settings | None = None) -> Path | None:
    """The SQLite file of the configured database when it does not exist yet (None: it does, or the database is
    another one): a command that only reads names it instead of creating an empty database there."""
    settings = settings or get_settings()
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def shown_url(url: str) -> str:
    """A database URL as a person may see it: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def max_file_bytes() -> int:
    """The largest file Krav reads (``KRAV_MAX_FILE_MB``), for the faces that read files before any database."""
    return get_settings().max_file_bytes
