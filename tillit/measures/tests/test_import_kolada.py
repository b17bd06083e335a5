"""Importing Kolada key figures into measures: the function, the command, the pages.

Kolada is the LocalServer of test_kolada.py, answering in Kolada's v3 shapes, with
`settings.KOLADA_BASE_URL` pointed at it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tillit.measures.choices import MeasureKind, Source
from tillit.measures.importers.kolada import import_kolada, refresh_kolada_measures, years_label
from tillit.measures.management.commands.import_kolada import parse_years
from tillit.measures.models import ImportBatch, Measure, MeasureValue
from tillit.measures.sources import KoladaClient, KoladaKpi
from tillit.measures.tests.test_kolada import LocalServer, Reply, Seen

POPULATION = {
    "id": "N01951",
    "title": "Invånare totalt, antal",
    "description": "Antal invånare totalt den 31/12.",
    "operating_area": "Befolkning",
    "has_ou_data": False,
    "is_divided_by_gender": True,
}
SICK_LEAVE = {
    "id": "N00090",
    "title": "Sjukfrånvaro kommunalt anställda, %",
    "description": "Sjukfrånvaro bland kommunalt anställda.",
    "is_divided_by_gender": False,
}


def item(kpi: str, year: int, values: list[tuple[str, object]], municipality="1444") -> dict:
    return {
        "kpi": kpi,
        "municipality": municipality,
        "period": year,
        "values": [{"gender": g, "value": v, "count": 1, "status": ""} for g, v in values],
    }


class Kolada:
    """The fake Kolada: KPIs by id, data items by KPI; `failing` answers 500 to all."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.kpis = {"N01951": POPULATION, "N00090": SICK_LEAVE}
        self.data: dict[str, list[dict]] = {
            "N01951": [
                item("N01951", 2023, [("T", 5705), ("K", 2801.5), ("M", None)]),
                item("N01951", 2024, [("T", 5689), ("K", 2790), ("M", 2899)]),
            ],
            "N00090": [item("N00090", 2024, [("T", 7.25)])],
        }
        self.failing = False
        server.answer = self.answer

    @property
    def requests(self) -> list[Seen]:
        return self.server.requests

    def answer(self, seen: Seen) -> Reply:
        if self.failing:
            return Reply(500, "Internal Server Error", headers={"Retry-After": "0"})
        parts = seen.path.strip("/").split("/")
        if parts[:2] == ["v3", "kpi"] and len(parts) == 2:
            title = seen.query.get("title", [""])[0].lower()
            found = [k for k in self.kpis.values() if title in k["title"].lower()]
            return Reply(body={"count": len(found), "values": found})
        if parts[:2] == ["v3", "kpi"]:
            found = [self.kpis[i] for i in parts[2].split(",") if i in self.kpis]
            return Reply(body={"count": len(found), "values": found})
        if parts[:3] == ["v3", "data", "kpi"]:
            years = set(seen.ids("year")) if "year" in parts else None
            found = [
                entry
                for kpi in seen.ids("kpi")
                for entry in self.data.get(kpi, [])
                if entry["municipality"] in seen.ids("municipality")
                and (years is None or str(entry["period"]) in years)
            ]
            return Reply(body=as_json({"count": len(found), "values": found, "next_url": None}))
        return Reply(404, {"error": "no route"})


def as_json(document: dict) -> str:
    """JSON with Decimals written as the numbers they are (12.345678, 1E+30)."""
    text = json.dumps(document, default=lambda number: f"<number>{number}</number>")
    return re.sub(r'"<number>(.*?)</number>"', r"\1", text)


@pytest.fixture
def kolada(settings):
    server = LocalServer()
    settings.KOLADA_BASE_URL = server.base_url + "/v3"
    yield Kolada(server)
    server.close()


@pytest.fixture
def client(kolada):
    return KoladaClient(kolada.server.base_url + "/v3", sleep=lambda seconds: None)


def stored(measure) -> dict[tuple[int, str], Decimal | None]:
    return {
        (v.year, v.gender): v.value
        for v in MeasureValue.objects.filter(measure=measure).order_by("year", "gender")
    }


def linked(grastorp, kpi="N01951", *, node, title="Befolkning", **fields) -> Measure:
    """A measure that follows a Kolada KPI."""
    return Measure.objects.create(
        organisation=grastorp,
        node=node,
        title=title,
        source=Source.KOLADA,
        kolada_kpi=kpi,
        **fields,
    )


# --- the import --------------------------------------------------------------------------


def test_a_new_measure_is_created_under_the_goal_with_every_gender(grastorp, goal, client, kolada):
    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=[2023, 2024],
        node=goal,
        client=client,
    )

    assert result.ok, result.errors
    measure = result.measure
    assert result.measure_created and measure.pk is not None
    assert (measure.title, measure.node, measure.source, measure.kolada_kpi) == (
        "Invånare totalt, antal",
        goal,
        Source.KOLADA,
        "N01951",
    )
    assert measure.by_gender and measure.unit == "" and measure.kind == MeasureKind.QUANTITATIVE
    assert measure.description == "Antal invånare totalt den 31/12.\n\nKälla: Kolada"
    assert measure.decimals == 1  # Kolada gave 2801.5
    assert stored(measure) == {
        (2023, "K"): Decimal("2801.5"),
        (2023, "T"): Decimal(5705),
        (2024, "K"): Decimal(2790),
        (2024, "M"): Decimal(2899),
        (2024, "T"): Decimal(5689),
    }  # 2023 M is null in Kolada: nothing to store
    assert (result.created, result.updated, result.unchanged) == (5, 0, 1)
    batch = result.batch
    assert (batch.source, batch.description) == ("kolada", "Kolada N01951, kommun 1444, 2023–2024")
    assert (batch.created, batch.updated, batch.unchanged) == (5, 0, 1)
    assert set(MeasureValue.objects.filter(measure=measure).values_list("source", "batch")) == {
        ("kolada", batch.pk)
    }
    assert [seen.path for seen in kolada.requests] == [
        "/v3/kpi/N01951",
        "/v3/data/kpi/N01951/municipality/1444/year/2023,2024",
    ]


def test_the_same_import_again_changes_nothing_and_records_no_batch(grastorp, goal, client):
    arguments = {"organisation": grastorp, "kpi": "N01951", "municipality": "1444", "years": None}
    first = import_kolada(**arguments, node=goal, client=client)
    batches = ImportBatch.objects.count()

    again = import_kolada(**arguments, client=client)

    assert again.ok and not again.measure_created
    assert again.measure == first.measure  # reused: the measure that follows the KPI
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert again.batch is None and ImportBatch.objects.count() == batches
    assert Measure.objects.filter(organisation=grastorp, kolada_kpi="N01951").count() == 1


def test_a_changed_value_and_a_value_kolada_withdrew_are_updated(grastorp, goal, client, kolada):
    first = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        node=goal,
        client=client,
    )
    kolada.data["N01951"] = [item("N01951", 2024, [("T", 5690), ("K", None), ("M", 2899)])]

    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=[2024], client=client
    )

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    values = stored(first.measure)
    assert values[(2024, "T")] == Decimal(5690)
    assert values[(2024, "K")] is None  # cleared, as an empty cell in a file clears it
    assert values[(2023, "T")] == Decimal(5705)  # another year: untouched


def test_an_existing_measure_not_by_gender_gets_only_totals(grastorp, area, client, kolada):
    measure = linked(grastorp, node=area, by_gender=False)

    result = import_kolada(
        organisation=grastorp, kpi="n01951", municipality="1444", years=None, client=client
    )

    assert result.ok and result.measure == measure and not result.measure_created
    assert stored(measure) == {(2023, "T"): Decimal(5705), (2024, "T"): Decimal(5689)}
    assert [seen.path for seen in kolada.requests] == ["/v3/data/kpi/N01951/municipality/1444"]
    assert Measure.objects.filter(kolada_kpi="N01951").count() == 1


def test_a_given_measure_must_follow_the_kpi(grastorp, area, client, kolada):
    measure = linked(grastorp, kpi="N00090", node=area)

    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        measure=measure,
        client=client,
    )

    assert not result.ok
    assert "N00090" in result.summary() and "N01951" in result.summary()
    assert kolada.requests == []  # refused before asking Kolada
    assert not MeasureValue.objects.filter(measure=measure).exists()


def test_several_measures_following_the_kpi_must_be_told_apart(grastorp, area, goal, client):
    one = linked(grastorp, node=area, title="Befolkning A")
    two = linked(grastorp, node=goal, title="Befolkning B")

    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=None, client=client
    )

    assert not result.ok and result.error_count == 1
    message = str(result.errors[0])
    assert f"(id {one.pk})" in message and f"(id {two.pk})" in message
    assert "--measure" in message
    assert not MeasureValue.objects.filter(measure__in=[one, two]).exists()


def test_a_kolada_server_error_writes_nothing(grastorp, goal, client, kolada):
    kolada.failing = True
    measures, batches = Measure.objects.count(), ImportBatch.objects.count()

    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        node=goal,
        client=client,
    )

    assert not result.ok
    assert "Kolada svarade med ett serverfel (HTTP 500, sida 1)" in str(result.errors[0])
    assert (Measure.objects.count(), ImportBatch.objects.count()) == (measures, batches)


def test_a_kolada_error_on_a_linked_measure_keeps_its_values(grastorp, area, client, kolada):
    measure = linked(grastorp, node=area)
    MeasureValue.objects.create(measure=measure, year=2024, value=1)
    kolada.failing = True

    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=None, client=client
    )

    assert not result.ok and result.measure == measure
    assert stored(measure) == {(2024, "T"): Decimal(1)}


def test_a_dry_run_creates_nothing_but_says_what_it_would(grastorp, goal, client):
    measures, values = Measure.objects.count(), MeasureValue.objects.count()

    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        node=goal,
        dry_run=True,
        client=client,
    )

    assert result.ok and result.dry_run and result.measure_created
    assert result.measure.pk is None and result.measure.title == "Invånare totalt, antal"
    assert (result.created, result.updated, result.unchanged) == (5, 0, 1)
    assert [(c.year, c.gender) for c in result.changes][:2] == [(2023, "T"), (2023, "K")]
    assert result.batch is None
    assert (Measure.objects.count(), MeasureValue.objects.count()) == (measures, values)


def test_a_dry_run_on_a_linked_measure_writes_nothing(grastorp, area, client):
    measure = linked(grastorp, node=area, by_gender=True)

    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        dry_run=True,
        client=client,
    )

    assert result.ok and (result.created, result.unchanged) == (5, 1)
    assert stored(measure) == {}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"kpi": "N 01951"}, "N 01951"),
        ({"municipality": "14"}, "14"),
        ({"kpi": "N99999"}, "N99999"),  # Kolada does not know it
        ({"kpi": "N00001"}, "N00001"),  # Kolada knows it, but has no values of it
        ({"municipality": "1445"}, "1444"),  # not the organisation's own
    ],
    ids=["bad-kpi", "bad-municipality", "unknown-kpi", "no-values", "foreign-municipality"],
)
def test_bad_arguments_are_refused(grastorp, goal, client, kolada, arguments, expected):
    kolada.kpis["N00001"] = {"id": "N00001", "title": "Utan värden"}
    measures = Measure.objects.count()
    result = import_kolada(
        **{"organisation": grastorp, "kpi": "N01951", "municipality": "1444", **arguments},
        years=None,
        node=goal,
        client=client,
    )
    assert not result.ok and expected in str(result.errors[0])
    assert Measure.objects.count() == measures


def test_another_municipalitys_figures_go_into_a_measure_not_refreshed_from_kolada(
    grastorp, area, client, kolada
):
    kolada.data["N01951"].append(item("N01951", 2024, [("T", 3500)], municipality="1445"))
    neighbour = Measure.objects.create(
        organisation=grastorp, node=area, title="Grannkommunen", kolada_kpi="N01951"
    )
    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1445",
        years=None,
        measure=neighbour,
        client=client,
    )
    assert result.ok and stored(neighbour) == {(2024, "T"): Decimal(3500)}
    assert refresh_kolada_measures(organisation=grastorp, client=client) == []


def test_values_are_rounded_as_stored_and_a_huge_one_is_refused(grastorp, area, client, kolada):
    measure = linked(grastorp, node=area)
    kolada.data["N01951"] = [item("N01951", 2024, [("T", Decimal("12.345678"))])]
    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=None, client=client
    )
    assert result.ok and stored(measure) == {(2024, "T"): Decimal("12.3457")}

    kolada.data["N01951"] = [
        item("N01951", 2023, [("T", 1), ("K", 2)]),
        item("N01951", 2024, [("T", Decimal("1e30"))]),
    ]
    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=None, client=client
    )
    assert not result.ok and "2024" in str(result.errors[0])
    assert stored(measure) == {(2024, "T"): Decimal("12.3457")}


def test_without_a_goal_no_new_measure_is_made(grastorp, client, kolada):
    result = import_kolada(
        organisation=grastorp, kpi="N01951", municipality="1444", years=None, client=client
    )
    assert not result.ok and "--goal" in str(result.errors[0])
    assert kolada.requests == []


def test_a_person_must_be_allowed_to_create_the_measure(grastorp, goal, personas, client):
    result = import_kolada(
        organisation=grastorp,
        kpi="N01951",
        municipality="1444",
        years=None,
        node=goal,
        user=personas["enhetschef"],
        client=client,
    )
    assert not result.ok
    assert not Measure.objects.filter(kolada_kpi="N01951").exists()


def test_refresh_updates_every_kolada_measure_in_one_request(grastorp, area, goal, client, kolada):
    population = linked(grastorp, node=area, by_gender=True)
    sick_leave = linked(grastorp, kpi="N00090", node=goal, title="Sjukfrånvaro")
    Measure.objects.create(organisation=grastorp, node=goal, title="För hand", kolada_kpi="N1")

    results = refresh_kolada_measures(organisation=grastorp, client=client)

    assert [r.measure for r in results] == [population, sick_leave]  # by title
    assert all(r.ok for r in results)
    assert stored(sick_leave) == {(2024, "T"): Decimal("7.25")}
    assert len(stored(population)) == 5
    assert [seen.path for seen in kolada.requests] == [
        "/v3/data/kpi/N00090,N01951/municipality/1444"
    ]


def test_the_kpis_of_a_list_of_ids(client, kolada):
    assert client.kpis(["N01951", "N99999"]) == [
        KoladaKpi(
            id="N01951",
            title="Invånare totalt, antal",
            description="Antal invånare totalt den 31/12.",
            operating_area="Befolkning",
            is_divided_by_gender=True,
        )
    ]
    assert kolada.requests[0].path == "/v3/kpi/N01951,N99999"


def test_years_are_read_and_written_as_people_do():
    assert parse_years("2015-2018") == [2015, 2016, 2017, 2018]
    assert parse_years("2019,2021") == [2019, 2021]
    assert parse_years("2015–2016, 2020") == [2015, 2016, 2020]
    for wrong in ("2024-2020", "tjugo", "1850"):
        with pytest.raises(ValueError):
            parse_years(wrong)
    assert years_label([2017, 2015, 2016]) == "2015–2017"
    assert years_label([2019, 2021]) == "2019, 2021"


# --- the command -------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_kolada", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_a_measure_under_a_goal_given_by_key(grastorp, kolada):
    out, _err = run("--kpi", "N01951", "--goal", "fler-kommuninvanare", "--years", "2023-2024")
    measure = Measure.objects.get(organisation=grastorp, kolada_kpi="N01951")
    assert (measure.node.key, measure.node.level.key) == ("fler-kommuninvanare", "goal")
    batch = ImportBatch.objects.get(source="kolada")
    assert f"Importen har nummer {batch.pk}." in out
    assert f"Måttet har id {measure.pk}." in out
    # The municipality is the organisation's own.
    assert kolada.requests[-1].path == "/v3/data/kpi/N01951/municipality/1444/year/2023,2024"


def test_the_command_takes_a_goal_by_id_and_dry_runs(grastorp, goal, kolada):
    out, _err = run("--kpi", "N01951", "--goal", str(goal.pk), "--dry-run")
    assert "2024, " in out and "→ 5\u00a0689" in out
    assert not Measure.objects.filter(kolada_kpi="N01951").exists()


def test_the_command_fails_with_a_mismatched_measure_and_changes_nothing(grastorp, area, kolada):
    measure = linked(grastorp, kpi="N00090", node=area)
    with pytest.raises(CommandError) as raised:
        run("--kpi", "N01951", "--measure", str(measure.pk))
    assert "N00090" in str(raised.value)
    assert not MeasureValue.objects.filter(measure=measure).exists()


def test_the_command_fails_when_kolada_fails(grastorp, goal, kolada):
    kolada.failing = True
    with pytest.raises(CommandError) as raised:
        run("--kpi", "N01951", "--goal", str(goal.pk))
    assert "HTTP 500" in str(raised.value)
    assert not Measure.objects.filter(kolada_kpi="N01951").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--goal", "fler-kommuninvanare"],  # no --kpi
        ["--kpi", "N01951", "--goal", "finns-inte"],
        ["--kpi", "N01951", "--measure", "999999"],
        ["--kpi", "N01951", "--years", "2024-2020"],
        ["--kpi", "N01951", "--organisation", "ingen"],
        ["--all", "--kpi", "N01951"],
    ],
)
def test_the_command_refuses_what_it_cannot_do(grastorp, kolada, args):
    with pytest.raises(CommandError):
        run(*args)
    assert kolada.requests == []


def test_the_command_with_all_refreshes_every_kolada_measure(grastorp, area, goal, kolada):
    population = linked(grastorp, node=area)
    sick_leave = linked(grastorp, kpi="N00090", node=goal, title="Sjukfrånvaro")
    out, _err = run("--all")
    assert "2 av 2" in out
    assert stored(population) and stored(sick_leave)

    kolada.failing = True
    with pytest.raises(CommandError) as raised:
        run("--all")
    assert "2 av 2" in str(raised.value)


def test_the_command_with_all_and_nothing_linked_succeeds(grastorp, kolada):
    out, _err = run("--all")
    assert "Inga mått" in out
    assert kolada.requests == []


# --- the pages ---------------------------------------------------------------------------


def test_a_plan_administrator_searches_kolada_and_links_a_kpi_to_a_goal(
    client_as, grastorp, goal, kolada
):
    browser = client_as("strateg")
    response = browser.get(reverse("measures:kolada"), {"q": "invånare"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<code>N01951</code>" in page and "Invånare totalt, antal" in page
    assert 'name="goal"' in page and f'<option value="{goal.pk}">' in page
    assert "N00090" not in page
    assert kolada.requests[0].query["title"] == ["invånare"]

    response = browser.post(
        reverse("measures:kolada_link"), {"kpi": "N01951", "goal": goal.pk, "q": "invånare"}
    )
    measure = Measure.objects.get(organisation=grastorp, kolada_kpi="N01951")
    assert response.status_code == 302
    assert response["Location"] == measure.get_absolute_url()
    assert measure.node == goal and len(stored(measure)) == 5
    page = browser.get(response["Location"]).content.decode()
    assert "Invånare totalt, antal" in page and "message--success" in page

    # Searching again shows that the KPI is followed, with no second link form.
    page = browser.get(reverse("measures:kolada"), {"q": "invånare"}).content.decode()
    assert f'href="{measure.get_absolute_url()}"' in page
    assert 'name="goal"' not in page


def test_a_kolada_error_while_linking_is_shown_as_an_alert(client_as, goal, kolada):
    kolada.failing = True
    response = client_as("strateg").post(
        reverse("measures:kolada_link"), {"kpi": "N01951", "goal": goal.pk, "q": "invånare"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="conflict" role="alert"' in page
    assert "Kolada svarade med ett serverfel" in page
    assert not Measure.objects.filter(kolada_kpi="N01951").exists()


def test_a_kolada_error_while_searching_is_shown_as_an_alert(client_as, kolada):
    kolada.failing = True
    page = client_as("strateg").get(reverse("measures:kolada"), {"q": "invånare"})
    assert 'role="alert"' in page.content.decode()
    assert "Kolada svarade med ett serverfel" in page.content.decode()


def test_a_goal_outside_the_list_is_refused(client_as, area, kolada):
    response = client_as("strateg").post(
        reverse("measures:kolada_link"), {"kpi": "N01951", "goal": area.pk}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Measure.objects.filter(kolada_kpi="N01951").exists()
    assert kolada.requests == []


@pytest.mark.parametrize("persona", ["enhetschef", "verksamhetschef", "fortroendevald"])
def test_only_plan_administrators_search_and_link(client_as, goal, kolada, persona):
    browser = client_as(persona)
    assert browser.get(reverse("measures:kolada"), {"q": "invånare"}).status_code == 403
    response = browser.post(reverse("measures:kolada_link"), {"kpi": "N01951", "goal": goal.pk})
    assert response.status_code == 403
    assert kolada.requests == []


def test_anonymous_visitors_are_sent_to_log_in(client_as, area, grastorp, kolada):
    measure = linked(grastorp, node=area)
    browser = client_as("anonymous")
    for response in (
        browser.get(reverse("measures:kolada")),
        browser.post(reverse("measures:kolada_link"), {"kpi": "N01951"}),
        browser.post(reverse("measures:kolada_refresh", args=[measure.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_fetching_a_linked_measure_now(client_as, grastorp, personas, area, kolada):
    measure = linked(grastorp, node=area, by_gender=True)
    url = reverse("measures:kolada_refresh", args=[measure.pk])

    assert client_as("enhetschef").post(url).status_code == 403  # not the measure's unit
    assert client_as("strateg").get(url).status_code == 405
    response = client_as("strateg").post(url)

    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url()
    assert len(stored(measure)) == 5
    assert ImportBatch.objects.get(source="kolada").created_by == personas["strateg"]


def test_a_unit_that_may_enter_values_may_fetch_them(client_as, grastorp, area, kolada):
    measure = linked(grastorp, node=area, responsible_unit=area.owner_unit)
    response = client_as("enhetschef").post(reverse("measures:kolada_refresh", args=[measure.pk]))
    assert response.status_code == 302
    assert stored(measure)


def test_a_kolada_error_while_fetching_keeps_the_values(client_as, grastorp, area, kolada):
    measure = linked(grastorp, node=area)
    MeasureValue.objects.create(measure=measure, year=2024, value=1)
    kolada.failing = True
    response = client_as("strateg").post(reverse("measures:kolada_refresh", args=[measure.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="conflict" role="alert"' in page and "HTTP 500" in page
    assert stored(measure) == {(2024, "T"): Decimal(1)}


def test_a_measure_without_a_kpi_has_nothing_to_fetch(client_as, grastorp, area):
    measure = Measure.objects.create(organisation=grastorp, node=area, title="För hand")
    url = reverse("measures:kolada_refresh", args=[measure.pk])
    assert client_as("strateg").post(url).status_code == 404


def test_the_button_for_the_measure_page(grastorp, area):
    from django.template.loader import render_to_string

    measure = linked(grastorp, node=area)
    url = reverse("measures:kolada_refresh", args=[measure.pk])
    template = "measures/kolada_refresh_button.html"
    assert f'action="{url}"' in render_to_string(template, {"measure": measure, "can_enter": True})
    assert "<form" not in render_to_string(template, {"measure": measure, "can_enter": False})
    measure.kolada_kpi = ""
    assert "<form" not in render_to_string(template, {"measure": measure, "can_enter": True})
