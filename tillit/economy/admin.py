"""The economy in the admin.

The pages and their services keep the budget, the chart of accounts and the forecasts;
the admin is for looking things up and for a correction the pages do not offer. The
ledger (outcome imports, outcome, opening balances, the period budget) is only read here:
it changes by importing a file again. A change to a versioned row bumps its version, so
that a form open elsewhere sees it as a conflict; simple-history keeps who changed what.
"""

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Account,
    BalanceRequirement,
    BudgetDocument,
    BudgetLine,
    CostObject,
    FinancialGoal,
    FinancialGoalAssessment,
    Forecast,
    OpeningBalance,
    Outcome,
    OutcomeImport,
    PeriodBudget,
    PolicyLimit,
    PolicyOutcome,
)


class VersionedAdmin(SimpleHistoryAdmin):
    """Saving in the admin counts as a change for the pages' no-lost-update check."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            type(form.instance).objects.filter(pk=form.instance.pk).update(version=F("version") + 1)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger: read here, changed by importing a file again."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(VersionedAdmin):
    list_display = ["number", "name", "kind", "line", "organisation"]
    list_filter = ["organisation", "line", "kind"]
    search_fields = ["number", "name"]
    ordering = ["organisation", "number"]


@admin.register(CostObject)
class CostObjectAdmin(VersionedAdmin):
    list_display = ["dimension", "code", "name", "unit", "organisation"]
    list_filter = ["organisation", "dimension"]
    list_select_related = ["unit", "organisation"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["year", "unit", "line", "amount", "comment"]
    raw_id_fields = ["unit"]


@admin.register(BudgetDocument)
class BudgetDocumentAdmin(VersionedAdmin):
    list_display = ["title", "kind", "year", "decision", "created_by", "organisation"]
    list_filter = ["organisation", "kind", "year"]
    list_select_related = ["decision__body", "created_by", "organisation"]
    search_fields = ["title", "description"]
    raw_id_fields = ["decision", "created_by"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["document", "year", "unit", "line", "amount"]
    list_filter = ["document__organisation", "document__kind", "year"]
    list_select_related = ["document", "unit"]
    raw_id_fields = ["document", "unit"]


@admin.register(Forecast)
class ForecastAdmin(VersionedAdmin):
    list_display = ["unit", "year", "month", "amount", "author", "updated_at"]
    list_filter = ["organisation", "year", "month"]
    list_select_related = ["unit", "author"]
    raw_id_fields = ["unit", "author"]


@admin.register(FinancialGoal)
class FinancialGoalAdmin(VersionedAdmin):
    list_display = ["title", "indicator", "comparator", "target", "first_year", "last_year"]
    list_filter = ["organisation", "indicator"]
    search_fields = ["title"]
    raw_id_fields = ["decision"]


@admin.register(FinancialGoalAssessment)
class FinancialGoalAssessmentAdmin(VersionedAdmin):
    list_display = ["goal", "year", "month", "value", "fulfilment", "assessed_by"]
    list_filter = ["year", "fulfilment"]
    list_select_related = ["goal", "assessed_by"]
    raw_id_fields = ["goal", "assessed_by"]


@admin.register(BalanceRequirement)
class BalanceRequirementAdmin(VersionedAdmin):
    list_display = ["year", "result", "organisation"]
    list_filter = ["organisation"]
    raw_id_fields = ["waiver_decision"]


@admin.register(PolicyLimit)
class PolicyLimitAdmin(VersionedAdmin):
    list_display = ["title", "area", "comparator", "limit", "unit"]
    list_filter = ["organisation", "area"]
    search_fields = ["title"]
    raw_id_fields = ["decision"]


@admin.register(PolicyOutcome)
class PolicyOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["limit", "date", "value", "recorded_by"]
    list_filter = ["limit__area"]
    list_select_related = ["limit", "recorded_by"]
    date_hierarchy = "date"
    raw_id_fields = ["limit", "recorded_by"]


@admin.register(OutcomeImport)
class OutcomeImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "source", "year", "first_month", "last_month", "rows"]
    list_display += ["imported_by", "imported_at"]
    list_filter = ["organisation", "source", "year"]
    list_select_related = ["imported_by"]
    search_fields = ["file_name", "checksum"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["year", "month", "account", "unit", "amount", "source"]
    list_filter = ["organisation", "year", "month"]
    list_select_related = ["account", "unit", "source"]
    search_fields = ["account__number", "account__name"]
    show_full_result_count = False


@admin.register(OpeningBalance)
class OpeningBalanceAdmin(ReadOnlyAdmin):
    list_display = ["year", "account", "amount"]
    list_filter = ["organisation", "year"]
    list_select_related = ["account"]
    search_fields = ["account__number"]


@admin.register(PeriodBudget)
class PeriodBudgetAdmin(ReadOnlyAdmin):
    list_display = ["year", "month", "account", "unit", "amount"]
    list_filter = ["organisation", "year"]
    list_select_related = ["account", "unit"]
    search_fields = ["account__number"]
    show_full_result_count = False
