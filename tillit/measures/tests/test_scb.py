"""The SCB client against a local HTTP server answering in JSON-stat 2.0."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tillit.measures.sources import ScbClient, ScbValue, SourceError
from tillit.measures.sources.scb import ATTRIBUTION, JsonStatCell, parse_jsonstat2
from tillit.measures.tests.test_kolada import LocalServer, Reply, Seen


@pytest.fixture
def server():
    local = LocalServer()
    yield local
    local.close()


@pytest.fixture
def waits() -> list[float]:
    return []


def scb(server: LocalServer, waits: list[float], **options: Any) -> ScbClient:
    return ScbClient(server.base_url + "/api/v2", sleep=waits.append, **options)


def dimension(codes: list[str] | dict[str, int], label: str = "") -> dict:
    index = codes if isinstance(codes, dict) else {code: n for n, code in enumerate(codes)}
    return {"label": label, "category": {"index": index, "label": {c: c for c in index}}}


def dataset(dimensions: dict[str, Any], values: Any) -> dict:
    """A JSON-stat 2.0 dataset as SCB sends it, dimensions in the order given."""
    ids = list(dimensions)
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängden efter region, kön och år",
        "source": "SCB",
        "id": ids,
        "size": [len(dimensions[d]) for d in ids],
        "dimension": {d: dimension(codes) for d, codes in dimensions.items()},
        "value": values,
        "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
    }


def test_population_by_region_and_year(server, waits):
    document = dataset(
        {"Region": ["1444", "1445"], "Tid": ["2023", "2024"]},
        [5705, 5689, 9131, None],
    )
    server.script(Reply(body=document))

    values = scb(server, waits).population(["1444", "1445"], [2023, 2024])

    assert values == [
        ScbValue("1444", 2023, "T", Decimal("5705")),
        ScbValue("1444", 2024, "T", Decimal("5689")),
        ScbValue("1445", 2023, "T", Decimal("9131")),
        ScbValue("1445", 2024, "T", None),
    ]
    (seen,) = server.requests
    assert seen.path == "/api/v2/tables/TAB638/data"
    assert seen.query == {
        "lang": ["sv"],
        "outputFormat": ["json-stat2"],
        "valueCodes[ContentsCode]": ["BE0101N1"],
        "valueCodes[Region]": ["1444,1445"],
        "codelist[Region]": ["vs_RegionKommun07"],
        "valueCodes[Tid]": ["2023,2024"],
    }
    assert seen.headers["User-Agent"].startswith("Tillit (")


def test_population_by_gender_reads_kon_whatever_the_dimension_order(server, waits):
    # Four dimensions, ContentsCode of size one; Tid's index given out of order.
    document = dataset(
        {
            "Region": ["1444"],
            "Kon": ["1", "2"],
            "ContentsCode": ["BE0101N1"],
            "Tid": {"2024": 1, "2023": 0},
        },
        [2904, 2890, 2801, None],
    )
    server.script(Reply(body=document))

    values = scb(server, waits).population(["1444"], [2023, 2024], by_gender=True)

    assert values == [
        ScbValue("1444", 2023, "M", Decimal("2904")),
        ScbValue("1444", 2024, "M", Decimal("2890")),
        ScbValue("1444", 2023, "K", Decimal("2801")),
        ScbValue("1444", 2024, "K", None),
    ]
    assert server.requests[0].query["valueCodes[Kon]"] == ["1,2"]


def test_every_year_is_asked_for_when_no_years_are_given(server, waits):
    server.script(Reply(body=dataset({"Region": ["1444"], "Tid": ["2024"]}, [5689])))

    scb(server, waits).population(["1444"])

    assert server.requests[0].query["valueCodes[Tid]"] == ["*"]


def test_the_flat_index_follows_the_sizes_for_three_dimensions():
    # Region × Kon × Tid = 2 × 3 × 2; the last dimension varies fastest.
    document = dataset(
        {"Region": ["1444", "1445"], "Kon": ["1", "2", "1+2"], "Tid": ["2023", "2024"]},
        list(range(12)),
    )

    cells = parse_jsonstat2(document)

    by_codes = {(c.codes["Region"], c.codes["Kon"], c.codes["Tid"]): c.value for c in cells}
    assert by_codes[("1444", "1", "2023")] == 0
    assert by_codes[("1444", "1+2", "2024")] == 5
    assert by_codes[("1445", "1", "2023")] == 6
    assert by_codes[("1445", "2", "2024")] == 9
    assert len(cells) == 12


def test_sparse_values_leave_the_missing_cells_empty():
    document = dataset({"Region": ["1444"], "Tid": ["2023", "2024"]}, {"1": 5689})

    assert parse_jsonstat2(document) == [
        JsonStatCell({"Region": "1444", "Tid": "2023"}, None),
        JsonStatCell({"Region": "1444", "Tid": "2024"}, Decimal("5689")),
    ]


def test_sizes_that_do_not_match_the_values_are_a_source_error(server, waits):
    document = dataset({"Region": ["1444", "1445"], "Tid": ["2023", "2024"]}, [1, 2, 3])
    server.script(Reply(body=document))

    with pytest.raises(SourceError) as raised:
        scb(server, waits).population(["1444", "1445"], [2023, 2024])

    assert raised.value.message == (
        "SCB-svaret är felaktigt: ”size” anger 4 värden men ”value” har 3."
    )


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d.pop("dimension"), "saknar fältet ”dimension”"),
        (lambda d: d.update(size=[1]), "”size” som inte stämmer med ”id”"),
        (lambda d: d["dimension"]["Tid"].pop("category"), "kategorierna för dimensionen ”Tid”"),
        (lambda d: d.update(value=["5689"]), "värde på plats 0 som inte är ett tal"),
        (lambda d: d.update(value={"7": 1}), "plats (”7”) som inte finns"),
    ],
    ids=["no-dimension", "size-vs-id", "no-category", "text-value", "index-out-of-range"],
)
def test_a_malformed_dataset_is_named(change, complaint):
    document = dataset({"Region": ["1444"], "Tid": ["2024"]}, [5689])
    change(document)

    with pytest.raises(SourceError) as raised:
        parse_jsonstat2(document)

    assert complaint in raised.value.message


def test_a_dimension_left_split_is_a_source_error(server, waits):
    document = dataset({"Region": ["1444"], "Alder": ["0", "1"], "Tid": ["2024"]}, [60, 58])
    server.script(Reply(body=document))

    with pytest.raises(SourceError) as raised:
        scb(server, waits).population(["1444"], [2024])

    assert "”Alder”" in raised.value.message


def test_an_answer_that_is_not_json_is_a_source_error(server, waits):
    server.script(Reply(body="<html>Tjänsten är tillfälligt otillgänglig</html>"))

    with pytest.raises(SourceError) as raised:
        scb(server, waits).population(["1444"], [2024])

    assert raised.value.message == "SCB svarade med något som inte är JSON."


def test_scb_retries_a_429_and_honours_retry_after(server, waits):
    server.script(
        Reply(429, "Too many requests", headers={"Retry-After": "10"}),
        Reply(503),
        Reply(body=dataset({"Region": ["1444"], "Tid": ["2024"]}, [5689])),
    )

    values = scb(server, waits).population(["1444"], [2024])

    assert values == [ScbValue("1444", 2024, "T", Decimal("5689"))]
    assert waits == [10.0, 1.0]


def test_a_400_from_scb_fails_at_once(server, waits):
    server.script(Reply(400, {"title": "Bad Request"}))

    with pytest.raises(SourceError) as raised:
        scb(server, waits).population(["9999"], [2024])

    assert raised.value.message == "SCB avvisade frågan (HTTP 400)."
    assert len(server.requests) == 1
    assert waits == []


def test_more_than_100_municipalities_are_split_over_requests(server, waits):
    def answer(seen: Seen) -> Reply:
        regions = seen.query["valueCodes[Region]"][0].split(",")
        return Reply(body=dataset({"Region": regions, "Tid": ["2024"]}, [1] * len(regions)))

    server.answer = answer
    codes = [f"{n:04d}" for n in range(1, 151)]

    values = scb(server, waits).population(codes, [2024])

    assert [v.municipality for v in values] == codes
    assert [len(s.query["valueCodes[Region]"][0].split(",")) for s in server.requests] == [100, 50]


def test_scb_is_cited():
    assert ATTRIBUTION == "Källa: SCB"
