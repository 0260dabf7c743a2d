"""Django admin for units, officer profiles, and read-only views of conversations and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from advice.models import AuditEvent, Conversation, OfficerProfile, TriageOverride, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "timezone"]
    search_fields = ["code", "name"]


@admin.register(OfficerProfile)
class OfficerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "unit", "on_duty", "max_concurrent_chats"]
    list_filter = ["unit", "on_duty"]
    search_fields = ["display_name", "user__username"]
    readonly_fields = ["open_sockets", "last_disconnected_at", "grace_due_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services; the admin shows them and cannot change them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    # No words of the citizen here — messages, pre-chat answers, the phrases triage quotes,
    # the rating comment: reading a conversation goes through the audited, justified console.
    list_display = ["id", "status", "unit", "language", "category", "urgency", "created_at"]
    list_filter = ["status", "unit", "language", "category", "urgency"]
    exclude = [
        "token_hash",
        "rating_comment",
        "prechat",
        "triage_reasons",
        "resume_lookup",
        "resume_hash",
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "actor_kind",
        "action",
        "conversation",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "actor_kind"]
    search_fields = ["action", "object_id", "actor__username"]


@admin.register(TriageOverride)
class TriageOverrideAdmin(ReadOnlyAdmin):
    list_display = ["at", "conversation", "officer", "field", "old_value", "new_value"]
    list_filter = ["field", "new_value"]
