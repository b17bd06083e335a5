from django.urls import path

from .views import accounts, budget, followup, goals, imports, policy

app_name = "economy"
urlpatterns = [
    # Monthly follow-up, forecasts and the report to kommunstyrelsen
    path("ekonomi/", followup.index, name="index"),
    path("ekonomi/<int:year>/", followup.year_view, name="year"),
    path("ekonomi/<int:year>/verksamhet/<int:unit>/", followup.operation_view, name="operation"),
    path(
        "ekonomi/<int:year>/verksamhet/<int:unit>/prognos/<int:month>/",
        followup.forecast_edit,
        name="forecast",
    ),
    path("ekonomi/<int:year>/<int:month>/rapport/", followup.report, name="report"),
    path("ekonomi/<int:year>/<int:month>/rapport.pdf", followup.report_pdf, name="report_pdf"),
    # Budget and economic plan
    path("ekonomi/budget/", budget.budget_list, name="budgets"),
    path("ekonomi/budget/ny/", budget.budget_create, name="budget_add"),
    path("ekonomi/budget/<int:pk>/", budget.budget_detail, name="budget"),
    path("ekonomi/budget/<int:pk>/andra/", budget.budget_edit, name="budget_edit"),
    # Chart of accounts and cost objects
    path("ekonomi/konton/", accounts.account_list, name="accounts"),
    path("ekonomi/konton/<int:pk>/", accounts.account_edit, name="account_edit"),
    path("ekonomi/objekt/", accounts.object_list, name="objects"),
    path("ekonomi/objekt/<int:pk>/", accounts.object_edit, name="object_edit"),
    # Outcome imports (SIE, CSV)
    path("ekonomi/import/", imports.import_list, name="imports"),
    path("ekonomi/import/mall.csv", imports.csv_template, name="import_template"),
    path("ekonomi/import/<int:pk>/", imports.import_detail, name="import"),
    # God ekonomisk hushållning: financial goals, balanskrav
    path("ekonomi/<int:year>/finansiella-mal/", goals.goal_list, name="goals"),
    path("ekonomi/finansiella-mal/ny/", goals.goal_create, name="goal_add"),
    path("ekonomi/finansiella-mal/<int:pk>/andra/", goals.goal_edit, name="goal_edit"),
    path(
        "ekonomi/finansiella-mal/<int:pk>/<int:year>/<int:month>/",
        goals.goal_assess,
        name="goal_assess",
    ),
    path("ekonomi/balanskrav/", goals.balance_requirements, name="balance_requirements"),
    path(
        "ekonomi/balanskrav/<int:year>/",
        goals.balance_requirement_edit,
        name="balance_requirement_edit",
    ),
    # Finance policy
    path("ekonomi/finanspolicy/", policy.limit_list, name="policy"),
    path("ekonomi/finanspolicy/ny/", policy.limit_create, name="policy_add"),
    path("ekonomi/finanspolicy/<int:pk>/andra/", policy.limit_edit, name="policy_edit"),
    path("ekonomi/finanspolicy/<int:pk>/utfall/", policy.outcome_create, name="policy_outcome"),
]
