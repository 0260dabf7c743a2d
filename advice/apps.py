"""App configuration of the conversation domain."""

from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Advice conversations"
    default_auto_field = "django.db.models.BigAutoField"
