"""App configuration of case records."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    label = "cases"
    verbose_name = "Case records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.search_sql import search_function_install

        search_function_install()
