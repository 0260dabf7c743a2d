"""Raw bulk inserts: ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, connections, models


def _prepared(model: type[models.Model], columns: Sequence[str]) -> list[Any]:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [by_column[c] for c in columns]


# Values every database driver takes as they are.
_PLAIN = (str, int, float, bytes)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert raw rows: ``COPY`` on PostgreSQL, ``executemany`` on other databases."""
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    fields = _prepared(model, columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # The connection itself, not the thread-local proxy (looked up once per value).
    database = connections[connection.alias]
    prepared = [
        tuple(
            v if v is None or isinstance(v, _PLAIN) else f.get_db_prep_save(v, database)
            for f, v in zip(fields, row, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)  # noqa: S608
