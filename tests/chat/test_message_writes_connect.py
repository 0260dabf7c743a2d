"""The event loop's message writers connect with the database settings the ORM uses
(libpq's names, as Django gives them to psycopg), plus their own lock and statement
timeouts."""

from __future__ import annotations

from chat.message_writes import connect_arguments


def test_the_orm_s_parameters_become_asyncpg_s(settings):
    settings.DB_LOCK_TIMEOUT_MS = 1500
    settings.DB_STATEMENT_TIMEOUT_MS = 4000
    arguments = connect_arguments(
        {
            "dbname": "poradnia",
            "user": "app",
            "password": "s3cret",
            "host": "db.internal",
            "port": 5433,
            "sslmode": "verify-full",
            "connect_timeout": "7",
            "application_name": "poradnia-web",
            "options": "-c search_path=poradnia -c work_mem=8MB",
            "client_encoding": "UTF8",
            "prepare_threshold": None,
        }
    )
    assert arguments == {
        "host": "db.internal",
        "port": 5433,
        "user": "app",
        "password": "s3cret",
        "database": "poradnia",
        "ssl": "verify-full",
        "timeout": 7.0,
        "server_settings": {
            "lock_timeout": "1500ms",
            "statement_timeout": "4000ms",
            "search_path": "poradnia",
            "work_mem": "8MB",
            "application_name": "poradnia-web",
        },
    }


def test_the_path_s_own_timeouts_win_over_the_options_string(settings):
    settings.DB_LOCK_TIMEOUT_MS = 2000
    arguments = connect_arguments({"dbname": "x", "options": "-c lock_timeout=0"})
    assert arguments["server_settings"]["lock_timeout"] == "2000ms"
    assert "ssl" not in arguments
    assert arguments["host"] is None
