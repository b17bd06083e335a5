"""Routes for importing measure values from files: "measures:import", "measures:import_confirm",
"measures:import_template_xlsx", "measures:import_template_csv", "measures:import_batch",
"measures:import_job".

A plain list without app_name, to be added to the "measures" namespace: best to the list in
tillit/measures/urls.py (`*urls_import.urlpatterns`). A second include with the same
namespace would not do: Django reverses a namespace in its first include only.
"""

from django.urls import path

from . import views_import

urlpatterns = [
    path("matt/import/", views_import.import_upload, name="import"),
    path("matt/import/importera/", views_import.import_confirm, name="import_confirm"),
    path("matt/import/mall.xlsx", views_import.import_template_xlsx, name="import_template_xlsx"),
    path("matt/import/mall.csv", views_import.import_template_csv, name="import_template_csv"),
    path("matt/import/<int:pk>/", views_import.import_batch, name="import_batch"),
    path("matt/import/jobb/<int:pk>/", views_import.import_job, name="import_job"),
]
