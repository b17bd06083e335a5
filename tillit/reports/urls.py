from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("rapporter/", views.index, name="index"),
    path("rapporter/ny/", views.create, name="create"),
    path("rapporter/<int:pk>/", views.report, name="report"),
    path("rapporter/<int:pk>/status/", views.transition, name="transition"),
    path("rapporter/<int:pk>/avsnitt/<slug:key>/", views.section, name="section"),
    path("rapporter/<int:pk>/avsnitt/<slug:key>/agare/", views.section_owner, name="section_owner"),
    path("rapporter/<int:pk>/rendera/", views.render_order, name="render"),
    path("rapporter/<int:pk>/rendering/<int:job_pk>/", views.job, name="job"),
    path("rapporter/<int:pk>/rendering/<int:job_pk>/fil", views.download, name="download"),
    path("rapporter/<int:pk>/dokument.<str:fmt>", views.document, name="document"),
]
