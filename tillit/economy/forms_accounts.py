"""The chart of accounts and the cost objects: filters, adding and changing an account,
mapping a cost object to its unit."""

from __future__ import annotations

from collections import defaultdict

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from tillit.core.models import Organisation, OrgUnit

from .choices import ACCOUNT_CLASSES, AccountKind, StatementLine, default_line
from .models import Account, CostObject

DIFFERS = "avvikande"
OUTSIDE = "utanfor"


def with_default_line(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `default_line`: the line Kommun-Bas gives the account's number, computed in
    the database from its first two digits (as `default_line` does), so the list can be
    filtered by it and shows it without a query per row."""
    by_line: dict[str, list[str]] = defaultdict(list)
    for prefix in [str(d) for d in range(10)] + [f"{d:02d}" for d in range(100)]:
        by_line[default_line(prefix)].append(prefix)
    whens = [
        When(Q(kommun_bas_prefix__in=prefixes) | Q(number__in=prefixes), then=Value(line.value))
        for line, prefixes in by_line.items()
        if line != StatementLine.OUTSIDE
    ]
    return queryset.annotate(kommun_bas_prefix=Substr("number", 1, 2)).annotate(
        default_line=Case(
            *whens, default=Value(StatementLine.OUTSIDE.value), output_field=CharField()
        )
    )


def unit_label(unit: OrgUnit) -> str:
    """A unit indented by its depth in the administration, for a select."""
    return ("— " * unit.depth) + unit.name


class AccountFilter(django_filters.FilterSet):
    sok = django_filters.CharFilter(method="filter_search", label=_("Number or name"))
    klass = django_filters.ChoiceFilter(
        method="filter_class", label=_("Account class"), empty_label=_("All classes")
    )
    rad = django_filters.ChoiceFilter(
        field_name="line",
        choices=StatementLine.choices,
        label=_("Statement line"),
        empty_label=_("All lines"),
    )
    visa = django_filters.ChoiceFilter(
        method="filter_show",
        choices=[
            (DIFFERS, _("Line differs from Kommun-Bas")),
            (OUTSIDE, _("Not in the statements")),
        ],
        label=_("Show"),
        empty_label=_("All accounts"),
    )

    class Meta:
        model = Account
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["klass"].extra["choices"] = [
            (str(number), f"{number} – {label}") for number, label in ACCOUNT_CLASSES.items()
        ]

    def filter_search(self, queryset, name, value: str):
        value = value.strip()
        return queryset.filter(Q(number__startswith=value) | Q(name__icontains=value))

    def filter_class(self, queryset, name, value: str):
        return queryset.filter(number__startswith=value)

    def filter_show(self, queryset, name, value: str):
        if value == DIFFERS:
            return queryset.exclude(line=F("default_line"))
        return queryset.filter(line=StatementLine.OUTSIDE)


class NewAccountForm(forms.Form):
    """An account the accounting has and the chart lacks (an SIE import adds them too)."""

    number = forms.CharField(
        label=_("Account number"),
        max_length=10,
        validators=[RegexValidator(r"^\d{1,10}$", _("An account number is digits only."))],
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Account type"),
        choices=[("", _("Not given")), *AccountKind.choices],
        required=False,
    )
    line = forms.ChoiceField(
        label=_("Statement line"),
        choices=[("", _("As Kommun-Bas gives the number")), *StatementLine.choices],
        required=False,
        help_text=_("Empty: the line Kommun-Bas puts an account with this number on."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, prefix="nytt", **kwargs)
        self.organisation = organisation

    def clean_number(self) -> str:
        number = self.cleaned_data["number"]
        if Account.objects.filter(organisation=self.organisation, number=number).exists():
            raise forms.ValidationError(_("The chart of accounts already has this account."))
        return number

    def save(self) -> Account:
        data = self.cleaned_data
        return Account.objects.create(
            organisation=self.organisation,
            number=data["number"],
            name=data["name"],
            kind=data["kind"],
            line=data["line"] or default_line(data["number"]),
        )


class AccountForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    line = forms.ChoiceField(
        label=_("Statement line"),
        choices=StatementLine.choices,
        help_text=_(
            "The line of the income statement or balance sheet the account is reported on."
        ),
    )


class CostObjectFilter(django_filters.FilterSet):
    sok = django_filters.CharFilter(method="filter_search", label=_("Code or name"))
    dimension = django_filters.ChoiceFilter(label=_("Dimension"), empty_label=_("All dimensions"))
    saknar = django_filters.BooleanFilter(
        field_name="unit",
        lookup_expr="isnull",
        label=_("Only objects without a unit"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = CostObject
        fields: list[str] = []

    def __init__(self, *args, dimensions: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["dimension"].extra["choices"] = [(str(d), str(d)) for d in dimensions]

    def filter_search(self, queryset, name, value: str):
        value = value.strip()
        return queryset.filter(Q(code__startswith=value) | Q(name__icontains=value))

    def filter_queryset(self, queryset):
        # An unticked box means "all", not "only those with a unit".
        if not self.form.cleaned_data.get("saknar"):
            self.form.cleaned_data["saknar"] = None
        return super().filter_queryset(queryset)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)


class CostObjectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("No unit: the municipality as a whole"),
        help_text=_(
            "The unit whose outcome this object is. Outcome on an object without a unit "
            "belongs to the municipality as a whole."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(organisation=organisation).order_by(
            "path"
        )
