from django.http import HttpRequest


def organisation(request: HttpRequest) -> dict:
    return {"organisation": getattr(request, "organisation", None)}
