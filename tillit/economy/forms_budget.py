"""Forms of the budget and economic plan: the document, its decision and its grid of amounts."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import BodyKind
from tillit.core.models import Decision, Organisation
from tillit.planning.forms import DecisionChoiceField

from .budget import Row
from .fields import TkrField
from .models import BudgetKind

DECIDING_BODY_KINDS = (BodyKind.COUNCIL, BodyKind.BOARD)
HEAD_FIELDS = ("title", "decision", "description", "reason")


class YearChoiceForm(forms.Form):
    """Which year the grid is for (GET, above the document's form)."""

    ar = forms.IntegerField(
        label=_("Budget year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "list": "budget-years"}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years


class BudgetForm(forms.Form):
    """A budget document: its title, decision and description, and a grid of amounts with a
    row per verksamhet and municipal line and a column per year the document decides.

    Grid fields are named `a_<row key>_<year>` (amounts, tkr) and `c_<row key>` (a
    tilläggsbudget's comment per row)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.none(),
        help_text=_(
            "The council's or the executive board's decision on the budget. Record it first "
            "under Decisions if it is missing."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self,
        *args,
        organisation: Organisation,
        kind: str,
        years: tuple[int, ...],
        rows: list[Row],
        correction: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.years = years
        self.rows = rows
        self.fields["decision"].queryset = (
            Decision.objects.filter(organisation=organisation, body__kind__in=DECIDING_BODY_KINDS)
            .select_related("body")
            .order_by("-date", "body__order", "paragraph")
        )
        if correction:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                max_length=100,
                help_text=_(
                    "A correction of how the decision was registered, not a new decision "
                    "(that is a supplementary budget). Kept in the history."
                ),
            )
        else:
            del self.fields["version"]
        supplementary = kind == BudgetKind.SUPPLEMENTARY
        for row in rows:
            for year in years:
                field = TkrField(
                    label=f"{row.label}, {year}",
                    required=False,
                    min_value=None if supplementary else Decimal(0),
                )
                field.widget.attrs.update({"class": "budget-grid__amount", "size": 10})
                self.fields[self.amount_name(row, year)] = field
            if supplementary:
                self.fields[self.comment_name(row)] = forms.CharField(
                    label=gettext("Comment on %(row)s") % {"row": row.label},
                    max_length=300,
                    required=False,
                )

    # --- names and layout ------------------------------------------------------------------

    @staticmethod
    def amount_name(row: Row, year: int) -> str:
        return f"a_{row.key}_{year}"

    @staticmethod
    def comment_name(row: Row) -> str:
        return f"c_{row.key}"

    def head_fields(self):
        return [self[name] for name in HEAD_FIELDS if name in self.fields]

    def grid(self) -> list[dict]:
        """For the template: each row with its bound amount fields and comment field."""
        supplementary = self.kind == BudgetKind.SUPPLEMENTARY
        return [
            {
                "row": row,
                "cells": [self[self.amount_name(row, year)] for year in self.years],
                "comment": self[self.comment_name(row)] if supplementary else None,
            }
            for row in self.rows
        ]

    def grid_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of each grid cell in error, to list above the form."""
        found = []
        for row in self.rows:
            names = [self.amount_name(row, y) for y in self.years]
            if self.kind == BudgetKind.SUPPLEMENTARY:
                names.append(self.comment_name(row))
            for name in names:
                for message in self.errors.get(name, []):
                    if row.label not in message:
                        message = f"{self.fields[name].label}: {message}"
                    found.append((self[name].auto_id, message))
        return found

    @staticmethod
    def initial_amounts(amounts: dict, comments: dict) -> dict:
        """A document's amounts ((row key, year) → kronor) and comments as initial data."""
        initial = {f"a_{key}_{year}": amount for (key, year), amount in amounts.items()}
        initial.update({f"c_{key}": comment for key, comment in comments.items()})
        return initial

    # --- validation ----------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        if self.kind == BudgetKind.BUDGET:
            for row in self.rows:
                if not row.is_frame:
                    continue
                for year in self.years:
                    name = self.amount_name(row, year)
                    if name in cleaned and cleaned[name] is None:
                        self.add_error(
                            name,
                            gettext("Enter the frame of %(unit)s for %(year)s.")
                            % {"unit": row.label, "year": year},
                        )
        return cleaned

    def amounts(self) -> dict[tuple[str, int], Decimal | None]:
        return {
            (row.key, year): self.cleaned_data.get(self.amount_name(row, year))
            for row in self.rows
            for year in self.years
        }

    def comments(self) -> dict[str, str]:
        if self.kind != BudgetKind.SUPPLEMENTARY:
            return {}
        return {row.key: self.cleaned_data.get(self.comment_name(row), "") for row in self.rows}
