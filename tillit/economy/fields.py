"""Form fields and conversions for amounts typed the way a Swedish economist types them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

THOUSAND = Decimal(1000)
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def to_tkr(amount: Decimal) -> Decimal:
    return (amount / THOUSAND).quantize(Decimal(1), ROUND_HALF_UP)


def parse_swedish_decimal(text: str) -> Decimal:
    """ "1 234,5", "−12", "1234.5" → Decimal; raises ValueError."""
    cleaned = (
        text.strip()
        .replace("\u00a0", "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace("\u2212", "-")
        .replace(",", ".")
    )
    if not cleaned or cleaned.count(".") > 1:
        raise ValueError(text)
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


class TkrField(forms.CharField):
    """An amount typed in thousands of kronor ("190 000" or "1 234,5"), cleaned to kronor."""

    default_error_messages = {
        "invalid": _("Enter an amount in thousands of kronor, e.g. 1 234,5."),
    }

    def __init__(self, *, min_value: Decimal | None = None, **kwargs):
        self.min_value = min_value
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            from tillit.measures.charts import format_number

            return format_number(value / THOUSAND)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_swedish_decimal(value) * THOUSAND
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if abs(amount) >= Decimal(10) ** 14:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)

    def validate(self, value):
        super().validate(value)
        if value is not None and self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(_("The amount may not be negative."), code="min_value")


class SwedishDecimalField(forms.CharField):
    """A number with a decimal comma (per cent, days, kronor), cleaned to Decimal."""

    default_error_messages = {"invalid": _("Enter a number, e.g. 2,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            from tillit.measures.charts import format_number

            return format_number(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_swedish_decimal(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if abs(number) >= Decimal(10) ** 13:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number.quantize(Decimal("0.01"), ROUND_HALF_UP)
