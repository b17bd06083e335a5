"""Client for SCB's PxWeb API v2 (Statistikdatabasen): plain data, no Django models.

Request (PxWebApi 2 GET form, as SCB's v2 API and its users write it):

    GET {base}/tables/TAB638/data?lang=sv&outputFormat=json-stat2
        &valueCodes[ContentsCode]=BE0101N1
        &valueCodes[Region]=1444,1445&codelist[Region]=vs_RegionKommun07
        &valueCodes[Tid]=2023,2024            (or * for every year)
        [&valueCodes[Kon]=1,2]                (only when split by gender)

Assumptions, to check against the live API when it can be reached:
- TAB638 is "Folkmängden efter region, civilstånd, ålder och kön"; its content
  `BE0101N1` is Folkmängd (31 December); `vs_RegionKommun07` is the value set
  of the 290 municipalities, whose codes are the four-digit municipality codes.
- Variables left out of the query (Civilstand, Alder and, unless asked for,
  Kon) are eliminable, so SCB answers with their total and leaves them out of
  the answer. ContentsCode and Tid are not eliminable and are always sent.
- At most `MAX_REGIONS` municipalities go in one request, to stay well under
  SCB's URL length and cell limits; more are split over several requests.
- The answer is JSON-stat 2.0: `id` (dimension order), `size` (categories per
  dimension), `dimension.{id}.category.index` (code → position, or a list of
  codes) and `value`: a flat list in row-major order (the last dimension varies
  fastest), or an object from flat index to value; a missing value is null.
- Kon codes: 1 → M (män), 2 → K (kvinnor), 1+2 or a total → T. Without a Kon
  dimension the value is the total, T.

Anyone showing SCB's data must cite it: use `ATTRIBUTION`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from typing import Any
from urllib.parse import quote

from ._http import Fetcher, where
from .errors import SourceError

ATTRIBUTION = "Källa: SCB"
DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
SOURCE = "SCB"
POPULATION_TABLE = "TAB638"
POPULATION_CONTENT = "BE0101N1"  # Folkmängd
MUNICIPALITY_CODELIST = "vs_RegionKommun07"
MAX_REGIONS = 100  # per request
GENDER_CODES = {"1": "M", "2": "K", "1+2": "T", "T": "T", "TOT": "T", "TOTALT": "T"}


@dataclass(frozen=True, slots=True)
class ScbValue:
    municipality: str
    year: int
    gender: str
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class JsonStatCell:
    """One cell of a JSON-stat dataset: its code in each dimension, and its value."""

    codes: dict[str, str]
    value: Decimal | None


def _fail(what: str, context: str = "") -> SourceError:
    return SourceError(f"SCB-svaret {what}{where(context)}.")


def _category_codes(dimension_id: str, dimension: Any, size: int, context: str) -> list[str]:
    """The dimension's category codes in index order."""
    if not isinstance(dimension, dict) or not isinstance(dimension.get("category"), dict):
        raise _fail(f"saknar kategorierna för dimensionen ”{dimension_id}”", context)
    category = dimension["category"]
    index = category.get("index")
    if index is None:
        # JSON-stat lets a dimension with one category leave out the index.
        labels = category.get("label")
        index = list(labels) if isinstance(labels, dict) and len(labels) == 1 else None
    if isinstance(index, list) and all(isinstance(code, str) for code in index):
        codes = list(index)
    elif isinstance(index, dict) and all(
        isinstance(position, int) and not isinstance(position, bool) for position in index.values()
    ):
        codes = [""] * len(index)
        for code, position in index.items():
            if not 0 <= position < len(index) or codes[position]:
                raise _fail(f"har en felaktig ordning för dimensionen ”{dimension_id}”", context)
            codes[position] = code
    else:
        raise _fail(f"saknar kategorierna för dimensionen ”{dimension_id}”", context)
    if len(codes) != size or len(set(codes)) != size:
        raise _fail(
            f"anger {size} värden för dimensionen ”{dimension_id}” men har {len(codes)} koder",
            context,
        )
    return codes


def _cell_value(value: Any, flat_index: int, context: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(f"har ett värde på plats {flat_index} som inte är ett tal", context)
    return Decimal(value)


def parse_jsonstat2(document: Any, *, context: str = "") -> list[JsonStatCell]:
    """Every cell of a JSON-stat 2.0 dataset, with the flat index computed from the sizes."""
    if not isinstance(document, dict):
        raise _fail("är inte ett JSON-objekt", context)
    if document.get("class", "dataset") != "dataset":
        raise _fail("är inte ett JSON-stat-dataset", context)
    for key in ("id", "size", "dimension", "value"):
        if key not in document:
            raise _fail(f"saknar fältet ”{key}”", context)
    ids, sizes, dimensions, values = (
        document["id"],
        document["size"],
        document["dimension"],
        document["value"],
    )
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _fail("har ett fält ”id” som inte är en lista med namn", context)
    if (
        not isinstance(sizes, list)
        or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes)
        or len(sizes) != len(ids)
    ):
        raise _fail("har ett fält ”size” som inte stämmer med ”id”", context)
    if not isinstance(dimensions, dict):
        raise _fail("har ett fält ”dimension” som inte är ett JSON-objekt", context)
    codes = [
        _category_codes(dimension_id, dimensions.get(dimension_id), size, context)
        for dimension_id, size in zip(ids, sizes, strict=True)
    ]
    total = math.prod(sizes)
    if isinstance(values, list):
        if len(values) != total:
            raise _fail(
                f"är felaktigt: ”size” anger {total} värden men ”value” har {len(values)}",
                context,
            )
        lookup: Callable[[int], Any] = values.__getitem__
    elif isinstance(values, dict):
        sparse: dict[int, Any] = {}
        for key, value in values.items():
            if not (isinstance(key, str) and key.isdigit() and int(key) < total):
                raise _fail(f"har ett värde på en plats (”{key}”) som inte finns", context)
            sparse[int(key)] = value
        lookup = sparse.get
    else:
        raise _fail("har ett fält ”value” som varken är en lista eller ett JSON-objekt", context)

    # Row-major: the stride of a dimension is the product of the sizes after it.
    strides = [math.prod(sizes[position + 1 :]) for position in range(len(sizes))]
    cells = []
    for positions in product(*(range(size) for size in sizes)):
        flat_index = sum(p * stride for p, stride in zip(positions, strides, strict=True))
        cells.append(
            JsonStatCell(
                codes={
                    dimension_id: codes[d][p]
                    for d, (dimension_id, p) in enumerate(zip(ids, positions, strict=True))
                },
                value=_cell_value(lookup(flat_index), flat_index, context),
            )
        )
    return cells


def _query(params: dict[str, str]) -> str:
    """PxWeb's GET form as SCB documents it: brackets and commas written as they are."""
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe=',*')}" for k, v in params.items())


class ScbClient:
    """Reads population figures from SCB's Statistikdatabasen."""

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
    def from_settings(cls, **options: Any) -> ScbClient:
        """A client for `settings.SCB_BASE_URL` (default: SCB's public v2 API)."""
        from django.conf import settings

        return cls(getattr(settings, "SCB_BASE_URL", DEFAULT_BASE_URL), **options)

    def population(
        self,
        municipality_codes: list[str],
        years: list[int] | None = None,
        *,
        by_gender: bool = False,
    ) -> list[ScbValue]:
        """Folkmängd on 31 December for these municipalities and years (all when None).

        Totals (gender "T") unless `by_gender`, which gives men ("M") and women ("K").
        """
        regions = list(dict.fromkeys(str(code).strip() for code in municipality_codes))
        if not regions or years == []:
            return []
        batches = [regions[i : i + MAX_REGIONS] for i in range(0, len(regions), MAX_REGIONS)]
        periods = "*" if years is None else ",".join(str(int(year)) for year in years)
        found: list[ScbValue] = []
        with self.fetcher.client() as http:
            for number, batch in enumerate(batches, start=1):
                context = f"del {number} av {len(batches)}" if len(batches) > 1 else ""
                params = {
                    "lang": "sv",
                    "outputFormat": "json-stat2",
                    "valueCodes[ContentsCode]": POPULATION_CONTENT,
                    "valueCodes[Region]": ",".join(batch),
                    "codelist[Region]": MUNICIPALITY_CODELIST,
                    "valueCodes[Tid]": periods,
                }
                if by_gender:
                    params["valueCodes[Kon]"] = "1,2"
                url = f"{self.base_url}/tables/{POPULATION_TABLE}/data?{_query(params)}"
                document = self.fetcher.get_json(http, url, context=context)
                found.extend(self._population(parse_jsonstat2(document, context=context), context))
        return found

    @staticmethod
    def _population(cells: list[JsonStatCell], context: str) -> list[ScbValue]:
        values = []
        for cell in cells:
            codes = dict(cell.codes)
            for required in ("Region", "Tid"):
                if required not in codes:
                    raise _fail(f"saknar dimensionen ”{required}”", context)
            region, period = codes.pop("Region"), codes.pop("Tid")
            gender = "T"
            if "Kon" in codes:
                kon = codes.pop("Kon")
                gender = GENDER_CODES.get(kon.upper(), "")
                if not gender:
                    raise _fail(f"har en okänd kod för kön: ”{kon}”", context)
            if not (period.isdigit() and len(period) == 4):
                raise _fail(f"har en tidpunkt som inte är ett årtal: ”{period}”", context)
            values.append(
                ScbValue(municipality=region, year=int(period), gender=gender, value=cell.value)
            )
        # Any other dimension (ContentsCode, an uneliminated Alder) must hold one category.
        keys = {(v.municipality, v.year, v.gender) for v in values}
        if len(keys) != len(values):
            extra = sorted({d for cell in cells for d in cell.codes} - {"Region", "Tid", "Kon"})
            raise _fail(
                "delar upp folkmängden på fler dimensioner än väntat: "
                + ", ".join(f"”{d}”" for d in extra),
                context,
            )
        return values
