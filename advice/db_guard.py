"""Database triggers that make the audit trail (``advice_auditevent``) append-only.

Both engines refuse every UPDATE, and every DELETE of an event still inside the audit
retention period: until the end of the year after the event's year (an event of any day of
2025 may be deleted from 1 January 2027). One change stays allowed: setting
``conversation_id`` to NULL and nothing else, which is what ``on_delete=SET_NULL`` does when a
conversation is erased under retention rules. Both engines report a refusal as an
``IntegrityError``. (Django's test flush empties SQLite tables with ``DELETE FROM``; the test
suite lifts the SQLite DELETE guard just for that, and ``post_migrate`` puts it back.)
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TRIGGER = "cases_audit_append_only"
DELETE_TRIGGER = "cases_audit_retained"
TABLE = "advice_auditevent"
MESSAGE = "audit events are append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < date_trunc('year', now() AT TIME ZONE 'UTC')
       AT TIME ZONE 'UTC' - interval '1 year' THEN
        RETURN OLD;
    END IF;
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


# Stored times are UTC text ("2025-03-01 12:00:00.000000"), so text comparison orders them.
_SQLITE_DELETE_TRIGGER = (
    f"CREATE TRIGGER {DELETE_TRIGGER} BEFORE DELETE ON {TABLE} "
    "WHEN OLD.at >= strftime('%Y-01-01', 'now', '-1 year') "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refused inside the retention period)'); END"
)


def _sqlite_refresh(cursor: Any, name: str, wanted: str) -> None:
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    row = cursor.fetchone()
    if row is None or row[0] != wanted:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(wanted)


def audit_guard_install(connection: BaseDatabaseWrapper) -> None:
    """Create (or refresh) the guard on ``connection``; does nothing if it is up to date."""
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)  # CREATE OR REPLACE: always the current rules
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            if cursor.fetchone() is None:
                cursor.execute(_PG_TRIGGER)
        elif connection.vendor == "sqlite":
            _sqlite_refresh(cursor, TRIGGER, _sqlite_trigger_sql(connection))
            _sqlite_refresh(cursor, DELETE_TRIGGER, _SQLITE_DELETE_TRIGGER)


def audit_delete_guard_lift(connection: BaseDatabaseWrapper) -> None:
    """Drop SQLite's DELETE guard until the next ``audit_guard_install`` (for test flushes)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER}")


def audit_guard_remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER}")


def audit_guard_after_migrate(using: str = "default", **_kwargs: Any) -> None:
    """``post_migrate`` receiver: SQLite drops a table's triggers whenever a migration
    rebuilds the table, so the guard is re-checked after every migrate."""
    if global_apps.is_installed("advice"):
        audit_guard_install(connections[using])
