"""Database triggers that make a table append-only: UPDATE and DELETE are refused by the database itself; and,
from revision 0007, INSERT OR REPLACE (SQLite) and TRUNCATE (PostgreSQL), and changes to the recorded columns of
a table whose other columns may change."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

_MESSAGE = "is append-only: post a correcting entry instead of changing or deleting one"


def make_append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` (SQLite and PostgreSQL)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION krav_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'table % {_MESSAGE} (% refused)', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$;
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION krav_refuse_change()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(_sqlite_refusal(table, verb))


def _sqlite_refusal(table: str, verb: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'table {table} {_MESSAGE} ({verb} refused)'); END"
    )


def drop_append_only(table: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


# -- beyond UPDATE and DELETE (revision 0007) ---------------------------------------------------------------------
#
# SQLite's INSERT OR REPLACE (and REPLACE INTO) makes room for a row by deleting the one whose key it takes, and
# that delete fires no DELETE trigger unless the connection has turned ``recursive_triggers`` on. Krav refuses it
# with a BEFORE INSERT trigger that finds the key taken, not with the pragma: a trigger is part of the database
# file and holds for every program that opens it (the sqlite3 shell, a database browser), where a pragma holds
# only on the connections Krav opens itself; and the refusal names the INSERT, not a delete nobody wrote. The cost
# is one index lookup per key of each row inserted. PostgreSQL has no REPLACE, and an upsert (INSERT … ON CONFLICT
# DO UPDATE) fires the UPDATE triggers; its TRUNCATE, though, empties a table without a DELETE trigger, so a
# BEFORE TRUNCATE trigger refuses it (a TRUNCATE … CASCADE that reaches a guarded table is refused as well).

_REFUSE = """
CREATE OR REPLACE FUNCTION krav_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % % (% refused)', TG_TABLE_NAME, TG_ARGV[0], TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _keys(table: str) -> list[list[str]]:
    """The columns of the primary key and of each unique key of ``table`` (partial unique indexes left out)."""
    inspector = sa.inspect(op.get_bind())
    keys = [inspector.get_pk_constraint(table)["constrained_columns"]]
    keys += [u["column_names"] for u in inspector.get_unique_constraints(table)]
    keys += [
        [c for c in i["column_names"] if c is not None]
        for i in inspector.get_indexes(table)
        if i["unique"] and not (i.get("dialect_options") or {}).get("sqlite_where")
    ]
    return [key for key in keys if key]


def _literal(reason: str) -> str:
    """``reason`` for a quoted SQL literal in a trigger: it is Krav's own text, and may hold no quote."""
    if "'" in reason:
        raise ValueError(f"a trigger's reason is written into its SQL and may hold no quote: {reason!r}")
    return reason


def _same(column: str) -> str:
    return f'"{column}" = NEW."{column}"'


def refuse_replace_and_truncate(table: str, reason: str = _MESSAGE) -> None:
    """Refuse what empties or overwrites ``table`` without an UPDATE or DELETE: on SQLite an INSERT whose primary
    or unique key is taken already (INSERT OR REPLACE), on PostgreSQL a TRUNCATE. Run it after the table's last
    unique key is made: the SQLite trigger checks the keys there are when it is created."""
    reason = _literal(reason)
    if _postgresql():
        op.execute(_REFUSE)
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION krav_refuse('{reason}')"
        )
        return
    taken = " OR ".join(
        # the table and column names are Krav's own, from its migrations: nothing a user writes reaches this SQL
        f"EXISTS (SELECT 1 FROM {table} WHERE {' AND '.join(_same(c) for c in key)})"  # nosec
        for key in _keys(table)
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {taken} "
        f"BEGIN SELECT RAISE(ABORT, 'table {table} {reason} (INSERT over a stored row refused)'); END"
    )


def freeze_columns(table: str, columns: Sequence[str], *, set_once: Sequence[str] = (), reason: str) -> None:
    """Let ``table`` keep its rows and change only the columns not named: UPDATE of a column in ``columns`` is
    refused, a column in ``set_once`` may go from NULL to a value once, and DELETE is refused."""
    reason = _literal(reason)
    distinct = "IS DISTINCT FROM" if _postgresql() else "IS NOT"
    changed = [f'NEW."{c}" {distinct} OLD."{c}"' for c in columns]
    changed += [f'(OLD."{c}" IS NOT NULL AND NEW."{c}" {distinct} OLD."{c}")' for c in set_once]
    when = " OR ".join(changed)
    if _postgresql():
        op.execute(_REFUSE)
        op.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION krav_refuse('{reason}')"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION krav_refuse('{reason}')"
        )
        return
    op.execute(
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} WHEN {when} "
        f"BEGIN SELECT RAISE(ABORT, 'table {table} {reason} (UPDATE refused)'); END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'table {table} {reason} (DELETE refused)'); END"
    )


def drop_replace_and_truncate(table: str) -> None:
    """Drop what :func:`refuse_replace_and_truncate` made on ``table``."""
    if _postgresql():
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")


def drop_frozen(table: str) -> None:
    """Drop what :func:`freeze_columns` made on ``table``."""
    on = f" ON {table}" if _postgresql() else ""
    for name in ("frozen", "no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}{on}")


@contextmanager
def updates_allowed(table: str) -> Iterator[None]:
    """Within the block, an append-only ``table`` takes UPDATEs (a migration that fills a new column); its
    trigger is back when the block ends. The block runs in the migration's transaction."""
    if _postgresql():
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        yield
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        return
    op.execute(f"DROP TRIGGER {table}_no_update")
    yield
    op.execute(_sqlite_refusal(table, "UPDATE"))
