"""The files read back as a reuser reads them (the csv module, json with exact decimals) and
compared with the database: every public row, nothing else, Swedish letters and decimals
intact."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import QuerySet

from tillit.opendata.datasets import DATASETS, DERIVED_FIELDS, PLAN, all_rows
from tillit.portal import public

SLUGS = list(DATASETS)
FORMATS = ["csv", "json"]


def _text(value) -> str:
    """A database value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_csv_file_is_rfc_4180_utf_8_with_a_header_of_the_documented_columns(
    grastorp, fetch, slug
):
    file = fetch(slug, "csv")
    assert file.response.status_code == 200
    assert file.response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert not file.body.startswith(b"\xef\xbb\xbf")  # no byte order mark
    lines = file.text.split("\r\n")
    assert lines[0] == ",".join(DATASETS[slug].column_names)
    assert lines[-1] == ""  # every record ends with CRLF, the last one too
    assert "\n" not in lines[0]
    assert len(file.csv_rows()) == DATASETS[slug].stamp(grastorp).count


@pytest.mark.parametrize("slug", SLUGS)
def test_a_json_file_has_the_rows_under_a_header_with_licence_publisher_and_source(
    grastorp, fetch, slug
):
    file = fetch(slug, "json")
    assert file.response["Content-Type"] == "application/json; charset=utf-8"
    data = file.json()
    assert data["dataset"] == slug
    assert data["licence"] == {"uri": grastorp.data_licence, "name": "CC0 1.0"}
    assert data["publisher"] == {
        "name": "Grästorps kommun",
        "municipality_code": "1444",
        "website": "https://www.grastorp.se",
        "contact_email": "kommun@grastorp.se",
    }
    assert data["source"] == f"http://127.0.0.1:8000/insyn/oppna-data/{slug}.json"
    assert data["metadata"] == "http://127.0.0.1:8000/insyn/oppna-data/dcat.rdf"
    assert data["generated_at"][:4].isdigit() and data["generated_at"].endswith("+00:00")
    assert len(data["rows"]) == DATASETS[slug].stamp(grastorp).count
    for row in data["rows"]:
        assert list(row) == DATASETS[slug].column_names


@pytest.mark.parametrize("slug", SLUGS)
def test_csv_and_json_hold_the_same_rows(grastorp, assessed_goal, fetch, slug):
    csv_rows = fetch(slug, "csv").csv_rows()
    json_rows = fetch(slug, "json").json()["rows"]
    assert len(csv_rows) == len(json_rows) > 0
    for from_csv, from_json in zip(csv_rows, json_rows, strict=True):
        for name in DATASETS[slug].column_names:
            value = from_json[name]
            if isinstance(value, list):
                continue  # compared field by field in the dataset's own test
            assert from_csv[name] == _text(value), (slug, name)


def test_the_plan_is_every_public_element_with_its_texts_and_latest_assessment(
    grastorp, assessed_goal, fetch
):
    rows = {int(row["id"]): row for row in fetch("plan", "csv").csv_rows()}
    nodes = public.public_nodes(grastorp).select_related("document", "level", "parent")
    assert set(rows) == {node.pk for node in nodes}
    for node in nodes:
        row = rows[node.pk]
        assert row["title"] == node.title
        assert row["description"] == node.description
        assert row["strategy"] == node.strategy
        assert row["level"] == node.level.key
        assert row["level_name"] == node.level.name
        assert row["parent_id"] == _text(node.parent_id)
        assert row["number"] == _text(node.number)
        assert row["document_title"] == node.document.title
        assert row["sdgs"] == ";".join(str(n) for n in sorted(s.number for s in node.sdgs.all()))
    goal = rows[assessed_goal.pk]
    assert goal["title"] == assessed_goal.title  # "… världsmedborgare …": å ä ö intact
    assert "ä" in goal["title"]
    assert goal["assessment_status"] == "partly"
    assert goal["assessment_period"] == "Helår 2025"
    assert goal["assessment_period_end"] == "2025-12-31"
    unassessed = next(
        r for r in rows.values() if r["level"] == "goal" and int(r["id"]) != assessed_goal.pk
    )
    assert unassessed["assessment_status"] == ""


def test_the_plans_json_gives_numbers_lists_and_nulls(grastorp, assessed_goal, fetch):
    rows = {row["id"]: row for row in fetch("plan", "json").json()["rows"]}
    goal = rows[assessed_goal.pk]
    assert goal["sdgs"] == sorted(s.number for s in assessed_goal.sdgs.all())
    assert goal["number"] == assessed_goal.number
    assert goal["assessment_period_end"] == "2025-12-31"
    vision = next(row for row in rows.values() if row["level"] == "vision")
    assert vision["parent_id"] is None and vision["assessment_status"] is None
    assert vision["title"].startswith("Vi välkomnar framtiden")


def test_measures_have_their_goal_baseline_and_adopted_targets_exactly(grastorp, fetch):
    from tillit.measures.models import Measure

    csv_rows = {int(row["id"]): row for row in fetch("verksamhetsmatt", "csv").csv_rows()}
    json_rows = {row["id"]: row for row in fetch("verksamhetsmatt", "json").json()["rows"]}
    measures = public.public_measures(grastorp).select_related("node")
    assert set(csv_rows) == set(json_rows) == {m.pk for m in measures}
    for measure in measures:
        row, data = csv_rows[measure.pk], json_rows[measure.pk]
        assert row["goal_id"] == str(measure.node_id)
        assert row["goal_title"] == measure.node.title
        for field in ("title", "kind", "unit", "direction", "source", "kolada_kpi"):
            assert row[field] == getattr(measure, field), field
        if measure.baseline_value is None:
            assert row["baseline_value"] == "" and data["baseline_value"] is None
        else:
            assert Decimal(row["baseline_value"]) == measure.baseline_value
            assert data["baseline_value"] == measure.baseline_value
        targets = list(
            public.public_targets(grastorp).filter(measure=measure).order_by("plan__year")
        )
        assert data["targets"] == [
            {"year": t.plan.year, "target": t.target, "target_grade": t.target_grade}
            for t in targets
        ]
        assert row["targets"] == ";".join(
            f"{t.plan.year}:{t.target.normalize():f}"
            if t.target is not None
            else f"{t.plan.year}:{t.target_grade}"
            for t in targets
        )
    assert any(row["targets"] for row in csv_rows.values())
    qualitative = Measure.objects.filter(pk__in=csv_rows, kind="qualitative").first()
    if qualitative is not None:
        assert csv_rows[qualitative.pk]["baseline_value"] == ""


def test_values_are_exact_to_the_last_stored_decimal(grastorp, fetch):
    from tillit.measures.models import MeasureValue

    measure = public.public_measures(grastorp).filter(kind="quantitative").order_by("pk").first()
    exact = {
        2030: Decimal("1234567.8912"),
        2031: Decimal("0.0001"),
        2032: Decimal("-3.5000"),
        2033: Decimal("100.0000"),
    }
    for year, value in exact.items():
        MeasureValue.objects.create(measure=measure, year=year, value=value)

    csv_rows = fetch("matvarden", "csv").csv_rows()
    json_rows = fetch("matvarden", "json").json()["rows"]
    values = {
        (v.measure_id, v.year, v.period_kind, v.period, v.gender): v
        for v in public.public_values(grastorp)
    }
    assert len(csv_rows) == len(json_rows) == len(values)
    for row, data in zip(csv_rows, json_rows, strict=True):
        key = (
            int(row["measure_id"]),
            int(row["year"]),
            row["period_kind"],
            int(row["period"]),
            row["gender"],
        )
        stored = values[key]
        assert row["measure_title"] == data["measure_title"] == stored.measure.title
        if stored.value is None:
            assert row["value"] == "" and data["value"] is None
        else:
            assert Decimal(row["value"]) == stored.value
            assert data["value"] == stored.value
        assert row["grade"] == data["grade"] == stored.grade
    written = {
        int(row["year"]): row["value"] for row in csv_rows if int(row["measure_id"]) == measure.pk
    }
    assert written[2030] == "1234567.8912"
    assert written[2031] == "0.0001"
    assert written[2032] == "-3.5"
    assert written[2033] == "100"  # a decimal point, never an exponent (1E+2)
    assert "Antal invånare" in {row["measure_title"] for row in csv_rows}


def test_activities_name_their_unit_goals_and_principles_but_no_person(grastorp, personas, fetch):
    csv_rows = {int(row["id"]): row for row in fetch("aktiviteter", "csv").csv_rows()}
    json_rows = {row["id"]: row for row in fetch("aktiviteter", "json").json()["rows"]}
    activities = public.public_activities(grastorp).select_related("owner_unit")
    public_ids = set(public.public_nodes(grastorp).values_list("pk", flat=True))
    assert set(csv_rows) == set(json_rows) == {a.pk for a in activities}
    for activity in activities:
        row, data = csv_rows[activity.pk], json_rows[activity.pk]
        assert row["title"] == activity.title
        assert row["owner_unit"] == activity.owner_unit.name
        assert row["start"] == activity.start.isoformat()
        assert row["status"] == activity.status
        assert data["progress"] == activity.progress
        linked = list(activity.nodes.all())
        expected = {n.pk for n in linked if n.pk in public_ids} | {
            n.parent_id for n in linked if n.pk not in public_ids and n.parent_id in public_ids
        }
        assert data["goal_ids"] == sorted(expected) and expected
        assert row["goal_ids"] == ";".join(str(pk) for pk in data["goal_ids"])
        assert data["principles"] == [p.name for p in activity.principles.order_by("order", "name")]
    text = fetch("aktiviteter", "csv").text + fetch("aktiviteter", "json").text
    for user in personas.values():
        if user is not None and user.get_full_name():
            assert user.get_full_name() not in text


def test_an_activity_linked_through_an_area_names_the_areas_goal(grastorp, area, fetch):
    from tillit.activities.models import Activity
    from tillit.core.models import OrgUnit

    activity = Activity.objects.create(
        organisation=grastorp,
        title="Bokcirkel på fritids",
        owner_unit=OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6"),
        start=date(2026, 2, 1),
    )
    activity.nodes.set([area])
    rows = {row["id"]: row for row in fetch("aktiviteter", "json").json()["rows"]}
    assert rows[activity.pk]["goal_ids"] == [area.parent_id]
    assert str(area.pk) not in {str(pk) for pk in rows[activity.pk]["goal_ids"]}


def test_every_column_is_read_from_a_public_or_derived_field_of_a_planted_model(grastorp):
    """Each column names its fields; each is public (or derived: a level's name), and of
    a model that the planting test below fills with secrets."""
    for dataset in DATASETS.values():
        assert len(set(dataset.column_names)) == len(dataset.columns), dataset.slug
        for column in dataset.columns:
            assert column.sources, (dataset.slug, column.name)
            for model, field in column.sources:
                shown = public.PUBLIC_FIELDS.get(model, ()) + DERIVED_FIELDS.get(model, ())
                assert field in shown, (dataset.slug, column.name, model.__name__, field)
                assert model in READ_MODELS, (dataset.slug, column.name, model.__name__)
        rows = list(all_rows(dataset, grastorp))
        assert all(list(row) == dataset.column_names for row in rows), dataset.slug
    for model, fields in DERIVED_FIELDS.items():  # derived, not public already
        assert not set(fields) & set(public.PUBLIC_FIELDS.get(model, ())), model.__name__


def _rows_of(organisation) -> dict[type, QuerySet]:
    """Every model the datasets read, with all its rows of the organisation, public or
    not."""
    from tillit.activities.models import Activity
    from tillit.core.models import OrgUnit
    from tillit.followup.models import Assessment, FollowUpPeriod
    from tillit.measures.models import Measure, MeasureTarget, MeasureValue
    from tillit.planning.models import (
        Level,
        OperationalPlan,
        PlanNode,
        Principle,
        SteeringDocument,
        SustainableDevelopmentGoal,
    )

    return {
        SteeringDocument: SteeringDocument.objects.filter(organisation=organisation),
        Level: Level.objects.filter(organisation=organisation),
        PlanNode: PlanNode.objects.filter(organisation=organisation),
        SustainableDevelopmentGoal: SustainableDevelopmentGoal.objects.all(),
        FollowUpPeriod: FollowUpPeriod.objects.filter(organisation=organisation),
        Assessment: Assessment.objects.filter(period__organisation=organisation),
        Measure: Measure.objects.filter(organisation=organisation),
        OperationalPlan: OperationalPlan.objects.filter(organisation=organisation),
        MeasureTarget: MeasureTarget.objects.filter(measure__organisation=organisation),
        MeasureValue: MeasureValue.objects.filter(measure__organisation=organisation),
        Activity: Activity.objects.filter(organisation=organisation),
        OrgUnit: OrgUnit.objects.filter(organisation=organisation),
        Principle: Principle.objects.filter(organisation=organisation),
    }


READ_MODELS = set(_rows_of(None))  # querysets are lazy: no query here

# Not public, but they decide which rows are public (a level is political only under
# political levels; an assessment is the goal's own, approved, of a closed period; a
# plan's targets are public once it is adopted): a planted value would empty the files
# rather than test them. Every row's organisation is one too.
SELECTING = {
    ("Level", "owner"),
    ("Level", "parent"),
    ("OperationalPlan", "status"),
    ("Assessment", "unit"),
    ("Assessment", "state"),
    ("FollowUpPeriod", "status"),
}

NUMBER = re.compile(r"(?<!\d)317\d\d(?!\d)")  # the planted numbers: 31700, 31701, …
# The planted times (1902-01-01T03:00, …: long before any real change, so that the
# files' `modified` is still that of a public change) and dates (2222-02-02, …: after
# any period's start, as a deadline must be).
PLANTED_MOMENT = datetime(1902, 1, 1, 3, tzinfo=UTC)
PLANTED_DATE = date(2222, 2, 2)


def _plant_everywhere(organisation, planted) -> tuple[list[str], set[tuple[str, str]]]:
    """A secret in every field of every row the datasets read that is neither public nor
    derived nor a selecting field, and in every such link; returns the planted words and
    the fields planted in."""
    from django.db import models

    from tillit.core.choices import UnitKind
    from tillit.core.models import Body, Decision, Organisation, OrgUnit, User
    from tillit.measures.models import ImportBatch, Measure
    from tillit.planning.models import PlanNode, SteeringDocument
    from tillit.portal.tests.secrets import SECRET

    person = User.objects.create_user(
        f"{SECRET.lower()}-person",
        email=f"{SECRET.lower()}@example.se",
        first_name=SECRET,
        last_name=f"{SECRET}sson",
        organisation=organisation,
    )
    unit = OrgUnit.objects.create(
        organisation=organisation,
        name=f"Enhet {SECRET}",
        description=SECRET,
        kind=UnitKind.UNIT,
    )
    # The objects a non-public relation is pointed at: each shows the secret.
    targets = {
        User: person,
        OrgUnit: unit,
        Decision: Decision.objects.create(
            organisation=organisation,
            body=Body.objects.get(organisation=organisation, abbreviation="KS"),
            date=date(2026, 1, 1),
            paragraph="1",
            title=f"Beslut {SECRET}",
            description=SECRET,
        ),
        ImportBatch: ImportBatch.objects.create(
            organisation=organisation, source="file", description=f"{SECRET}.xlsx"
        ),
        SteeringDocument: planted.draft_goal.document,
        PlanNode: planted.draft_goal,
        Measure: planted.draft_measure,
    }
    words: list[str] = []
    fields: set[tuple[str, str]] = set()
    numbers = iter(range(31700, 31800))
    days = iter(range(100))

    def text(field) -> str:
        word = f"{SECRET}{len(words):03d}"
        if field.max_length is not None and len(word) > field.max_length:
            word = f"Zq{len(words):03d}"
        words.append(word)
        return word

    for model, rows in _rows_of(organisation).items():
        shown = public.PUBLIC_FIELDS.get(model, ()) + DERIVED_FIELDS.get(model, ())
        values: dict = {}
        for field in model._meta.concrete_fields:
            name = field.name
            if field.primary_key or name in shown or (model.__name__, name) in SELECTING:
                continue
            if isinstance(field, models.ForeignKey):
                if field.related_model is Organisation:
                    continue  # selects the rows
                assert field.related_model in targets, f"plant a {model.__name__}.{name}"
                values[name] = targets[field.related_model]
            elif isinstance(field, models.BooleanField):
                continue  # a flag cannot carry a secret
            elif isinstance(field, models.CharField | models.TextField):
                values[name] = text(field)
            elif isinstance(field, models.DecimalField):
                values[name] = Decimal(f"{next(numbers)}.1357")
            elif isinstance(field, models.IntegerField):
                values[name] = next(numbers)
            elif isinstance(field, models.DateTimeField):
                values[name] = PLANTED_MOMENT + timedelta(days=next(days))
            elif isinstance(field, models.DateField):
                values[name] = PLANTED_DATE + timedelta(days=next(days))
            else:
                raise AssertionError(f"plant something in {model.__name__}.{name}")
            fields.add((model.__name__, name))
        if values:  # not in the objects planted as targets (a unit under itself)
            mine = [target.pk for target in targets.values() if isinstance(target, model)]
            rows.exclude(pk__in=mine).update(**values)
        for field in model._meta.many_to_many:
            if field.name in shown:
                continue
            assert field.related_model in targets, f"plant a {model.__name__}.{field.name}"
            target = targets[field.related_model]
            for row in rows:
                getattr(row, field.name).add(target)
            fields.add((model.__name__, field.name))
    return words, fields


def _row_set(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def test_no_field_that_is_not_public_reaches_a_file(grastorp, personas, assessed_goal, fetch):
    """Every value of every file is read from a public or a derived field: a secret in
    every other field (a value's comment and who changed it, a node's unit and decision,
    a period's deadline, an activity's participants, …) appears in none."""
    from tillit.portal.tests.secrets import SECRET, plant

    planted = plant(grastorp, personas)
    before = {slug: _row_set(fetch(slug, "json").json()["rows"]) for slug in SLUGS}
    assert all(before.values())
    words, fields = _plant_everywhere(grastorp, planted)
    assert {
        ("MeasureValue", "comment"),
        ("MeasureValue", "updated_by"),
        ("MeasureValue", "batch"),
        ("PlanNode", "owner_unit"),
        ("PlanNode", "decision"),
        ("Measure", "responsible_unit"),
        ("MeasureTarget", "near_threshold"),
        ("OperationalPlan", "title"),
        ("Assessment", "written_by"),
        ("FollowUpPeriod", "deadline"),
        ("Activity", "responsible"),
        ("Activity", "participants"),
        ("Activity", "measures"),
        ("OrgUnit", "description"),
    } <= fields
    for slug in SLUGS:
        # Every row exactly as before (perhaps in another order: a level's order is not
        # public but sorts the plan): no value came from a field planted in.
        assert _row_set(fetch(slug, "json").json()["rows"]) == before[slug], slug
        for fmt in FORMATS:
            text = fetch(slug, fmt).text
            assert SECRET.lower() not in text.lower(), (slug, fmt)
            assert not [word for word in words if word.lower() in text.lower()], (slug, fmt)
            assert not NUMBER.search(text), (slug, fmt, NUMBER.search(text))
            assert "1902-" not in text and "2222-" not in text, (slug, fmt)


def test_nothing_that_is_not_public_reaches_a_file(grastorp, personas, area, fetch):
    """The portal's planted secrets, and two more the files could leak: a target in a draft
    operational plan, and a measure of an operations' area with its value."""
    from tillit.measures.models import Measure, MeasureTarget, MeasureValue
    from tillit.planning.choices import DocumentStatus
    from tillit.planning.models import OperationalPlan
    from tillit.portal.tests.secrets import SECRET, plant

    planted = plant(grastorp, personas)
    draft_plan = OperationalPlan.objects.create(
        organisation=grastorp,
        document=planted.public_goal.document,
        year=2027,
        title=f"Verksamhetsplan {SECRET}",
        status=DocumentStatus.DRAFT,
    )
    MeasureTarget.objects.create(
        measure=planted.public_measure, plan=draft_plan, target=Decimal("424242")
    )
    area_measure = Measure.objects.create(organisation=grastorp, node=area, title=f"Mått {SECRET}")
    MeasureValue.objects.create(measure=area_measure, year=2025, value=Decimal("515151"))

    for slug in SLUGS:
        for fmt in FORMATS:
            text = fetch(slug, fmt).text
            assert SECRET not in text, (slug, fmt)
            assert "424242" not in text and "515151" not in text, (slug, fmt)
            for person in planted.people:
                assert person not in text, (slug, fmt, person)
    plan_ids = {row["id"] for row in fetch("plan", "json").json()["rows"]}
    assert planted.draft_goal.pk not in plan_ids and area.pk not in plan_ids
    measure_ids = {row["id"] for row in fetch("verksamhetsmatt", "json").json()["rows"]}
    assert planted.draft_measure.pk not in measure_ids and area_measure.pk not in measure_ids
    activity_ids = {row["id"] for row in fetch("aktiviteter", "json").json()["rows"]}
    assert planted.hidden_activity.pk not in activity_ids
    assert planted.public_activity.pk in activity_ids
    goal_row = next(
        row for row in fetch("plan", "json").json()["rows"] if row["id"] == planted.public_goal.pk
    )
    # The goal-level assessment of the closed period; not the unit's, not the open period's.
    assert goal_row["assessment_period"] == planted.closed_period.name
    assert PLAN.stamp(grastorp).count == len(plan_ids)
