"""Websocket URL map."""

from django.urls import path

from chat.consumers.citizen import CitizenConsumer
from chat.consumers.officer import OfficerConsumer
from chat.consumers.supervisor import SupervisorConsumer

websocket_urlpatterns = [
    path("ws/citizen/", CitizenConsumer.as_asgi()),
    path("ws/officer/", OfficerConsumer.as_asgi()),
    path("ws/supervisor/", SupervisorConsumer.as_asgi()),
]
