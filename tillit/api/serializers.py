"""The API's serializers.

Public rows are serialised with the fields of `PUBLIC_FIELDS` (tillit/portal/public.py)
and nothing else: each public serializer takes its field list from there, adding at most
a readable label of a public field (`owner_unit_name`) or links (`files`). The activities
and the measures' values, which integrations also write, have one serializer each for
both audiences: the organisation's own staff read every field, and anyone else gets the
allow-list's fields only (`AllowListMixin`), so the extra fields are optional in the
OpenAPI schema.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tillit.activities.models import Activity
from tillit.activities.selectors import (
    organisation_measures,
    organisation_people,
    organisation_principles,
    organisation_units,
)
from tillit.core.choices import Fulfilment
from tillit.core.models import Organisation, OrgUnit, User
from tillit.followup.models import Assessment
from tillit.measures.choices import Gender, MeasureKind
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.models import Commitment, PlanNode, Principle, SteeringDocument
from tillit.portal.public import public_fields
from tillit.reports.choices import OutputFormat
from tillit.reports.models import Report

from .selectors import public_elements_of, value_version


class AllowListMixin:
    """Shows a row's every field to the organisation's staff (`context["internal"]`), and
    to anyone else only the fields the public allow-list names (plus `public_extra`).

    The public is the default: a serializer used without the flag shows public fields."""

    public_extra: tuple[str, ...] = ()

    @property
    def internal(self) -> bool:
        return bool(self.context.get("internal"))

    @property
    def _readable_fields(self):
        allowed = None
        if not self.internal:
            allowed = {*public_fields(self.Meta.model), *self.public_extra}
        for field in super()._readable_fields:
            if allowed is None or field.field_name in allowed:
                yield field


# --- the public side: read only ------------------------------------------------------------


class PublicSerializer(serializers.ModelSerializer):
    """A read-only serializer of a model's public fields."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.Meta
        meta.read_only_fields = meta.fields


class OrganisationSerializer(PublicSerializer):
    class Meta:
        model = Organisation
        fields = public_fields(Organisation)


class SteeringDocumentSerializer(PublicSerializer):
    class Meta:
        model = SteeringDocument
        fields = public_fields(SteeringDocument)


class PlanElementSerializer(PublicSerializer):
    level = serializers.SlugRelatedField(
        slug_field="key", read_only=True, help_text=_("The level's key: goal, focus_area, …")
    )
    sdgs = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("The numbers (1–17) of its Agenda 2030 goals.")
    )

    class Meta:
        model = PlanNode
        fields = public_fields(PlanNode)


class CommitmentSerializer(PublicSerializer):
    class Meta:
        model = Commitment
        fields = public_fields(Commitment)


class PrincipleSerializer(PublicSerializer):
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Principle
        fields = (*public_fields(Principle), "commitments")


class MeasureSerializer(PublicSerializer):
    class Meta:
        model = Measure
        fields = public_fields(Measure)


class TargetSerializer(PublicSerializer):
    plan = serializers.IntegerField(
        source="plan.year", read_only=True, help_text=_("The year of the operational plan.")
    )
    # Declared: a read-only field made from the model would forget that it may be blank.
    target_grade = serializers.ChoiceField(
        choices=Fulfilment.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = MeasureTarget
        fields = public_fields(MeasureTarget)


class AssessmentSerializer(PublicSerializer):
    class Meta:
        model = Assessment
        fields = public_fields(Assessment)


class ReportFilesSerializer(serializers.Serializer):
    """The addresses of a report's files on the public pages."""

    pdf = serializers.URLField()
    docx = serializers.URLField()
    xlsx = serializers.URLField()
    html = serializers.URLField()


class ReportSerializer(PublicSerializer):
    files = serializers.SerializerMethodField(
        help_text=_("The report's files, one address per format.")
    )

    class Meta:
        model = Report
        fields = (*public_fields(Report), "files")

    @extend_schema_field(ReportFilesSerializer)
    def get_files(self, report: Report) -> dict[str, str]:
        request = self.context.get("request")
        urls = {}
        for fmt in OutputFormat.values:
            path = reverse("portal:report_file", args=[report.pk, fmt])
            urls[fmt] = request.build_absolute_uri(path) if request is not None else path
        return urls


# --- rows integrations also write -----------------------------------------------------------


class ValueVersionField(serializers.IntegerField):
    """A value's version: the time of its last change in microseconds (see
    `selectors.value_version`). Read from the row; written back as the version read."""

    def get_attribute(self, instance: MeasureValue) -> int:
        return value_version(instance)


def _value_kind_errors(measure: Measure, values: dict) -> dict[str, str]:
    """What the value form leaves out for a measure of this kind, refused by name: a
    quantitative measure takes a number, a qualitative one a grade, and only a measure
    reported by gender takes one."""
    errors = {}
    if measure.kind == MeasureKind.QUANTITATIVE:
        if values.get("value") is None:
            errors["value"] = _("A quantitative measure takes a number in value.")
        if values.get("grade"):
            errors["grade"] = _("A quantitative measure has no grade: leave grade out.")
    else:
        if not values.get("grade"):
            errors["grade"] = _("A qualitative measure takes a grade.")
        if values.get("value") is not None:
            errors["value"] = _("A qualitative measure has no number: leave value out.")
    if not measure.by_gender and values.get("gender", Gender.TOTAL) != Gender.TOTAL:
        errors["gender"] = _("The measure is not reported by gender: leave gender out or give T.")
    return errors


class MeasureValueSerializer(AllowListMixin, serializers.ModelSerializer):
    """A value of a measure. `comment` and `version` are the staff's."""

    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.none())
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    version = ValueVersionField(
        min_value=0,
        required=False,
        help_text=_("The version of the value: send it back unchanged when you change it."),
    )

    class Meta:
        model = MeasureValue
        fields = (
            "id",
            "measure",
            "year",
            "period_kind",
            "period",
            "gender",
            "value",
            "grade",
            "comment",
            "version",
        )
        # A value for a period that has one is not invalid but a conflict (409), which the
        # service tells, with the stored value.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            self.fields["measure"].queryset = Measure.objects.filter(organisation=organisation)

    def validate(self, attrs: dict) -> dict:
        errors = _value_kind_errors(attrs["measure"], attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class MeasureValueChangeSerializer(serializers.ModelSerializer):
    """A change to a stored value: its figure or grade and comment, with the version read.
    The measure and the period stay (a value for another period is a new value)."""

    version = serializers.IntegerField(
        min_value=0, help_text=_("The version of the value as you read it.")
    )

    class Meta:
        model = MeasureValue
        fields = ("value", "grade", "comment", "version")

    def validate(self, attrs: dict) -> dict:
        stored: MeasureValue = self.instance
        merged = {
            "value": attrs.get("value", stored.value),
            "grade": attrs.get("grade", stored.grade),
            "gender": stored.gender,
        }
        errors = _value_kind_errors(stored.measure, merged)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ActivitySerializer(AllowListMixin, serializers.ModelSerializer):
    """An activity. The public reads the allow-list's fields, with `nodes` as the public
    plan elements it works toward (an area's goal for the area); the organisation's staff
    read every field, with `nodes` as the activity's own links (goals and areas)."""

    public_extra = ("owner_unit_name",)

    owner_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False
    )
    nodes = serializers.PrimaryKeyRelatedField(
        queryset=PlanNode.objects.none(),
        many=True,
        help_text=_("The goals and areas the activity works toward: at least one."),
    )
    measures = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), many=True, required=False
    )
    principles = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Principle.objects.none(),
        many=True,
        required=False,
        help_text=_("The keys of the principles the activity expresses."),
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The version of the activity: send it back unchanged when you change it."),
    )

    class Meta:
        model = Activity
        fields = (
            "id",
            "title",
            "description",
            "owner_unit",
            "owner_unit_name",
            "responsible",
            "participants",
            "nodes",
            "measures",
            "principles",
            "start",
            "end",
            "status",
            "progress",
            "result",
            "version",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is None:
            return
        fields = self.fields
        fields["owner_unit"].queryset = organisation_units(organisation.pk)
        fields["responsible"].queryset = organisation_people(organisation.pk)
        fields["participants"].child_relation.queryset = organisation_people(organisation.pk)
        fields["nodes"].child_relation.queryset = PlanNode.objects.filter(organisation=organisation)
        fields["measures"].child_relation.queryset = organisation_measures(organisation.pk)
        fields["principles"].child_relation.queryset = organisation_principles(organisation.pk)

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": _("The end date cannot come before the start date.")}
            )
        return attrs

    def to_representation(self, activity: Activity) -> dict:
        data = super().to_representation(activity)
        if not self.internal:
            data["nodes"] = public_elements_of(activity)
        return data


class ActivityChangeSerializer(ActivitySerializer):
    """A change to an activity, with the version read (required)."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version of the activity as you read it.")
    )


class ConflictSerializer(serializers.Serializer):
    """409: someone else changed the row after the caller read it. Nothing was saved."""

    detail = serializers.CharField()
    current = serializers.JSONField(
        allow_null=True, help_text=_("The row as it now is, with its new version.")
    )
