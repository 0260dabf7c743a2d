"""Form actions of the case pages (POST only): parse the form, call one service, redirect.

A refusal is shown as a message on the page the officer came from; a case the officer may
not see answers 404 (its existence is not revealed).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from cases.selectors import case_for_user
from cases.services import cases as case_services
from cases.services.indicators import (
    indicator_decide,
    indicators_add_manual,
    indicators_refresh,
)
from cases.services.reading import case_visible_or_refused
from cases.services.referrals import (
    referral_accept,
    referral_case_create,
    referral_decline,
)
from cases.services.retention import case_legal_hold_set, case_review_date_set
from cases.services.transcript import transcript_refresh
from cases.views.common import staff_page, staff_user, unit_time
from core.error_messages import error_message
from core.errors import DomainError


def _detail(case_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("cases:detail", args=[case_id]))


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _run(
    request: HttpRequest, case_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run a service call; show ``done`` or the refusal; come back to the case."""
    try:
        case_visible_or_refused(case_id=case_id, user=staff_user(request), what=request.path)
    except DomainError:
        raise Http404("No such case.") from None
    try:
        action()
    except DomainError as error:
        messages.error(request, error_message(error.code))
    else:
        messages.success(request, done)
    return _detail(case_id)


def _case_form(
    request: HttpRequest, case_id: int, make: Callable[[], forms.Form]
) -> forms.Form | None:
    """The bound form if valid (read in the case unit's time zone), else None with errors."""
    try:
        case = case_visible_or_refused(case_id=case_id, user=staff_user(request), what=request.path)
    except DomainError:
        raise Http404("No such case.") from None
    with unit_time(case.unit):
        form = make()
        valid = form.is_valid()
    if not valid:
        _form_errors(request, form)
        return None
    return form


@require_POST
@staff_page
def case_fields(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user(request)
    form = _case_form(
        request,
        case_id,
        lambda: CaseFieldsForm(request.POST, case=case_for_user(case_id, user)),
    )
    if form is None:
        return _detail(case_id)
    data = form.cleaned_data
    fields = case_services.CaseFields(
        category=data["category"],
        urgency=data["urgency"],
        summary=data["summary"],
        incident_at=data["incident_at"],
        assigned_officer_id=data["assigned_officer"],
    )
    return _run(
        request,
        case_id,
        lambda: case_services.case_update(case_id=case_id, user=user, fields=fields),
        _("Case updated."),
    )


@require_POST
@staff_page
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: TransitionForm(request.POST))
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: case_services.case_transition(
            case_id=case_id,
            user=staff_user(request),
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
        _("Status changed."),
    )


@require_POST
@staff_page
def legal_hold(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: LegalHoldForm(request.POST))
    if form is None:
        return _detail(case_id)
    hold = form.cleaned_data["hold"]
    return _run(
        request,
        case_id,
        lambda: case_legal_hold_set(
            case_id=case_id, user=staff_user(request), hold=hold, reason=form.cleaned_data["reason"]
        ),
        _("The case is on legal hold.") if hold else _("The legal hold is lifted."),
    )


@require_POST
@staff_page
def review_date(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: ReviewDateForm(request.POST))
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: case_review_date_set(
            case_id=case_id,
            user=staff_user(request),
            review_at=form.cleaned_data["review_at"],
            reason=form.cleaned_data["reason"],
        ),
        _("Review date changed."),
    )


@require_POST
@staff_page
def loss_add(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: LossForm(request.POST))
    if form is None:
        return _detail(case_id)
    data = form.cleaned_data
    loss = case_services.LossInput(
        amount=data["amount"],
        currency=data["currency"],
        method=data["method"],
        occurred_at=data["occurred_at"],
        note=data["note"],
    )
    return _run(
        request,
        case_id,
        lambda: case_services.case_loss_add(case_id=case_id, user=staff_user(request), loss=loss),
        _("Loss recorded."),
    )


@require_POST
@staff_page
def loss_remove(request: HttpRequest, case_id: int, loss_id: int) -> HttpResponse:
    return _run(
        request,
        case_id,
        lambda: case_services.case_loss_remove(
            case_id=case_id, user=staff_user(request), loss_id=loss_id
        ),
        _("Loss entry removed."),
    )


@require_POST
@staff_page
def checklist(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user(request)

    def make() -> forms.Form:
        codes = list(case_for_user(case_id, user).evidence_items.values_list("code", flat=True))
        return ChecklistForm(request.POST, codes=codes)

    form = _case_form(request, case_id, make)
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: case_services.case_checklist_set(
            case_id=case_id, user=user, have=set(form.cleaned_data["have"])
        ),
        _("Checklist saved."),
    )


@require_POST
@staff_page
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: NoteForm(request.POST))
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: case_services.case_note_add(
            case_id=case_id, user=staff_user(request), text=form.cleaned_data["text"]
        ),
        _("Note added."),
    )


@require_POST
@staff_page
def indicators_extract(request: HttpRequest, case_id: int) -> HttpResponse:
    return _run(
        request,
        case_id,
        lambda: indicators_refresh(case_id=case_id, user=staff_user(request)),
        _("Indicators extracted from the citizen's messages."),
    )


@require_POST
@staff_page
def indicator_decision(request: HttpRequest, case_id: int, indicator_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: IndicatorDecisionForm(request.POST))
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: indicator_decide(
            case_id=case_id,
            user=staff_user(request),
            indicator_id=indicator_id,
            status=form.cleaned_data["status"],
            party=form.cleaned_data["party"],
        ),
        _("Indicator updated."),
    )


@require_POST
@staff_page
def indicator_add(request: HttpRequest, case_id: int) -> HttpResponse:
    form = _case_form(request, case_id, lambda: ManualIndicatorForm(request.POST))
    if form is None:
        return _detail(case_id)
    return _run(
        request,
        case_id,
        lambda: indicators_add_manual(
            case_id=case_id,
            user=staff_user(request),
            text=form.cleaned_data["text"],
            party=form.cleaned_data["party"],
        ),
        _("Indicator added."),
    )


@require_POST
@staff_page
def transcript_append(request: HttpRequest, case_id: int) -> HttpResponse:
    return _run(
        request,
        case_id,
        lambda: transcript_refresh(case_id=case_id, user=staff_user(request)),
        _("New messages added to the transcript."),
    )


@require_POST
@staff_page
def case_refer(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user(request)
    form = _case_form(
        request,
        case_id,
        lambda: ReferralForm(request.POST, exclude_unit_id=case_for_user(case_id, user).unit_id),
    )
    if form is None:
        return _detail(case_id)
    data = form.cleaned_data
    return _run(
        request,
        case_id,
        lambda: referral_case_create(
            case_id=case_id,
            user=user,
            unit_code=data["unit"],
            reason=data["reason"],
            summary=data["summary"],
        ),
        _("Referral sent."),
    )


def _inbox() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("cases:inbox"))


@require_POST
@staff_page
def referral_accept_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        referral = referral_accept(referral_id=referral_id, user=staff_user(request))
    except DomainError as error:
        messages.error(request, error_message(error.code))
        return _inbox()
    messages.success(request, _("Referral accepted: your unit owns it now."))
    if referral.case_id is not None:
        return _detail(referral.case_id)
    return _inbox()


@require_POST
@staff_page
def referral_decline_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _inbox()
    try:
        referral_decline(
            referral_id=referral_id, user=staff_user(request), reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error_message(error.code))
    else:
        messages.success(request, _("Referral declined."))
    return _inbox()
