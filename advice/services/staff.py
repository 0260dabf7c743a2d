"""Creating staff accounts: officers and supervisors with their duty profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction

from advice.models import OfficerProfile, Unit

OFFICERS_GROUP = "officers"
SUPERVISORS_GROUP = "supervisors"


def staff_create(
    *,
    username: str,
    password: str,
    display_name: str,
    unit: Unit,
    languages: list[str],
    supervisor: bool = False,
    max_concurrent_chats: int = 3,
) -> AbstractUser:
    """Create (or update) a staff user, put them in their groups and give them a profile."""
    user_model = get_user_model()
    with transaction.atomic():
        user, _created = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        if supervisor:
            # Supervisors edit the knowledge base in the admin (their group grants the rights).
            user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get_or_create(name=OFFICERS_GROUP)[0])
        if supervisor:
            user.groups.add(Group.objects.get_or_create(name=SUPERVISORS_GROUP)[0])
        OfficerProfile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": display_name,
                "unit": unit,
                "languages": languages,
                "max_concurrent_chats": max_concurrent_chats,
            },
        )
    return user
