"""HTTP endpoints of historical statistics: JSON metrics, CSV export, SVG charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from advice.http import error_response
from core.errors import DomainError, ErrorCode
from stats import charts
from stats.access import StatsScope, stats_scope_for
from stats.export import stats_csv
from stats.metrics import stats_compute
from stats.params import stats_query_parse
from stats.services import stats_export_record

StatsView = Callable[[HttpRequest, StatsScope], HttpResponse]


def stats_view(view: StatsView) -> Callable[[HttpRequest], HttpResponse]:
    """Supervisors and admins only: anonymous users go to the login page, others get 403 JSON.

    Domain errors become ``{"code", "message"}`` JSON (``advice.http.error_response``).
    """

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = stats_scope_for(request.user)
        if scope is None:
            return error_response(
                DomainError(ErrorCode.NOT_ALLOWED, _("Statistics are for supervisors only."))
            )
        try:
            return view(request, scope)
        except DomainError as error:
            return error_response(error)

    return require_GET(never_cache(wrapper))


@stats_view
def metrics_json(request: HttpRequest, scope: StatsScope) -> HttpResponse:
    query = stats_query_parse(request.GET, scope)
    return JsonResponse(stats_compute(query, scope), json_dumps_params={"ensure_ascii": False})


@stats_view
def export_csv(request: HttpRequest, scope: StatsScope) -> HttpResponse:
    query = stats_query_parse(request.GET, scope)
    external = request.GET.get("external", "") in ("1", "true", "yes")
    result = stats_compute(query, scope)
    stats_export_record(user=request.user, query=query, external=external)
    response = HttpResponse(stats_csv(result, external=external), content_type="text/csv")
    kind = "external" if external else "internal"
    name = f"poradnia-stats-{query.start.isoformat()}-{query.end.isoformat()}-{kind}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@stats_view
def chart_svg(request: HttpRequest, scope: StatsScope) -> HttpResponse:
    """One chart as an SVG document: ``chart`` is ``series``, ``breakdown`` or ``heatmap``."""
    query = stats_query_parse(request.GET, scope)
    kind = request.GET.get("chart", "series")
    metric = request.GET.get("metric", "started")
    if kind == "series":
        query = replace(query, breakdowns=())
        svg = charts.series_chart(stats_compute(query, scope), metric)
    elif kind == "breakdown":
        by = request.GET.get("by", "language")
        if by not in query.breakdowns or by == "heatmap":
            raise DomainError(ErrorCode.INVALID_FIELD, "Parameter 'by': unknown breakdown.")
        query = replace(query, breakdowns=(by,))
        svg = charts.breakdown_chart(stats_compute(query, scope), by, metric)
    elif kind == "heatmap":
        query = replace(query, breakdowns=("heatmap",))
        svg = charts.heatmap_chart(stats_compute(query, scope))
    else:
        raise DomainError(ErrorCode.INVALID_FIELD, "Parameter 'chart': unknown chart.")
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
    return HttpResponse(document, content_type="image/svg+xml; charset=utf-8")
