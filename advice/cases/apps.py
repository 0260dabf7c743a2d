"""App configuration of case records."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "advice.cases"
    label = "cases"
    verbose_name = "Case records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from advice.cases.db_guard import audit_guard_after_migrate

        post_migrate.connect(
            audit_guard_after_migrate, sender=self, dispatch_uid="cases_audit_guard"
        )
