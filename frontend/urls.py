"""URL map of the browser pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.citizen_page, name="citizen"),
    path("weather/", views.neutral_page, name="neutral"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("console/", views.console_page, name="console"),
    path(
        "console/login/",
        auth_views.LoginView.as_view(
            template_name="frontend/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("console/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("supervisor/", views.supervisor_page, name="supervisor"),
]
