from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("uppfoljning/", views.period_list, name="periods"),
    path("uppfoljning/ny/", views.period_create, name="period_add"),
    path("uppfoljning/att-gora/", views.attention, name="attention"),
    path("uppfoljning/<int:pk>/", views.period_detail, name="period"),
    path("uppfoljning/<int:pk>/stang/", views.period_close, name="period_close"),
    path("uppfoljning/<int:pk>/mal/<int:goal_pk>/", views.goal_detail, name="goal"),
    path(
        "uppfoljning/<int:pk>/mal/<int:goal_pk>/bedomning/",
        views.assessment_edit,
        name="assessment_goal",
    ),
    path(
        "uppfoljning/<int:pk>/mal/<int:goal_pk>/enhet/<int:unit_pk>/",
        views.assessment_edit,
        name="assessment_unit",
    ),
    path(
        "uppfoljning/bedomning/<int:assessment_pk>/lamna-in/",
        views.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "uppfoljning/bedomning/<int:assessment_pk>/godkann/",
        views.assessment_approve,
        name="assessment_approve",
    ),
    path(
        "uppfoljning/bedomning/<int:assessment_pk>/returnera/",
        views.assessment_return,
        name="assessment_return",
    ),
]
