"""Client for Kolada's API v3 (RKA's municipal key figures): plain data, no Django models.

Shapes this client relies on (Kolada's published API description, v2 and v3,
and ARCHITECTURE.md "Public sources of data"):

- Data: `GET {base}/data/kpi/{kpis}/municipality/{municipalities}[/year/{years}]`,
  each list comma-separated with at most 25 ids, `per_page` at most 5000.
- Every answer is a JSON object with a `values` list and, when there is more,
  a link to the next page: `next_url` in v3, `next_page` in older versions
  (both read; absolute or relative to the page that gave it).
- A data item is `{"kpi", "municipality", "period", "values": [...]}` and each
  inner value `{"gender": "T"|"K"|"M", "value": number|null, "count", "status"}`.
  `period` is a year, given as a number (v3) or a string of digits (v2).
- KPI metadata: `GET {base}/kpi?title=...` (search) or `GET {base}/kpi/{ids}`
  (at most 25 ids), items with `id`, `title`,
  `description`, `operating_area`, `has_ou_data`, `is_divided_by_gender`
  (booleans in v3, 0/1 in v2; both read).

Numbers are read as Decimal straight from the JSON text, never through float.
Anyone showing Kolada's data must cite it: use `ATTRIBUTION`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from typing import Any
from urllib.parse import quote, urljoin

import httpx

from ._http import Fetcher
from .errors import SourceError

ATTRIBUTION = "Källa: Kolada"
DEFAULT_BASE_URL = "https://api.kolada.se/v3"
SOURCE = "Kolada"
MAX_IDS = 25  # per comma-separated list in one request
PER_PAGE = 5000  # Kolada's maximum
MAX_PAGES = 10_000  # a guard against a next-page link that never ends
GENDERS = ("T", "K", "M")  # totalt, kvinnor, män


@dataclass(frozen=True, slots=True)
class KoladaValue:
    kpi: str
    municipality: str
    period: int
    gender: str
    value: Decimal | None
    count: int | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class KoladaKpi:
    id: str
    title: str
    description: str = ""
    operating_area: str = ""
    has_ou_data: bool = False
    is_divided_by_gender: bool = False


def _chunks(ids: list[str], size: int = MAX_IDS) -> list[list[str]]:
    unique = list(dict.fromkeys(str(i).strip() for i in ids))
    return [unique[start : start + size] for start in range(0, len(unique), size)]


def _joined(ids: list[str] | list[int]) -> str:
    return ",".join(quote(str(i), safe="") for i in ids)


class _Page:
    """Reads one page's fields, naming the page and item in every complaint."""

    def __init__(self, number: int) -> None:
        self.context = f"sida {number}"

    def fail(self, what: str) -> SourceError:
        return SourceError(f"Kolada-svaret {what} ({self.context}).")

    def values(self, document: Any) -> list[Any]:
        if not isinstance(document, dict):
            raise self.fail("är inte ett JSON-objekt")
        if "values" not in document:
            raise self.fail("saknar fältet ”values”")
        values = document["values"]
        if not isinstance(values, list):
            raise self.fail("har ett fält ”values” som inte är en lista")
        return values

    def next_link(self, document: dict[str, Any]) -> str | None:
        for key in ("next_url", "next_page"):
            link = document.get(key)
            if link in (None, ""):
                continue
            if not isinstance(link, str):
                raise self.fail(f"har ett fält ”{key}” som inte är en adress")
            return link
        return None

    def item(self, item: Any, position: int) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise self.fail(f"har en post {position} som inte är ett JSON-objekt")
        return item

    def text(self, item: dict[str, Any], key: str, position: int, *, required: bool = True) -> str:
        if key not in item or item[key] is None:
            if required:
                raise self.fail(f"saknar fältet ”{key}” i post {position}")
            return ""
        value = item[key]
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(f"har ett fält ”{key}” i post {position} som inte är text")
        return str(value)

    def flag(self, item: dict[str, Any], key: str, position: int) -> bool:
        value = item.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self.fail(f"har ett fält ”{key}” i post {position} som inte är sant eller falskt")

    def year(self, item: dict[str, Any], position: int) -> int:
        if item.get("period") is None:
            raise self.fail(f"saknar fältet ”period” i post {position}")
        period = item["period"]
        if isinstance(period, str) and period.strip().isdigit():
            period = int(period)
        if isinstance(period, bool) or not isinstance(period, int) or not 1000 <= period <= 9999:
            raise self.fail(f"har ett fält ”period” i post {position} som inte är ett årtal")
        return period

    def number(self, value: Any, position: int) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.fail(f"har ett fält ”value” i post {position} som inte är ett tal")
        return Decimal(value)

    def count(self, value: Any, position: int) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"har ett fält ”count” i post {position} som inte är ett heltal")
        return value

    def status(self, value: Any, position: int) -> str | None:
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise self.fail(f"har ett fält ”status” i post {position} som inte är text")
        return value


class KoladaClient:
    """Reads key figures and KPI metadata from Kolada."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10,
        max_retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.fetcher = Fetcher(
            SOURCE, timeout=timeout, max_retries=max_retries, backoff=backoff, sleep=sleep
        )

    @classmethod
    def from_settings(cls, **options: Any) -> KoladaClient:
        """A client for `settings.KOLADA_BASE_URL` (default: Kolada's public v3 API)."""
        from django.conf import settings

        return cls(getattr(settings, "KOLADA_BASE_URL", DEFAULT_BASE_URL), **options)

    def values(
        self, kpis: list[str], municipalities: list[str], years: list[int] | None = None
    ) -> list[KoladaValue]:
        """Every value for these KPIs, municipalities and years (all years when None).

        Lists longer than 25 ids are split over several requests; an empty list
        asks for nothing and gives nothing.
        """
        if not kpis or not municipalities or years == []:
            return []
        year_chunks: list[list[str] | None] = (
            [None] if years is None else _chunks([str(int(y)) for y in years])
        )
        found: list[KoladaValue] = []
        with self.fetcher.client() as http:
            for kpi_ids, municipality_ids, year_ids in product(
                _chunks(kpis), _chunks(municipalities), year_chunks
            ):
                url = (
                    f"{self.base_url}/data/kpi/{_joined(kpi_ids)}"
                    f"/municipality/{_joined(municipality_ids)}"
                )
                if year_ids is not None:
                    url += f"/year/{_joined(year_ids)}"
                for page, items in self._pages(http, url, {"per_page": PER_PAGE}):
                    found.extend(self._values(page, items))
        return found

    def search_kpis(self, title: str) -> list[KoladaKpi]:
        """KPIs whose title contains `title` (Kolada's own matching)."""
        found: list[KoladaKpi] = []
        with self.fetcher.client() as http:
            params = {"title": title, "per_page": PER_PAGE}
            for page, items in self._pages(http, f"{self.base_url}/kpi", params):
                found.extend(self._kpis(page, items))
        return found

    def kpis(self, ids: list[str]) -> list[KoladaKpi]:
        """The KPIs with these ids (`{base}/kpi/{ids}`), as Kolada lists them; an id Kolada
        does not know is simply not among them. More than 25 ids take several requests."""
        found: list[KoladaKpi] = []
        with self.fetcher.client() as http:
            for chunk in _chunks(ids):
                url = f"{self.base_url}/kpi/{_joined(chunk)}"
                for page, items in self._pages(http, url, {"per_page": PER_PAGE}):
                    found.extend(self._kpis(page, items))
        return found

    @staticmethod
    def _kpis(page: _Page, items: list[Any]) -> Iterator[KoladaKpi]:
        for position, raw in enumerate(items, start=1):
            item = page.item(raw, position)
            yield KoladaKpi(
                id=page.text(item, "id", position),
                title=page.text(item, "title", position),
                description=page.text(item, "description", position, required=False),
                operating_area=page.text(item, "operating_area", position, required=False),
                has_ou_data=page.flag(item, "has_ou_data", position),
                is_divided_by_gender=page.flag(item, "is_divided_by_gender", position),
            )

    def _pages(
        self, http: httpx.Client, url: str, params: dict[str, str | int]
    ) -> Iterator[tuple[_Page, list[Any]]]:
        """Each page's reader and its `values`, following next-page links."""
        seen: set[str] = set()
        request_params: dict[str, str | int] | None = params
        for number in range(1, MAX_PAGES + 1):
            page = _Page(number)
            response = self.fetcher.get(http, url, params=request_params, context=page.context)
            document = self.fetcher.decode(response, context=page.context)
            yield page, page.values(document)
            link = page.next_link(document)
            if link is None:
                return
            seen.add(str(response.url))
            url, request_params = urljoin(str(response.url), link), None
            if url in seen:
                raise SourceError(
                    f"Kolada-svaret pekar tillbaka på en sida som redan är hämtad ({page.context})."
                )
        raise SourceError(f"Kolada-svaret fortsätter över mer än {MAX_PAGES} sidor.")

    @staticmethod
    def _values(page: _Page, items: list[Any]) -> Iterator[KoladaValue]:
        for position, raw in enumerate(items, start=1):
            item = page.item(raw, position)
            kpi = page.text(item, "kpi", position)
            municipality = page.text(item, "municipality", position)
            period = page.year(item, position)
            if "values" not in item:
                raise page.fail(f"saknar fältet ”values” i post {position}")
            if not isinstance(item["values"], list):
                raise page.fail(f"har ett fält ”values” i post {position} som inte är en lista")
            for raw_value in item["values"]:
                value = page.item(raw_value, position)
                gender = value.get("gender")
                if gender not in GENDERS:
                    raise page.fail(
                        f"har ett okänt kön ”{gender}” i post {position} (väntade T, K eller M)"
                    )
                yield KoladaValue(
                    kpi=kpi,
                    municipality=municipality,
                    period=period,
                    gender=gender,
                    value=page.number(value.get("value"), position),
                    count=page.count(value.get("count"), position),
                    status=page.status(value.get("status"), position),
                )
