from django.db import models
from django.utils.translation import gettext_lazy as _


class Owner(models.TextChoices):
    """Who decides a level's content: "vad" (politics) or "hur" (operations)."""

    POLITICAL = "political", _("Decided politically")
    OPERATIONS = "operations", _("Decided by operations")


class Lifetime(models.TextChoices):
    STANDING = "standing", _("Until further notice")
    MANDATE = "mandate", _("Mandate period")
    YEAR = "year", _("One year")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    REPLACED = "replaced", _("Replaced")

    @property
    def is_public(self) -> bool:
        return self in (DocumentStatus.ADOPTED, DocumentStatus.REPLACED)
