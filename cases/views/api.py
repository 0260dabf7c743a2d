"""JSON endpoints for the officer console: escalate a conversation, refer a conversation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.services.escalation import case_escalate
from cases.services.referrals import referral_conversation_create
from cases.views.common import request_data, staff_api, staff_user


@require_POST
@staff_api
def escalate(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """``201 {"reference", "url", "case_id"}``; errors ``{"code", "message"}`` with 4xx."""
    case = case_escalate(conversation_id=conversation_id, officer=staff_user(request))
    return JsonResponse(
        {
            "reference": case.reference,
            "url": reverse("cases:detail", args=[case.pk]),
            "case_id": case.pk,
        },
        status=201,
    )


@require_POST
@staff_api
def refer_conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Body (JSON or form): ``unit`` (code), ``reason`` (code), ``summary``.

    ``201 {"referral_id", "status": "pending", "to_unit"}``.
    """
    data = request_data(request)
    referral = referral_conversation_create(
        conversation_id=conversation_id,
        user=staff_user(request),
        unit_code=data.get("unit"),
        reason=data.get("reason"),
        summary=data.get("summary"),
    )
    return JsonResponse(
        {"referral_id": referral.pk, "status": referral.status, "to_unit": referral.to_unit.code},
        status=201,
    )
