"""Nothing that is not public reaches a visitor: every public page, public search, open
data file and public API answer is read for the planted secret word and the names and
addresses of the people, and every non-public row's address answers 404."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tillit.portal import public

from .secrets import PUBLIC, SECRET, UNIT_SECRET, plant


@pytest.fixture
def planted(grastorp, personas):
    return plant(grastorp, personas)


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def portal_urls(organisation, planted) -> list[str]:
    urls = [
        reverse("portal:home"),
        reverse("portal:principles"),
        reverse("portal:reports"),
        reverse("portal:calendar"),
        reverse("portal:calendar_year", args=[planted.hidden_event.date.year]),
        reverse("portal:report", args=[planted.public_report.pk]),
        reverse("portal:report_file", args=[planted.public_report.pk, "html"]),
        reverse("portal:calendar_year", args=[planted.public_meeting.starts_at.year]),
        reverse("calendars:feed_public"),
    ]
    urls += [
        reverse("portal:goal", args=[pk])
        for pk in public.public_goals(organisation).values_list("pk", flat=True)
    ]
    urls += [
        reverse("portal:measure", args=[pk])
        for pk in public.public_measures(organisation).values_list("pk", flat=True)
    ]
    urls += [
        reverse("portal:activity", args=[pk])
        for pk in public.public_activities(organisation).values_list("pk", flat=True)
    ]
    return urls


def search_urls() -> list[str]:
    base = reverse("search:public")
    return [f"{base}?{urlencode({'q': q})}" for q in ("mål", "Aktivitet", "analys", PUBLIC)]


def opendata_urls(client: Client) -> list[str]:
    index = reverse("opendata:index")
    page = body_of(client.get(index))
    links = set(re.findall(r'href="(/insyn/oppna-data/[^"#?]+)"', page))
    assert len(links) >= 4, links  # the datasets in two formats, and the metadata
    return [index, *sorted(links)]


def api_urls(client: Client) -> list[str]:
    """Every public list of the API, page after page."""
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert root.status_code == 200
    urls: list[str] = []
    for url in root.json().values():
        while url:
            path = re.sub(r"^https?://[^/]+", "", url)
            urls.append(path)
            response = client.get(path, {"per_sida": 500}, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, path
            data = response.json()
            url = data.get("next") if isinstance(data, dict) else None
    return urls


def test_no_public_answer_shows_a_secret_or_a_person(grastorp, planted):
    client = Client()
    urls = [
        *portal_urls(grastorp, planted),
        *search_urls(),
        *opendata_urls(client),
        *api_urls(client),
    ]
    reports = {
        reverse("portal:report", args=[planted.public_report.pk]),
        reverse("portal:report_file", args=[planted.public_report.pk, "html"]),
    }
    seen_public = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_of(response)
        assert SECRET not in text, url
        seen_public = seen_public or PUBLIC in text
        # An adopted report is a public document as KS adopted it (it may name its authors
        # and contain the units' assessments); everything else names no one.
        if url not in reports:
            assert UNIT_SECRET not in text, url
            for person in planted.people:
                assert person not in text, (url, person)
    assert seen_public


def test_searching_the_public_side_for_the_secret_finds_nothing(grastorp, planted):
    """The answer to the secret word is the answer to a word that is nowhere."""

    def answer(word: str) -> str:
        response = Client().get(reverse("search:public"), {"q": word})
        return body_of(response).replace(word, "QUERY")

    assert answer(SECRET) == answer("Xyzzyordet")
    assert answer(PUBLIC) != answer("Xyzzyordet")


def test_a_public_goal_shows_its_public_assessment(grastorp, planted):
    response = Client().get(reverse("portal:goal", args=[planted.public_goal.pk]))
    assert f"Analys {PUBLIC}" in body_of(response)


def test_every_non_public_rows_page_is_not_found(grastorp, planted):
    client = Client()
    ids = planted.secret_ids()
    urls = [
        reverse("portal:goal", args=[ids["goal"]]),
        reverse("portal:goal", args=[ids["area"]]),
        reverse("portal:measure", args=[ids["measure"]]),
        reverse("portal:activity", args=[ids["activity"]]),
        reverse("portal:report", args=[ids["report_draft"]]),
        reverse("portal:report", args=[ids["report_review"]]),
        reverse("portal:report_file", args=[ids["report_draft"], "pdf"]),
        reverse("portal:report_file", args=[ids["report_review"], "html"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_api_does_not_give_a_visitor_a_non_public_row(grastorp, planted):
    client = Client()
    ids = planted.secret_ids()
    urls = [
        reverse("api:element-detail", args=[ids["goal"]]),
        reverse("api:element-detail", args=[ids["area"]]),
        reverse("api:measure-detail", args=[ids["measure"]]),
        reverse("api:activity-detail", args=[ids["activity"]]),
        reverse("api:report-detail", args=[ids["report_draft"]]),
        reverse("api:report-detail", args=[ids["report_review"]]),
        reverse("api:assessment-detail", args=[planted.unit_assessment.pk]),
        reverse("api:assessment-detail", args=[planted.open_period_assessment.pk]),
    ]
    for url in urls:
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 404, url
