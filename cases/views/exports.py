"""Downloads of a case: the JSON document and the STIX 2.1 bundle (each audited, and each
asking staff not assigned to the case why first, like the case page)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse

from cases.services.reading import case_export_json, case_export_stix
from cases.views.common import staff_page, staff_user
from cases.views.justify import case_justification_gate
from core.errors import DomainError


def _download(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_page
def export_json(request: HttpRequest, case_id: int) -> HttpResponse:
    gate = case_justification_gate(request, case_id=case_id)
    if gate.response is not None:
        return gate.response
    try:
        document = case_export_json(
            case_id=case_id, user=staff_user(request), justification=gate.justification
        )
    except DomainError:
        raise Http404("No such case.") from None
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return _download(body, f"{document['case']['reference']}.json")


@staff_page
def export_stix(request: HttpRequest, case_id: int) -> HttpResponse:
    gate = case_justification_gate(request, case_id=case_id)
    if gate.response is not None:
        return gate.response
    try:
        bundle = case_export_stix(
            case_id=case_id, user=staff_user(request), justification=gate.justification
        )
    except DomainError:
        raise Http404("No such case.") from None
    return _download(bundle, f"case-{case_id}-stix.json")
