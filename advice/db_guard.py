"""Database triggers that make the audit trail (``advice_auditevent``) append-only.

PostgreSQL: a row trigger refuses every UPDATE and DELETE. SQLite: a row trigger refuses
every UPDATE; DELETE is not guarded there because Django's test flush empties SQLite tables
with ``DELETE FROM`` (PostgreSQL uses ``TRUNCATE``, which row triggers do not see).
One change stays allowed on both: setting ``conversation_id`` to NULL and nothing else,
which is what ``on_delete=SET_NULL`` does when a conversation is erased under retention rules.
Both engines report a refusal as an ``IntegrityError``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TRIGGER = "cases_audit_append_only"
TABLE = "advice_auditevent"
MESSAGE = "audit events are append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.conversation_id IS NULL
       AND (to_jsonb(NEW) - 'conversation_id') = (to_jsonb(OLD) - 'conversation_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""
_PG_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();"
)


def _sqlite_trigger_sql(connection: BaseDatabaseWrapper) -> str:
    """The SQLite trigger, listing every current column so a new column is guarded too."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [
            info.name for info in connection.introspection.get_table_description(cursor, TABLE)
        ]
    unchanged = " AND ".join(
        f"NEW.{quote(c)} IS OLD.{quote(c)}" for c in columns if c != "conversation_id"
    )
    return (
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE} "
        f"WHEN NOT (NEW.conversation_id IS NULL AND {unchanged}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refused)'); END"
    )


def audit_guard_install(connection: BaseDatabaseWrapper) -> None:
    """Create (or refresh) the guard on ``connection``; does nothing if it is up to date."""
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            if cursor.fetchone() is None:
                cursor.execute(_PG_FUNCTION)
                cursor.execute(_PG_TRIGGER)
        elif connection.vendor == "sqlite":
            wanted = _sqlite_trigger_sql(connection)
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [TRIGGER]
            )
            row = cursor.fetchone()
            if row is None or row[0] != wanted:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
                cursor.execute(wanted)


def audit_guard_remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def audit_guard_after_migrate(using: str = "default", **_kwargs: Any) -> None:
    """``post_migrate`` receiver: SQLite drops a table's triggers whenever a migration
    rebuilds the table, so the guard is re-checked after every migrate."""
    if global_apps.is_installed("advice"):
        audit_guard_install(connections[using])
