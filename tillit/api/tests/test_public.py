"""The public API: each endpoint answers anyone with the public allow-list's rows and
fields, its filters work, and nothing that is not public shows (a secret word is planted
in every non-public place, as the portal's tests do)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tillit.activities.models import Activity
from tillit.api import serializers
from tillit.api.selectors import with_public_elements
from tillit.measures.models import Measure, MeasureValue
from tillit.planning.models import PlanNode, Principle
from tillit.portal import public
from tillit.portal.public import PUBLIC_FIELDS
from tillit.portal.tests.secrets import PUBLIC, SECRET, plant

from .conftest import results

pytestmark = pytest.mark.django_db

LISTS = (
    "document",
    "element",
    "principle",
    "measure",
    "value",
    "target",
    "assessment",
    "activity",
    "report",
)


@pytest.fixture
def planted(grastorp, personas):
    return plant(grastorp, personas)


def every_page(client: Client, url: str, **params) -> list[dict]:
    rows, page = [], 1
    while True:
        response = client.get(url, {**params, "sida": page, "per_sida": 100})
        data = response.json()
        rows += data["results"]
        if not data["next"]:
            return rows
        page += 1


# --- the allow-list's fields and rows -------------------------------------------------------


@pytest.mark.parametrize(
    "serializer, extra",
    [
        (serializers.OrganisationSerializer, set()),
        (serializers.SteeringDocumentSerializer, set()),
        (serializers.PlanElementSerializer, set()),
        (serializers.PrincipleSerializer, {"commitments"}),
        (serializers.CommitmentSerializer, set()),
        (serializers.MeasureSerializer, set()),
        (serializers.TargetSerializer, set()),
        (serializers.AssessmentSerializer, set()),
        (serializers.ReportSerializer, {"files"}),
    ],
)
def test_a_public_serializer_has_the_allow_lists_fields_only(serializer, extra):
    model = serializer.Meta.model
    assert set(serializer().fields) == set(PUBLIC_FIELDS[model]) | extra


def test_the_public_reads_of_activities_and_values_are_the_allow_lists_fields(
    grastorp, school_activity
):
    value = public.public_values(grastorp).first()
    shown = serializers.MeasureValueSerializer(value).data
    assert set(shown) == set(PUBLIC_FIELDS[MeasureValue])
    activities = with_public_elements(public.public_activities(grastorp), grastorp)
    shown = serializers.ActivitySerializer(activities.get(pk=school_activity.pk)).data
    assert set(shown) == set(PUBLIC_FIELDS[Activity]) | {"owner_unit_name"}


def test_every_list_and_row_answers_anonymously_without_secrets_or_people(grastorp, planted):
    client = Client()
    texts = []
    for name in LISTS:
        url = reverse(f"api:{name}-list")
        response = client.get(url, {"per_sida": 500})
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
        texts.append(response.content.decode())
        for row in response.json()["results"][:3]:
            if name == "target":
                continue  # a list only
            lookup = row["key"] if name == "principle" else row["id"]
            detail = client.get(reverse(f"api:{name}-detail", args=[lookup]))
            assert detail.status_code == 200, (name, lookup)
            texts.append(detail.content.decode())
    texts.append(client.get(reverse("api:organisation")).content.decode())
    everything = "\n".join(texts)
    assert SECRET not in everything
    assert PUBLIC in everything
    for person in planted.people:
        assert person not in everything


def test_no_row_that_is_not_public_has_an_address(grastorp, planted):
    client = Client()
    ids = planted.secret_ids()
    for name, pk in [
        ("element", ids["goal"]),
        ("element", ids["area"]),
        ("measure", ids["measure"]),
        ("activity", ids["activity"]),
        ("report", ids["report_draft"]),
        ("report", ids["report_review"]),
        ("assessment", planted.open_period_assessment.pk),
        ("assessment", planted.unit_assessment.pk),
        ("value", planted.draft_measure.values.get().pk),
    ]:
        assert client.get(reverse(f"api:{name}-detail", args=[pk])).status_code == 404, name


def test_values_of_public_measures_carry_no_comment_and_no_version(grastorp, planted):
    rows = every_page(Client(), reverse("api:value-list"), matt=planted.public_measure.pk)
    assert rows
    assert all(set(row) == set(PUBLIC_FIELDS[MeasureValue]) for row in rows)
    assert not [
        r
        for r in every_page(Client(), reverse("api:value-list"))
        if r["measure"] == (planted.draft_measure.pk)
    ]


def test_a_public_activity_names_the_public_goals_it_works_toward_and_no_person(
    grastorp, school_activity, area
):
    response = Client().get(reverse("api:activity-detail", args=[school_activity.pk]))
    data = response.json()
    assert data["nodes"] == [area.parent_id]  # its area is internal: the goal above it
    assert data["owner_unit_name"] == "Tengbergsskolan F–6"
    assert set(data["principles"]) == {"medledarskap", "vardskap"}
    assert not {"responsible", "participants", "measures", "version"} & set(data)


def test_the_activities_public_goal_filter_offers_only_public_goals(grastorp, planted):
    client = Client()
    answer = client.get(reverse("api:activity-list"), {"mal": planted.draft_goal.pk})
    assert answer.status_code == 400
    assert "mal" in answer.json()
    answer = client.get(reverse("api:activity-list"), {"mal": planted.public_goal.pk})
    ids = [row["id"] for row in answer.json()["results"]]
    assert planted.public_activity.pk in ids


# --- each endpoint --------------------------------------------------------------------------


def test_the_organisation_is_the_callers(grastorp, api):
    assert Client().get(reverse("api:organisation")).json() == {
        "slug": "grastorp",
        "name": grastorp.name,
        "municipality_code": grastorp.municipality_code,
        "website": grastorp.website,
        "contact_email": grastorp.contact_email,
        "data_licence": grastorp.data_licence,
    }
    other = api("annan_kommun").get(reverse("api:organisation")).json()
    assert other["slug"] == "annan-kommun"


def test_steering_documents_are_the_adopted_ones(grastorp, planted):
    rows = results(Client().get(reverse("api:document-list")))
    assert {row["id"] for row in rows} == set(
        public.public_documents(grastorp).values_list("pk", flat=True)
    )
    assert all(row["status"] in ("adopted", "replaced") for row in rows)


def test_plan_elements_filter_by_level_parent_and_document(grastorp, goal):
    client = Client()
    url = reverse("api:element-list")
    goals = every_page(client, url, niva="goal")
    assert {row["level"] for row in goals} == {"goal"}
    assert len(goals) == public.public_goals(grastorp).count()
    siblings = every_page(client, url, overordnad=goal.parent_id)
    assert goal.pk in {row["id"] for row in siblings}
    assert {row["parent"] for row in siblings} == {goal.parent_id}
    in_document = every_page(client, url, dokument=goal.document_id)
    assert len(in_document) == public.public_nodes(grastorp).count()
    assert every_page(client, url, dokument=goal.document_id + 1000) == []
    shown = client.get(reverse("api:element-detail", args=[goal.pk])).json()
    assert shown["sdgs"] == sorted(goal.sdgs.values_list("number", flat=True))


def test_a_principle_is_found_by_its_key_with_its_commitments(grastorp):
    principle = Principle.objects.get(organisation=grastorp, key="digitalisering")
    shown = Client().get(reverse("api:principle-detail", args=["digitalisering"])).json()
    assert shown["name"] == principle.name
    assert [c["text"] for c in shown["commitments"]] == list(
        principle.commitments.order_by("order", "pk").values_list("text", flat=True)
    )
    assert Client().get(reverse("api:principle-detail", args=["finns-inte"])).status_code == 404


def test_measures_filter_by_goal_element_and_source(grastorp, goal):
    client = Client()
    url = reverse("api:measure-list")
    of_goal = every_page(client, url, mal=goal.pk)
    assert of_goal and {row["node"] for row in of_goal} == {goal.pk}
    assert every_page(client, url, element=goal.pk) == of_goal
    assert len(every_page(client, url, kalla="manual")) == (
        public.public_measures(grastorp).filter(source="manual").count()
    )
    assert every_page(client, url, kalla="kolada") == []
    assert client.get(url, {"kalla": "gissning"}).status_code == 400


def test_values_filter_by_measure_year_period_kind_and_gender(grastorp):
    measure = public.public_measures(grastorp).order_by("pk").first()
    MeasureValue.objects.create(measure=measure, year=2024, gender="K", value=1)
    client = Client()
    url = reverse("api:value-list")
    of_measure = every_page(client, url, matt=measure.pk)
    assert {row["measure"] for row in of_measure} == {measure.pk}
    assert {row["year"] for row in every_page(client, url, matt=measure.pk, ar=2024)} == {2024}
    women = every_page(client, url, kon="K")
    assert women and {row["gender"] for row in women} == {"K"}
    assert every_page(client, url, periodtyp="month") == []
    yearly = public.public_values(grastorp).filter(period_kind="year")
    assert len(every_page(client, url, periodtyp="year")) == yearly.count()


def test_targets_are_those_of_adopted_plans_and_filter_by_measure_and_year(grastorp):
    client = Client()
    url = reverse("api:target-list")
    rows = every_page(client, url)
    assert len(rows) == public.public_targets(grastorp).count()
    measure = rows[0]["measure"]
    of_2026 = every_page(client, url, matt=measure, ar=2026)
    assert [(row["measure"], row["plan"]) for row in of_2026] == [(measure, 2026)]


def test_assessments_are_the_public_ones_and_filter_by_goal_and_year(grastorp, planted):
    client = Client()
    url = reverse("api:assessment-list")
    rows = every_page(client, url, mal=planted.public_goal.pk, ar=2024)
    assert [row["id"] for row in rows] == [planted.public_assessment.pk]
    assert rows[0]["analysis"] == f"Analys {PUBLIC}"
    assert set(rows[0]) == set(PUBLIC_FIELDS[type(planted.public_assessment)])


def test_reports_link_to_the_portals_files(grastorp, planted):
    client = Client()
    rows = results(client.get(reverse("api:report-list"), {"typ": "annual", "ar": 2024}))
    assert [row["id"] for row in rows] == [planted.public_report.pk]
    files = rows[0]["files"]
    assert set(files) == {"pdf", "docx", "xlsx", "html"}
    path = reverse("portal:report_file", args=[planted.public_report.pk, "html"])
    assert files["html"] == f"http://testserver{path}"
    assert client.get(path).status_code == 200


def test_activities_filter_as_the_list_page_does(grastorp):
    client = Client()
    url = reverse("api:activity-list")
    digital = every_page(client, url, princip="digitalisering")
    assert digital
    assert all("digitalisering" in row["principles"] for row in digital)
    done = every_page(client, url, status="done")
    assert done and {row["status"] for row in done} == {"done"}
    in_2025 = every_page(client, url, ar=2025)
    assert all(row["start"] <= "2025-12-31" for row in in_2025)
    searched = every_page(client, url, sok="läsombud")
    assert [row["title"] for row in searched] == ["Läsombud i varje klass"]
    assert client.get(url, {"status": "glömd"}).status_code == 400


def test_pages_are_asked_for_with_sida_and_per_sida(grastorp):
    client = Client()
    url = reverse("api:activity-list")
    total = public.public_activities(grastorp).count()
    first = client.get(url, {"per_sida": 5}).json()
    assert first["count"] == total and len(first["results"]) == 5
    assert "sida=2" in first["next"]
    second = client.get(url, {"per_sida": 5, "sida": 2}).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert client.get(url, {"sida": 999}).status_code == 404


def test_the_root_lists_every_public_list(grastorp):
    root = Client().get(reverse("api:api-root")).json()
    assert list(root) == [
        "organisation",
        "styrdokument",
        "planelement",
        "principer",
        "matt",
        "matvarden",
        "malvarden",
        "bedomningar",
        "aktiviteter",
        "rapporter",
    ]


def test_another_municipalitys_caller_reads_that_municipality_only(grastorp, api):
    client = api("annan_kommun")
    for name in LISTS:
        assert results(client.get(reverse(f"api:{name}-list"))) == [], name
    activity = public.public_activities(grastorp).first()
    assert client.get(reverse("api:activity-detail", args=[activity.pk])).status_code == 404


def test_a_wrong_key_is_refused_even_for_public_reads(grastorp):
    client = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get(reverse("api:activity-list"))
    assert response.status_code == 401
    assert json.loads(response.content)["detail"]


def test_measures_of_the_public_are_those_of_the_public_plan(grastorp, planted):
    rows = every_page(Client(), reverse("api:measure-list"))
    assert {row["id"] for row in rows} == set(
        public.public_measures(grastorp).values_list("pk", flat=True)
    )
    nodes = PlanNode.objects.filter(pk__in={row["node"] for row in rows})
    assert all(node.level.owner == "political" for node in nodes)
    assert not Measure.objects.filter(pk__in=[r["id"] for r in rows], title__contains=SECRET)


def test_an_activitys_public_elements_are_the_allow_lists(grastorp, school_activity):
    """A political element beneath an operations' area (Grästorp's "measure" level) is
    internal structure: the public activity does not name it, nor the area above it."""
    from django.test import Client

    from tillit.planning.models import Level, PlanNode

    area = school_activity.nodes.filter(level__key="area").first() or PlanNode.objects.filter(
        organisation=grastorp, level__key="area", document__status="adopted"
    ).first()
    beneath = PlanNode.objects.create(
        organisation=grastorp,
        document=area.document,
        level=Level.objects.get(organisation=grastorp, key="measure"),
        parent=area,
        title="Internt element under ett område",
    )
    school_activity.nodes.add(beneath)
    answer = Client().get(reverse("api:activity-detail", args=[school_activity.pk]))
    assert answer.status_code == 200
    nodes = answer.json()["nodes"]
    assert beneath.pk not in nodes and area.pk not in nodes
    assert set(nodes) <= set(public.public_nodes(grastorp).values_list("pk", flat=True))
    assert nodes  # its public goal is still named
