"""Importing values in a browser: upload, preview, import; every page checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_unit_manager_imports_values_from_a_csv_file(
    page, live_server, grastorp, login, visit, follow, tmp_path, settings
):
    from tillit.core.models import OrgUnit
    from tillit.measures.models import Measure, MeasureValue
    from tillit.planning.models import PlanNode

    settings.TILLIT_IMPORT_DIR = str(tmp_path / "uploads")
    area = PlanNode.objects.get(
        organisation=grastorp, level__key="area", title="Läsfrämjande i F–6"
    )
    measure = Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Elever som läser varje dag",
        responsible_unit=OrgUnit.objects.get(name="Tengbergsskolan F–6"),
    )
    path = tmp_path / "värden.csv"
    path.write_bytes(
        f"mått_id;år;period;värde;kommentar\r\n{measure.pk};2025;T1;61,5;Läsveckan\r\n"
        f"{measure.pk};2025;T2;x;\r\n".encode("cp1252")
    )
    login(page, live_server, "enhetschef")
    visit(page, "/matt/import/")
    page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(str(path))
    follow(page.get_by_role("button", name="Visa vad som skulle ändras"))
    expect(page.get_by_role("alert")).to_contain_text("Rad 3, kolumn ”värde”: ”x” är inget tal.")

    path.write_bytes(
        f"mått_id;år;period;värde;kommentar\r\n{measure.pk};2025;T1;61,5;Läsveckan\r\n".encode(
            "cp1252"
        )
    )
    page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(str(path))
    follow(page.get_by_role("button", name="Visa vad som skulle ändras"))
    expect(page.get_by_role("table").first).to_contain_text("61,5")
    assert not MeasureValue.objects.filter(measure=measure).exists()
    follow(page.get_by_role("button", name="Importera", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import av värden.csv")
    follow(page.get_by_role("link", name="Elever som läser varje dag"))
    assert MeasureValue.objects.get(measure=measure).comment == "Läsveckan"


def test_the_plan_administrator_opens_the_kolada_search(page, live_server, grastorp, login, visit):
    login(page, live_server, "strateg")
    visit(page, "/matt/kolada/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök nyckeltal i Kolada")
    expect(page.get_by_label("Titeln innehåller")).to_be_visible()


def test_a_large_import_runs_in_the_background_and_its_page_follows_it(
    page, live_server, grastorp, login, visit, follow, axe_check, tmp_path, settings
):
    """The database backend keeps the task until a worker runs it; the job page polls."""
    import signal
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    from tillit.core.models import OrgUnit
    from tillit.measures.models import ImportJobStatus, Measure, MeasureValue
    from tillit.planning.models import PlanNode

    settings.TILLIT_IMPORT_DIR = str(tmp_path / "uploads")
    settings.TILLIT_BACKGROUND_IMPORT_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with translation.override("sv"):
        waiting, done = str(ImportJobStatus.QUEUED.label), str(ImportJobStatus.DONE.label)
        show = translation.gettext("Show the imported values")
    area = PlanNode.objects.get(
        organisation=grastorp, level__key="area", title="Läsfrämjande i F–6"
    )
    measure = Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Elever som läser varje dag",
        responsible_unit=OrgUnit.objects.get(name="Tengbergsskolan F–6"),
    )
    path = tmp_path / "stor.csv"
    path.write_text(
        f"mått_id;år;period;värde\r\n{measure.pk};2025;T1;61,5\r\n{measure.pk};2025;T2;64\r\n",
        encoding="utf-8",
    )
    login(page, live_server, "enhetschef")
    visit(page, "/matt/import/")
    page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(str(path))
    follow(page.get_by_role("button", name="Visa vad som skulle ändras"))
    follow(page.get_by_role("button", name="Importera", exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text("Import av stor.csv")
    status = page.get_by_role("status")
    expect(status).to_contain_text(waiting)
    assert not MeasureValue.objects.filter(measure=measure).exists()

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:  # a worker, as `manage.py db_worker` runs it
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    expect(status).to_contain_text(done)  # the page found out by itself
    expect(status).to_contain_text("Importerat. Nya värden 2, ändrade 0, oförändrade 0.")
    axe_check(page)
    follow(page.get_by_role("link", name=show))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import av stor.csv")
    assert MeasureValue.objects.filter(measure=measure).count() == 2
