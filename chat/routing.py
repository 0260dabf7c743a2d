"""Websocket URL map; pages hand these paths to their scripts."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from chat.consumers.citizen import CitizenConsumer
from chat.consumers.officer import OfficerConsumer
from chat.consumers.supervisor import SupervisorConsumer

CITIZEN_SOCKET_PATH = "/ws/citizen/"
OFFICER_SOCKET_PATH = "/ws/officer/"
SUPERVISOR_SOCKET_PATH = "/ws/supervisor/"

# Staff sockets read the session and user at the handshake (through the database thread);
# the anonymous citizen socket reads neither, so a surge of arrivals does not wait behind
# database work for its handshake (Daphne drops handshakes not accepted within 5 s).
websocket_urlpatterns = [
    path(CITIZEN_SOCKET_PATH.lstrip("/"), CitizenConsumer.as_asgi()),
    path(OFFICER_SOCKET_PATH.lstrip("/"), AuthMiddlewareStack(OfficerConsumer.as_asgi())),
    path(SUPERVISOR_SOCKET_PATH.lstrip("/"), AuthMiddlewareStack(SupervisorConsumer.as_asgi())),
]
