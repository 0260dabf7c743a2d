"""Make advice_auditevent append-only with database triggers (see advice.db_guard)."""

from django.db import migrations


def install(apps, schema_editor):
    from advice.db_guard import audit_guard_install

    audit_guard_install(schema_editor.connection)


def remove(apps, schema_editor):
    from advice.db_guard import audit_guard_remove

    audit_guard_remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("advice", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
