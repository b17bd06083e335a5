"""The outcome import pages: /ekonomi/import/, its CSV template and each import's report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tillit.economy.imports import import_sie
from tillit.economy.models import Outcome, OutcomeImport

from .conftest import YEAR

pytestmark = pytest.mark.django_db

URL = "/ekonomi/import/"


def sie_upload(*lines: str, name: str = "utfall.se") -> SimpleUploadedFile:
    head = ["#FLAGGA 0", "#SIETYP 4", f"#RAR 0 {YEAR}0101 {YEAR}1231"]
    return SimpleUploadedFile(name, ("\r\n".join([*head, *lines]) + "\r\n").encode("cp437"))


def rows(grastorp) -> dict[tuple[int, str], Decimal]:
    return {
        (o.month, o.account.number): o.amount
        for o in Outcome.objects.filter(organisation=grastorp, year=YEAR).select_related("account")
    }


def test_the_routes():
    assert reverse("economy:imports") == URL
    assert reverse("economy:import_template") == "/ekonomi/import/mall.csv"
    assert reverse("economy:import", args=[3]) == "/ekonomi/import/3/"


def test_the_economist_uploads_a_sie_file(grastorp, client_as, personas):
    client = client_as("ekonom")
    file = sie_upload(
        '#OBJEKT 1 T610 "Gata och park"', f'#PSALDO 0 {YEAR}02 45101 {{1 "T610"}} 1234567.00'
    )
    response = client.post(URL, {"file": file})
    record = OutcomeImport.objects.get(organisation=grastorp, file_name="utfall.se")
    assert response.status_code == 302 and response.url == f"/ekonomi/import/{record.pk}/"
    assert rows(grastorp) == {(2, "45101"): Decimal("1234567.00")}
    assert record.imported_by == personas["ekonom"]

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "utfall.se" in html and 'id="unmapped"' in html and "1 / T610 Gata och park" in html
    assert 'id="accounts"' in html and "45101" in html
    assert reverse("economy:objects") in html and reverse("economy:accounts") in html

    listing = client.get(URL).content.decode()
    assert 'id="import-history"' in listing and f"/ekonomi/import/{record.pk}/" in listing


def test_a_csv_file_is_recognised_by_its_content(grastorp, client_as):
    file = SimpleUploadedFile(
        "utfall.txt", f"år;månad;konto;enhet;belopp\r\n{YEAR};5;45101;;−12,50\r\n".encode()
    )
    response = client_as("ekonom").post(URL, {"file": file})
    assert response.status_code == 302
    assert rows(grastorp) == {(5, "45101"): Decimal("-12.50")}
    assert OutcomeImport.objects.get(file_name="utfall.txt").source == "csv"


def test_a_preview_shows_the_report_and_saves_nothing(grastorp, client_as):
    imports = OutcomeImport.objects.count()
    response = client_as("ekonom").post(
        URL, {"file": sie_upload(f"#PSALDO 0 {YEAR}02 45101 {{}} 10.00"), "dry_run": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-preview"' in html and 'id="preview-rows">1<' in html
    assert rows(grastorp) == {}
    assert OutcomeImport.objects.count() == imports


def test_an_error_is_shown_with_status_400_and_nothing_is_saved(grastorp, client_as):
    response = client_as("ekonom").post(
        URL,
        {"file": sie_upload(f"#PSALDO 0 {YEAR}02 45101 {{}} 10,00", "#IB 0 19301 1.00")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'id="import-errors"' in html and "Rad 4" in html
    assert rows(grastorp) == {}
    assert not OutcomeImport.objects.filter(file_name="utfall.se").exists()


def test_a_too_large_or_missing_file_is_refused(grastorp, client_as, monkeypatch):
    from tillit.economy import forms_imports

    monkeypatch.setattr(forms_imports, "MAX_UPLOAD_BYTES", 10)
    client = client_as("ekonom")
    response = client.post(URL, {"file": sie_upload(f"#PSALDO 0 {YEAR}02 45101 {{}} 1.00")})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert client.post(URL, {}).status_code == 400
    assert rows(grastorp) == {}


def test_others_may_read_but_not_import(grastorp, client_as):
    client = client_as("verksamhetschef")
    assert client.get(URL).status_code == 200
    assert 'id="import-form"' not in client.get(URL).content.decode()
    response = client.post(URL, {"file": sie_upload(f"#PSALDO 0 {YEAR}02 45101 {{}} 1.00")})
    assert response.status_code == 403
    assert rows(grastorp) == {}


def test_anonymous_visitors_are_sent_to_the_login(client, grastorp):
    for url in (URL, "/ekonomi/import/mall.csv", "/ekonomi/import/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/logga-in/" in response.url
    response = client.post(URL, {"file": sie_upload(f"#PSALDO 0 {YEAR}02 45101 {{}} 1.00")})
    assert response.status_code == 302 and rows(grastorp) == {}


def test_another_organisations_import_is_not_found(grastorp, client, django_user_model):
    from tillit.core.models import Organisation

    record = import_sie(
        grastorp,
        b"#FLAGGA 0\r\n#RAR 0 20310101 20311231\r\n#PSALDO 0 203101 45101 {} 1.00\r\n",
        file_name="egen.se",
    ).record
    other = Organisation.objects.create(name="Annan kommun", slug="annan")
    stranger = django_user_model.objects.create_user(
        "stranger", organisation=other, is_economist=True
    )
    client.force_login(stranger)
    assert client.get(f"/ekonomi/import/{record.pk}/").status_code == 404
    assert "egen.se" not in client.get(URL).content.decode()


def test_the_csv_template(grastorp, client_as):
    response = client_as("medledare").get("/ekonomi/import/mall.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "år;månad;konto;enhet;belopp;kontonamn" and len(lines) == 3
    assert "," in lines[1].split(";")[4]


def test_the_template_reads_back(grastorp, client_as):
    from tillit.economy.imports import import_outcome_csv

    data = client_as("ekonom").get("/ekonomi/import/mall.csv").content
    report = import_outcome_csv(grastorp, data, file_name="mall.csv", dry_run=True)
    assert report.rows == 2


def small_file(n: int) -> bytes:
    head = f"#FLAGGA 0\r\n#RAR 0 {YEAR}0101 {YEAR}1231\r\n"
    return (head + f"#PSALDO 0 {YEAR}01 4510{n} {{}} 1.00\r\n").encode()


def test_the_list_makes_a_constant_number_of_queries(grastorp, client_as):
    client = client_as("ekonom")
    for n in range(3):
        import_sie(
            grastorp,
            small_file(n),
            file_name=f"f{n}.se",
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3, 20):
        import_sie(
            grastorp,
            small_file(n),
            file_name=f"f{n}.se",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)
