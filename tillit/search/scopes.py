"""Which rows each audience searches, and where its results link to.

- The public: only through tillit/portal/public.py (the public allow-list), linking to the
  portal's pages.
- Staff: what the staff pages would show them (the same rules): every plan element of
  their organisation, drafts included (`planning.read_node`), its measures, its
  activities (`activities.read_activity`) and its reports in any state (`reports.view`),
  linking to the staff pages. Someone logged in who is not a member of the organisation
  (and not a system administrator) searches what the rules give them: the public
  documents' elements and measures, no activities and no reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.urls import reverse

from tillit.activities.models import Activity
from tillit.core.models import Organisation
from tillit.core.rules import is_member_of_organisation
from tillit.measures.models import Measure
from tillit.planning.choices import Owner
from tillit.planning.models import PlanNode
from tillit.portal import public
from tillit.reports.models import Report

from .choices import ResultKind

PUBLIC = "public"
STAFF = "staff"


@dataclass(frozen=True)
class Scope:
    """The rows of each kind an audience may find, and the link of each result.

    The querysets may join and be DISTINCT (public_activities is): the search filters
    them by the words and then takes their rows by id (selectors.py)."""

    audience: str
    querysets: dict[ResultKind, QuerySet]
    link: Callable[[ResultKind, Model], str]

    def queryset(self, kind: ResultKind) -> QuerySet:
        return self.querysets[kind]


def _public_link(kind: ResultKind, obj: Model) -> str:
    if kind == ResultKind.GOAL:
        if obj.level.key == "goal":
            return reverse("portal:goal", args=[obj.pk])
        # Visions, missions, perspectives and focus areas have no page of their own: they
        # are sections of the portal's start page (when their document is the one in force).
        anchor = "statement" if obj.parent_id is None and obj.number is None else "node"
        return reverse("portal:home") + f"#{anchor}-{obj.pk}"
    name = {
        ResultKind.MEASURE: "portal:measure",
        ResultKind.ACTIVITY: "portal:activity",
        ResultKind.REPORT: "portal:report",
    }[kind]
    return reverse(name, args=[obj.pk])


def _staff_link(kind: ResultKind, obj: Model) -> str:
    name = {
        ResultKind.GOAL: "planning:node",
        ResultKind.MEASURE: "measures:measure",
        ResultKind.ACTIVITY: "activities:activity",
        ResultKind.REPORT: "reports:report",
    }[kind]
    return reverse(name, args=[obj.pk])


def public_scope(organisation: Organisation) -> Scope:
    return Scope(
        audience=PUBLIC,
        querysets={
            ResultKind.GOAL: public.public_nodes(organisation),
            ResultKind.MEASURE: public.public_measures(organisation),
            ResultKind.ACTIVITY: public.public_activities(organisation),
            ResultKind.REPORT: public.public_reports(organisation),
        },
        link=_public_link,
    )


def staff_scope(user, organisation: Organisation) -> Scope:
    everything = user.is_superuser or is_member_of_organisation(user, organisation)
    nodes = PlanNode.objects.filter(organisation=organisation, level__owner=Owner.POLITICAL)
    measures = Measure.objects.filter(organisation=organisation)
    activities = Activity.objects.filter(organisation=organisation)
    reports = Report.objects.filter(organisation=organisation)
    if not everything:
        # Someone of another municipality, or of none: what the allow-list lets through.
        nodes = public.public_nodes(organisation)
        measures = public.public_measures(organisation)
        activities = activities.none()
        reports = reports.none()
    return Scope(
        audience=STAFF,
        querysets={
            ResultKind.GOAL: nodes,
            ResultKind.MEASURE: measures,
            ResultKind.ACTIVITY: activities,
            ResultKind.REPORT: reports,
        },
        link=_staff_link,
    )
