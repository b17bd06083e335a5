"""How a report's figures and dates read in Swedish, the same in every output format.

Deterministic and independent of the machine's locale: a frozen report must read the
same wherever and whenever it is rendered. Numbers follow `tillit.measures.charts`:
a non-breaking space between thousands, a decimal comma and a real minus sign (U+2212),
"–" where there is no value.

Money in the content is kronor (content.py); `mnkr` and `tkr` show it in millions with
one decimal or in whole thousands. A value that comes with its unit (a key ratio, a row
of the five-year overview: "412.3" with "mnkr") is in that unit and reads through
`with_unit`, or `in_unit` where a header names the unit.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from tillit.economy.fields import MONTH_NAMES
from tillit.measures.charts import EN_DASH, MINUS, MISSING, NBSP, format_number

__all__ = [
    "EN_DASH",
    "MINUS",
    "MISSING",
    "NBSP",
    "date",
    "decimal",
    "in_unit",
    "format_number",
    "mnkr",
    "moment",
    "money",
    "month_name",
    "number",
    "paragraphs",
    "parse_moment",
    "percent",
    "period",
    "tkr",
    "with_unit",
]

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1000)
LOCAL = ZoneInfo("Europe/Stockholm")  # the municipalities are Swedish
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def decimal(value: str | int | float | Decimal | None) -> Decimal | None:
    """A content value ("-1234.5", or a number) as a Decimal; None when there is none."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        number = Decimal(str(value).strip().replace(MINUS, "-"))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def number(value: str | int | float | Decimal | None, decimals: int | None = None) -> str:
    """ "1234567.5" → "1 234 567,5"; `decimals` rounds half away from zero; None → "–"."""
    return format_number(decimal(value), decimals)


def mnkr(value: str | Decimal | None) -> str:
    """Kronor in millions with one decimal: "-12345678" → "−12,3"."""
    amount = decimal(value)
    return format_number(None if amount is None else amount / MILLION, 1)


def money(value: str | Decimal | None) -> str:
    """Kronor as millions with the unit: "8512345" → "8,5 mnkr"; None → "–"."""
    text = mnkr(value)
    return text if text == MISSING else f"{text}{NBSP}mnkr"


def tkr(value: str | Decimal | None) -> str:
    """Kronor in whole thousands: "190000000" → "190 000"."""
    amount = decimal(value)
    return format_number(None if amount is None else amount / THOUSAND, 0)


def percent(value: str | Decimal | None, decimals: int = 1) -> str:
    """ "2.345" → "2,3 %" (a non-breaking space before the sign)."""
    amount = decimal(value)
    return MISSING if amount is None else f"{format_number(amount, decimals)}{NBSP}%"


def _kronor(amount: Decimal) -> str:
    """Whole kronor, or öre when there are any: 52345 → "52 345", 22.15 → "22,15"."""
    rounded = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return format_number(rounded, 0 if rounded == rounded.to_integral_value() else 2)


def _in(amount: Decimal, unit: str, decimals: int | None) -> str:
    if unit == "%":
        return format_number(amount, 1 if decimals is None else decimals)
    if unit == "mnkr":
        return format_number(amount, 1 if decimals is None else decimals)
    if unit == "tkr":
        return format_number(amount, 0 if decimals is None else decimals)
    if unit == "kr" and decimals is None:
        return _kronor(amount)
    return format_number(amount, decimals)


def with_unit(value: str | Decimal | None, unit: str, decimals: int | None = None) -> str:
    """A value in its unit: "2.345" "%" → "2,3 %", "412.3" "mnkr" → "412,3 mnkr".

    Per cent and mnkr with one decimal, tkr whole, kr whole or with öre; other units with
    `decimals` (the value's own when None).
    """
    amount = decimal(value)
    if amount is None:
        return MISSING
    text = _in(amount, unit, decimals)
    return f"{text}{NBSP}{unit}" if unit else text


def in_unit(value: str | Decimal | None, unit: str, decimals: int | None = None) -> str:
    """As `with_unit`, without the unit: for a table whose header names it."""
    amount = decimal(value)
    return MISSING if amount is None else _in(amount, unit, decimals)


def month_name(month: int | None) -> str:
    """3 → "mars"; "" outside 1–12."""
    if isinstance(month, int) and 1 <= month <= 12:
        return MONTH_NAMES[month - 1]
    return ""


def date(value: str | datetime.date | None) -> str:
    """ "2026-03-25" → "25 mars 2026"; "" when there is no (valid) date."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            return ""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def parse_moment(value: str) -> datetime.datetime | None:
    """An ISO date-time as an aware moment (a naive one counts as Swedish time)."""
    try:
        moment_ = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment_.tzinfo is None:
        moment_ = moment_.replace(tzinfo=LOCAL)
    return moment_


def moment(value: str) -> str:
    """An ISO date-time in Swedish time: "2026-03-25T13:30:00+00:00" → "25 mars 2026 kl. 14.30"."""
    parsed = parse_moment(value)
    if parsed is None:
        return ""
    local = parsed.astimezone(LOCAL)
    return f"{date(local.date())} kl.{NBSP}{local.hour:02d}.{local.minute:02d}"


def period(start: str, end: str) -> str:
    """Two ISO dates as a span: "3 februari 2025–30 juni 2026"; one alone if the other lacks."""
    first, last = date(start), date(end)
    if first and last:
        return first if first == last else f"{first}{EN_DASH}{last}"
    return first or last


def paragraphs(text: str | None) -> list[str]:
    """A text's paragraphs (separated by blank lines), trimmed, without empty ones."""
    if not text:
        return []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [part.strip() for part in _PARAGRAPH_BREAK.split(normalised) if part.strip()]
