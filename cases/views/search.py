"""The staff search page: a GET form and the results in the searcher's unit (audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from advice.models import ConversationStatus
from cases.models import CaseStatus
from cases.search import SearchHit
from cases.search_query import QUERY_MAX
from cases.services.search import staff_search_run
from cases.views.common import staff_page, staff_user


def _link(hit: SearchHit) -> str:
    if hit.opens == "case" and hit.case_id is not None:
        return reverse("cases:detail", args=[hit.case_id])
    if hit.opens == "watch":
        return reverse("frontend:watch", args=[hit.object_id])
    if hit.opens == "console":
        return reverse("frontend:console")
    return ""


@staff_page
def search_page(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")[: QUERY_MAX * 2]
    query, results = staff_search_run(raw=raw, user=staff_user(request))
    statuses = {
        "case": dict(CaseStatus.choices),
        "conversation": dict(ConversationStatus.choices),
    }
    rows = []
    if results is not None:
        for hit in [*results.cases, *results.conversations]:
            rows.append((hit, statuses[hit.kind].get(hit.status, hit.status), _link(hit)))
    return render(
        request,
        "cases/search.html",
        {"raw": raw, "query": query, "rows": rows, "query_max": QUERY_MAX},
    )
