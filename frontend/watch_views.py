"""The supervisor's read-only view of one conversation (watch and whisper)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from advice import http
from advice.access_reasons import conversation_key
from advice.models import Conversation
from advice.selectors import officer_display_name
from advice.services.watch import watch_needs_justification, watch_scope
from cases.views.justify import Subject, justification_gate
from chat.routing import SUPERVISOR_SOCKET_PATH
from frontend import ui_text


@http.supervisor_page
def watch_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The page opens the conversation over ``/ws/supervisor/`` (audited there, on open).

    An ended conversation not assigned to the supervisor first asks why it is opened; the
    socket finds the answer in the session and stores it with the access event.
    """
    scope = watch_scope(request.user)  # type: ignore[arg-type]
    conversation = Conversation.objects.filter(scope, pk=conversation_id).distinct().first()
    if conversation is None:
        raise Http404("No such conversation in your scope.")
    gate = justification_gate(
        request,
        key=conversation_key(conversation.pk),
        needed=watch_needs_justification(conversation, request.user),  # type: ignore[arg-type]
        subject=Subject(
            heading=_("Why are you opening this conversation?"),
            explanation=_(
                "Conversation %(id)s has ended and is not assigned to you. Give the reason "
                "for opening it: it is recorded with your access."
            )
            % {"id": conversation.pk},
            button=_("Open the conversation"),
        ),
    )
    if gate.response is not None:
        return gate.response
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
