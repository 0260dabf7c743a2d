"""PostgreSQL only: a stored, generated ``search_vector`` column on translations.

Each translation is indexed with its language's text-search configuration (``english``,
``german``, ``russian``, ``norwegian``, ``lithuanian`` where the server has them), and with
``simple`` over lower-cased, diacritic-folded text for the others (Polish, Czech, Slovak,
Ukrainian). ``knowledge_base.search`` queries it with the same mapping; a test keeps the two
copies of the mapping equal. Other databases get nothing (the search scores in Python there).
"""

from django.db import migrations

CONFIGS = {
    "en": "english",
    "de": "german",
    "ru": "russian",
    "nb": "norwegian",
    "lt": "lithuanian",
}
FOLD_FROM = "ąćęłńóśźżáčďéěíňřšťúůýäĺľôŕ"
FOLD_TO = "acelnoszzacdeeinrstuuyallor"
FIELDS = (("title", "A"), ("keywords", "B"), ("summary", "B"), ("body", "D"))


def _expression(available: set[str]) -> str:
    configs = {language: config for language, config in CONFIGS.items() if config in available}
    if configs:
        whens = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in configs.items())
        config_sql = f"CASE language {whens} ELSE 'simple'::regconfig END"
        stemmed = ", ".join(f"'{language}'" for language in configs)
    else:
        config_sql = "'simple'::regconfig"
        stemmed = ""

    def text(column: str) -> str:
        folded = f"translate(lower(coalesce({column}, '')), '{FOLD_FROM}', '{FOLD_TO}')"
        if not stemmed:
            return folded
        return f"CASE WHEN language IN ({stemmed}) THEN coalesce({column}, '') ELSE {folded} END"

    return " || ".join(
        f"setweight(to_tsvector({config_sql}, {text(column)}), '{weight}')"
        for column, weight in FIELDS
    )


def add_search_vector(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    schema_editor.execute(
        "ALTER TABLE knowledge_base_translation ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({_expression(available)}) STORED"
    )


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE knowledge_base_translation DROP COLUMN IF EXISTS search_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0001_initial")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector)]
