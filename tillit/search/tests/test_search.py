"""Search: who finds what, how the words are matched, and what the page says."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.portal import public
from tillit.portal.tests.secrets import PUBLIC, SECRET
from tillit.reports.choices import ReportState
from tillit.search.choices import ResultKind
from tillit.search.scopes import public_scope, staff_scope
from tillit.search.selectors import PER_PAGE, search

POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(not POSTGRES, reason="full-text search is PostgreSQL's")

PUBLIC_URL = "/insyn/sok/"
STAFF_URL = "/sok/"


def found(response) -> set[tuple[str, int]]:
    assert response.status_code == 200
    results = response.context["results"]
    return {(result.kind.value, result.obj.pk) for result in results.results}


def counts(response) -> dict[str, int]:
    return {kind.value: n for kind, n in response.context["results"].counts.items()}


def test_the_urls_are_the_agreed_ones():
    assert reverse("search:public") == PUBLIC_URL
    assert reverse("search:staff") == STAFF_URL


# --- Who sees what ------------------------------------------------------------------


def test_the_public_never_finds_what_is_not_public(grastorp, planted):
    response = Client().get(PUBLIC_URL, {"q": SECRET})
    assert counts(response) == {"mal": 0, "matt": 0, "aktivitet": 0, "rapport": 0}
    for kind in ResultKind:
        response = Client().get(PUBLIC_URL, {"q": SECRET, "typ": kind.value})
        assert found(response) == set()


def test_the_public_finds_public_activities_and_approved_reports(grastorp, planted):
    response = Client().get(PUBLIC_URL, {"q": PUBLIC})
    assert ("aktivitet", planted.public_activity.pk) in found(response)
    assert ("rapport", planted.public_report.pk) in found(response)
    body = response.content.decode()
    assert reverse("portal:activity", args=[planted.public_activity.pk]) in body
    assert reverse("portal:report", args=[planted.public_report.pk]) in body


def test_the_public_search_is_built_on_the_public_allow_list(grastorp, planted):
    from tillit.portal import public

    scope = public_scope(grastorp)
    assert set(scope.queryset(ResultKind.GOAL)) == set(public.public_nodes(grastorp))
    assert set(scope.queryset(ResultKind.MEASURE)) == set(public.public_measures(grastorp))
    assert set(scope.queryset(ResultKind.ACTIVITY)) == set(public.public_activities(grastorp))
    assert set(scope.queryset(ResultKind.REPORT)) == set(public.public_reports(grastorp))


def test_a_goal_of_the_public_plan_links_to_its_portal_page(grastorp, public_goal):
    public_goal.title = f"{public_goal.title} Portalordet"
    public_goal.save(update_fields=["title"])
    response = Client().get(PUBLIC_URL, {"q": "Portalordet"})
    assert found(response) == {("mal", public_goal.pk)}
    assert reverse("portal:goal", args=[public_goal.pk]) in response.content.decode()


@pytest.mark.parametrize("persona", ["strateg", "fortroendevald", "medledare"])
def test_staff_find_drafts_of_their_organisation(client_as, planted, persona):
    response = client_as(persona).get(STAFF_URL, {"q": SECRET})
    hits = found(response)
    assert ("mal", planted.draft_goal.pk) in hits
    assert ("matt", planted.draft_measure.pk) in hits
    assert ("aktivitet", planted.hidden_activity.pk) in hits
    assert ("rapport", planted.draft_report.pk) in hits
    assert ("rapport", planted.review_report.pk) in hits


def test_staff_results_link_to_the_staff_pages_and_mark_drafts(client_as, planted):
    response = client_as("strateg").get(STAFF_URL, {"q": SECRET})
    body = response.content.decode()
    assert reverse("planning:node", args=[planted.draft_goal.pk]) in body
    assert reverse("measures:measure", args=[planted.draft_measure.pk]) in body
    assert reverse("activities:activity", args=[planted.hidden_activity.pk]) in body
    assert reverse("reports:report", args=[planted.draft_report.pk]) in body
    drafts = {(r.kind.value, r.obj.pk) for r in response.context["results"].results if r.draft}
    assert ("mal", planted.draft_goal.pk) in drafts
    assert ("matt", planted.draft_measure.pk) in drafts
    assert ("aktivitet", planted.hidden_activity.pk) not in drafts
    states = {
        r.obj.pk: r.context for r in response.context["results"].results if r.kind == "rapport"
    }
    assert states[planted.draft_report.pk] == str(ReportState.DRAFT.label)
    assert states[planted.review_report.pk] == str(ReportState.REVIEW.label)


def test_staff_search_asks_anonymous_visitors_to_log_in(grastorp):
    response = Client().get(STAFF_URL, {"q": "skola"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_organisations_data_never_shows(grastorp, client_as, other_municipality):
    word = "Grannkommunsord"
    for response in (
        Client().get(PUBLIC_URL, {"q": word}),
        client_as("strateg").get(STAFF_URL, {"q": word}),
    ):
        assert sum(counts(response).values()) == 0
    # … and the other municipality's own staff find theirs, but nothing of Grästorp's.
    org, member = other_municipality
    client = Client()
    client.force_login(member)
    assert counts(client.get(STAFF_URL, {"q": word})) == {
        "mal": 1,
        "matt": 1,
        "aktivitet": 1,
        "rapport": 1,
    }
    assert sum(counts(client.get(STAFF_URL, {"q": "världsmedborgare"})).values()) == 0


def test_someone_logged_in_outside_the_organisation_finds_only_the_public_plan(
    grastorp, planted, django_user_model
):
    loner = django_user_model.objects.create_user("utan-organisation")
    scope = staff_scope(loner, grastorp)
    assert not scope.queryset(ResultKind.GOAL).filter(pk=planted.draft_goal.pk).exists()
    assert scope.queryset(ResultKind.GOAL).filter(pk=planted.public_goal.pk).exists()
    assert not scope.queryset(ResultKind.GOAL).filter(pk=planted.area.pk).exists()
    measures = scope.queryset(ResultKind.MEASURE)
    assert not measures.filter(pk=planted.draft_measure.pk).exists()
    assert not measures.exclude(node__in=public.public_nodes(grastorp)).exists()  # no areas'
    assert measures.filter(pk=planted.public_measure.pk).exists()
    assert not scope.queryset(ResultKind.ACTIVITY).exists()
    assert not scope.queryset(ResultKind.REPORT).exists()


# --- Matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["översvämningsskydd", "ÖVERSVÄMNINGSSKYDD", "Översvämningsskydd"]
)
def test_å_ä_ö_match_in_any_case(make_activity, query):
    activity = make_activity("Nytt ÖVERSVÄMNINGSSKYDD vid ån", "Vallar längs älven.")
    response = Client().get(PUBLIC_URL, {"q": query})
    assert found(response) == {("aktivitet", activity.pk)}


def test_å_ä_ö_in_the_other_texts_match_too(make_activity):
    activity = make_activity("Vallar", "Ett nytt ÖVERSVÄMNINGSSKYDD byggs vid Nossan.")
    response = Client().get(PUBLIC_URL, {"q": "översvämningsskydd nossan"})
    assert found(response) == {("aktivitet", activity.pk)}
    assert "<mark>" in str(response.context["results"].results[0].snippet)


def test_every_word_must_occur(make_activity):
    both = make_activity("Cykelbanor i Grästorp", "Säkrare skolvägar")
    make_activity("Cykelbanor i Tengene", "Längs vägen")
    response = Client().get(PUBLIC_URL, {"q": "cykelbanor skolvägar"})
    assert found(response) == {("aktivitet", both.pk)}


def test_title_matches_come_first(make_activity):
    in_text = make_activity("Vallar längs älven", "Bygger ett nytt trädgårdsprojekt vid ån.")
    in_title = make_activity("Trädgårdsprojekt för alla", "Odling i stadsdelen.")
    response = Client().get(PUBLIC_URL, {"q": "trädgårdsprojekt"})
    results = response.context["results"].results
    assert [r.obj.pk for r in results] == [in_title.pk, in_text.pk]


def test_title_matches_come_first_when_there_are_too_many_hits_to_rank_fully(
    make_activity, monkeypatch
):
    from tillit.search import selectors

    monkeypatch.setattr(selectors, "FULL_RANK_LIMIT", 0)
    in_text = make_activity("Vallar längs älven", "Bygger ett nytt trädgårdsprojekt vid ån.")
    in_title = make_activity("Trädgårdsprojekt för alla", "Odling i stadsdelen.")
    results = Client().get(PUBLIC_URL, {"q": "trädgårdsprojekt"}).context["results"].results
    assert [r.obj.pk for r in results] == [in_title.pk, in_text.pk]


def test_reports_are_found_by_kind_and_year_and_by_their_text(approved_report):
    report = approved_report("annual", 2027, "Ett år med nya förskoleplatser.")
    assert ("rapport", report.pk) in found(Client().get(PUBLIC_URL, {"q": "årsredovisning 2027"}))
    response = Client().get(PUBLIC_URL, {"q": "förskoleplatser"})
    assert found(response) == {("rapport", report.pk)}


def test_a_report_not_yet_approved_is_not_found_by_the_public(approved_report):
    approved_report("interim", 2027, "Utkastordet", state="draft")
    approved_report("annual", 2028, "Utkastordet", state="review")
    assert sum(counts(Client().get(PUBLIC_URL, {"q": "utkastordet"})).values()) == 0


@only_postgres
@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("skolor", "Vi bygger en ny skola i centrum."),
        ("skola", "Fler skolor får nya lokaler."),
        ("eleverna", "Alla elever läser varje dag."),
        ("hemtjänst", "Hemtjänsten får nya bilar."),
        ('"nya lokaler"', "Fler skolor får nya lokaler."),
    ],
)
def test_postgres_finds_other_forms_of_a_word(make_measure, query, text):
    """The swedish configuration stems: skola, skolor, skolorna → skol; elever, eleverna →
    elev. (It does not strip the definite -an: "skolan" stays "skolan".)"""
    measure = make_measure("Lokalförsörjning", text)
    response = Client().get(PUBLIC_URL, {"q": query, "typ": "matt"})
    assert ("matt", measure.pk) in found(response)
    [result] = [r for r in response.context["results"].results if r.obj.pk == measure.pk]
    assert "<mark>" in str(result.snippet)


@only_postgres
def test_postgres_understands_or_and_minus(make_measure):
    bus = make_measure("Busskort", "Busskort för gymnasieelever")
    train = make_measure("Tågkort", "Tågkort för gymnasieelever")
    assert found(Client().get(PUBLIC_URL, {"q": "busskort or tågkort"})) >= {
        ("matt", bus.pk),
        ("matt", train.pk),
    }
    hits = found(Client().get(PUBLIC_URL, {"q": "gymnasieelever -tågkort"}))
    assert ("matt", bus.pk) in hits
    assert ("matt", train.pk) not in hits


@only_postgres
def test_postgres_uses_the_gin_indexes(grastorp):
    """The filter is the indexed expression: with sequential scans off, the plan reads
    the index (it could not if the query's vector and the index's differed)."""
    from django.apps import apps

    from tillit.search.selectors import _engine
    from tillit.search.vectors import INDEX_NAMES

    engine = _engine("skola")
    kinds = {
        "planning.PlanNode": ResultKind.GOAL,
        "measures.Measure": ResultKind.MEASURE,
        "activities.Activity": ResultKind.ACTIVITY,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for label, kind in kinds.items():
            plan = engine.matches(kind, apps.get_model(label).objects.all()).explain()
            assert f"Bitmap Index Scan on {INDEX_NAMES[label]}" in plan, plan


def test_sqlite_folds_every_letter(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's casefold function")
    with connection.cursor() as cursor:
        cursor.execute("SELECT casefold('ÅÄÖ Éé ß'), 'Å' LIKE 'å'")
        assert cursor.fetchone() == ("åäö éé ss", 0)


# --- Odd input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "%",
        "_",
        "%_%",
        "or",
        "OR",
        "-",
        "!",
        "&|",
        "\\",
        "(",
        ")",
        ":*",
        "' or 1=1 --",
        '"skola',
        "skola or",
        "a" * 200,
        "å " * 100,
        "<>",
        "🙂",
    ],
)
def test_odd_input_gets_a_clean_answer(client_as, make_activity, query):
    make_activity("Procent och understreck", "Ingen % och inget _ i sökningen")
    for client, url in ((Client(), PUBLIC_URL), (client_as("strateg"), STAFF_URL)):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, query
        if query in ("%", "_", "%_%"):
            assert sum(counts(response).values()) == 0, "a LIKE wildcard matched"


def test_a_query_too_long_is_refused_politely(grastorp):
    response = Client().get(PUBLIC_URL, {"q": "a" * 201})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_query_is_escaped_everywhere_it_is_shown(grastorp):
    query = '<script>alert("x")</script>'
    response = Client().get(PUBLIC_URL, {"q": query})
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_the_text_of_a_hit_is_escaped_but_its_marks_are_not(make_activity):
    make_activity("<em>Markeringsord</em>", "<img src=x onerror=alert(1)> markeringsord")
    body = Client().get(PUBLIC_URL, {"q": "markeringsord"}).content.decode()
    assert "<img" not in body and "<em>" not in body
    assert "onerror=alert(1)&gt;" in body  # (PostgreSQL's snippet drops what looks like a tag)
    assert "&lt;em&gt;<mark>Markeringsord</mark>&lt;/em&gt;" in body


# --- The page -----------------------------------------------------------------------


def test_without_a_query_the_page_is_the_form(grastorp):
    response = Client().get(PUBLIC_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in body and 'type="search"' in body
    assert 'role="status"' not in body


def test_no_hits_says_so_and_echoes_the_query(grastorp):
    body = Client().get(PUBLIC_URL, {"q": "Xyzzyordet"}).content.decode()
    assert 'class="search-none"' in body
    assert "Xyzzyordet" in body
    assert 'role="status"' in body


def test_hits_are_filtered_by_type_with_counts_for_every_type(make_activity, make_measure):
    activity = make_activity("Filtreringsord i aktiviteten")
    measure = make_measure("Filtreringsord i måttet")
    response = Client().get(PUBLIC_URL, {"q": "filtreringsord"})
    assert found(response) == {("aktivitet", activity.pk), ("matt", measure.pk)}
    assert counts(response) == {"mal": 0, "matt": 1, "aktivitet": 1, "rapport": 0}
    body = response.content.decode()
    assert "typ=matt" in body and "typ=aktivitet" in body
    response = Client().get(PUBLIC_URL, {"q": "filtreringsord", "typ": "matt"})
    assert found(response) == {("matt", measure.pk)}
    assert counts(response)["aktivitet"] == 1  # the other types still counted
    # An unknown type is no filter.
    assert len(found(Client().get(PUBLIC_URL, {"q": "filtreringsord", "typ": "x"}))) == 2


def test_hits_come_25_to_a_page(make_activity):
    made = {make_activity(f"Sidordet {n:02}").pk for n in range(PER_PAGE + 5)}
    first = Client().get(PUBLIC_URL, {"q": "sidordet"})
    second = Client().get(PUBLIC_URL, {"q": "sidordet", "sida": 2})
    assert len(found(first)) == PER_PAGE
    assert len(found(second)) == 5
    assert {pk for _, pk in found(first) | found(second)} == made
    assert "sida=2" in first.content.decode()
    # A page past the end shows the last one; nonsense shows the first.
    assert found(Client().get(PUBLIC_URL, {"q": "sidordet", "sida": 99})) == found(second)
    assert found(Client().get(PUBLIC_URL, {"q": "sidordet", "sida": "x"})) == found(first)


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_hits(
    client_as, make_activity, make_measure, approved_report, public_goal
):
    from tillit.planning.models import PlanNode

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            make_activity(f"Räkneord aktivitet {i}", "räkneord")
            make_measure(f"Räkneord mått {i}", "räkneord")
            PlanNode.objects.create(
                organisation=public_goal.organisation,
                document=public_goal.document,
                level=public_goal.level,
                parent=public_goal.parent,
                number=200 + i,
                title=f"Räkneord mål {i}",
            )
            approved_report("interim", 2040 + i, "räkneord")

    staff = client_as("strateg")
    pages = [(Client(), PUBLIC_URL), (staff, STAFF_URL)]
    kinds = [{}, *({"typ": kind.value} for kind in ResultKind)]

    def measured() -> list[int]:
        return [_queries(c, url, q="räkneord", **kind) for c, url in pages for kind in kinds]

    add(1, 0)
    few = measured()  # every kind on the one page
    add(30, 1)
    many = measured()
    # One type: the same queries. All types: at most as many (the page of 25 may hold
    # fewer types, each loaded with one query).
    for index, kind in enumerate(kinds * len(pages)):
        if kind:
            assert many[index] == few[index], kind
        else:
            assert many[index] <= few[index]


def test_the_search_itself_makes_a_handful_of_queries(grastorp, make_activity):
    make_activity("Budgetord")
    with CaptureQueriesContext(connection) as captured:
        search(scope=public_scope(grastorp), query="budgetord")
    assert len(captured) <= 4 + 1 + 4


# --- The staff layout's search form -------------------------------------------------


def test_the_staff_layout_has_a_search_form_to_the_right_search(client_as, grastorp):
    staff_page = client_as("strateg").get("/").content.decode()
    assert 'role="search"' in staff_page
    assert f'action="{STAFF_URL}"' in staff_page
    anonymous_page = Client().get("/").content.decode()
    assert f'action="{PUBLIC_URL}"' in anonymous_page
