"""The justification asked before a staff member who is not the case's officer opens it.

The detail page first shows a small form (a reason code and optional text); once given, the
justification is kept in the session for that case (``advice.access_reasons``) and stored
with every ``case.viewed`` event of the detail page while it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from advice.access_reasons import (
    JUSTIFICATION_TEXT_MAX,
    AccessReason,
    justification_clean,
    justification_current,
    justification_grant,
)
from cases.selectors import case_for_user
from cases.views.common import staff_user
from core.errors import DomainError


class JustificationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=AccessReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details (optional)"), required=False, max_length=JUSTIFICATION_TEXT_MAX
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == AccessReason.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("Explain the reason in the details."))
        return cleaned


@dataclass(frozen=True)
class Gate:
    """Either a ``response`` to send instead of the case, or the ``justification`` (None when
    none is needed) to record with the access."""

    response: HttpResponse | None = None
    justification: dict[str, str] | None = None


def case_justification_gate(request: HttpRequest, *, case_id: int) -> Gate:
    """Ask for (GET), accept (POST) or find (session) the justification for opening a case
    the user is not assigned to. A case the user may not see passes through: opening it
    gives ``not_found`` as before."""
    user = staff_user(request)
    try:
        case = case_for_user(case_id, user)
    except DomainError:
        return Gate()
    if case.assigned_officer_id == user.pk:
        return Gate()
    key = f"case:{case.pk}"
    current = justification_current(request.session, key=key)
    if current is not None and request.method != "POST":
        return Gate(justification=current)
    form = JustificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        justification = justification_clean(
            reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]
        )
        justification_grant(request.session, key=key, justification=justification)
        return Gate(response=redirect("cases:detail", case_id=case.pk))
    return Gate(response=render(request, "cases/justify.html", {"case": case, "form": form}))
