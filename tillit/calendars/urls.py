from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("arshjul/", views.year_now, name="now"),
    path("arshjul/<int:year>/", views.year, name="year"),
    path("arshjul/ny/", views.event_edit, name="event_add"),
    path("arshjul/handelse/<int:pk>/", views.event_edit, name="event_edit"),
    path("arshjul/handelse/<int:pk>/ta-bort/", views.event_delete, name="event_delete"),
    path("kalender/", views.feeds, name="feeds"),
    path("kalender/ny-adress/", views.feed_renew, name="feed_renew"),
    path("kalender/stang-av/", views.feed_revoke, name="feed_revoke"),
    path("kalender/paminnelser/", views.reminders, name="reminders"),
    path("kalender/kommunen.ics", views.feed_public, name="feed_public"),
    path("kalender/organ/<str:abbreviation>.ics", views.feed_body, name="feed_body"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
