"""URL map of the browser pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import two_factor, views, watch_views

app_name = "frontend"

urlpatterns = [
    path("", views.citizen_page, name="citizen"),
    path("weather/", views.neutral_page, name="neutral"),
    path("leave/", views.citizen_leave, name="leave"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("console/", views.console_page, name="console"),
    path("console/login/", two_factor.StaffLoginView.as_view(), name="login"),
    path("console/two-factor/", two_factor.enrol, name="two_factor"),
    path("console/two-factor/qr.svg", two_factor.enrol_qr, name="two_factor_qr"),
    path("console/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("supervisor/", views.supervisor_page, name="supervisor"),
    path("supervisor/watch/<int:conversation_id>/", watch_views.watch_page, name="watch"),
]
