"""App configuration of supervisor statistics."""

from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "stats"
    label = "statistics"
    verbose_name = "Statistics"
    default_auto_field = "django.db.models.BigAutoField"
