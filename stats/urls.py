"""URL map of supervisor statistics, mounted at ``/supervisor/stats/``."""

from django.urls import URLPattern, URLResolver, path

from stats import views

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("metrics.json", views.metrics_json, name="metrics"),
    path("export.csv", views.export_csv, name="export"),
    path("chart.svg", views.chart_svg, name="chart"),
]
