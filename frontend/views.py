"""Views of the browser pages: each renders a template; the pages talk over websockets.

The citizen page and the neutral page set no cookie: they never touch the session or the
CSRF token, and their language comes from ``?lang=`` or ``Accept-Language`` only.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from advice import http
from advice.selectors import (
    is_supervisor,
    officer_profile,
    staff_directory,
    units_all,
)
from advice.services.conversations import conversation_leave
from advice.services.watch import conversations_watchable
from advice.tokens import TOKEN_MAX_CHARS
from cases.models import ReferralReason
from chat import limits
from chat.routing import CITIZEN_SOCKET_PATH, OFFICER_SOCKET_PATH, SUPERVISOR_SOCKET_PATH
from core.errors import DomainError
from core.reason_text import reason_table
from core.vocabulary import Category, SafetyAnswer
from frontend import ui_text
from knowledge_base.languages import normalise_language


def citizen_language(request: HttpRequest) -> tuple[str, bool]:
    """The interface language of the citizen page and whether the citizen chose it.

    ``?lang=`` (one of ``UI_LANGUAGES``) is an explicit choice; otherwise the first interface
    language in ``Accept-Language`` (Norwegian ``no``/``nn`` count as ``nb``); otherwise
    ``LANGUAGE_CODE``.
    """
    chosen = request.GET.get("lang", "")
    if chosen in settings.UI_LANGUAGES:
        return chosen, True
    header = request.headers.get("accept-language", "")
    for tag, _quality in parse_accept_lang_header(header):
        code = normalise_language(tag)
        if code in settings.UI_LANGUAGES:
            return code, False
    return settings.LANGUAGE_CODE, False


def _language_choices() -> list[dict[str, str]]:
    names = ui_text.language_names()
    return [{"code": code, "name": names[code]} for code in settings.UI_LANGUAGES]


@require_safe
def citizen_page(request: HttpRequest) -> HttpResponse:
    language, chosen = citizen_language(request)
    with translation.override(language):
        labels = ui_text.category_labels()
        context = {
            "language_choices": _language_choices(),
            "categories": [(code, labels[code]) for code in Category.values],
            "safety_answers": SafetyAnswer.choices,
            "strings": ui_text.citizen_strings(),
            "code_hours": ui_text.code_hours(),
            "config": {
                "socket_path": CITIZEN_SOCKET_PATH,
                "exit_url": reverse("frontend:neutral"),
                "leave_url": reverse("frontend:leave"),
                "help_url": reverse("knowledge_base:index"),
                "chosen_language": language if chosen else "",
                "language_names": ui_text.language_names(),
                "frame_rate": limits.CITIZEN_FRAME_RATE.as_config(),
            },
        }
        response = render(request, "frontend/citizen.html", context)
    response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept-Language"])
    return response


@csrf_exempt
@require_POST
def citizen_leave(request: HttpRequest) -> HttpResponse:
    """Quick exit's beacon: revoke the conversation of the token in the body and end it.

    Exempt from CSRF because the only thing it accepts is the conversation's own token (a
    forged request would have to know it). Answers 204 whether or not the token matched, so
    it tells nobody which tokens exist.
    """
    token = request.POST.get("token", "")
    if 0 < len(token) <= TOKEN_MAX_CHARS:
        with contextlib.suppress(DomainError):
            conversation_leave(token=token)
    return HttpResponse(status=204)


@require_safe
def neutral_page(request: HttpRequest) -> HttpResponse:
    """An unrelated-looking page the quick exit replaces the citizen page with."""
    language, _chosen = citizen_language(request)
    with translation.override(language):
        response = render(request, "frontend/neutral.html")
    response.headers["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


@http.staff_page
def console_page(request: HttpRequest) -> HttpResponse:
    profile = officer_profile(user=request.user)  # type: ignore[arg-type]
    names = ui_text.language_names()
    config = {
        "socket_path": OFFICER_SOCKET_PATH,
        "frame_rate": limits.OFFICER_FRAME_RATE.as_config(),
        "officer_id": request.user.pk,
        "csrf_token": get_token(request),
        "escalate_url": _id_template("cases:escalate"),
        "refer_url": _id_template("cases:refer_conversation"),
        "inbox_url": reverse("cases:inbox"),
        "categories": ui_text.category_short_labels(),
        "urgencies": ui_text.urgency_labels(),
        "outcomes": ui_text.outcome_labels(),
        "language_names": names,
        "canned": ui_text.canned_replies(),
        "reason_texts": reason_table(),
        "colleagues": [
            {"id": p.user_id, "name": p.display_name, "unit": p.unit.code}
            for p in staff_directory(exclude_user_id=request.user.pk)
        ],
        "units": [{"code": u.code, "name": u.name} for u in units_all()],
    }
    context = {
        "profile": profile,
        "is_supervisor": is_supervisor(request.user),  # type: ignore[arg-type]
        "strings": ui_text.console_strings(),
        "config": config,
        "categories": ui_text.category_short_labels().items(),
        "urgencies": ui_text.urgency_labels().items(),
        "outcomes": ui_text.outcome_labels().items(),
        "languages": list(names.items()),
        "colleagues": config["colleagues"],
        "units": config["units"],
        "referral_reasons": ReferralReason.choices,
    }
    return render(request, "frontend/console.html", context)


# Query parameters of the statistics endpoints the dashboard passes through unchanged.
STATS_PARAMS = ("from", "to", "granularity", "unit", "language", "category", "urgency")
# Charts of the historical view: (chart, metric, breakdown) for ``/supervisor/stats/chart.svg``.
STATS_CHARTS = (
    ("series", "started", ""),
    ("series", "abandonment_rate", ""),
    ("series", "wait_join_median", ""),
    ("breakdown", "started", "language"),
    ("breakdown", "wait_join_median", "urgency"),
    ("breakdown", "started", "category"),
    ("breakdown", "rating_average", "unit"),
    ("heatmap", "started", ""),
)


def _id_template(name: str) -> str:
    """The URL of ``name`` for any id, with ``{id}`` where the browser puts the id."""
    return reverse(name, args=[0]).replace("/0/", "/{id}/")


def _metric_labels() -> dict[str, str]:
    from stats.charts import METRIC_LABELS

    return {name: str(label) for name, label in METRIC_LABELS.items()}


@http.supervisor_page
def supervisor_page(request: HttpRequest) -> HttpResponse:
    params = QueryDict(mutable=True)
    for name in STATS_PARAMS:
        values = [v for v in request.GET.getlist(name) if v]
        if values:
            params.setlist(name, values)
    query = params.urlencode()
    labels = _metric_labels()
    breakdowns = ui_text.breakdown_labels()
    charts = []
    for chart, metric, by in STATS_CHARTS:
        chart_params = params.copy()
        chart_params["chart"] = chart
        chart_params["metric"] = metric
        if by:
            chart_params["by"] = by
        title = labels.get(metric, metric)
        charts.append(
            {
                "url": f"{reverse('statistics:chart')}?{chart_params.urlencode()}",
                "title": f"{title} – {breakdowns[by]}" if by else title,
            }
        )
    config = {
        "socket_path": SUPERVISOR_SOCKET_PATH,
        "metrics_url": f"{reverse('statistics:metrics')}?{query}",
        "categories": ui_text.category_short_labels(),
        "urgencies": ui_text.urgency_labels(),
        "language_names": ui_text.language_names(),
        "reason_texts": reason_table(),
        "metric_labels": labels,
    }
    context = {
        "strings": ui_text.supervisor_strings(),
        "config": config,
        "watchable": conversations_watchable(user=request.user),  # type: ignore[arg-type]
        "charts": charts,
        "export_url": f"{reverse('statistics:export')}?{query}",
        "period": {name: request.GET.get(name, "") for name in ("from", "to", "granularity")},
    }
    return render(request, "frontend/supervisor.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask every site for /favicon.ico: answer with the same neutral icon."""
    return HttpResponsePermanentRedirect(static("frontend/img/icon.svg"))
