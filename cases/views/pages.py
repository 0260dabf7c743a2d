"""Pages of case records: list, detail, referral inbox and the printable report."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from advice.models import OfficerProfile
from cases.checklist import item_label
from cases.forms import (
    CaseFieldsForm,
    ChecklistForm,
    DeclineForm,
    IndicatorDecisionForm,
    LegalHoldForm,
    LossForm,
    ManualIndicatorForm,
    NoteForm,
    ReferralForm,
    ReviewDateForm,
    TransitionForm,
)
from cases.inbox import pending_rows
from cases.models import (
    Case,
    CaseStatus,
    IndicatorParty,
    IndicatorStatus,
    ReferralStatus,
)
from cases.selectors import (
    case_access,
    case_editable_by,
    cases_visible_to,
    indicator_matches,
    loss_totals,
    referrals_for_unit,
)
from cases.services.cases import TRANSITIONS
from cases.services.reading import case_list_viewed, case_open, case_print
from cases.services.retention import retention_editable_by
from cases.services.transcript import transcript_verify
from cases.views.common import staff_page, staff_user, unit_time
from cases.views.justify import case_justification_gate
from core.errors import DomainError

LIST_LIMIT = 200


@staff_page
def case_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:40]
    cases = cases_visible_to(user).select_related("unit")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(reference__icontains=query)
    rows = list(cases.order_by("-created_at", "-pk")[:LIST_LIMIT])
    names = dict(
        OfficerProfile.objects.filter(
            user_id__in={c.assigned_officer_id for c in rows if c.assigned_officer_id}
        ).values_list("user_id", "display_name")
    )
    case_list_viewed(user=user, count=len(rows), filters={"status": status, "q": query})
    return render(
        request,
        "cases/list.html",
        {
            "cases": [(c, names.get(c.assigned_officer_id or 0, "")) for c in rows],
            "status": status,
            "query": query,
            "statuses": CaseStatus.choices,
            "limit": LIST_LIMIT,
        },
    )


def _open(
    case_id: int, request: HttpRequest, view: str, justification: dict[str, str] | None = None
) -> Case:
    try:
        return case_open(
            case_id=case_id, user=staff_user(request), view=view, justification=justification
        )
    except DomainError:
        raise Http404("No such case.") from None


def detail_context(case: Case, request: HttpRequest) -> dict[str, Any]:
    """Everything the detail page shows; the case was already opened (and audited)."""
    user = staff_user(request)
    language = translation.get_language() or "en"
    indicators = list(case.indicators.all())
    matches = indicator_matches(case, user)
    evidence = list(case.evidence_items.all())
    editable = case_editable_by(case, user)
    officer_names = dict(
        OfficerProfile.objects.filter(
            user_id__in=[i for i in (case.assigned_officer_id, case.created_by_id) if i]
        ).values_list("user_id", "display_name")
    )
    referral_form = ReferralForm(exclude_unit_id=case.unit_id)
    referrals = list(case.referrals.select_related("from_unit", "to_unit"))
    return {
        "case": case,
        "editable": editable,
        "access": case_access(case, user),
        "assigned_name": officer_names.get(case.assigned_officer_id or 0, ""),
        "created_name": officer_names.get(case.created_by_id, ""),
        "fields_form": CaseFieldsForm(
            case=case,
            initial={
                "category": case.category,
                "urgency": case.urgency,
                "assigned_officer": case.assigned_officer_id,
                "incident_at": case.incident_at,
                "summary": case.summary,
            },
        ),
        "retention_editable": retention_editable_by(case, user),
        "hold_form": LegalHoldForm(initial={"hold": "0" if case.legal_hold else "1"}),
        "review_form": ReviewDateForm(
            initial={"review_on": timezone.localtime(case.review_at).date()}
            if case.review_at
            else None
        ),
        "transitions": sorted(TRANSITIONS.get(case.status, frozenset())),
        "status_labels": dict(CaseStatus.choices),
        "transition_form": TransitionForm(),
        "evidence": [(i, item_label(i.code, language, stored=i.label)) for i in evidence],
        "checklist_form": ChecklistForm(codes=[i.code for i in evidence]),
        "losses": list(case.losses.all()),
        "loss_totals": loss_totals(case),
        "loss_form": LossForm(),
        "suggested": [i for i in indicators if i.status == IndicatorStatus.SUGGESTED],
        "confirmed": [(i, matches.get(i.pk, [])) for i in indicators if i.status == "confirmed"],
        "removed": [i for i in indicators if i.status == IndicatorStatus.REMOVED],
        "decision_form": IndicatorDecisionForm(
            auto_id=False, initial={"party": IndicatorParty.SUSPECT}
        ),
        "manual_form": ManualIndicatorForm(),
        "notes": list(case.notes.all()),
        "note_form": NoteForm(),
        "referral_form": referral_form,
        "referral_possible": bool(referral_form.fields["unit"].choices),  # type: ignore[attr-defined]
        "referrals": referrals,
        "referral_pending": any(r.status == ReferralStatus.PENDING for r in referrals),
        "conversations": list(case.conversation_links.all()),
        "transcript": list(case.transcript.order_by("position")),
        "verification": transcript_verify(case),
    }


@staff_page
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    gate = case_justification_gate(request, case_id=case_id)
    if gate.response is not None:
        return gate.response
    case = _open(case_id, request, "detail", gate.justification)
    with unit_time(case.unit):
        return render(request, "cases/detail.html", detail_context(case, request))


@staff_page
def referral_inbox(request: HttpRequest) -> HttpResponse:
    incoming, outgoing = referrals_for_unit(staff_user(request))
    return render(
        request,
        "cases/inbox.html",
        {
            "pending": pending_rows([r for r in incoming if r.status == "pending"]),
            "decided": [r for r in incoming if r.status != "pending"],
            "outgoing": outgoing,
            "decline_form": DeclineForm(),
        },
    )


@staff_page
def case_print_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """A printable report of the case (no internal notes), for a formal report."""
    gate = case_justification_gate(request, case_id=case_id)
    if gate.response is not None:
        return gate.response
    try:
        case = case_print(
            case_id=case_id, user=staff_user(request), justification=gate.justification
        )
    except DomainError:
        raise Http404("No such case.") from None
    language = translation.get_language() or "en"
    with unit_time(case.unit):
        return render(
            request,
            "cases/print.html",
            {
                "case": case,
                "assigned": OfficerProfile.objects.filter(user_id=case.assigned_officer_id or 0)
                .values_list("display_name", flat=True)
                .first(),
                "evidence": [
                    (i, item_label(i.code, language, stored=i.label))
                    for i in case.evidence_items.all()
                ],
                "losses": list(case.losses.all()),
                "loss_totals": loss_totals(case),
                "indicators": list(case.indicators.filter(status=IndicatorStatus.CONFIRMED)),
                "referrals": list(case.referrals.select_related("from_unit", "to_unit")),
                "transcript": list(case.transcript.order_by("position")),
                "verification": transcript_verify(case),
                "printed_by": OfficerProfile.objects.filter(user_id=request.user.pk or 0)
                .values_list("display_name", flat=True)
                .first(),
            },
        )
