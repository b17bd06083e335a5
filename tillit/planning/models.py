"""The plan: levels as data, the steering document (inriktningsdokument) and
its tree of nodes, the Agenda 2030 catalogue and the guiding principles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.models import Decision, Organisation, OrgUnit

from .choices import DocumentStatus, Lifetime, Owner


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 goals of Agenda 2030 (globala målen). A shared catalogue."""

    number = models.PositiveSmallIntegerField(
        _("number"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("name"), max_length=200)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("The UN's colour, #RRGGBB."))

    class Meta:
        verbose_name = _("Agenda 2030 goal")
        verbose_name_plural = _("Agenda 2030 goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("planning:sdg", args=[self.number])


class Level(models.Model):
    """A level of the plan's structure, named and nested by the municipality.

    Grästorp: vision, mission, perspektiv → fokusområde → mål → område →
    verksamhetsmått, and aktivitet. Another municipality may have no focus
    areas, or "nämndmål" under "kommunfullmäktiges mål".
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="levels",
    )
    key = models.SlugField(_("key"), help_text=_("Stable identifier, e.g. goal."))
    name = models.CharField(_("name"), max_length=100)
    name_plural = models.CharField(_("plural name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("nested under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    owner = models.CharField(_("who decides"), max_length=20, choices=Owner.choices)
    lifetime = models.CharField(_("valid for"), max_length=20, choices=Lifetime.choices)
    numbered = models.BooleanField(_("numbered"), default=False)
    in_tree = models.BooleanField(
        _("shown in the plan tree"),
        default=True,
        help_text=_("Off for levels with their own pages, such as measures and activities."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["organisation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="level_key_unique",
                violation_error_message=_("The organisation already has a level with this key."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_political(self) -> bool:
        return self.owner == Owner.POLITICAL


class SteeringDocument(models.Model):
    """The inriktningsdokument for a mandate period, adopted by the council."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="steering_documents",
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steering_documents",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("steering document")
        verbose_name_plural = _("steering documents")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "start_year"],
                name="one_steering_document_per_period",
                violation_error_message=_(
                    "There is already a steering document for this mandate period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="steering_document_years_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(decision__isnull=False),
                name="adopted_document_has_decision",
                violation_error_message=_("An adopted steering document needs its decision."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:document", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_public(self) -> bool:
        return DocumentStatus(self.status).is_public


class PlanNode(models.Model):
    """One element of the plan: a vision, a perspective, a focus area, a goal, an area …

    Its level says what it is; its parent must sit at the level's parent level.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        SteeringDocument,
        verbose_name=_("steering document"),
        on_delete=models.CASCADE,
        related_name="nodes",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    key = models.SlugField(
        _("key"),
        max_length=100,
        blank=True,
        help_text=_(
            "Stable identifier within the document, set by a preset, so that it finds the "
            "element again after its title or number has changed."
        ),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        verbose_name=_("Agenda 2030 goals"),
        blank=True,
        related_name="nodes",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nodes",
        help_text=_("The decision that adopted or last changed this."),
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_nodes",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("For levels that live one year.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"], m2m_fields=[sdgs])

    class Meta:
        verbose_name = _("plan element")
        verbose_name_plural = _("plan elements")
        ordering = ["order", "number", "pk"]
        indexes = [models.Index(fields=["document", "level"])]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "level", "number"],
                name="node_number_unique_within_parent",
                violation_error_message=_("This number is already used here."),
            ),
            models.UniqueConstraint(
                fields=["document", "level", "number"],
                condition=Q(parent__isnull=True),
                name="root_node_number_unique",
                violation_error_message=_("This number is already used here."),
            ),
            models.UniqueConstraint(
                fields=["document", "key"],
                condition=~Q(key=""),
                name="node_key_unique_within_document",
                violation_error_message=_("This key is already used in the document."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("planning:node", args=[self.pk])

    @property
    def label(self) -> str:
        """ "Mål 2: Vi utvecklar välkomnande miljöer …", or just the title."""
        if self.number is not None:
            return f"{self.level.name} {self.number}: {self.title}"
        return self.title

    @property
    def is_political(self) -> bool:
        return self.level.is_political

    def clean(self) -> None:
        errors: dict[str, str] = {}
        level = self.level if self.level_id else None
        if level is not None:
            if level.organisation_id != self.organisation_id:
                errors["level"] = _("The level belongs to another organisation.")
            if level.parent_id is None and self.parent_id is not None:
                errors["parent"] = _("A %(level)s is not part of anything.") % {
                    "level": level.name.lower()
                }
            if level.parent_id is not None and (
                self.parent is None or self.parent.level_id != level.parent_id
            ):
                errors["parent"] = _("A %(level)s must be part of a %(parent)s.") % {
                    "level": level.name.lower(),
                    "parent": level.parent.name.lower(),
                }
            if level.numbered and self.number is None:
                errors["number"] = _("A %(level)s needs a number.") % {"level": level.name.lower()}
            if level.lifetime == Lifetime.YEAR and self.year is None:
                errors["year"] = _("A %(level)s is for one year: give the year.") % {
                    "level": level.name.lower()
                }
            if level.owner == Owner.OPERATIONS and self.owner_unit_id is None:
                errors["owner_unit"] = _("Give the unit responsible for it.")
        if self.parent_id and self.parent.document_id != self.document_id:
            errors["parent"] = _("The parent belongs to another steering document.")
        if self.owner_unit_id and self.owner_unit.organisation_id != self.organisation_id:
            errors["owner_unit"] = _("The unit belongs to another organisation.")
        if self.year is not None and self.document_id:
            doc = self.document
            if not doc.start_year <= self.year <= doc.end_year:
                errors["year"] = _("The year must lie within %(period)s.") % {
                    "period": doc.period_label
                }
        if errors:
            raise ValidationError(errors)


class NodeSection(models.Model):
    """A titled text that belongs to a node, e.g. the four explanations of the vision."""

    node = models.ForeignKey(
        PlanNode, verbose_name=_("plan element"), on_delete=models.CASCADE, related_name="sections"
    )
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.heading


class Principle(models.Model):
    """A guiding principle (Grästorp 5.0: värdskap, helhet, digitalisering, …)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="principles",
    )
    key = models.SlugField(_("key"))
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("heading"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    commitments_intro = models.CharField(
        _("introduction to the commitments"),
        max_length=200,
        help_text=_("E.g. “När vi tänker värdskap innebär det att:”"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["organisation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="principle_key_unique",
                violation_error_message=_("The organisation already has this principle."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:principle", args=[self.key])


class Commitment(models.Model):
    """One of a principle's commitments ("Vi utvecklar välkomnande vanor.")."""

    principle = models.ForeignKey(
        Principle, verbose_name=_("principle"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class OperationalPlan(models.Model):
    """The yearly verksamhetsplan: which goals are prioritised, adopted by the council.

    Its measures and their targets for the year hang on it (`measures.MeasureTarget`).
    Adopted in November for the next year; after that its content changes only by a
    new decision.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="operational_plans",
    )
    document = models.ForeignKey(
        SteeringDocument,
        verbose_name=_("steering document"),
        on_delete=models.PROTECT,
        related_name="operational_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operational_plans",
    )
    goals = models.ManyToManyField(
        PlanNode,
        verbose_name=_("prioritised goals"),
        blank=True,
        related_name="operational_plans",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"], m2m_fields=[goals])

    class Meta:
        verbose_name = _("operational plan")
        verbose_name_plural = _("operational plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="one_operational_plan_per_year",
                violation_error_message=_("There is already an operational plan for this year."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(decision__isnull=False),
                name="adopted_operational_plan_has_decision",
                violation_error_message=_("An adopted operational plan needs its decision."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:operational_plan", args=[self.year])

    @property
    def is_adopted(self) -> bool:
        return self.status == DocumentStatus.ADOPTED

    def clean(self) -> None:
        if self.document_id and not (
            self.document.start_year <= self.year <= self.document.end_year
        ):
            raise ValidationError(
                {
                    "year": _("The year must lie within %(period)s.")
                    % {"period": self.document.period_label}
                }
            )
