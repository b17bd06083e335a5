from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "tillit.economy"
    label = "economy"
    verbose_name = _("Economy")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
