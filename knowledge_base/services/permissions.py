"""Giving supervisors the right to edit the knowledge base in the admin."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from core.vocabulary import StaffGroup

EDITOR_MODELS = ("article", "translation", "cannedreply", "cannedreplytranslation")
EDITOR_ACTIONS = ("view", "add", "change")


def editor_permissions_grant() -> int:
    """Give the supervisors group view/add/change (not delete) on every knowledge-base model.

    Idempotent; returns how many permissions the group has on these models afterwards. Admin
    access also needs the account's ``is_staff`` flag, which account creation decides.
    """
    codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in EDITOR_ACTIONS]
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=StaffGroup.SUPERVISORS)
        permissions = Permission.objects.filter(
            content_type__app_label="knowledge_base", codename__in=codenames
        )
        group.permissions.add(*permissions)
        return group.permissions.filter(content_type__app_label="knowledge_base").count()
