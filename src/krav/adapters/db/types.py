"""Column types shared by the tables (UTC timestamps that survive SQLite), and small helpers of the adapters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

T = TypeVar("T")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as an aware UTC ``datetime`` on every backend."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The wall clock, for audit timestamps only; business rules take the business date instead."""
    return datetime.now(UTC)


#: How many values an ``IN (...)`` list takes at most (SQLite's bound-parameter limit is far above it).
CHUNK = 500


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size``, for ``IN`` lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


#: How many keys one bound array takes on PostgreSQL (:func:`key_in`): one parameter, split only to bound memory.
ARRAY_CHUNK = 50_000


def key_in(dialect: Dialect, column: Any, values: Sequence[Any]) -> Iterator[Any]:
    """Conditions that together select the rows whose ``column`` is one of ``values``, one per statement to run.

    On PostgreSQL ``column = ANY(:keys)``, the keys bound as one array (per :data:`ARRAY_CHUNK`); elsewhere an
    ``IN`` list per :data:`CHUNK`. An ``IN`` list of hundreds of parameters is rendered, sent and planned anew
    for every chunk: on PostgreSQL, 64,000 customers read by id took 1.05 s in lists and 0.37 s as one array."""
    if dialect.name == "postgresql":
        array = postgresql.ARRAY(column.type)
        for chunk in chunks(values, ARRAY_CHUNK):
            yield column == sa.any_(sa.bindparam(None, list(chunk), type_=array))
    else:
        for chunk in chunks(values):
            yield column.in_(chunk)


def execute_many(conn: sa.Connection, statement: sa.Insert | sa.Update, rows: Sequence[Mapping[str, Any]]) -> None:
    """``statement`` once for each of ``rows`` in one ``executemany``, its parameters made as SQLAlchemy makes them
    (each value through its column type's bind processor) but row by row in one pass, not through SQLAlchemy's
    general machinery for each row — which cost more than the database's own work for a bulk write of many
    columns (a hundred thousand claims submitted, a day's history events). The statement is still sent through
    SQLAlchemy's connection (its events and transaction). Rows must all have the keys of the first; statements
    SQLAlchemy would complete itself (defaults made in Python, expanding lists, escaped names) take its own path."""
    if not rows:
        return
    dialect = conn.dialect
    keys = rows[0].keys()
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
    special = (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.escaped_bind_names
        or "POSTCOMPILE" in compiled.string
        or any(row.keys() != keys for row in rows)
    )
    if special:
        conn.execute(statement, rows)
        return
    names: Sequence[str] = compiled.positiontup if compiled.positional else list(compiled.binds)
    params = _parameters(rows, names, compiled.binds, keys, dialect)
    if dialect.name == "postgresql" and not statement._returning:
        target = _copy_target(compiled.string, names) if isinstance(statement, sa.Insert) else None
        if target is not None:
            _copy(conn, target, params)
            return
        update = _update_from_arrays(compiled, names, keys, params) if isinstance(statement, sa.Update) else None
        if update is not None:
            conn.exec_driver_sql(*update)
            return
    if not compiled.positional:
        params = [dict(zip(names, values, strict=True)) for values in params]
    conn.exec_driver_sql(compiled.string, params)


def insert_for_ids(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """``rows`` inserted into ``table`` and their new ids, in ``rows``' order. On PostgreSQL the ids are taken from
    the table's sequence in one statement and the rows, ids and all, go in by ``COPY`` (:func:`execute_many`); else
    by ``INSERT … RETURNING`` per :data:`CHUNK` rows, the ids returned in the order sent."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        taken = sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence(table.name, "id"))).select_from(
            sa.func.generate_series(1, len(rows))
        )
        ids = [int(i) for i in conn.execute(taken).scalars()]
        execute_many(conn, table.insert(), [{**row, "id": i} for i, row in zip(ids, rows, strict=True)])
        return ids
    insert = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    found: list[int] = []
    for chunk in chunks(rows):
        found.extend(conn.execute(insert, list(chunk)).scalars())
    return found


#: A plain ``INSERT`` as SQLAlchemy compiles it for PostgreSQL: table, columns, values (and the key it returns).
_PLAIN_INSERT = re.compile(
    r"INSERT INTO (?P<table>\S+) \((?P<columns>[^()]*)\) VALUES \((?P<values>.*)\)(?: RETURNING [\w.]+)?"
)
#: The type a parameter is cast to: one word, or one of PostgreSQL's names of several, with its size.
_CAST = r"::(?:(?:TIMESTAMP|TIME) WITH(?:OUT)? TIME ZONE|DOUBLE PRECISION|[A-Z]+)(?:\([0-9, ]+\))?(?![\w\[(])"
#: A named parameter with its cast, as SQLAlchemy renders each for PostgreSQL (``%(amount_ore)s::BIGINT``).
_PARAMETER = re.compile(r"%\((?P<name>\w+)\)s(?P<cast>" + _CAST + ")?")


def _copy_target(sql: str, names: Sequence[str]) -> str | None:
    """``table (columns)`` to ``COPY`` the rows of an ``INSERT`` into, where every value it inserts is one of its
    parameters in the order of ``names`` (no SQL expression, no ``ON CONFLICT``); else ``None``."""
    insert = _PLAIN_INSERT.fullmatch(sql)
    if insert is None:
        return None
    values = insert["values"]
    if [found["name"] for found in _PARAMETER.finditer(values)] != list(names):
        return None
    if _PARAMETER.sub("?", values) != ", ".join("?" * len(names)):
        return None  # something besides the parameters: an expression, a constant
    return f"{insert['table']} ({insert['columns']})"


def _copy(conn: sa.Connection, target: str, params: Sequence[Sequence[Any]]) -> None:
    """The rows written with PostgreSQL's ``COPY … FROM STDIN`` on the connection's own transaction: the server
    takes them as one stream instead of an ``INSERT`` executed for each.
    A failure is raised as SQLAlchemy raises a failed ``INSERT`` (an ``IntegrityError`` for a broken key)."""
    driver: Any = conn.connection.driver_connection
    statement = f"COPY {target} FROM STDIN"
    try:
        with driver.cursor() as cursor, cursor.copy(statement.encode()) as copy:
            for row in params:
                copy.write_row(row)
    except driver.Error as exc:
        raise sa.exc.DBAPIError.instance(statement, None, exc, type(driver).Error) from exc


#: A plain ``UPDATE`` as SQLAlchemy compiles it for PostgreSQL (no subquery: checked apart).
_PLAIN_UPDATE = re.compile(r"UPDATE (?P<table>\S+) SET (?P<set>.+?) WHERE (?P<where>.+)")


def _update_from_arrays(
    compiled: Any, names: Sequence[str], keys: Any, params: Sequence[Sequence[Any]]
) -> tuple[str, dict[str, Any]] | None:
    """A plain ``UPDATE`` of many rows as one statement on PostgreSQL: each value the rows give bound as one array
    and joined by ``unnest`` (``UPDATE t SET a = v.c0 FROM unnest(%(a)s::BIGINT[], …) AS v(c0, …) WHERE t.id =
    v.c1``), the statement's own values bound once. ``None`` where that would not say the same as running it
    for each row: a subquery, ``RETURNING`` or ``OR``, a row value whose type cannot be named or in the
    condition other than as a key (``column = value``), or two rows for the same key."""
    sql = compiled.string
    update = _PLAIN_UPDATE.fullmatch(sql)
    if update is None or any(word in sql for word in ("SELECT", "RETURNING", " FROM ", " OR ")):
        return None
    place = {name: n for n, name in enumerate(names)}
    columns: dict[str, tuple[str, str]] = {}  # a row value's parameter -> (its column in v, its type)
    in_where: set[str] = set()

    def rewrite(part: str, where: bool) -> str | None:
        out: list[str] = []
        last = 0
        for found in _PARAMETER.finditer(part):
            name, cast = found["name"], found["cast"]
            if name not in place:
                return None
            out.append(part[last : found.start()])
            last = found.end()
            if compiled.binds[name].key not in keys:
                out.append(found[0])  # the statement's own value
                continue
            if cast is None:  # a value SQLAlchemy sends as it is (a boolean): its array typed by the column's type
                try:
                    cast = "::" + compiled.binds[name].type.compile(dialect=compiled.dialect)
                except sa.exc.SQLAlchemyError:
                    return None
            if where and not part[: found.start()].endswith(" = "):
                return None  # a row's value in the condition only as a key: an equality
            column, _ = columns.setdefault(name, (f"c{len(columns)}", cast))
            out.append(f"v.{column}")
            if where:
                in_where.add(name)
        out.append(part[last:])
        return "".join(out)

    assignments, condition = rewrite(update["set"], False), rewrite(update["where"], True)
    if assignments is None or condition is None or not in_where:
        return None
    keyed = [place[name] for name in in_where]
    if len({tuple(row[i] for i in keyed) for row in params}) != len(params):
        return None  # a key twice: one executemany keeps the last, a join would keep either
    arrays = ", ".join(f"%({name})s{cast}[]" for name, (_, cast) in columns.items())
    aliases = ", ".join(c for c, _ in columns.values())
    # made of SQLAlchemy's own SQL for the statement (its values stay bound parameters), not of any input
    statement = f"UPDATE {update['table']} SET {assignments} FROM unnest({arrays}) AS v({aliases}) WHERE {condition}"  # nosec B608
    values: dict[str, Any] = {}
    for name in set(place) - set(columns):
        values[name] = params[0][place[name]]
    for name in columns:
        n = place[name]
        values[name] = [row[n] for row in params]
    return statement, values


def _parameters(
    rows: Sequence[Mapping[str, Any]], names: Sequence[str], binds: Mapping[str, Any], keys: Any, dialect: Any
) -> list[Any]:
    """Each row's values in the order of the statement's bind ``names``: taken from the row by its key (all at
    once, in C), each put through its column type's bind processor where the type has one (a date on SQLite),
    and the statement's own values (not in the rows) as it states them."""
    taken: list[str] = []  # the rows' keys, in the order of the statement
    places: list[int | None] = []  # for each bind, its place among ``taken`` (None: the statement's own value)
    constants: dict[int, Any] = {}  # place in the parameters -> the statement's own value, processed
    processed: list[tuple[int, Any]] = []  # place in the parameters -> the processor of the row's value
    for place, name in enumerate(names):
        bind = binds[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.key in keys:
            places.append(len(taken))
            taken.append(bind.key)
            if process is not None:
                processed.append((place, process))
        else:
            places.append(None)
            value = bind.effective_value
            constants[place] = process(value) if process else value
    get = _taker(taken)
    if not constants and not processed:
        return [get(row) for row in rows]  # every value as the row holds it, in order: tuples made in C
    params: list[Any] = []
    for row in rows:
        found = get(row)
        values = [found[i] if i is not None else None for i in places] if constants else list(found)
        for place, value in constants.items():
            values[place] = value
        for place, process in processed:
            values[place] = process(values[place])
        params.append(tuple(values))
    return params


def _taker(keys: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving a row's values of ``keys`` as a tuple (``itemgetter`` gives a lone value for one key)."""
    if len(keys) == 1:
        (key,) = keys
        return lambda row: (row[key],)
    if not keys:
        return lambda row: ()
    return itemgetter(*keys)


def unindexed(column: Any) -> Any:
    """``column`` in a form no index serves (``column + 0``), for the company's id where rows are asked for by a
    unique key: without statistics, SQLite judges a list of hundreds of keys dearer than the company's index and
    walks every row of the company for each list (a read per chunk that grows with the company). The unique key's
    index then answers alone, on SQLite and PostgreSQL."""
    return column + 0


def unindexed_text(column: Any) -> Any:
    """A text ``column`` in a form no index serves (``column || ''``, NULL where it is NULL), for ``IS NULL`` on a
    column with a unique index: SQLite takes that index for ``IS NULL`` as for an equality and walks every row
    without a value, where another index (or a scan) would narrow first."""
    return column.concat("")


def rows_where_in(
    conn: sa.Connection, query: sa.Select[Any], keyed: Sequence[tuple[Any, Iterable[Any] | None]]
) -> list[sa.Row[Any]]:
    """The rows of ``query`` narrowed by every (column, values) given: each value list is an ``IN``, and all of them
    hold together. The first list is sent in parts (:func:`key_in`), so a long one stays under the driver's limit;
    each part keeps the query's order."""
    given = [(column, sorted(set(values))) for column, values in keyed if values is not None]
    if not given:
        return list(conn.execute(query))
    (first, first_values), *rest = given
    for column, values in rest:
        query = query.where(column.in_(values))
    rows: list[sa.Row[Any]] = []
    for condition in key_in(conn.dialect, first, first_values):
        rows.extend(conn.execute(query.where(condition)))
    return rows


class _Prepared:
    """A statement compiled once for a dialect, with its columns' result processors."""

    __slots__ = ("compiled", "names", "processors")

    def __init__(self, statement: sa.Select[Any], dialect: Dialect) -> None:
        self.compiled = statement.compile(dialect=dialect)
        self.names = [str(column.key) for column in statement.selected_columns]
        self.processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns
        ]


_prepared: dict[tuple[int, str], tuple[sa.Select[Any], _Prepared]] = {}


def hot_row(conn: sa.Connection, statement: sa.Select[Any], params: dict[str, Any]) -> dict[str, Any] | None:
    """The first row of ``statement`` (built once, e.g. under ``functools.cache``) as column name → value, run on
    the driver's cursor of ``conn``: compiled once per dialect and typed as SQLAlchemy types it, without the
    rest of SQLAlchemy's work per execution — for the one-row reads every API request makes (its key, its page)."""
    key = (id(statement), conn.dialect.name)
    found = _prepared.get(key)
    if found is None or found[0] is not statement:
        found = _prepared[key] = (statement, _Prepared(statement, conn.dialect))
    prepared = found[1]
    compiled = prepared.compiled
    values = compiled.construct_params(params)
    args: Any = tuple(values[name] for name in compiled.positiontup or ()) if compiled.positional else values
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, args)
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None:
        return None
    return {
        name: (process(value) if process is not None else value)
        for name, process, value in zip(prepared.names, prepared.processors, row, strict=True)
    }
