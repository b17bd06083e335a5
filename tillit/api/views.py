"""The REST API: public reads for everyone, reads and writes of activities and measure
values for the organisation's staff with an API key.

Every list and row comes from the caller's organisation (the signed-in or token person's
own, else the installation's). Visitors, and people of other organisations, get the rows
of the public allow-list (tillit/portal/public.py) with its fields; the organisation's
staff read their own activities and values whole. Writes go through the same service
functions as the pages (tillit/activities/services.py, tillit/measures/services.py):
the same rules, validation, history and no lost updates.
"""

from __future__ import annotations

from functools import cached_property

import rules
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.settings import api_settings

from tillit.activities import services as activity_services
from tillit.activities.filters import ActivityFilter
from tillit.activities.models import LINK_FIELDS, Activity
from tillit.activities.selectors import with_list_relations
from tillit.activities.services import REPORT_FIELDS
from tillit.core.concurrency import EditConflict
from tillit.core.middleware import get_request_organisation
from tillit.measures import services as measure_services
from tillit.measures.choices import Gender, PeriodKind
from tillit.measures.filters import MeasureFilter, MeasureValueFilter
from tillit.measures.models import Measure, MeasureValue
from tillit.portal import public

from .filters import (
    AssessmentFilter,
    FilterBackend,
    PlanElementFilter,
    ReportFilter,
    TargetFilter,
)
from .selectors import activity_years, reads_internal, value_token_of, with_public_elements
from .serializers import (
    ActivityChangeSerializer,
    ActivitySerializer,
    AssessmentSerializer,
    ConflictSerializer,
    MeasureSerializer,
    MeasureValueChangeSerializer,
    MeasureValueSerializer,
    OrganisationSerializer,
    PlanElementSerializer,
    PrincipleSerializer,
    ReportSerializer,
    SteeringDocumentSerializer,
    TargetSerializer,
)

# --- shared ---------------------------------------------------------------------------------


def bad_request(exc: DjangoValidationError) -> ValidationError:
    """A model's or a service's validation error as the API's 400, by field."""
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
            for name, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return ValidationError(detail)


def version_required() -> ValidationError:
    return ValidationError(
        {
            "version": [
                _("Send the version you read, so that nobody's change is overwritten unseen.")
            ]
        }
    )


def conflict(message: str, current: dict | None) -> Response:
    return Response({"detail": message, "current": current}, status=status.HTTP_409_CONFLICT)


class ApiView:
    """What every view of the API shares: JSON, the caller's organisation, whether the
    caller reads it as its staff do, and the filter backend."""

    renderer_classes = [JSONRenderer]
    filter_backends = [FilterBackend]
    request: Request

    @cached_property
    def organisation(self):
        organisation = get_request_organisation(self.request)
        if organisation is None:
            raise Http404(_("No municipality has been set up yet."))
        return organisation

    @cached_property
    def internal(self) -> bool:
        return reads_internal(self.request.user, self.organisation)

    @property
    def fake(self) -> bool:
        """The schema generator asking: no request of anyone's."""
        return getattr(self, "swagger_fake_view", False)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if not self.fake:
            context.update(organisation=self.organisation, internal=self.internal)
        return context


class Router(DefaultRouter):
    """The routes of /api/v1/, whose root lists the organisation first, then the lists."""

    include_format_suffixes = False

    class APIRootView(APIRootView):
        renderer_classes = [JSONRenderer]

    def get_api_root_view(self, api_urls=None):
        root = {"organisation": "organisation"}
        list_name = self.routes[0].name
        for prefix, _viewset, basename in self.registry:
            root[prefix] = list_name.format(basename=basename)
        return self.APIRootView.as_view(api_root_dict=root)


# --- public reads ---------------------------------------------------------------------------

PUBLIC_TAG = [_lazy("Public data")]


@extend_schema(tags=PUBLIC_TAG, summary=_lazy("The municipality"))
class OrganisationView(ApiView, generics.RetrieveAPIView):
    """The municipality the API answers for: the caller's own, else the installation's."""

    serializer_class = OrganisationSerializer
    filter_backends = []

    def get_object(self):
        return self.organisation


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Steering documents")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A steering document")),
)
class SteeringDocumentViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Adopted steering documents (and those they replaced)."""

    serializer_class = SteeringDocumentSerializer

    def get_queryset(self):
        if self.fake:
            return SteeringDocumentSerializer.Meta.model.objects.none()
        return public.public_documents(self.organisation).order_by("-start_year", "pk")


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Plan elements")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A plan element")),
)
class PlanElementViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The political elements of the public steering documents: vision, mission,
    perspectives, focus areas, goals."""

    serializer_class = PlanElementSerializer
    filterset_class = PlanElementFilter

    def get_queryset(self):
        if self.fake:
            return PlanElementSerializer.Meta.model.objects.none()
        return (
            public.public_nodes(self.organisation)
            .select_related("level")
            .prefetch_related("sdgs")
            .order_by("-document__start_year", "level__order", "order", "number", "pk")
        )


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Principles")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A principle")),
)
class PrincipleViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The guiding principles, each with its commitments."""

    serializer_class = PrincipleSerializer
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        if self.fake:
            return PrincipleSerializer.Meta.model.objects.none()
        return (
            public.public_principles(self.organisation)
            .prefetch_related("commitments")
            .order_by("order", "name", "pk")
        )


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Measures")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A measure")),
)
class MeasureViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Measures (verksamhetsmått) of the public plan; the organisation's staff get every
    measure of theirs, drafts and areas' included."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        if self.fake:
            return Measure.objects.none()
        if self.internal:
            measures = Measure.objects.filter(organisation=self.organisation)
        else:
            measures = public.public_measures(self.organisation)
        return measures.order_by("order", "title", "pk")


@extend_schema_view(list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Targets")))
class TargetViewSet(ApiView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The measures' targets in the adopted operational plans."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        if self.fake:
            return TargetSerializer.Meta.model.objects.none()
        return (
            public.public_targets(self.organisation)
            .select_related("plan")
            .order_by("measure_id", "plan__year", "pk")
        )


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Goal assessments")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A goal assessment")),
)
class AssessmentViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The goals' approved assessments of closed follow-up periods."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        if self.fake:
            return AssessmentSerializer.Meta.model.objects.none()
        return public.public_assessments(self.organisation).order_by(
            "-period__end", "goal_id", "pk"
        )


@extend_schema_view(
    list=extend_schema(tags=PUBLIC_TAG, summary=_lazy("Reports")),
    retrieve=extend_schema(tags=PUBLIC_TAG, summary=_lazy("A report")),
)
class ReportViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Annual and interim reports approved by kommunstyrelsen, with their files."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        if self.fake:
            return ReportSerializer.Meta.model.objects.none()
        return public.public_reports(self.organisation).order_by("-year", "-through_month", "pk")


# --- reads and writes: measure values -------------------------------------------------------


def _change_schema(tags, summary, request, response):
    """The schema of a PUT or PATCH: the row back, or why not (400, 403, 404, 409)."""
    return extend_schema(
        tags=tags,
        summary=summary,
        request=request,
        responses={200: response, 400: INVALID, 403: REFUSED, 404: NOT_FOUND, 409: CONFLICT},
    )


VALUES_TAG = [_lazy("Measure values")]
CONFLICT = OpenApiResponse(
    ConflictSerializer, description=_lazy("Changed by someone else meanwhile.")
)
REFUSED = OpenApiResponse(description=_lazy("Not allowed: the rules of the pages apply."))
NOT_FOUND = OpenApiResponse(description=_lazy("Not found in the caller's municipality."))
INVALID = OpenApiResponse(description=_lazy("Invalid: the messages name the fields."))
VERSION_PARAMETER = OpenApiParameter(
    "version",
    int,
    location=OpenApiParameter.QUERY,
    required=True,
    description=_lazy("The version of the value as you read it."),
)


@extend_schema_view(
    list=extend_schema(tags=VALUES_TAG, summary=_lazy("Values of measures")),
    retrieve=extend_schema(tags=VALUES_TAG, summary=_lazy("A value")),
    create=extend_schema(
        tags=VALUES_TAG,
        summary=_lazy("Enter a value"),
        responses={201: MeasureValueSerializer, 400: INVALID, 403: REFUSED, 409: CONFLICT},
    ),
    update=_change_schema(
        VALUES_TAG, _lazy("Correct a value"), MeasureValueChangeSerializer, MeasureValueSerializer
    ),
    partial_update=_change_schema(
        VALUES_TAG,
        _lazy("Correct part of a value"),
        MeasureValueChangeSerializer,
        MeasureValueSerializer,
    ),
    destroy=extend_schema(
        tags=VALUES_TAG,
        summary=_lazy("Remove a value entered by hand"),
        parameters=[VERSION_PARAMETER],
        responses={204: None, 400: INVALID, 403: REFUSED, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class MeasureValueViewSet(ApiView, viewsets.ModelViewSet):
    """The values of the measures. The public reads those of public measures; the
    organisation's staff read all of theirs, with comments and versions, and enter,
    correct and remove values of the measures they may record values for."""

    serializer_class = MeasureValueSerializer
    filterset_class = MeasureValueFilter

    def get_queryset(self):
        if self.fake:
            return MeasureValue.objects.none()
        if self.internal:
            values = MeasureValue.objects.filter(measure__organisation=self.organisation)
        else:
            values = public.public_values(self.organisation)
        return values.order_by("measure_id", "year", "period_kind", "period", "gender", "pk")

    def _shown(self, value: MeasureValue) -> dict:
        return MeasureValueSerializer(value, context=self.get_serializer_context()).data

    def _require_entry(self, measure: Measure) -> None:
        if not self.request.user.has_perm("measures.enter_values", measure):
            raise PermissionDenied

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self._require_entry(data["measure"])
        try:
            value = measure_services.value_set(
                measure=data["measure"],
                year=data["year"],
                period_kind=data.get("period_kind", PeriodKind.YEAR),
                period=data.get("period", 1),
                gender=data.get("gender", Gender.TOTAL),
                value=data.get("value"),
                grade=data.get("grade", ""),
                comment=data.get("comment", ""),
                changed_by=request.user,
                expected="",
            )
        except EditConflict as exc:
            return conflict(
                _(
                    "The measure already has a value for this period: nothing was saved. "
                    "Change that value, with its version, which is in “current”."
                ),
                self._shown(exc.current),
            )
        except DjangoValidationError as exc:
            raise bad_request(exc) from None
        return Response(self._shown(value), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        stored: MeasureValue = self.get_object()
        self._require_entry(stored.measure)
        serializer = MeasureValueChangeSerializer(
            stored, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise version_required()
        try:
            value = measure_services.value_set(
                measure=stored.measure,
                year=stored.year,
                period_kind=stored.period_kind,
                period=stored.period,
                gender=stored.gender,
                value=data.get("value", stored.value),
                grade=data.get("grade", stored.grade),
                comment=data.get("comment", stored.comment),
                changed_by=request.user,
                expected=value_token_of(data["version"]),
            )
        except EditConflict as exc:
            return conflict(
                _(
                    "Someone else entered or changed the value after you read it: nothing "
                    "was saved. The value as it now is is in “current”."
                ),
                self._shown(exc.current) if exc.current.pk else None,
            )
        except DjangoValidationError as exc:
            raise bad_request(exc) from None
        return Response(self._shown(value))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        stored: MeasureValue = self.get_object()
        self._require_entry(stored.measure)
        version = request.query_params.get("version", "")
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if not (version.isascii() and version.isdigit()):
            raise version_required()
        try:
            measure_services.value_delete(
                measure=stored.measure,
                value=stored,
                deleted_by=request.user,
                expected=value_token_of(int(version)),
            )
        except EditConflict as exc:
            return conflict(
                _(
                    "Someone else changed the value after you read it: nothing was removed. "
                    "The value as it now is is in “current”."
                ),
                self._shown(exc.current),
            )
        except DjangoValidationError as exc:
            raise bad_request(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_object(self) -> MeasureValue:
        value = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            value = MeasureValue.objects.select_related(
                "measure__node__level", "measure__responsible_unit"
            ).get(pk=value.pk)
        return value


# --- reads and writes: activities -----------------------------------------------------------

ACTIVITIES_TAG = [_lazy("Activities")]


@extend_schema_view(
    list=extend_schema(tags=ACTIVITIES_TAG, summary=_lazy("Activities")),
    retrieve=extend_schema(tags=ACTIVITIES_TAG, summary=_lazy("An activity")),
    create=extend_schema(
        tags=ACTIVITIES_TAG,
        summary=_lazy("Plan an activity"),
        responses={201: ActivitySerializer, 400: INVALID, 403: REFUSED},
    ),
    update=_change_schema(
        ACTIVITIES_TAG, _lazy("Change an activity"), ActivityChangeSerializer, ActivitySerializer
    ),
    partial_update=_change_schema(
        ACTIVITIES_TAG,
        _lazy("Change part of an activity"),
        ActivityChangeSerializer,
        ActivitySerializer,
    ),
)
class ActivityViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Activities. The public reads those linked to the public plan; the organisation's
    staff read all of theirs, and plan and change them as in the pages: the unit's people
    everything, the person responsible the status, progress and result.

    The filters are the activities' list page's (ActivityFilter)."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        if self.fake:
            return Activity.objects.none()
        if self.internal:
            activities = with_list_relations(
                Activity.objects.filter(organisation=self.organisation)
            ).prefetch_related("participants", "measures")
        else:
            activities = with_public_elements(
                public.public_activities(self.organisation), self.organisation
            )
        return activities.order_by("-start", "title", "pk")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ActivityChangeSerializer
        return ActivitySerializer

    # The list page's FilterSet, made as the page makes it; the public's goal choices are
    # the public goals, and its years those of the public activities.
    def filterset_kwargs(self) -> dict:
        if self.internal:
            return {"organisation": self.organisation}
        return {
            "organisation": self.organisation,
            "years": activity_years(public.public_activities(self.organisation)),
        }

    def adapt_filterset(self, filterset: ActivityFilter) -> None:
        if not self.internal:
            filterset.filters["mal"].queryset = public.public_goals(self.organisation)

    def _shown(self, activity: Activity) -> dict:
        fresh = self.get_queryset().get(pk=activity.pk)
        return ActivitySerializer(fresh, context=self.get_serializer_context()).data

    def _can(self, perm: str, obj) -> bool:
        return rules.has_perm(perm, self.request.user, obj)

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not self._can("activities.plan_activity", self.organisation):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("version", None)
        try:
            activity = activity_services.activity_create(
                organisation=self.organisation, created_by=request.user, **values
            )
        except DjangoValidationError as exc:
            raise bad_request(exc) from None
        except PermissionDenied:
            raise ValidationError({"owner_unit": [_("You do not act for that unit.")]}) from None
        return Response(self._shown(activity), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        activity: Activity = self.get_object()
        whole = self._can("activities.edit_activity", activity)
        if not whole and not self._can("activities.report_progress", activity):
            raise PermissionDenied
        serializer = self.get_serializer(
            activity, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        version = values.pop("version", None)
        if version is None:
            raise version_required()
        if not whole:
            # The person responsible reports; what the activity is stays the unit's. A full
            # PUT repeats those fields unchanged, and that is no change of them.
            values = {
                name: value
                for name, value in values.items()
                if name in REPORT_FIELDS or not _unchanged(activity, name, value)
            }
            if set(values) - set(REPORT_FIELDS):
                raise PermissionDenied
        try:
            activity_services.activity_update(
                activity=activity, changed_by=request.user, expected_version=version, **values
            )
        except EditConflict as exc:
            return conflict(
                _(
                    "Someone else changed the activity after you read it: nothing was saved. "
                    "The activity as it now is, with its new version, is in “current”."
                ),
                self._shown(exc.current),
            )
        except DjangoValidationError as exc:
            raise bad_request(exc) from None
        except PermissionDenied:
            if "owner_unit" in values:
                raise ValidationError(
                    {"owner_unit": [_("You do not act for that unit.")]}
                ) from None
            raise
        return Response(self._shown(activity))


def _unchanged(activity: Activity, name: str, value) -> bool:
    if name in LINK_FIELDS:
        return {row.pk for row in getattr(activity, name).all()} == {row.pk for row in value}
    return getattr(activity, name) == value
