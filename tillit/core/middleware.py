from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from .models import Organisation


def get_request_organisation(request: HttpRequest) -> Organisation | None:
    """The municipality a request is about: the user's own, else the installation's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.organisation_id:
        return user.organisation
    return (
        Organisation.objects.filter(slug=settings.TILLIT_ORGANISATION).first()
        or Organisation.objects.order_by("pk").first()
    )


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = SimpleLazyObject(lambda: get_request_organisation(request))
        return self.get_response(request)
