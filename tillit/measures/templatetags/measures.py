from django import template

from tillit.measures.charts import format_number

register = template.Library()


@register.filter
def swedish_number(value, decimals=None) -> str:
    """1234567.5 → "1 234 567,5" (non-breaking space, decimal comma, real minus sign)."""
    return format_number(value, None if decimals in (None, "") else int(decimals))
