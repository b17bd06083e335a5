"""The Kolada client against a local HTTP server answering in Kolada's documented shapes.

`LocalServer` and `Reply` are shared with test_scb.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tillit.measures.sources import KoladaClient, KoladaKpi, KoladaValue, SourceError
from tillit.measures.sources._http import retry_after_seconds
from tillit.measures.sources.kolada import ATTRIBUTION


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict or list: sent as JSON; str or bytes: sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def ids(self, after: str) -> list[str]:
        """The comma-separated ids in the path segment after `after`."""
        segments = self.path.split("/")
        return segments[segments.index(after) + 1].split(",")


class LocalServer:
    """An HTTP server on 127.0.0.1 in a thread; `answer` decides each reply."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.answer: Callable[[Seen], Reply] = lambda seen: Reply(404, {"error": "no route"})
        self.released = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(parts.path, parse_qs(parts.query), dict(self.headers))
                owner.requests.append(seen)
                reply = owner.answer(seen)
                if reply.delay:
                    owner.released.wait(reply.delay)
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body)
                if isinstance(body, str):
                    body = body.encode()
                body = body or b""
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def script(self, *replies: Reply) -> None:
        """Answer with these replies in turn, repeating the last one."""
        queue = list(replies)

        def answer(seen: Seen) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.answer = answer

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    local = LocalServer()
    yield local
    local.close()


@pytest.fixture
def waits() -> list[float]:
    """The waits a client asked for; passed as its `sleep`, so nothing really sleeps."""
    return []


def kolada(server: LocalServer, waits: list[float], **options: Any) -> KoladaClient:
    return KoladaClient(server.base_url + "/v3", sleep=waits.append, **options)


def population_item(municipality: str, period: int, values: list[dict]) -> dict:
    return {"kpi": "N01951", "municipality": municipality, "period": period, "values": values}


PAGE_ONE = [
    population_item(
        "1444",
        2023,
        [
            {"gender": "T", "value": 5705, "count": 1, "status": ""},
            {"gender": "K", "value": 2801.5, "count": 1, "status": None},
            {"gender": "M", "value": None, "count": 1, "status": "Saknas"},
        ],
    )
]
PAGE_TWO = [population_item("1444", 2024, [{"gender": "T", "value": 5689, "count": 1}])]


def test_values_follow_next_url_across_pages_and_read_every_gender(server, waits):
    def answer(seen: Seen) -> Reply:
        if seen.path.endswith("/year/2023,2024"):
            next_url = f"{server.base_url}/v3/next-page?per_page=5000&page=2"
            return Reply(body={"count": 1, "values": PAGE_ONE, "next_url": next_url})
        return Reply(body={"count": 1, "values": PAGE_TWO, "next_url": None})

    server.answer = answer

    values = kolada(server, waits).values(["N01951"], ["1444"], [2023, 2024])

    assert values == [
        KoladaValue("N01951", "1444", 2023, "T", Decimal("5705"), count=1),
        KoladaValue("N01951", "1444", 2023, "K", Decimal("2801.5"), count=1),
        KoladaValue("N01951", "1444", 2023, "M", None, count=1, status="Saknas"),
        KoladaValue("N01951", "1444", 2024, "T", Decimal("5689"), count=1),
    ]
    first, second = server.requests
    assert first.path == "/v3/data/kpi/N01951/municipality/1444/year/2023,2024"
    assert first.query == {"per_page": ["5000"]}
    assert first.headers["User-Agent"].startswith("Tillit (")
    assert second.path == "/v3/next-page"
    assert second.query == {"per_page": ["5000"], "page": ["2"]}
    assert waits == []


def test_values_follow_an_older_relative_next_page_link(server, waits):
    def answer(seen: Seen) -> Reply:
        if "page" not in seen.query:
            return Reply(body={"values": PAGE_ONE, "next_page": "?per_page=5000&page=2"})
        return Reply(body={"values": PAGE_TWO})

    server.answer = answer

    values = kolada(server, waits).values(["N01951"], ["1444"], None)

    assert [(v.period, v.gender) for v in values] == [
        (2023, "T"),
        (2023, "K"),
        (2023, "M"),
        (2024, "T"),
    ]
    first, second = server.requests
    assert first.path == "/v3/data/kpi/N01951/municipality/1444"
    assert second.path == first.path
    assert second.query["page"] == ["2"]


def test_more_than_25_municipalities_are_split_over_requests_of_at_most_25(server, waits):
    municipalities = [f"{1400 + n}" for n in range(30)]
    server.answer = lambda seen: Reply(
        body={"values": [population_item(m, 2024, []) for m in seen.ids("municipality")]}
    )

    kolada(server, waits).values(["N01951"], municipalities, [2024])

    asked = [seen.ids("municipality") for seen in server.requests]
    assert len(asked) == 2
    assert all(len(ids) <= 25 for ids in asked)
    assert sorted(asked[0] + asked[1]) == municipalities


def test_more_than_25_kpis_and_municipalities_are_split_in_both_lists(server, waits):
    kpis = [f"N{n:05d}" for n in range(26)]
    municipalities = [f"{1400 + n}" for n in range(26)]
    server.answer = lambda seen: Reply(body={"values": []})

    assert kolada(server, waits).values(kpis, municipalities, [2024]) == []

    assert len(server.requests) == 4
    for seen in server.requests:
        assert len(seen.ids("kpi")) <= 25
        assert len(seen.ids("municipality")) <= 25


def test_a_429_is_retried_after_the_wait_the_server_asks_for(server, waits):
    server.script(
        Reply(429, {"error": "too many"}, headers={"Retry-After": "3"}),
        Reply(body={"values": PAGE_TWO}),
    )

    values = kolada(server, waits).values(["N01951"], ["1444"], [2024])

    assert [v.value for v in values] == [Decimal("5689")]
    assert waits == [3.0]
    assert len(server.requests) == 2


def test_a_server_error_three_times_is_retried_with_growing_waits(server, waits):
    server.script(Reply(500), Reply(502), Reply(503), Reply(body={"values": PAGE_TWO}))

    values = kolada(server, waits, backoff=0.5).values(["N01951"], ["1444"], [2024])

    assert len(values) == 1
    assert waits == [0.5, 1.0, 2.0]
    assert len(server.requests) == 4


def test_a_lasting_server_error_gives_up_after_max_retries(server, waits):
    server.script(Reply(500, "Internal Server Error"))

    with pytest.raises(SourceError) as raised:
        kolada(server, waits, max_retries=2).values(["N01951"], ["1444"], [2024])

    assert len(server.requests) == 3
    assert len(waits) == 2
    assert raised.value.status == 500
    assert raised.value.message == (
        "Kolada svarade med ett serverfel (HTTP 500, sida 1). Tillit gav upp efter 3 försök."
    )


def test_a_server_slower_than_the_timeout_gives_a_source_error(server, waits):
    server.script(Reply(body={"values": []}, delay=2.0))

    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        kolada(server, waits, timeout=0.2, max_retries=1).values(["N01951"], ["1444"], [2024])

    assert time.monotonic() - started < 1.5
    assert len(waits) == 1
    assert raised.value.message == (
        "Kolada svarade inte inom 0,2 sekunder (sida 1). Tillit gav upp efter 2 försök."
    )


def test_an_unreachable_server_gives_a_source_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []
    client = KoladaClient(f"http://127.0.0.1:{port}/v3", max_retries=1, sleep=waits.append)

    with pytest.raises(SourceError) as raised:
        client.values(["N01951"], ["1444"], [2024])

    assert raised.value.message.startswith("Kunde inte ansluta till Kolada")
    assert waits == [0.5]


def test_a_page_that_is_not_json_is_named_in_swedish(server, waits):
    server.script(
        Reply(body={"values": PAGE_ONE, "next_url": "/v3/next?page=2"}),
        Reply(body="<html>Underhåll pågår</html>"),
    )

    with pytest.raises(SourceError) as raised:
        kolada(server, waits).values(["N01951"], ["1444"], [2024])

    assert raised.value.message == "Kolada svarade med något som inte är JSON (sida 2)."


def test_an_answer_without_values_is_a_source_error(server, waits):
    server.script(Reply(body={"count": 0, "next_url": None}))

    with pytest.raises(SourceError) as raised:
        kolada(server, waits).values(["N01951"], ["1444"], [2024])

    assert raised.value.message == "Kolada-svaret saknar fältet ”values” (sida 1)."
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("item", "complaint"),
    [
        (population_item("1444", 2024, [{"gender": "T", "value": "5689"}]), "”value”"),
        (population_item("1444", "tjugo", [{"gender": "T", "value": 1}]), "”period”"),
        (population_item("1444", 2024, [{"gender": "X", "value": 1}]), "okänt kön ”X”"),
        ({"kpi": "N01951", "period": 2024, "values": []}, "saknar fältet ”municipality”"),
        (population_item("1444", 2024, {"gender": "T"}), "”values” i post 1"),
    ],
    ids=["value-as-text", "period-not-a-year", "unknown-gender", "no-municipality", "not-a-list"],
)
def test_a_value_of_the_wrong_type_is_named(server, waits, item, complaint):
    server.script(Reply(body={"values": [item]}))

    with pytest.raises(SourceError) as raised:
        kolada(server, waits).values(["N01951"], ["1444"], [2024])

    assert complaint in raised.value.message
    assert raised.value.message.startswith("Kolada-svaret ")


def test_a_404_fails_at_once_without_retrying(server, waits):
    server.script(Reply(404, {"error": "not found"}))

    with pytest.raises(SourceError) as raised:
        kolada(server, waits).values(["N99999"], ["1444"], [2024])

    assert len(server.requests) == 1
    assert waits == []
    assert raised.value.status == 404
    assert raised.value.message == ("Kolada hittade inte det som efterfrågades (HTTP 404, sida 1).")


def test_a_next_link_back_to_the_same_page_stops_with_an_error(server, waits):
    server.answer = lambda seen: Reply(
        body={"values": [], "next_url": "/v3/data/kpi/N01951/municipality/1444?per_page=5000"}
    )

    with pytest.raises(SourceError) as raised:
        kolada(server, waits).values(["N01951"], ["1444"])

    assert "redan är hämtad" in raised.value.message
    assert len(server.requests) == 1


def test_search_kpis_reads_every_page(server, waits):
    def answer(seen: Seen) -> Reply:
        if seen.query.get("page") != ["2"]:
            kpi = {
                "id": "N01951",
                "title": "Invånare totalt, antal",
                "description": "Antal invånare den 31/12.",
                "operating_area": "Befolkning",
                "has_ou_data": False,
                "is_divided_by_gender": True,
            }
            next_url = f"{server.base_url}/v3/kpi?title=inv%C3%A5nare&page=2"
            return Reply(body={"count": 1, "values": [kpi], "next_url": next_url})
        kpi = {"id": "N01952", "title": "Invånare 0-19 år", "description": None}
        return Reply(body={"count": 1, "values": [kpi], "is_divided_by_gender": 0})

    server.answer = answer

    kpis = kolada(server, waits).search_kpis("invånare")

    assert kpis == [
        KoladaKpi(
            id="N01951",
            title="Invånare totalt, antal",
            description="Antal invånare den 31/12.",
            operating_area="Befolkning",
            has_ou_data=False,
            is_divided_by_gender=True,
        ),
        KoladaKpi(id="N01952", title="Invånare 0-19 år"),
    ]
    assert server.requests[0].path == "/v3/kpi"
    assert server.requests[0].query == {"title": ["invånare"], "per_page": ["5000"]}


def test_empty_lists_ask_kolada_nothing(server, waits):
    client = kolada(server, waits)

    assert client.values([], ["1444"], [2024]) == []
    assert client.values(["N01951"], ["1444"], []) == []
    assert server.requests == []


def test_retry_after_is_read_as_seconds_or_a_date():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now=now) == 7.0
    assert retry_after_seconds("Wed, 01 Jan 2025 12:00:10 GMT", now=now) == 10.0
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None) is None


def test_kolada_is_cited():
    assert ATTRIBUTION == "Källa: Kolada"
