"""URL map of the self-help pages, mounted at ``/help/``."""

from django.urls import URLPattern, URLResolver, path

from knowledge_base import views

app_name = "knowledge_base"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.help_index, name="index"),
    path("<slug:slug>/", views.help_article, name="article"),
]
