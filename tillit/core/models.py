"""Organisation: the municipality, its administration and political bodies,
the people in them, and the decisions (beslut) that bodies take."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    POLITICAL_BODY_KINDS,
    BodyKind,
    DataLicence,
    MembershipRole,
    UnitKind,
    UnitRoleKind,
)


class Organisation(models.Model):
    """A municipality. Every domain row belongs to exactly one."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    municipality_code = models.CharField(
        _("municipality code"), max_length=4, blank=True, help_text=_("SCB's four-digit code.")
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("public contact e-mail"),
        blank=True,
        help_text=_("Shown on the public pages and as the contact point of the open data."),
    )
    data_licence = models.CharField(
        _("licence of the open data"),
        max_length=100,
        choices=DataLicence.choices,
        default=DataLicence.CC0,
        help_text=_("The licence under which the public data may be reused."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: an elected representative or an official."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_plan_administrator = models.BooleanField(
        _("plan administrator"),
        default=False,
        help_text=_(
            "May record decisions and change the politically decided plan "
            "(goals, texts, structure) and the organisation."
        ),
    )

    is_economist = models.BooleanField(
        _("economist"),
        default=False,
        help_text=_(
            "May record budget decisions and keep the economy: the chart of accounts, outcome "
            "imports, financial goals, the balance requirement review and the finance policy."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("core:person", args=[self.pk])


class OrgUnit(models.Model):
    """A part of the administration: förvaltning, verksamhet, enhet or arbetslag."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Materialised path ("/12/40/57/") so "this unit and everything under it"
    # is one indexed prefix match instead of a recursive walk.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                name="unit_name_unique_within_parent",
                violation_error_message=_("A unit with this name already exists here."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(parent__isnull=True),
                name="root_unit_name_unique",
                violation_error_message=_("A unit with this name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:unit", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def clean(self) -> None:
        allowed = UnitKind.allowed_parents()[self.kind] if self.kind else ()
        if self.parent is None and allowed:
            raise ValidationError({"parent": _("This kind of unit must be part of another unit.")})
        if self.parent is not None:
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {
                        "parent": _("A %(kind)s cannot be part of a %(parent)s.")
                        % {
                            "kind": UnitKind(self.kind).label.lower(),
                            "parent": UnitKind(self.parent.kind).label.lower(),
                        }
                    }
                )
            if self.parent.organisation_id != self.organisation_id:
                raise ValidationError({"parent": _("The unit belongs to another organisation.")})
            if self.pk and self.parent.path.startswith(self.path):
                raise ValidationError({"parent": _("A unit cannot be part of itself.")})

    @transaction.atomic
    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != old_path:
            # The path is derived, not history: write it without a second history row.
            OrgUnit.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:  # moved: its subtree follows in one statement
                OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                )

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[OrgUnit]:
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        return OrgUnit.objects.filter(pk__in=ids).order_by("path")


class UnitRole(models.Model):
    """A person's place in a unit: manager (chef) or co-leader (medledare).

    A role on a unit gives the person the unit's operations ("hur") and those
    of every unit under it.
    """

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="unit_roles"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=UnitRoleKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role at a unit")
        verbose_name_plural = _("roles at units")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"],
                name="one_role_per_person_and_unit",
                violation_error_message=_("The person already has a role at this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}, {self.unit}"


class Body(models.Model):
    """A political body (KF, KS, an utskott) or a management group (KLG)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="bodies",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For a committee: the board it belongs to."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("leads unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="management_groups",
        help_text=_("For a management group: the unit it leads."),
    )
    description = models.TextField(_("remit"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "abbreviation"],
                name="body_abbreviation_unique",
                violation_error_message=_("Another body already uses this abbreviation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:body", args=[self.pk])

    @property
    def is_political(self) -> bool:
        return self.kind in POLITICAL_BODY_KINDS


class Membership(models.Model):
    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    party = models.CharField(_("party"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "body"],
                name="one_membership_per_person_and_body",
                violation_error_message=_("The person is already a member of this body."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}, {self.body.abbreviation}"


class Decision(models.Model):
    """A recorded decision (beslut), e.g. "KF 2023-11-27 § 93".

    Politically decided content (goals, their texts, the plan's structure)
    changes only together with one of these.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="decisions",
        limit_choices_to={"kind__in": POLITICAL_BODY_KINDS},
    )
    date = models.DateField(_("date"))
    paragraph = models.CharField(_("paragraph"), max_length=20, help_text=_("E.g. 93."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link to the minutes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "body__order", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date", "paragraph"],
                name="decision_paragraph_unique",
                violation_error_message=_(
                    "That body already has a decision with this date and paragraph."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(paragraph=""),
                name="decision_paragraph_not_empty",
                violation_error_message=_("A decision needs its paragraph."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The way minutes cite it: "KF 2023-11-27 § 93"."""
        return f"{self.body.abbreviation} {self.date:%Y-%m-%d} § {self.paragraph}"

    def get_absolute_url(self) -> str:
        return reverse("core:decision", args=[self.pk])

    def clean(self) -> None:
        if (
            self.body_id
            and self.organisation_id
            and self.body.organisation_id != self.organisation_id
        ):
            raise ValidationError({"body": _("The body belongs to another organisation.")})
        if self.body_id and not self.body.is_political:
            raise ValidationError({"body": _("Only a political body takes decisions.")})


class ScheduledRun(models.Model):
    """One slot of a periodic job (tillit/core/scheduling.py) that has been enqueued.

    `manage.py run_schedule` runs every few minutes, on several machines at once: each
    inserts the row for a job's current slot, and only the one whose insert succeeds
    enqueues the task. The unique constraint decides, not a read before the write."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"), help_text=_("When the job was due."))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot"],
                name="one_run_per_job_and_slot",
                violation_error_message=_("This job has already been enqueued for this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
