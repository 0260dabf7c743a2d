"""App configuration of the conversation domain."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
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
        # Models load only once the registry is ready (Django's documented place for this).
        from advice.staff_sessions import on_logged_out

        user_logged_out.connect(on_logged_out, dispatch_uid="advice_staff_logged_out")
