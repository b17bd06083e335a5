"""How the economy's figures read: thousands of kronor (tkr), per cent, month names."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tillit.measures.charts import format_number

from ..fields import MONTH_NAMES, to_tkr

register = template.Library()


@register.filter
def tkr(value) -> str:
    """Kronor → whole thousands, Swedish: 190000000 → "190 000" (U+00A0, U+2212)."""
    if value is None or value == "":
        return format_number(None)
    return format_number(to_tkr(Decimal(value)), 0)


@register.filter
def percent(value, decimals: int = 1) -> str:
    """12.345 → "12,3 %" (a non-breaking space before the sign); None → "–"."""
    if value is None or value == "":
        return format_number(None)
    return f"{format_number(value, int(decimals))}\u00a0%"


@register.filter
def month_name(month) -> str:
    """3 → "mars"."""
    try:
        return MONTH_NAMES[int(month) - 1]
    except (TypeError, ValueError, IndexError):
        return ""
