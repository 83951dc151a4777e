"""What every command group shares: the options, the business date, the wired app, and errors as exit codes.

Exit codes: 0 done, 1 refused by a rule (or a scenario that does not match), 2 bad input.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from krav.bootstrap import App, bootstrap, max_file_bytes, missing_database, shown_url
from krav.domain.errors import InputError, KravError, NotFound
from krav.domain.plausible import check_date, check_file_size
from krav.entrypoints.clock import oslo_today
from krav.entrypoints.output import dumps

P = ParamSpec("P")
R = TypeVar("R")

CompanyOpt = Annotated[str, typer.Option("--company", "-c", help="The creditor's organisation number.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The business date (dd.mm.åååå or YYYY-MM-DD); today in Europe/Oslo if left out."),
]
ItemsOpt = Annotated[list[int] | None, typer.Option("--items", "-i", help="Item ids (repeat the option).")]


def business_date(value: str | None) -> date:
    """The business date given (from 1990-01-01 to 2099-12-31), or today's date in Europe/Oslo (R-TIME-1: the
    clock is read only here)."""
    if value:
        return given_date(value, "--date")
    return oslo_today()


def given_date(value: str, option: str) -> date:
    """The date given to ``option`` (from 1990-01-01 to 2099-12-31)."""
    return check_date(parse_date(value, option), field=option)


_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(value: str, option: str) -> date:
    """A date as a person writes it in Norway (``31.03.2025``) or as ISO 8601 (``2025-03-31``).

    >>> parse_date("1.4.2025", "--date"), parse_date("2025-04-01", "--date")
    (datetime.date(2025, 4, 1), datetime.date(2025, 4, 1))
    """
    text = value.strip()
    try:
        if m := _NORWEGIAN_DATE.match(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (dd.mm.åååå or YYYY-MM-DD)") from None


def fail(message: str, code: int, error: KravError | None = None, *, as_json: bool = False) -> NoReturn:
    """Say what went wrong and exit with ``code``: on stderr, or under ``--json`` as a JSON object on stdout
    (``{"error": {"code": …, "message": …, "exit_code": …}}``), so that a machine reads every answer alike."""
    if as_json:
        what = error.code if error is not None else ("invalid_input" if code == 2 else "refused")
        typer.echo(dumps({"error": {"code": what, "message": message, "exit_code": code}}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Krav's errors into a message on stderr and an exit code; nothing else is caught."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        as_json = bool(kwargs.get("json_out"))
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(str(exc), 2, exc, as_json=as_json)
        except NotFound as exc:
            fail(_in_database(str(exc)), 1, exc, as_json=as_json)
        except KravError as exc:
            fail(str(exc), 1, exc, as_json=as_json)

    return wrapper


def _in_database(message: str) -> str:
    """A company not found, with the database it was looked for in: the usual cause is another ``KRAV_HOME``."""
    if _app is None or not message.startswith("no company"):
        return message
    return f"{message} (looked in {shown_url(_app.database_url)}; KRAV_HOME={_app.settings.home})"


def echo(lines: Iterable[str], *, err: bool = False) -> None:
    """Print lines of text, one after the other."""
    for line in lines:
        typer.echo(line, err=err)


def echo_json(value: Any) -> None:
    typer.echo(dumps(value))


_app: App | None = None


def reset_app() -> None:
    """Forget the wired app (tests switch databases between commands)."""
    global _app
    if _app is not None:
        _app.close()
    _app = None


def get_app(*, create: bool = True) -> App:
    """Krav wired to the configured database, once per process. A command that only reads (``create=False``, see
    :func:`read_app`) does not create a SQLite database that is not there: it names where it looked, so that a
    forgotten ``KRAV_HOME`` does not leave an empty database behind."""
    global _app
    if _app is None:
        missing = None if create else missing_database()
        if missing is not None:
            raise NotFound(
                f"no Krav database at {missing} (KRAV_HOME={missing.parent}): set KRAV_HOME to the folder you set "
                "Krav up in, or create one there with `krav init`"
            )
        _app = bootstrap()
    return _app


def read_app() -> App:
    """Krav for a command that only reads: refused, naming the place, where there is no database yet."""
    return get_app(create=False)


def read_file(path: Path) -> bytes:
    """The bytes of ``path``; a file larger than ``KRAV_MAX_FILE_MB`` is refused, naming its size, before it is
    read whole."""
    limit = max_file_bytes()
    try:
        with path.open("rb") as file:
            check_file_size(os.fstat(file.fileno()).st_size, file=str(path), limit=limit)
            data = file.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    check_file_size(len(data), file=str(path), limit=limit)  # not a regular file, or it grew while being read
    return data


def who() -> str:
    """Who is at the keyboard: the user name recorded with a change, or ``unknown``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on this system
        return "unknown"
