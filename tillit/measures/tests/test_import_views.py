"""The import pages: upload → preview → import, who may, and the templates to fill in."""

from __future__ import annotations

import csv
import io
import os
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tillit.core.models import OrgUnit, User
from tillit.measures import views_import
from tillit.measures.importers import read_file
from tillit.measures.models import ImportBatch, Measure, MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TILLIT_IMPORT_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def school_measure(grastorp, area):
    return Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Elever som läser varje dag",
        unit="%",
        responsible_unit=OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6"),
    )


@pytest.fixture
def care_measure(grastorp, other_area):
    return Measure.objects.create(
        organisation=grastorp,
        node=other_area,
        title="Brukare nöjda med hemtjänsten",
        unit="%",
        responsible_unit=OrgUnit.objects.get(organisation=grastorp, name="Hemtjänsten"),
    )


def upload(lines: list[str], name: str = "värden.csv") -> SimpleUploadedFile:
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_upload(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("värden.xlsx", out.getvalue())


def values_of(measure) -> dict[int, Decimal | None]:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "value"))


def test_the_import_page_has_a_labelled_file_field(client_as):
    response = client_as("enhetschef").get(reverse("measures:import"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_file">Fil (.xlsx eller .csv):</label>' in page
    assert 'enctype="multipart/form-data"' in page
    assert reverse("measures:import_template_xlsx") in page
    assert reverse("measures:import_template_csv") in page


@pytest.mark.parametrize(
    "name", ["import", "import_template_xlsx", "import_template_csv", "import_confirm"]
)
def test_anonymous_visitors_are_sent_to_log_in(client_as, name):
    url = reverse(f"measures:{name}")
    response = client_as("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_outside_every_organisation_may_not_import(grastorp):
    client = Client()
    client.force_login(User.objects.create_user("utan-kommun"))
    assert client.get(reverse("measures:import")).status_code == 403
    assert client.get(reverse("measures:import_template_csv")).status_code == 403


def test_upload_preview_and_import(client_as, personas, school_measure, upload_dir):
    MeasureValue.objects.create(measure=school_measure, year=2025, period_kind="tertial", value=50)
    client = client_as("enhetschef")
    m = school_measure.pk
    response = client.post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;period;värde", f"{m};2025;T1;55,5", f"{m};2025;T2;1 200"])},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Det här skulle importen av värden.csv ändra" in page
    assert "<caption>Förhandsvisning av ändringarna</caption>" in page
    assert "<del>50</del>" in page and "<ins>55,5</ins>" in page
    assert "<ins>1\u00a0200</ins>" in page
    assert values_of(school_measure) == {1: Decimal(50)}  # a preview saves nothing
    token = response.context["pending"].token
    assert (upload_dir / token).is_file()
    assert f'name="token" value="{token}"' in page

    response = client.post(reverse("measures:import_confirm"), {"token": token})
    batch = ImportBatch.objects.get(created_by=personas["enhetschef"])
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:import_batch", args=[batch.pk])
    assert values_of(school_measure) == {1: Decimal("55.5"), 2: Decimal(1200)}
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 0)
    assert not (upload_dir / token).exists()  # the file is gone after the import

    page = client.get(response["Location"]).content.decode()
    assert f'<a href="{school_measure.get_absolute_url()}">Elever som läser varje dag</a>' in page
    assert "Importerat. Nya värden 1, ändrade 1, oförändrade 0." in page


def test_an_excel_upload_is_previewed_too(client_as, school_measure):
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": xlsx_upload([["mått_id", "år", "värde"], [school_measure.pk, 2025, 61.5]])},
    )
    assert [c.new_value for c in response.context["result"].changes] == [Decimal("61.5")]


def test_a_file_with_errors_shows_them_and_offers_no_import(client_as, school_measure):
    m = school_measure.pk
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;värde", f"{m};2025;1", f"{m};2024;12,5,3"])},
    )
    page = response.content.decode()
    assert 'class="conflict" role="alert"' in page
    assert "Rad 3, kolumn ”värde”: ”12,5,3” är inget tal." in page
    assert "Inget importerades: filen har 1 fel." in page
    assert 'name="token"' not in page
    assert response.context["pending"] is None
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_another_units_measure_is_refused_in_the_preview(
    client_as, school_measure, care_measure, upload_dir
):
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {
            "file": upload(
                ["mått_id;år;värde", f"{school_measure.pk};2025;1", f"{care_measure.pk};2025;2"]
            )
        },
    )
    assert (
        "Rad 3: du får inte lägga in värden för ”Brukare nöjda med hemtjänsten”."
        in response.content.decode()
    )
    assert list(upload_dir.iterdir()) == []  # nothing to import: the file is not kept


def test_a_file_of_another_kind_is_refused_by_the_form(client_as):
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.7")},
    )
    assert response.context["form"].errors["file"] == [
        "Välj en Excelfil (.xlsx) eller en CSV-fil (.csv)."
    ]


def test_nothing_to_change_offers_no_import(client_as, school_measure):
    MeasureValue.objects.create(measure=school_measure, year=2025, value=1)
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;värde", f"{school_measure.pk};2025;1"])},
    )
    page = response.content.decode()
    assert "värden.csv: inget att ändra" in page
    assert 'name="token"' not in page


def test_an_unknown_token_imports_nothing(client_as, school_measure):
    client = client_as("enhetschef")
    response = client.post(reverse("measures:import_confirm"), {"token": "0" * 32}, follow=True)
    assert "Den uppladdade filen finns inte kvar" in response.content.decode()
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_a_token_works_only_in_the_session_that_uploaded_the_file(client_as, school_measure):
    response = client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;värde", f"{school_measure.pk};2025;1"])},
    )
    token = response.context["pending"].token
    for other in ("strateg", "medledare"):
        client_as(other).post(reverse("measures:import_confirm"), {"token": token})
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_a_file_older_than_an_hour_is_gone(client_as, school_measure, upload_dir):
    client = client_as("enhetschef")
    response = client.post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;värde", f"{school_measure.pk};2025;1"])},
    )
    token = response.context["pending"].token
    session = client.session
    session[views_import.SESSION_KEY]["saved"] -= views_import.KEEP_SECONDS + 1
    session.save()
    client.post(reverse("measures:import_confirm"), {"token": token})
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_old_uploads_are_swept_away(client_as, school_measure, upload_dir):
    upload_dir.mkdir(exist_ok=True)
    old, fresh = upload_dir / ("a" * 32), upload_dir / ("b" * 32)
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    an_hour_ago = time.time() - views_import.KEEP_SECONDS - 10
    os.utime(old, (an_hour_ago, an_hour_ago))
    client_as("enhetschef").post(
        reverse("measures:import"),
        {"file": upload(["mått_id;år;värde", f"{school_measure.pk};2025;1"])},
    )
    assert not old.exists() and fresh.exists()


def test_a_new_upload_replaces_the_waiting_one(client_as, school_measure, upload_dir):
    client = client_as("enhetschef")
    tokens = [
        client.post(
            reverse("measures:import"),
            {"file": upload(["mått_id;år;värde", f"{school_measure.pk};2025;{n}"])},
        )
        .context["pending"]
        .token
        for n in (1, 2)
    ]
    assert sorted(p.name for p in upload_dir.iterdir()) == [tokens[1]]
    client.post(reverse("measures:import_confirm"), {"token": tokens[0]})
    assert not MeasureValue.objects.filter(measure=school_measure).exists()
    client.post(reverse("measures:import_confirm"), {"token": tokens[1]})
    assert values_of(school_measure) == {1: Decimal(2)}


def test_the_batch_page_belongs_to_the_organisation(client_as, grastorp):
    batch = ImportBatch.objects.create(organisation=grastorp, source="file", description="x.csv")
    assert (
        client_as("medledare").get(reverse("measures:import_batch", args=[batch.pk])).status_code
        == 200
    )
    missing = reverse("measures:import_batch", args=[batch.pk + 1000])
    assert client_as("medledare").get(missing).status_code == 404


# --- templates ---------------------------------------------------------------------------


def test_the_excel_template_lists_the_measures_the_person_may_fill_in(
    client_as, school_measure, care_measure
):
    response = client_as("enhetschef").get(reverse("measures:import_template_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    values, measures = workbook.worksheets
    rows = list(values.iter_rows(values_only=True))
    assert rows[0] == ("mått_id", "år", "period", "kön", "värde", "bedömning", "kommentar")
    assert len(rows) == 2  # the header and one example
    listed = {row[0]: row[1] for row in measures.iter_rows(min_row=2, values_only=True)}
    assert listed[school_measure.pk] == "Elever som läser varje dag"
    assert care_measure.pk not in listed
    # The template, as downloaded, is a file the importer reads.
    assert read_file(response.content, "mall.xlsx").ok


def test_the_csv_template_is_utf8_with_bom_and_semicolons(client_as, school_measure):
    response = client_as("enhetschef").get(reverse("measures:import_template_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["mått_id", "år", "period", "kön", "värde", "bedömning", "kommentar"]
    assert rows[1][4] == "12,5"
    parsed = read_file(response.content, "mall.csv")
    assert parsed.ok and parsed.rows[0].value == Decimal("12.5")
