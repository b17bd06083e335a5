from django.urls import path, register_converter

from . import views


class FormatConverter:
    """A file format of the open data."""

    regex = "csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "opendata_format")

app_name = "opendata"

urlpatterns = [
    path("insyn/oppna-data/", views.index, name="index"),
    path("insyn/oppna-data/dcat.rdf", views.dcat_rdf, name="dcat_rdf"),
    path("insyn/oppna-data/dcat.ttl", views.dcat_ttl, name="dcat_ttl"),
    path("insyn/oppna-data/<slug:slug>.<opendata_format:fmt>", views.download, name="download"),
]
