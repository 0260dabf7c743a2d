"""Socket counters now count leases, and no lease exists yet: start every count at zero.

Whoever was counted as connected gets the usual grace (officers) or resume wait (citizens of
open conversations) from now, so a socket counted by a process that died before this
migration cannot keep an officer online or a conversation waiting for ever.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def counters_from_leases(apps, schema_editor):
    OfficerProfile = apps.get_model("advice", "OfficerProfile")
    Conversation = apps.get_model("advice", "Conversation")
    now = timezone.now()
    OfficerProfile.objects.filter(open_sockets__gt=0).update(
        open_sockets=0,
        last_disconnected_at=now,
        grace_due_at=now + timedelta(seconds=settings.OFFICER_GRACE_SECONDS),
    )
    OfficerProfile.objects.exclude(open_sockets=0).update(open_sockets=0)
    Conversation.objects.filter(status__in=["waiting", "active"]).update(
        citizen_open_sockets=0,
        resume_due_at=now + timedelta(seconds=settings.CITIZEN_RESUME_SECONDS),
    )
    Conversation.objects.exclude(citizen_open_sockets=0).update(citizen_open_sockets=0)


class Migration(migrations.Migration):
    dependencies = [("advice", "0006_presence_leases")]

    operations = [migrations.RunPython(counters_from_leases, migrations.RunPython.noop)]
