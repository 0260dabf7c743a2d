"""Django admin for case records: metadata only, read only.

The legal hold and the review date are changed on the case page, by supervisors of the
case's unit and with a reason (``cases.services.retention``), not here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from advice.selectors import is_supervisor
from cases.models import Case


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
        "legal_hold_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user: Any = request.user
        return is_supervisor(user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
