"""App configuration of the conversation domain."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from advice.db_guard import audit_guard_after_migrate


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Advice conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(
            audit_guard_after_migrate, sender=self, dispatch_uid="advice_audit_guard"
        )
