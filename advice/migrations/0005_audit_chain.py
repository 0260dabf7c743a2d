"""Seal the audit trail into a hash chain (advice.audit_chain): position, hash and the
recorded conversation for every event, existing events chained in the order they were written."""

import django.utils.timezone
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from advice.audit_chain import GENESIS, STREAM, chain_hash, event_canonical
    from advice.db_guard import audit_guard_install, audit_guard_remove

    connection = schema_editor.connection
    AuditEvent = apps.get_model("advice", "AuditEvent")
    AuditChainHead = apps.get_model("advice", "AuditChainHead")
    # The append-only guard refuses these one-time updates: lifted, then put back.
    audit_guard_remove(connection)
    previous, seq = GENESIS, 0
    for event in AuditEvent.objects.order_by("at", "pk").iterator(chunk_size=2000):
        seq += 1
        previous = chain_hash(
            previous,
            event_canonical(
                seq=seq,
                at=event.at,
                actor_id=event.actor_id,
                actor_kind=event.actor_kind,
                action=event.action,
                conversation_ref=event.conversation_id,
                object_type=event.object_type,
                object_id=event.object_id,
                params=event.params,
            ),
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            seq=seq, conversation_ref=event.conversation_id, hash=previous
        )
    AuditChainHead.objects.create(stream=STREAM, seq=seq, hash=previous)
    audit_guard_install(connection)


class Migration(migrations.Migration):

    dependencies = [
        ("advice", "0004_vocabulary_labels"),
        ("cases", "0002_audit_guard"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stream", models.CharField(max_length=32, unique=True)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0" * 64, max_length=64)),
                ("anchor_seq", models.BigIntegerField(default=0)),
                ("anchor_hash", models.CharField(default="0" * 64, max_length=64)),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="conversation_ref",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
    ]
