"""The justification asked before staff open a case or a conversation not assigned to them.

Every staff page that shows such an object — the case's detail page, its printable report,
its JSON and STIX downloads, a supervisor's view of an ended conversation — first passes
:func:`justification_gate`: a small form (a reason code and optional text) posted back to
the same address. Once given, the justification is kept in the session for that object
(``advice.access_reasons``), so the other pages of the same object, and the staff sockets,
find it there and store it with their access events while it lasts.
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
    case_key,
    justification_clean,
    justification_current,
    justification_grant,
    justification_needed,
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
    """Either a ``response`` to send instead of the object, or the ``justification`` (None
    when none is needed) to record with the access."""

    response: HttpResponse | None = None
    justification: dict[str, str] | None = None


@dataclass(frozen=True)
class Subject:
    """What the form asks about, in words for the person asked."""

    heading: str
    explanation: str
    button: str


def justification_gate(request: HttpRequest, *, key: str, needed: bool, subject: Subject) -> Gate:
    """Ask for (GET), accept (POST, then back to the same address with GET) or find (in the
    session) the justification for the object ``key``; pass through when not ``needed``."""
    if not needed:
        return Gate()
    current = justification_current(request.session, key=key)
    if current is not None and request.method != "POST":
        return Gate(justification=current)
    form = JustificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        justification = justification_clean(
            reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]
        )
        justification_grant(request.session, key=key, justification=justification)
        return Gate(response=redirect(request.get_full_path()))
    return Gate(
        response=render(
            request,
            "cases/justify.html",
            {"subject": subject, "form": form, "action": request.get_full_path()},
        )
    )


def case_justification_gate(request: HttpRequest, *, case_id: int) -> Gate:
    """:func:`justification_gate` for a case. A case the user may not see passes through:
    opening it gives ``not_found`` as before."""
    user = staff_user(request)
    try:
        case = case_for_user(case_id, user)
    except DomainError:
        return Gate()
    subject = Subject(
        heading=str(_("Why are you opening this case?")),
        explanation=str(
            _(
                "You are not the officer assigned to %(reference)s. Give the reason for "
                "opening it: it is recorded with your access."
            )
            % {"reference": case.reference}
        ),
        button=str(_("Open the case")),
    )
    return justification_gate(
        request,
        key=case_key(case.pk),
        needed=justification_needed(assigned_officer_id=case.assigned_officer_id, user=user),
        subject=subject,
    )
