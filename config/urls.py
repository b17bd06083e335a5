from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tillit.planning.urls import planning_patterns
from tillit.planning.urls import urlpatterns as home_patterns

urlpatterns = [
    *home_patterns,
    path("", include((planning_patterns, "planning"))),
    path("", include("tillit.core.urls")),
    path("", include("tillit.measures.urls")),
    path("", include("tillit.followup.urls")),
    path("", include("tillit.activities.urls")),
    path("", include("tillit.dialogues.urls")),
    path("", include("tillit.calendars.urls")),
    path("", include("tillit.economy.urls")),
    path("", include("tillit.reports.urls")),
    path("", include("tillit.portal.urls")),
    path("", include("tillit.search.urls")),
    path("", include("tillit.opendata.urls")),
    path("", include("tillit.api.urls")),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
