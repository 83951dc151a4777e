"""Create or upgrade a database to the newest schema with Alembic (the scripts live in ``krav.migrations``).

Every command of Krav asks for the newest schema first. A database at it already is told by one ``SELECT`` of
the revision Alembic stored, against :data:`HEAD`, without loading Alembic and its scripts; any other goes
through Alembic.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision of ``krav.migrations``: a new migration moves it (a test holds it to Alembic's own head).
HEAD = "0018"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("krav.migrations")))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` to ``revision`` (the newest by default). Safe to run again."""
    if revision == "head" and stored_revisions(engine) == {HEAD}:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions Alembic recorded in the database (its ``alembic_version`` table); none in a new one."""
    with engine.connect() as connection:
        try:
            return set(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
        except sa.exc.DBAPIError:  # no such table: a database Alembic never touched
            return set()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
