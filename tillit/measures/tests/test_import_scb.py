"""Importing SCB's population (TAB638) into measures: the function and the command.

SCB is the LocalServer of test_kolada.py answering in JSON-stat 2.0 as in test_scb.py,
with `settings.SCB_BASE_URL` pointed at it.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tillit.measures.choices import MeasureKind, Source
from tillit.measures.importers.scb import import_scb_population
from tillit.measures.models import ImportBatch, Measure, MeasureValue
from tillit.measures.sources import ScbClient
from tillit.measures.tests.test_kolada import LocalServer, Reply, Seen
from tillit.measures.tests.test_scb import dataset

KON = {"1": "M", "2": "K"}


class Scb:
    """The fake SCB: folkmängd by (municipality, year) → {T, K, M}; `failing` answers 500."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.data: dict[tuple[str, int], dict[str, int | None]] = {
            ("1444", 2023): {"T": 5705, "K": 2801, "M": 2904},
            ("1444", 2024): {"T": 5689, "K": 2790, "M": None},
            ("1445", 2024): {"T": 9131, "K": 4500, "M": 4631},
        }
        self.failing = False
        server.answer = self.answer

    @property
    def requests(self) -> list[Seen]:
        return self.server.requests

    def answer(self, seen: Seen) -> Reply:
        if self.failing:
            return Reply(500, "Internal Server Error", headers={"Retry-After": "0"})
        if seen.path != "/api/v2/tables/TAB638/data":
            return Reply(404, {"title": "Not Found"})
        regions = seen.query["valueCodes[Region]"][0].split(",")
        asked = seen.query["valueCodes[Tid]"][0]
        known = sorted({year for (_m, year) in self.data})
        years = [str(y) for y in known] if asked == "*" else asked.split(",")
        asked_kon = seen.query.get("valueCodes[Kon]", [""])[0]
        kon = asked_kon.split(",") if asked_kon else []
        dimensions: dict = {"Region": regions}
        if kon:
            dimensions["Kon"] = kon
        dimensions["ContentsCode"] = ["BE0101N1"]
        dimensions["Tid"] = years
        values = []
        for region in regions:
            for gender in [KON[k] for k in kon] or ["T"]:
                for year in years:
                    values.append(self.data.get((region, int(year)), {}).get(gender))
        return Reply(body=dataset(dimensions, values))


@pytest.fixture
def scb(settings):
    server = LocalServer()
    settings.SCB_BASE_URL = server.base_url + "/api/v2"
    yield Scb(server)
    server.close()


@pytest.fixture
def client(scb):
    return ScbClient(scb.server.base_url + "/api/v2", sleep=lambda seconds: None)


def stored(measure) -> dict[tuple[int, str], Decimal | None]:
    return {
        (v.year, v.gender): v.value
        for v in MeasureValue.objects.filter(measure=measure).order_by("year", "gender")
    }


def linked(grastorp, *, node, title="Invånare", **fields) -> Measure:
    """A measure that follows SCB's TAB638."""
    return Measure.objects.create(
        organisation=grastorp,
        node=node,
        title=title,
        source=Source.SCB,
        scb_table="TAB638",
        **fields,
    )


# --- the import --------------------------------------------------------------------------


def test_a_new_measure_is_created_under_the_goal(grastorp, goal, client, scb):
    result = import_scb_population(
        organisation=grastorp, municipality="1444", years=[2023, 2024], node=goal, client=client
    )

    assert result.ok, result.errors
    measure = result.measure
    assert result.measure_created and measure.pk is not None
    assert (measure.title, measure.unit, measure.node, measure.source, measure.scb_table) == (
        "Folkmängd 31 december",
        "invånare",
        goal,
        Source.SCB,
        "TAB638",
    )
    assert not measure.by_gender and measure.kind == MeasureKind.QUANTITATIVE
    assert measure.description.endswith("\n\nKälla: SCB")
    assert stored(measure) == {(2023, "T"): Decimal(5705), (2024, "T"): Decimal(5689)}
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    batch = result.batch
    assert (batch.source, batch.description) == (
        "scb",
        "SCB TAB638 folkmängd, kommun 1444, 2023–2024",
    )
    assert set(MeasureValue.objects.filter(measure=measure).values_list("source", "batch")) == {
        ("scb", batch.pk)
    }
    (seen,) = scb.requests
    assert seen.query["valueCodes[Region]"] == ["1444"]
    assert seen.query["valueCodes[Tid]"] == ["2023,2024"]
    assert "valueCodes[Kon]" not in seen.query
    assert "SCB" in result.summary() and "TAB638" in result.summary()


def test_by_gender_stores_women_and_men_too(grastorp, goal, client, scb):
    result = import_scb_population(
        organisation=grastorp, years=None, node=goal, by_gender=True, client=client
    )

    assert result.ok, result.errors
    assert result.measure.by_gender
    assert stored(result.measure) == {
        (2023, "K"): Decimal(2801),
        (2023, "M"): Decimal(2904),
        (2023, "T"): Decimal(5705),
        (2024, "K"): Decimal(2790),
        (2024, "T"): Decimal(5689),
    }  # 2024 M is missing at SCB: nothing to store
    assert (result.created, result.updated, result.unchanged) == (5, 0, 1)
    # The organisation's own municipality; every year; totals, then split by gender.
    assert [s.query["valueCodes[Region]"] for s in scb.requests] == [["1444"], ["1444"]]
    assert [s.query["valueCodes[Tid]"] for s in scb.requests] == [["*"], ["*"]]
    assert [s.query.get("valueCodes[Kon]") for s in scb.requests] == [None, ["1,2"]]


def test_the_same_import_again_changes_nothing_and_records_no_batch(grastorp, goal, client):
    first = import_scb_population(organisation=grastorp, years=None, node=goal, client=client)
    batches = ImportBatch.objects.count()

    again = import_scb_population(organisation=grastorp, years=None, client=client)

    assert again.ok and not again.measure_created
    assert again.measure == first.measure  # reused: the measure that follows TAB638
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.batch is None and ImportBatch.objects.count() == batches
    assert Measure.objects.filter(organisation=grastorp, scb_table="TAB638").count() == 1


def test_an_existing_measure_is_reused_and_updated(grastorp, area, client, scb):
    measure = linked(grastorp, node=area, by_gender=True)
    MeasureValue.objects.create(measure=measure, year=2024, value=1)

    result = import_scb_population(organisation=grastorp, years=[2024], client=client)

    assert result.ok and result.measure == measure and not result.measure_created
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert stored(measure) == {(2024, "K"): Decimal(2790), (2024, "T"): Decimal(5689)}
    assert Measure.objects.filter(scb_table="TAB638").count() == 1


def test_a_measure_not_by_gender_is_not_split_on_request(grastorp, area, client, scb):
    measure = linked(grastorp, node=area)

    result = import_scb_population(organisation=grastorp, years=None, by_gender=True, client=client)

    assert not result.ok and "--by-gender" in str(result.errors[0])
    assert scb.requests == [] and stored(measure) == {}


def test_several_measures_following_the_table_must_be_told_apart(grastorp, area, goal, client):
    one = linked(grastorp, node=area, title="Invånare A")
    two = linked(grastorp, node=goal, title="Invånare B")

    result = import_scb_population(organisation=grastorp, years=None, client=client)

    assert not result.ok and result.error_count == 1
    message = str(result.errors[0])
    assert f"(id {one.pk})" in message and f"(id {two.pk})" in message
    assert "--measure" in message

    chosen = import_scb_population(organisation=grastorp, years=None, measure=two, client=client)
    assert chosen.ok and chosen.measure == two
    assert stored(one) == {} and len(stored(two)) == 2


def test_a_given_measure_must_follow_the_table(grastorp, area, client, scb):
    measure = Measure.objects.create(organisation=grastorp, node=area, title="För hand")

    result = import_scb_population(
        organisation=grastorp, years=None, measure=measure, client=client
    )

    assert not result.ok and "SCB" in str(result.errors[0])
    assert scb.requests == []


def test_an_scb_server_error_writes_nothing(grastorp, goal, client, scb):
    scb.failing = True
    measures, batches = Measure.objects.count(), ImportBatch.objects.count()

    result = import_scb_population(organisation=grastorp, years=None, node=goal, client=client)

    assert not result.ok
    assert "SCB svarade med ett serverfel (HTTP 500)" in str(result.errors[0])
    assert "SCB svarade med ett serverfel (HTTP 500)" in result.summary()
    assert (Measure.objects.count(), ImportBatch.objects.count()) == (measures, batches)


def test_an_scb_error_on_a_linked_measure_keeps_its_values(grastorp, area, client, scb):
    measure = linked(grastorp, node=area)
    MeasureValue.objects.create(measure=measure, year=2024, value=1)
    scb.failing = True

    result = import_scb_population(organisation=grastorp, years=None, client=client)

    assert not result.ok and result.measure == measure
    assert stored(measure) == {(2024, "T"): Decimal(1)}


def test_a_dry_run_creates_nothing_but_says_what_it_would(grastorp, goal, client):
    measures, values = Measure.objects.count(), MeasureValue.objects.count()

    result = import_scb_population(
        organisation=grastorp, years=None, node=goal, by_gender=True, dry_run=True, client=client
    )

    assert result.ok and result.dry_run and result.measure_created
    assert result.measure.pk is None and result.measure.title == "Folkmängd 31 december"
    assert (result.created, result.updated, result.unchanged) == (5, 0, 1)
    assert [(c.year, c.gender) for c in result.changes][:3] == [
        (2023, "T"),
        (2023, "K"),
        (2023, "M"),
    ]
    assert result.batch is None
    assert (Measure.objects.count(), MeasureValue.objects.count()) == (measures, values)


def test_a_dry_run_on_a_linked_measure_writes_nothing(grastorp, area, client):
    measure = linked(grastorp, node=area)

    result = import_scb_population(organisation=grastorp, years=None, dry_run=True, client=client)

    assert result.ok and (result.created, result.unchanged) == (2, 0)
    assert stored(measure) == {} and ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"municipality": "14"}, "14"),
        ({"municipality": "1445"}, "1444"),  # not the organisation's own
        ({"years": [1900]}, "1900"),  # SCB has nothing for that year
        ({"node": None}, "--goal"),
    ],
    ids=["bad-municipality", "foreign-municipality", "no-values", "no-goal"],
)
def test_bad_arguments_are_refused(grastorp, goal, client, arguments, expected):
    measures = Measure.objects.count()
    result = import_scb_population(
        **{"organisation": grastorp, "years": None, "node": goal, **arguments}, client=client
    )
    assert not result.ok and expected in str(result.errors[0])
    assert Measure.objects.count() == measures


def test_another_municipalitys_figures_go_into_a_measure_not_from_scb(grastorp, area, client):
    neighbour = Measure.objects.create(
        organisation=grastorp, node=area, title="Grannkommunen", scb_table="TAB638"
    )
    result = import_scb_population(
        organisation=grastorp, municipality="1445", years=None, measure=neighbour, client=client
    )
    assert result.ok and stored(neighbour) == {(2024, "T"): Decimal(9131)}


def test_a_person_must_be_allowed_to_create_the_measure(grastorp, goal, personas, client, scb):
    result = import_scb_population(
        organisation=grastorp, years=None, node=goal, user=personas["enhetschef"], client=client
    )
    assert not result.ok and scb.requests == []
    assert not Measure.objects.filter(scb_table="TAB638").exists()


# --- the command -------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_scb", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_a_measure_under_a_goal_given_by_key(grastorp, scb):
    out, _err = run("--goal", "fler-kommuninvanare", "--years", "2023-2024", "--by-gender")
    measure = Measure.objects.get(organisation=grastorp, scb_table="TAB638")
    assert (measure.node.key, measure.node.level.key) == ("fler-kommuninvanare", "goal")
    assert measure.by_gender and len(stored(measure)) == 5
    batch = ImportBatch.objects.get(source="scb")
    assert f"Importen har nummer {batch.pk}." in out
    assert f"Måttet har id {measure.pk}." in out
    assert scb.requests[0].query["valueCodes[Region]"] == ["1444"]

    out, _err = run("--years", "2023-2024")  # again: the same measure, nothing changes
    assert "Importen har nummer" not in out and f"Måttet har id {measure.pk}." in out
    assert ImportBatch.objects.filter(source="scb").count() == 1


def test_the_command_takes_a_goal_by_id_and_dry_runs(grastorp, goal, scb):
    out, _err = run("--goal", str(goal.pk), "--dry-run")
    assert "2024, totalt: ny → 5\u00a0689" in out
    assert not Measure.objects.filter(scb_table="TAB638").exists()


def test_the_command_fills_a_measure_given_by_id(grastorp, area, goal, scb):
    one = linked(grastorp, node=area, title="Invånare A")
    linked(grastorp, node=goal, title="Invånare B")
    with pytest.raises(CommandError) as raised:
        run()
    assert "--measure" in str(raised.value)

    run("--measure", str(one.pk))
    assert len(stored(one)) == 2


def test_the_command_fails_when_scb_fails(grastorp, goal, scb):
    scb.failing = True
    with pytest.raises(CommandError) as raised:
        run("--goal", str(goal.pk))
    assert "HTTP 500" in str(raised.value)
    assert not Measure.objects.filter(scb_table="TAB638").exists()


@pytest.mark.parametrize(
    "args",
    [
        [],  # no measure follows TAB638 and no --goal
        ["--goal", "finns-inte"],
        ["--measure", "999999"],
        ["--years", "2024-2020"],
        ["--organisation", "ingen"],
        ["--municipality", "1445", "--goal", "fler-kommuninvanare"],
    ],
)
def test_the_command_refuses_what_it_cannot_do(grastorp, scb, args):
    with pytest.raises(CommandError):
        run(*args)
    assert scb.requests == []
    assert not Measure.objects.filter(scb_table="TAB638").exists()


def test_the_command_exits_non_zero_on_error(grastorp, scb):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_scb", "--years", "tjugo"])
    assert exited.value.code == 1
