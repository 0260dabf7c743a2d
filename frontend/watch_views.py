"""The supervisor's read-only view of one conversation (watch and whisper)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from advice import http
from advice.models import Conversation
from advice.selectors import officer_display_name
from advice.services.watch import watch_scope
from chat.routing import SUPERVISOR_SOCKET_PATH
from frontend import ui_text


@http.supervisor_page
def watch_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The page opens the conversation over ``/ws/supervisor/`` (audited there, on open)."""
    scope = watch_scope(request.user)  # type: ignore[arg-type]
    conversation = Conversation.objects.filter(scope, pk=conversation_id).distinct().first()
    if conversation is None:
        raise Http404("No such conversation in your scope.")
    config = {
        "socket_path": SUPERVISOR_SOCKET_PATH,
        "conversation_id": conversation_id,
        "categories": ui_text.category_short_labels(),
        "urgencies": ui_text.urgency_labels(),
        "language_names": ui_text.language_names(),
    }
    context = {
        "conversation_id": conversation_id,
        "officer_name": officer_display_name(conversation),
        "strings": ui_text.watch_strings(),
        "config": config,
    }
    return render(request, "frontend/watch.html", context)
