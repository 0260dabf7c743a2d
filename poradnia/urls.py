"""Top-level URL map."""

from django.contrib import admin
from django.urls import include, path

from poradnia.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("help/", include("knowledge_base.urls")),
    path("console/cases/", include("cases.urls")),
    path("supervisor/stats/", include("stats.urls")),
    path("", include("frontend.urls")),
]
