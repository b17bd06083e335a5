from django.urls import path

from . import urls_import, urls_kolada, views

app_name = "measures"
urlpatterns = [
    path("verksamhetsplan/", views.operational_plan_list, name="operational_plans"),
    path("verksamhetsplan/<int:year>/", views.operational_plan, name="operational_plan"),
    path("matt/<int:pk>/", views.measure_detail, name="measure"),
    *urls_import.urlpatterns,
    *urls_kolada.urlpatterns,
]
