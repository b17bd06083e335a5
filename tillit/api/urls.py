from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, views

app_name = "api"

router = views.Router()
router.register("styrdokument", views.SteeringDocumentViewSet, basename="document")
router.register("planelement", views.PlanElementViewSet, basename="element")
router.register("principer", views.PrincipleViewSet, basename="principle")
router.register("matt", views.MeasureViewSet, basename="measure")
router.register("matvarden", views.MeasureValueViewSet, basename="value")
router.register("malvarden", views.TargetViewSet, basename="target")
router.register("bedomningar", views.AssessmentViewSet, basename="assessment")
router.register("aktiviteter", views.ActivityViewSet, basename="activity")
router.register("rapporter", views.ReportViewSet, basename="report")

urlpatterns = [
    path("api/v1/organisation/", views.OrganisationView.as_view(), name="organisation"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("api/nyckel/", pages.token, name="token"),
]
