from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("insyn/sok/", views.public, name="public"),
    path("sok/", views.staff, name="staff"),
]
