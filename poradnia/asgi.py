"""ASGI entry point: probes first (:mod:`poradnia.probes`), HTTP through Django,
websockets through the Channels security stack (exact origins and audited refusals:
:mod:`poradnia.ws_security`)."""

from __future__ import annotations

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poradnia.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.routing import websocket_urlpatterns  # noqa: E402
from poradnia.probes import ProbeRouter  # noqa: E402
from poradnia.ws_security import ExactOriginValidator  # noqa: E402

# Everything imported so far lives as long as the process: move it out of the garbage
# collector's generations, so full collections stay short (they paused the event loop for
# 70-150 ms with ~110k tracked objects).
gc.collect()
gc.freeze()

application = ProbeRouter(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # Exact origin for every socket; session and user for the staff ones
            # (``chat.routing``).
            "websocket": ExactOriginValidator(URLRouter(websocket_urlpatterns)),
        }
    )
)
