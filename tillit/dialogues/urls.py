from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("dialoger/", views.coverage_view, name="index"),
    path("dialoger/mote/<int:pk>/", views.meeting_detail, name="meeting"),
    path("dialoger/mote/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("dialoger/mote/<int:pk>/ta-bort/", views.meeting_delete, name="meeting_delete"),
    path("dialoger/mote/<int:pk>/protokoll/", views.record_view, name="record"),
    path("dialoger/mote/<int:pk>/protokoll/paborja/", views.record_start, name="record_start"),
    path("dialoger/mote/<int:pk>/protokoll/underlag/", views.record_refresh, name="record_refresh"),
    path("dialoger/mote/<int:pk>/protokoll/godkann/", views.record_approve, name="record_approve"),
    path("dialoger/<int:year>/<str:abbreviation>/", views.annual_plan, name="annual_plan"),
    path(
        "dialoger/<int:year>/<str:abbreviation>/nytt-mote/",
        views.meeting_create,
        name="meeting_add",
    ),
    path("dialoger/<int:year>/<str:abbreviation>/uppdrag/", views.remits, name="remits"),
]
