"""Top-level URL map; ``/healthz``, ``/readyz`` and ``/metrics`` are in ``poradnia.probes``."""

from django.contrib import admin
from django.urls import include, path

from poradnia.http_security import csp_report

urlpatterns = [
    path("admin/", admin.site.urls),
    path("csp-report/", csp_report, name="csp_report"),
    path("help/", include("knowledge_base.urls")),
    path("console/cases/", include("cases.urls")),
    path("supervisor/stats/", include("stats.urls")),
    path("", include("frontend.urls")),
]
