from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    FILE = "file", _("Imported from a file")
    KOLADA = "kolada", _("Kolada")
    SCB = "scb", _("SCB")


class PeriodKind(models.TextChoices):
    """How long a value's period is. `period` numbers it within the year."""

    MONTH = "month", _("Month")
    TERTIAL = "tertial", _("Tertial")
    YEAR = "year", _("Year")

    @property
    def periods(self) -> int:
        return {"month": 12, "tertial": 3, "year": 1}[self.value]


class Gender(models.TextChoices):
    """As Kolada and SCB report it: total, women (kvinnor), men (män)."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class MeasureStatus(models.TextChoices):
    """A measure's value against its target: the traffic light, always with words."""

    MET = "met", _("Target met")
    NEAR = "near", _("Close to target")
    NOT_MET = "not_met", _("Target not met")
    NO_DATA = "no_data", _("No value yet")
    NO_TARGET = "no_target", _("No target")

    @property
    def colour(self) -> str:
        return {
            "met": "green",
            "near": "yellow",
            "not_met": "red",
            "no_data": "grey",
            "no_target": "grey",
        }[self.value]
