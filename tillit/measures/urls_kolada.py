"""Routes for Kolada in the browser: "measures:kolada" (search), "measures:kolada_link"
and "measures:kolada_refresh".

A plain list without app_name, added to the "measures" namespace in
tillit/measures/urls.py (`*urls_kolada.urlpatterns`), as urls_import is.
"""

from django.urls import path

from . import views_kolada

urlpatterns = [
    path("matt/kolada/", views_kolada.kolada_search, name="kolada"),
    path("matt/kolada/koppla/", views_kolada.kolada_link, name="kolada_link"),
    path("matt/<int:pk>/kolada/", views_kolada.kolada_refresh, name="kolada_refresh"),
]
