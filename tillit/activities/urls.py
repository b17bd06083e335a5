from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/ny/", views.activity_create, name="activity_add"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/redigera/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
]
