from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tillit.reports"
    label = "reports"
    verbose_name = _("Reports to the council")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
