from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/enhet/<int:pk>/", views.unit_detail, name="unit"),
    path("organisation/organ/<int:pk>/", views.body_detail, name="body"),
    path("personer/<int:pk>/", views.person_detail, name="person"),
    path("beslut/", views.decision_list, name="decisions"),
    path("beslut/nytt/", views.decision_form, name="decision_add"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision"),
    path("beslut/<int:pk>/andra/", views.decision_form, name="decision_edit"),
]
