"""The public allow-list (tillit/portal/public.py): what it lets through and what not."""

from __future__ import annotations

import pytest

from tillit.portal import public

from .secrets import PUBLIC, SECRET, plant


@pytest.fixture
def planted(grastorp, personas):
    return plant(grastorp, personas)


def test_the_plan_is_the_political_elements_of_adopted_documents(grastorp, planted):
    nodes = public.public_nodes(grastorp)
    assert planted.public_goal in nodes
    assert planted.draft_goal not in nodes
    assert planted.area not in nodes
    assert not nodes.filter(title__contains=SECRET).exists()
    assert all(node.document.is_public for node in nodes.select_related("document"))
    assert public.public_goals(grastorp).filter(level__key="goal").count() == (
        public.public_goals(grastorp).count()
    )


def test_measures_and_values_of_draft_documents_are_not_public(grastorp, planted):
    measures = public.public_measures(grastorp)
    assert planted.public_measure in measures
    assert planted.draft_measure not in measures
    values = public.public_values(grastorp)
    assert not values.filter(measure=planted.draft_measure).exists()
    assert values.filter(measure=planted.public_measure).exists()


def test_a_values_comment_and_author_are_not_loaded_for_the_public(grastorp, planted):
    value = public.public_values(grastorp).filter(measure=planted.public_measure).first()
    deferred = value.get_deferred_fields()
    assert {"comment", "updated_by_id", "batch_id", "source"} <= deferred


def test_only_approved_goal_assessments_of_closed_periods_are_public(grastorp, planted):
    assessments = public.public_assessments(grastorp)
    assert planted.public_assessment in assessments
    assert planted.open_period_assessment not in assessments
    assert planted.unit_assessment not in assessments
    latest = public.latest_public_assessments([planted.public_goal])
    assert latest[planted.public_goal.pk] == planted.public_assessment
    assert PUBLIC in latest[planted.public_goal.pk].analysis


def test_activities_are_public_only_when_linked_to_the_public_plan(grastorp, planted):
    activities = public.public_activities(grastorp)
    assert planted.public_activity in activities
    assert planted.hidden_activity not in activities


def test_only_reports_approved_by_the_board_are_public(grastorp, planted):
    from tillit.reports.choices import ReportState

    reports = public.public_reports(grastorp)
    assert planted.draft_report not in reports
    assert planted.review_report not in reports
    assert set(reports.values_list("state", flat=True)) <= {
        ReportState.APPROVED,
        ReportState.PRESENTED,
    }


def test_another_organisations_rows_never_show(grastorp, planted):
    from tillit.core.models import Organisation

    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    assert not public.public_nodes(other).exists()
    assert not public.public_measures(other).exists()
    assert not public.public_activities(other).exists()
    assert not public.public_reports(other).exists()


def test_public_fields_name_real_fields_and_no_person():
    from django.core.exceptions import FieldDoesNotExist

    for model, names in public.PUBLIC_FIELDS.items():
        for name in names:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # pragma: no cover - the assertion explains
                pytest.fail(f"{model.__name__}.{name} is not a field")
            related = getattr(field, "related_model", None)
            assert related is None or related.__name__ != "User", f"{model.__name__}.{name}"


def test_a_report_approved_by_the_board_is_public(grastorp, planted):
    assert planted.public_report in public.public_reports(grastorp)
    assert planted.public_report.is_frozen


def test_a_political_level_beneath_an_operations_level_is_not_public(grastorp, planted):
    """Grästorp's "measure" level is political but hangs under the operations' area."""
    from tillit.planning.models import Level, PlanNode

    level = Level.objects.get(organisation=grastorp, key="measure")
    assert level.owner == "political" and level.parent.owner == "operations"
    beneath = PlanNode.objects.create(
        organisation=grastorp,
        document=planted.area.document,
        level=level,
        parent=planted.area,
        title=f"Mått under området {SECRET}",
    )
    assert beneath not in public.public_nodes(grastorp)
    assert planted.public_goal in public.public_nodes(grastorp)
    assert public.public_nodes(grastorp).filter(level__key="vision").exists()
