"""Read a file of measure values (.xlsx or .csv) into rows, and say what is wrong with it.

No database here: `read_file` turns the bytes into `ValueRow`s and `Problem`s.
Whether the measures exist, may be written by the importing person and take
numbers or assessments is the service's business (`service.py`).

The file, as Swedish users make it:
- Excel (.xlsx): the first sheet, cached values of formulas.
- CSV: UTF-8 with or without BOM, else Windows-1252; `;` or `,` between cells
  (the header line decides, then `csv.Sniffer`, and `;` when it cannot tell).
- Columns by their Swedish names in the first non-empty row, in any order and
  any case: `mått_id` and `år` are required, and `värde` or `bedömning`.
- Numbers with decimal comma or point; space, U+00A0 or U+202F between thousands.

Row numbers are the ones Excel shows: the header is row 1 (blank rows count).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from tillit.core.choices import Fulfilment

from ..charts import format_number
from ..choices import Gender, PeriodKind

# The columns, by their names in the file (Swedish: the file is the users' format,
# not the interface, so the names are not translated).
MEASURE = "mått_id"
YEAR = "år"
PERIOD = "period"
GENDER = "kön"
VALUE = "värde"
GRADE = "bedömning"
COMMENT = "kommentar"
COLUMNS: tuple[str, ...] = (MEASURE, YEAR, PERIOD, GENDER, VALUE, GRADE, COMMENT)
REQUIRED: tuple[str, ...] = (MEASURE, YEAR)

MAX_ERRORS = 200  # shown to the person; all of them are counted
MAX_ROWS = 500_000  # more is a mistake or an attack: a file is read into memory whole
MAX_DECIMALS = 4  # MeasureValue.value: decimal_places=4
MAX_DIGITS = 16  # … and max_digits=20
YEARS = range(1900, 2101)

GRADES: dict[str, str] = {
    "uppfyllt": Fulfilment.MET,
    "delvis uppfyllt": Fulfilment.PARTLY,
    "ej uppfyllt": Fulfilment.NOT_MET,
    "ej bedömt": Fulfilment.NOT_ASSESSED,
}
GRADE_WORDS: dict[str, str] = {code: word for word, code in GRADES.items()}

MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("jan", "januari"),
    ("feb", "februari"),
    ("mar", "mars"),
    ("apr", "april"),
    ("maj",),
    ("jun", "juni"),
    ("jul", "juli"),
    ("aug", "augusti"),
    ("sep", "sept", "september"),
    ("okt", "oktober"),
    ("nov", "november"),
    ("dec", "december"),
)
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names
}
YEAR_WORDS = ("", "år", "helår")

SEPARATORS = re.compile("[ \u00a0\u202f]")
NUMBER = re.compile(r"([+-]?)(\d{1,3}(?: \d{3})+|\d+)?(?:[.,](\d+))?")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, in Swedish, naming the row and column where it is."""

    text: str
    row: int = 0  # 0: the file as a whole
    column: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.row, COLUMNS.index(self.column) if self.column in COLUMNS else -1)


def problem(message: str, *, row: int = 0, column: str = "") -> Problem:
    if row and column:
        text = _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    elif row:
        text = _("Row %(row)s: %(message)s") % {"row": row, "message": message}
    else:
        text = message
    return Problem(text, row, column)


@dataclass(frozen=True, slots=True)
class ValueRow:
    """One row of the file, read: a value (or assessment) of a measure for a period."""

    row: int
    measure_id: int
    year: int
    period_kind: str = PeriodKind.YEAR
    period: int = 1
    gender: str = Gender.TOTAL
    value: Decimal | None = None
    grade: str = ""
    comment: str = ""
    # Which of "value", "grade" and "comment" the file sets. A column the file does
    # not have leaves that part of a stored value as it is.
    given: frozenset[str] = frozenset({"value"})

    @property
    def key(self) -> tuple[int, int, str, int, str]:
        return (self.measure_id, self.year, self.period_kind, self.period, self.gender)


@dataclass
class ParsedFile:
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class Invalid(ValueError):
    """A cell that cannot be read; the message says why, in Swedish."""


# --- reading the file into rows of cells -------------------------------------------------


def read_file(source: str | Path | IO[bytes] | bytes, name: str = "") -> ParsedFile:
    """Read an .xlsx or .csv file (path, bytes or binary file) into rows and problems."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        name = name or str(source)
        data = Path(source).read_bytes()
    else:
        data = source.read()
    try:
        records = read_records(data, name)
    except Invalid as error:
        return ParsedFile(problems=[problem(str(error))])
    return parse_records(records)


def read_records(data: bytes, name: str = "") -> Iterator[tuple[int, list[object]]]:
    """The rows of the file as (row number, cells), the header being row 1."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_records(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise Invalid(
            _("The file is in the old Excel format (.xls): save it as .xlsx or .csv and try again.")
        )
    if suffix in (".xlsx", ".xlsm"):
        raise Invalid(_("The file could not be read as an Excel workbook (.xlsx)."))
    return _csv_records(data)


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Invalid(_("The file could not be read as an Excel workbook (.xlsx).")) from error

    def records() -> Iterator[tuple[int, list[object]]]:
        try:
            # A read-only sheet yields the rows as stored, filling gaps with empty rows,
            # so the count matches Excel's row numbers.
            for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
                yield number, list(cells)
        finally:
            workbook.close()

    return records()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if b"\x00" in data:  # UTF-16 (Excel's "Unicode text") or not text at all
        raise Invalid(_("The file is not text: save it as CSV (UTF-8 or Windows-1252)."))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encodings: tuple[str, ...] = ("utf-8",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_("The file is not text: save it as CSV (UTF-8 or Windows-1252)."))


def detect_delimiter(text: str) -> str:
    """`;` or `,`: what the header line uses, else what csv.Sniffer finds, else `;`."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    semicolons, commas = header.count(";"), header.count(",")
    if semicolons and not commas:
        return ";"
    if commas and not semicolons:
        return ","
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,").delimiter
    except csv.Error:
        return ";"


def _csv_records(data: bytes) -> Iterator[tuple[int, list[object]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))

    def records() -> Iterator[tuple[int, list[object]]]:
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise Invalid(
                _("Row %(row)s: the line cannot be read as CSV (%(reason)s).")
                % {"row": reader.line_num, "reason": error}
            ) from error

    return records()


# --- from cells to rows ------------------------------------------------------------------


def text_of(cell: object) -> str:
    """A cell as trimmed text in Unicode NFC (so an "å" typed on a Mac is an "å")."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return unicodedata.normalize("NFC", cell).strip()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def column_name(cell: object) -> str:
    name = text_of(cell).lstrip("\ufeff").strip().lower()
    return re.sub(r"[\s_-]+", "_", name)


def _column_letter(position: int) -> str:
    """0 → "A", as Excel names columns (it has 16,384; a CSV line may have more)."""
    return get_column_letter(position + 1) if position < 16384 else str(position + 1)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(_("“%(name)s”") % {"name": name} for name in names)


def parse_records(records: Iterable[tuple[int, list[object]]]) -> ParsedFile:
    """Rows of cells (header first) → ValueRows and Problems; every problem is collected."""
    result = ParsedFile()
    try:
        _parse_records(records, result)
    except Invalid as error:
        result.problems.append(problem(str(error)))
        result.rows = []
    result.problems.sort(key=lambda p: p.sort_key)
    return result


def _parse_records(records: Iterable[tuple[int, list[object]]], result: ParsedFile) -> None:
    records = iter(records)
    header: list[str] = []
    for _number, cells in records:
        header = [column_name(cell) for cell in cells]
        if any(header):
            break
    if not any(header):
        result.problems.append(problem(_("The file is empty: it has no header row.")))
        return
    while header and not header[-1]:
        header.pop()

    index: dict[str, int] = {}
    unknown: list[str] = []
    twice: list[str] = []
    for position, name in enumerate(header):
        if not name:
            continue
        if name not in COLUMNS:
            unknown.append(name)
        elif name in index:
            twice.append(name)
        else:
            index[name] = position
    if unknown:
        result.problems.append(
            problem(
                ngettext(
                    "Unknown column %(names)s. The columns are: %(columns)s.",
                    "Unknown columns %(names)s. The columns are: %(columns)s.",
                    len(unknown),
                )
                % {"names": _quoted(unknown), "columns": ", ".join(COLUMNS)}
            )
        )
    if twice:
        result.problems.append(
            problem(
                ngettext(
                    "The column %(names)s appears more than once.",
                    "The columns %(names)s appear more than once.",
                    len(twice),
                )
                % {"names": _quoted(twice)}
            )
        )
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        result.problems.append(
            problem(
                ngettext(
                    "The required column %(names)s is missing.",
                    "The required columns %(names)s are missing.",
                    len(missing),
                )
                % {"names": _quoted(missing)}
            )
        )
    if VALUE not in index and GRADE not in index:
        result.problems.append(
            problem(
                _("The file needs a column %(value)s or %(grade)s.")
                % {"value": _quoted([VALUE]), "grade": _quoted([GRADE])}
            )
        )
    result.columns = tuple(name for name in COLUMNS if name in index)
    if result.problems:
        return

    given = frozenset(
        part
        for part, column in (("value", VALUE), ("grade", GRADE), ("comment", COMMENT))
        if column in index
    )
    named = set(index.values())
    first_row: dict[tuple, int] = {}
    for number, cells in records:
        texts = [text_of(cell) for cell in cells]
        if not any(texts):
            continue
        if number > MAX_ROWS:
            raise Invalid(
                _("The file has more than %(count)s rows: split it into smaller files.")
                % {"count": format_number(MAX_ROWS)}
            )
        row_problems: list[Problem] = []

        def cell(name: str, cells=cells) -> object:
            position = index.get(name)
            return cells[position] if position is not None and position < len(cells) else None

        for position, text in enumerate(texts):
            if text and position not in named:
                row_problems.append(
                    problem(
                        _("the cell in column %(letter)s has a value, but the column has no name.")
                        % {"letter": _column_letter(position)},
                        row=number,
                    )
                )

        parsed: dict[str, object] = {}
        for name, parse in PARSERS.items():
            if name not in index:
                continue
            try:
                parsed[name] = parse(cell(name))
            except Invalid as error:
                row_problems.append(problem(str(error), row=number, column=name))
        if row_problems:
            result.problems.extend(row_problems)
            continue

        period_kind, period = parsed.get(PERIOD, (PeriodKind.YEAR, 1))
        row = ValueRow(
            row=number,
            measure_id=parsed[MEASURE],
            year=parsed[YEAR],
            period_kind=period_kind,
            period=period,
            gender=parsed.get(GENDER, Gender.TOTAL),
            value=parsed.get(VALUE),
            grade=parsed.get(GRADE, ""),
            comment=parsed.get(COMMENT, ""),
            given=given,
        )
        earlier = first_row.setdefault(row.key, number)
        if earlier != number:
            result.problems.append(
                problem(
                    _(
                        "the same measure, period and gender as row %(earlier)s: "
                        "a value can be given only once."
                    )
                    % {"earlier": earlier},
                    row=number,
                )
            )
            continue
        result.rows.append(row)


# --- one parser per column ---------------------------------------------------------------


def parse_measure_id(cell: object) -> int:
    text = text_of(cell)
    if not text:
        raise Invalid(_("the measure id is missing."))
    if isinstance(cell, float | int) and not isinstance(cell, bool) and float(cell).is_integer():
        number = int(cell)
    elif re.fullmatch(r"\d+", text):
        number = int(text)
    else:
        raise Invalid(_("“%(value)s” is not a measure id (a whole number).") % {"value": text})
    if not 0 < number < 2**63:
        raise Invalid(_("“%(value)s” is not a measure id (a whole number).") % {"value": text})
    return number


def parse_year(cell: object) -> int:
    text = text_of(cell)
    if not text:
        raise Invalid(_("the year is missing."))
    if not re.fullmatch(r"\d{4}", text) or int(text) not in YEARS:
        raise Invalid(_("“%(value)s” is not a year (four digits, e.g. 2025).") % {"value": text})
    return int(text)


def parse_period(cell: object) -> tuple[str, int]:
    text = text_of(cell)
    word = text.lower().rstrip(".")
    if word in YEAR_WORDS:
        return PeriodKind.YEAR, 1
    if match := re.fullmatch(r"t\s*(\d+)", word):
        number = int(match.group(1))
        if not 1 <= number <= 3:
            raise Invalid(
                _("“%(value)s” is no tertial: there are three, T1, T2 and T3.") % {"value": text}
            )
        return PeriodKind.TERTIAL, number
    if re.fullmatch(r"\d+", word):
        number = int(word)
        if not 1 <= number <= 12:
            raise Invalid(_("“%(value)s” is no month: months are 1–12.") % {"value": text})
        return PeriodKind.MONTH, number
    if word in MONTHS:
        return PeriodKind.MONTH, MONTHS[word]
    raise Invalid(
        _(
            "“%(value)s” is not a period: leave it empty (or write “år”) for the whole year, "
            "T1–T3 for a tertial, 1–12 or jan–dec for a month."
        )
        % {"value": text}
    )


def parse_gender(cell: object) -> str:
    text = text_of(cell)
    if not text:
        return Gender.TOTAL
    if text.upper() in Gender.values:
        return text.upper()
    raise Invalid(
        _("“%(value)s” is not a gender: write T (total), K (women) or M (men).") % {"value": text}
    )


def parse_number(cell: object) -> Decimal | None:
    """A number as Swedes write it ("1 234,5") or as Excel stores it; empty is None."""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        try:
            number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        except InvalidOperation as error:
            raise Invalid(_("“%(value)s” is not a number.") % {"value": cell}) from error
        if not number.is_finite():
            raise Invalid(_("“%(value)s” is not a number.") % {"value": cell})
        # Excel keeps binary fractions (0.1 + 0.2 = 0.30000000000000004): round to
        # the four decimals a value is stored with.
        number = number.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding=ROUND_HALF_UP)
        return _checked_size(number, text_of(cell))
    text = text_of(cell)
    if not text:
        return None
    unified = SEPARATORS.sub(" ", text.replace("\u2212", "-"))
    match = NUMBER.fullmatch(unified)
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise Invalid(_("“%(value)s” is not a number.") % {"value": text})
    sign, whole, fraction = match.groups()
    fraction = (fraction or "").rstrip("0")
    if len(fraction) > MAX_DECIMALS:
        raise Invalid(
            _("“%(value)s” has more than %(decimals)s decimals.")
            % {"value": text, "decimals": MAX_DECIMALS}
        )
    number = Decimal(f"{sign}{(whole or '0').replace(' ', '')}.{fraction or '0'}")
    return _checked_size(number, text)


def _checked_size(number: Decimal, text: str) -> Decimal:
    if abs(number) >= Decimal(10) ** MAX_DIGITS:
        raise Invalid(_("“%(value)s” is too large.") % {"value": text})
    return number


def parse_grade(cell: object) -> str:
    text = text_of(cell)
    if not text:
        return ""
    word = " ".join(text.lower().split())
    if word in GRADES:
        return GRADES[word]
    raise Invalid(
        _(
            "“%(value)s” is not an assessment: write uppfyllt, delvis uppfyllt, ej uppfyllt "
            "or ej bedömt."
        )
        % {"value": text}
    )


def parse_comment(cell: object) -> str:
    return text_of(cell)


PARSERS = {
    MEASURE: parse_measure_id,
    YEAR: parse_year,
    PERIOD: parse_period,
    GENDER: parse_gender,
    VALUE: parse_number,
    GRADE: parse_grade,
    COMMENT: parse_comment,
}
