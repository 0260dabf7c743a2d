"""How the search matches a word in stored text: in any letter case, through invisible
formatting (``advice.text.INVISIBLE_FORMAT``) inserted into it.

Both databases first try the plain text, and strip invisible characters before comparing
only in the rare rows that hold one (``HasInvisible``): ``TRANSLATE`` over a set of
multi-byte characters costs PostgreSQL about 90 µs a row (measured), ten times a
case-insensitive ``LIKE``.

- PostgreSQL: ``UPPER(text) LIKE UPPER('%word%')``, or ``text ~ '[<invisible>]'`` and
  ``LOWER(TRANSLATE(text, '<invisible>', '')) LIKE '%word%'``.
- SQLite, whose ``LIKE`` folds ASCII letters only and which has no ``TRANSLATE``: the word
  as typed (and, with other letters than ASCII, in lower case, capitalised and in upper
  case) in a plain ``LIKE``, or two Python functions registered on every connection:
  ``poradnia_has_invisible`` (a regular expression; a chain of ``instr`` or a ``GLOB``
  class measured slower) and ``poradnia_search_text`` (the text without invisible
  formatting, in lower case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, F, Func, Q, TextField, Value
from django.db.models.lookups import Contains

from advice.text import INVISIBLE_FORMAT, without_invisible_format

SQLITE_FUNCTION = "poradnia_search_text"
SQLITE_HAS_INVISIBLE = "poradnia_has_invisible"
_INVISIBLE = "".join(chr(code) for code in sorted(INVISIBLE_FORMAT))
_INVISIBLE_RE = re.compile("[" + re.escape(_INVISIBLE) + "]")


def search_text(text: str | None) -> str | None:
    """``text`` as searched: no invisible formatting, lower case."""
    return None if text is None else without_invisible_format(text).lower()


class SearchText(Func):
    """A text column as :func:`search_text` sees it, in the database."""

    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return Func(
            *self.source_expressions, function=SQLITE_FUNCTION, output_field=TextField()
        ).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        translated = Func(
            self.source_expressions[0],
            Value(_INVISIBLE),
            Value(""),
            function="TRANSLATE",
            output_field=TextField(),
        )
        return Func(translated, function="LOWER", output_field=TextField()).as_sql(
            compiler, connection
        )


class HasInvisible(Func):
    """Whether a text column holds an invisible formatting character."""

    function = SQLITE_HAS_INVISIBLE
    output_field = BooleanField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ~ %s)", (*params, f"[{_INVISIBLE}]")


def has_invisible(text: str | None) -> bool:
    return text is not None and _INVISIBLE_RE.search(text) is not None


def text_contains(field: str, words: Iterable[str]) -> Q:
    """``field`` contains one of ``words`` (see the module docstring)."""
    matches = Q()
    for word in words:
        folded = search_text(word) or ""
        if connection.vendor == "sqlite":
            # LIKE folds ASCII letters itself: spellings are needed for other letters only.
            spellings = (word, word.lower(), word.capitalize(), word.upper())
            for variant in dict.fromkeys(spellings if not word.isascii() else (word,)):
                matches |= Q(**{f"{field}__contains": variant})
        else:
            matches |= Q(**{f"{field}__icontains": word})
        matches |= Q(HasInvisible(F(field))) & Q(Contains(SearchText(F(field)), folded))
    return matches


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function(SQLITE_FUNCTION, 1, search_text, deterministic=True)
        raw.create_function(SQLITE_HAS_INVISIBLE, 1, has_invisible, deterministic=True)


def search_function_install() -> None:
    """Register the SQLite function on every new connection (``CasesConfig.ready``)."""
    connection_created.connect(_register, dispatch_uid="cases.search_text")
