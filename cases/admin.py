"""Django admin for case records: metadata only, and the legal hold supervisors set."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from advice.selectors import is_supervisor
from cases.models import Case
from cases.services.cases import case_legal_hold_set


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # No case content here: reading a case goes through the audited case page.
    list_display = ["reference", "unit", "category", "status", "review_at", "legal_hold"]
    list_filter = ["unit", "status", "legal_hold"]
    search_fields = ["reference"]
    fields = (
        "reference",
        "unit",
        "category",
        "status",
        "created_at",
        "review_at",
        "erased_at",
        "legal_hold",
    )
    readonly_fields: ClassVar[list[str]] = [
        "reference",
        "unit",
        "category",
        "status",
        "created_at",
        "review_at",
        "erased_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user: Any = request.user
        return is_supervisor(user) and (obj is None or obj.erased_at is None)

    def save_model(self, request: HttpRequest, obj: Case, form: ModelForm, change: bool) -> None:
        # Through the service, so the hold is audited like every other change of a case.
        user: Any = request.user
        case_legal_hold_set(case_id=obj.pk, user=user, hold=obj.legal_hold)
