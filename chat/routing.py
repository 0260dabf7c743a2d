"""Websocket URL map; pages hand these paths to their scripts."""

from django.urls import path

from chat.consumers.citizen import CitizenConsumer
from chat.consumers.officer import OfficerConsumer
from chat.consumers.supervisor import SupervisorConsumer

CITIZEN_SOCKET_PATH = "/ws/citizen/"
OFFICER_SOCKET_PATH = "/ws/officer/"
SUPERVISOR_SOCKET_PATH = "/ws/supervisor/"

websocket_urlpatterns = [
    path(CITIZEN_SOCKET_PATH.lstrip("/"), CitizenConsumer.as_asgi()),
    path(OFFICER_SOCKET_PATH.lstrip("/"), OfficerConsumer.as_asgi()),
    path(SUPERVISOR_SOCKET_PATH.lstrip("/"), SupervisorConsumer.as_asgi()),
]
