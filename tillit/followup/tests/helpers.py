from __future__ import annotations

from django.urls import reverse

ALL = ("fortroendevald", "strateg", "verksamhetschef", "enhetschef", "medledare", "outsider")
EVERYONE = (*ALL, "anonymous")
# The people of Tengbergsskolan F–6 (and of Utbildning above it).
UNIT_WRITERS = ("verksamhetschef", "enhetschef", "medledare")


def refused(response, persona: str) -> bool:
    """403 for a logged-in person; the login page for an anonymous visitor."""
    if persona == "anonymous":
        return response.status_code == 302 and reverse("login") in response["Location"]
    return response.status_code == 403
