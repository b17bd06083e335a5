"""The file formats of the open data: CSV and JSON, each written chunk by chunk.

One interface: `write(fmt, dataset, chunks, header)` yields the file as bytes, a chunk
of rows at a time, so that a response streams it in constant memory.

- **CSV** (RFC 4180): UTF-8 without byte order mark, comma-separated, CRLF line ends,
  fields quoted only when they need it, a header row of the column names. Numbers with
  a decimal point and no thousands separator, dates as YYYY-MM-DD, booleans as
  true/false, empty for nothing; lists separated by `;`.
- **JSON**: one object, the `header` (dataset, licence, publisher, source, time) and
  `rows`, a list of objects with the same names as the CSV's columns. Decimals are
  written as JSON numbers with exactly the digits stored (never through a float).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .datasets import Dataset, Row

CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "json": JSON_CONTENT_TYPE}


def decimal_text(value: Decimal) -> str:
    """12.5000 → "12.5", 100.0000 → "100": the value's digits, never an exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class _Lines:
    """A file-like object that hands back what the csv writer writes to it."""

    def write(self, text: str) -> str:
        return text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(_csv_list_item(item) for item in value)
    return str(value)


def _csv_list_item(item: Any) -> str:
    if isinstance(item, dict):  # a measure's target: "2025:85" or "2025:met"
        target = item.get("target")
        return f"{item['year']}:{_csv_cell(target) if target is not None else item['target_grade']}"
    return _csv_cell(item)


def write_csv(dataset: Dataset, chunks: Iterable[list[Row]]) -> Iterator[bytes]:
    writer = csv.writer(_Lines(), lineterminator="\r\n")
    names = dataset.column_names
    yield writer.writerow(names).encode("utf-8")
    for chunk in chunks:
        yield "".join(
            writer.writerow([_csv_cell(row[name]) for name in names]) for row in chunk
        ).encode("utf-8")


def json_value(value: Any) -> str:
    """The JSON text of a value; decimals exactly as stored."""
    if value is None or isinstance(value, bool | int | float | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime | date):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                f"{json.dumps(str(k), ensure_ascii=False)}:{json_value(v)}"
                for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(json_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def write_json(dataset: Dataset, chunks: Iterable[list[Row]], header: dict) -> Iterator[bytes]:
    names = dataset.column_names
    head = json_value(header)[:-1] + ("," if header else "")
    yield (head + '"rows":[').encode("utf-8")
    first = True
    for chunk in chunks:
        text = ",\n".join(json_value({name: row[name] for name in names}) for row in chunk)
        if not text:
            continue
        yield (("\n" if first else ",\n") + text).encode("utf-8")
        first = False
    yield b"\n]}\n"


def write(fmt: str, dataset: Dataset, chunks: Iterable[list[Row]], header: dict) -> Iterator[bytes]:
    if fmt == "csv":
        return write_csv(dataset, chunks)
    if fmt == "json":
        return write_json(dataset, chunks, header)
    raise ValueError(f"Unknown format {fmt!r}")
