"""The open data page and the downloads as answers: streaming, caching, conditional
requests, the licence everywhere, and query counts that do not grow with the data."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from tillit.core.choices import DataLicence
from tillit.opendata import datasets
from tillit.opendata.datasets import DATASETS

from .conftest import read

SLUGS = list(DATASETS)
FORMATS = ["csv", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", SLUGS)
def test_a_download_streams_as_a_named_cacheable_attachment(grastorp, fetch, slug, fmt):
    file = fetch(slug, fmt)
    response = file.response
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="grastorp-{slug}.{fmt}"'
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Link"] == f'<{DataLicence.CC0.value}>; rel="license"'


def test_the_file_names_carry_the_municipalitys_short_name(grastorp):
    assert DATASETS["matvarden"].file_name(grastorp, "csv") == "grastorp-matvarden.csv"


def test_head_answers_the_headers_without_reading_the_rows(grastorp, visitor):
    response = visitor.head(reverse("opendata:download", args=["matvarden", "csv"]))
    assert response.status_code == 200
    assert not response.streaming and response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="grastorp-matvarden.csv"'
    assert response["ETag"]


def test_an_unchanged_file_is_not_sent_again_until_a_value_changes(grastorp, visitor, fetch):
    from tillit.measures.models import MeasureValue
    from tillit.portal.public import public_measures

    first = fetch("matvarden", "csv").response
    again = fetch("matvarden", "csv", HTTP_IF_NONE_MATCH=first["ETag"]).response
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = fetch("matvarden", "csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).response
    assert since.status_code == 304

    measure = public_measures(grastorp).order_by("pk").first()
    MeasureValue.objects.create(measure=measure, year=2040, value=Decimal("1"))
    changed = fetch("matvarden", "csv", HTTP_IF_NONE_MATCH=first["ETag"]).response
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_unknown_datasets_and_formats_are_not_found(grastorp, visitor):
    assert visitor.get("/insyn/oppna-data/hemligt.csv").status_code == 404
    assert visitor.get("/insyn/oppna-data/matvarden.xlsx").status_code == 404
    assert visitor.post(reverse("opendata:download", args=["plan", "csv"])).status_code == 405


def test_the_page_lists_each_dataset_with_formats_rows_change_and_licence(grastorp, visitor):
    response = visitor.get(reverse("opendata:index"))
    assert response.status_code == 200
    assert "portal/base.html" in [t.name for t in response.templates]
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    for slug, dataset in DATASETS.items():
        article = re.search(
            rf'<article class="opendata-dataset" id="{slug}".*?</article>', page, re.S
        )
        assert article, slug
        text = article.group(0)
        assert f'href="/insyn/oppna-data/{slug}.csv"' in text
        assert f'href="/insyn/oppna-data/{slug}.json"' in text
        count = dataset.stamp(grastorp).count
        assert f"<dd>{count}</dd>" in text.replace("\xa0", "")
        assert 'href="http://creativecommons.org/publicdomain/zero/1.0/"' in text
        assert "<time datetime=" in text
        for column in dataset.column_names:
            assert f"<code>{column}</code>" in text
    assert f'href="{reverse("opendata:dcat_rdf")}"' in page
    assert f'href="{reverse("opendata:dcat_ttl")}"' in page
    assert 'aria-current="page"' in page  # the portal's menu marks "Open data"


def test_a_licence_change_shows_on_the_page_in_every_file_and_in_the_metadata(
    grastorp, visitor, fetch
):
    before = {(slug, fmt): fetch(slug, fmt).response["ETag"] for slug in SLUGS for fmt in FORMATS}
    grastorp.data_licence = DataLicence.CC_BY
    grastorp.save(update_fields=["data_licence"])
    by = DataLicence.CC_BY.value

    page = visitor.get(reverse("opendata:index")).content.decode()
    assert f'<a href="{by}" rel="license">CC BY 4.0</a>' in page
    assert DataLicence.CC0.value not in page
    for slug in SLUGS:
        for fmt in FORMATS:
            file = fetch(slug, fmt, HTTP_IF_NONE_MATCH=before[slug, fmt])
            assert file.response.status_code == 200, (slug, fmt)  # not "unchanged"
            assert file.response["Link"] == f'<{by}>; rel="license"'
        assert fetch(slug, "json").json()["licence"] == {"uri": by, "name": "CC BY 4.0"}
    for name, syntax in (("dcat_rdf", "xml"), ("dcat_ttl", "turtle")):
        answer = visitor.get(reverse(f"opendata:{name}"))
        graph = Graph().parse(data=answer.content, format=syntax)
        distributions = graph.subjects(ns.RDF.type, ns.DCAT.Distribution)
        licences = {graph.value(d, ns.DCTERMS.license) for d in distributions}
        assert licences == {URIRef(by)}


def _grow(organisation, rows: int) -> None:
    """More of everything public: goals under a focus area, measures, values, activities."""
    from tillit.activities.models import Activity
    from tillit.core.models import OrgUnit
    from tillit.measures.models import Measure, MeasureValue
    from tillit.planning.models import Level, PlanNode, Principle
    from tillit.portal.public import public_goals, public_nodes

    focus = public_nodes(organisation).filter(level__key="focus_area").order_by("pk").first()
    goal_level = Level.objects.get(organisation=organisation, key="goal")
    template = public_goals(organisation).order_by("pk").first()
    unit = OrgUnit.objects.filter(organisation=organisation).order_by("pk").first()
    principle = Principle.objects.filter(organisation=organisation).first()
    for i in range(rows):
        goal = PlanNode.objects.create(
            organisation=organisation,
            document=focus.document,
            level=goal_level,
            parent=focus,
            number=50 + i,
            title=f"Nytt mål {i}",
        )
        goal.sdgs.set(template.sdgs.all())
        measure = Measure.objects.create(organisation=organisation, node=goal, title=f"Mått {i}")
        for year in (2024, 2025):
            MeasureValue.objects.create(measure=measure, year=year, value=Decimal(i))
        activity = Activity.objects.create(
            organisation=organisation,
            title=f"Aktivitet {i}",
            owner_unit=unit,
            start=date(2026, 1, 1),
        )
        activity.nodes.set([goal])
        activity.principles.set([principle])


def _urls() -> list[str]:
    urls = [reverse("opendata:index"), reverse("opendata:dcat_rdf"), reverse("opendata:dcat_ttl")]
    for slug in SLUGS:
        for fmt in FORMATS:
            urls.append(reverse("opendata:download", args=[slug, fmt]))
    return urls


def test_queries_do_not_grow_with_the_data(grastorp, assessed_goal, count_queries):
    before = {url: count_queries(url) for url in _urls()}
    _grow(grastorp, 12)
    after = {url: count_queries(url) for url in _urls()}
    assert after == before
    assert max(after.values()) <= 25


# The queries each chunk of rows costs: the plan its goals' SDGs and assessments, the
# measures their targets, the activities their goals (two ways) and principles.
QUERIES_PER_CHUNK = {"plan": 2, "verksamhetsmatt": 1, "matvarden": 0, "aktiviteter": 3}


@pytest.mark.parametrize("slug", SLUGS)
def test_each_chunk_of_rows_costs_the_same_few_queries(grastorp, count_queries, monkeypatch, slug):
    monkeypatch.setattr(datasets, "CHUNK_SIZE", 1)  # every goal its own chunk
    url = reverse("opendata:download", args=[slug, "csv"])
    before = count_queries(url)
    _grow(grastorp, 3)
    grown = {"plan": 3, "verksamhetsmatt": 3, "matvarden": 6, "aktiviteter": 3}[slug]
    assert count_queries(url) == before + grown * QUERIES_PER_CHUNK[slug]


def test_a_file_of_many_rows_streams_in_chunks(grastorp, visitor, monkeypatch):
    monkeypatch.setattr(datasets, "CHUNK_SIZE", 3)
    response = visitor.get(reverse("opendata:download", args=["matvarden", "csv"]))
    parts = list(response.streaming_content)
    rows = datasets.VALUES.stamp(grastorp).count
    assert len(parts) == 1 + -(-rows // 3)  # the header, then one part per chunk
    assert all(part.count(b"\r\n") <= 3 for part in parts)
    assert read(visitor.get(reverse("opendata:download", args=["matvarden", "csv"]))) == b"".join(
        parts
    )


def test_a_person_of_another_municipality_gets_grastorps_page_files_and_metadata(grastorp, visitor):
    """The public side is the installation's municipality, whoever asks: the session is
    never read, so the answers are the same for everyone and carry no Vary: Cookie."""
    from django.test import Client

    from tillit.testing.matrix import person_of_another_municipality

    annan = Client()
    annan.force_login(person_of_another_municipality())
    urls = _urls()
    for url in urls:
        theirs = annan.get(url)
        assert theirs.status_code == 200, url
        assert "Cookie" not in theirs.get("Vary", ""), url
        assert not theirs.cookies, url
        if url.endswith(".json"):
            data = json.loads(read(theirs))
            assert data["publisher"]["name"] == "Grästorps kommun", url
            assert data["rows"] == json.loads(read(visitor.get(url)))["rows"], url
        else:
            assert read(theirs) == read(visitor.get(url)), url
    page = annan.get(reverse("opendata:index")).content.decode()
    assert "Grästorps kommun" in page and "Annan kommun" not in page
    download = annan.get(reverse("opendata:download", args=["plan", "csv"]))
    assert download["Content-Disposition"] == 'attachment; filename="grastorp-plan.csv"'
    graph = Graph().parse(data=annan.get(reverse("opendata:dcat_rdf")).content, format="xml")
    assert {str(name) for name in graph.objects(None, ns.FOAF.name)} == {"Grästorps kommun"}


def _etag_and_date(fetch, slug: str) -> tuple[str, str]:
    response = fetch(slug, "csv").response
    return response["ETag"], response["Last-Modified"]


def _changed(fetch, slug: str, etag: str, last_modified: str):
    """The file asked for again as a cache that holds the old one asks: it must come back
    whole (200), under a new ETag and a later Last-Modified."""
    by_etag = fetch(slug, "csv", HTTP_IF_NONE_MATCH=etag)
    assert by_etag.response.status_code == 200, slug
    assert by_etag.response["ETag"] != etag, slug
    by_date = fetch(slug, "csv", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.response.status_code == 200, slug
    assert parsedate_to_datetime(by_date.response["Last-Modified"]) > parsedate_to_datetime(
        last_modified
    )
    return by_etag


def _rename_measure(organisation) -> tuple[str, str, str]:
    from tillit.portal.public import public_values

    measure = public_values(organisation).order_by("pk").first().measure
    measure.title = "Andel nöjda kommuninvånare (omdöpt)"
    measure.save()
    return "matvarden", "measure_title", measure.title


def _rename_goal(organisation) -> tuple[str, str, str]:
    from tillit.portal.public import public_measures

    goal = public_measures(organisation).order_by("pk").first().node
    goal.title = "Ett omdöpt mål för alla åldrar"
    goal.save()
    return "verksamhetsmatt", "goal_title", goal.title


def _rename_unit(organisation) -> tuple[str, str, str]:
    from tillit.portal.public import public_activities

    unit = public_activities(organisation).order_by("pk").first().owner_unit
    unit.name = "Omdöpta enheten"
    unit.save()
    return "aktiviteter", "owner_unit", unit.name


def _rename_principle(organisation) -> tuple[str, str, str]:
    from tillit.planning.models import Principle
    from tillit.portal.public import public_activities

    principle = Principle.objects.filter(activities__in=public_activities(organisation)).first()
    principle.name = "Omdöpt princip"
    principle.save()
    return "aktiviteter", "principles", principle.name


def _rename_level(organisation) -> tuple[str, str, str]:
    from tillit.planning.models import Level

    level = Level.objects.get(organisation=organisation, key="focus_area")
    level.name = "Omdöpt nivå"
    level.save()
    return "plan", "level_name", level.name


@pytest.mark.parametrize(
    "rename", [_rename_measure, _rename_goal, _rename_unit, _rename_principle, _rename_level]
)
def test_renaming_what_a_file_shows_from_another_table_is_a_new_version(grastorp, fetch, rename):
    before = {slug: _etag_and_date(fetch, slug) for slug in SLUGS}
    slug, column, title = rename(grastorp)
    file = _changed(fetch, slug, *before[slug])
    values = [row[column] for row in file.csv_rows()]
    assert any(title in value for value in values), (slug, column)


def test_deleting_a_value_is_a_new_version_and_a_later_date(grastorp, fetch):
    """A deleted value leaves no time of change behind: the version is dated when the
    change is first seen."""
    from tillit.portal.public import public_values

    first = fetch("matvarden", "csv")
    etag, last_modified = first.response["ETag"], first.response["Last-Modified"]
    value = public_values(grastorp).order_by("-updated_at", "pk").first()
    value.delete()
    file = _changed(fetch, "matvarden", etag, last_modified)
    assert len(file.csv_rows()) == len(first.csv_rows()) - 1
    # The new version holds: asked again, it is not sent again.
    again = file.response
    assert fetch("matvarden", "csv", HTTP_IF_NONE_MATCH=again["ETag"]).response.status_code == 304
    since = fetch("matvarden", "csv", HTTP_IF_MODIFIED_SINCE=again["Last-Modified"])
    assert since.response.status_code == 304
    assert since.response["Last-Modified"] == again["Last-Modified"]


def test_adopting_a_draft_document_publishes_its_old_values_as_a_new_version(grastorp, fetch):
    """The values of a draft's measures were entered long ago; they become public when
    the document is adopted, with no value changing."""
    from tillit.core.models import Body, Decision
    from tillit.measures.models import Measure, MeasureValue
    from tillit.planning.choices import DocumentStatus
    from tillit.planning.models import SteeringDocument
    from tillit.portal.tests.secrets import _chain

    draft = SteeringDocument.objects.create(
        organisation=grastorp,
        title="Inriktningsdokument 2031–2034",
        start_year=2031,
        end_year=2034,
        status=DocumentStatus.DRAFT,
    )
    goal = _chain(grastorp, draft, "Ett nytt mål")
    measure = Measure.objects.create(organisation=grastorp, node=goal, title="Nytt mått")
    MeasureValue.objects.create(measure=measure, year=2024, value=Decimal("42.5"))
    MeasureValue.objects.filter(measure=measure).update(updated_at=datetime(2024, 3, 1, tzinfo=UTC))
    before = {slug: _etag_and_date(fetch, slug) for slug in SLUGS}
    assert "Nytt mått" not in fetch("matvarden", "csv").text

    draft.status = DocumentStatus.ADOPTED
    draft.decision = Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(2030, 11, 25),
        paragraph="88",
        title="Inriktningsdokument 2031–2034",
    )
    draft.save()
    for slug in SLUGS:
        _changed(fetch, slug, *before[slug])
    rows = fetch("matvarden", "csv").csv_rows()
    assert {"measure_title": "Nytt mått", "year": "2024", "value": "42.5"}.items() <= next(
        row for row in rows if row["measure_id"] == str(measure.pk)
    ).items()


def test_an_unchanged_dataset_keeps_its_date_and_records_nothing(grastorp):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = datasets.stamps(grastorp, DATASETS.values())
    with CaptureQueriesContext(connection) as queries:
        again = datasets.stamps(grastorp, DATASETS.values())
    assert again == first
    # One query a dataset and one for the versions seen: nothing written.
    assert len(queries) == len(DATASETS) + 1
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries)


SWEDISH_MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december"
).split()


def test_the_page_dates_the_datasets_in_swedish(grastorp, visitor):
    page = visitor.get(reverse("opendata:index")).content.decode()
    for dataset in DATASETS.values():
        modified = timezone.localtime(dataset.stamp(grastorp).modified)
        swedish = f"{modified.day} {SWEDISH_MONTHS[modified.month - 1]} {modified.year}"
        assert f">{swedish}</time>" in page, dataset.slug
        assert modified.strftime("%B") not in page  # not "November", the English form
