from django.urls import path

from . import urls_import, urls_kolada, views

app_name = "measures"
urlpatterns = [
    path("verksamhetsplan/", views.operational_plan_list, name="operational_plans"),
    path("verksamhetsplan/<int:year>/", views.operational_plan, name="operational_plan"),
    path(
        "verksamhetsplan/<int:year>/nasta-ar/",
        views.operational_plan_copy_forward,
        name="operational_plan_copy_forward",
    ),
    path(
        "verksamhetsplan/<int:year>/anta/",
        views.operational_plan_adopt,
        name="operational_plan_adopt",
    ),
    path("matt/<int:pk>/malvarde/<int:year>/", views.measure_target, name="target"),
    path("matt/<int:pk>/", views.measure_detail, name="measure"),
    path("matt/<int:pk>/varde/", views.measure_value, name="value"),
    path(
        "matt/<int:pk>/varde/<int:value_pk>/ta-bort/",
        views.measure_value_delete,
        name="value_delete",
    ),
    *urls_import.urlpatterns,
    *urls_kolada.urlpatterns,
]
