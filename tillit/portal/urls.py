from django.urls import path, register_converter

from . import views


class FormatConverter:
    """A report file's format: pdf, docx, xlsx or html."""

    regex = "pdf|docx|xlsx|html"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "report_format")

app_name = "portal"
urlpatterns = [
    path("insyn/", views.home, name="home"),
    path("insyn/mal/<int:pk>/", views.goal, name="goal"),
    path("insyn/matt/<int:pk>/", views.measure, name="measure"),
    path("insyn/aktiviteter/<int:pk>/", views.activity, name="activity"),
    path("insyn/principer/", views.principles, name="principles"),
    path("insyn/rapporter/", views.reports, name="reports"),
    path("insyn/rapporter/<int:pk>/", views.report, name="report"),
    path(
        "insyn/rapporter/<int:pk>/fil.<report_format:fmt>",
        views.report_file,
        name="report_file",
    ),
    path("insyn/arshjul/", views.calendar, name="calendar"),
    path("insyn/arshjul/<int:year>/", views.calendar, name="calendar_year"),
]
