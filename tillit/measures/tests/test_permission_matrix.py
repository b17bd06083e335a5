"""The permission matrix of the measures: every persona against every view of tillit/measures.

Each cell is one real request (or two: an upload and its confirmation) through the Django
test client, against the real views, and the database is then asked whether it took
effect. `MATRIX` below is the table, one row per action and one column per persona, and
each cell is its own test: `test_matrix[enter_values-medledare]`.

    ✓      allowed: the page answers 200 and shows what it is about (the form, the draft,
           the template's row), or the POST redirects and its effect is in the database
    –      answered, but without it: the page leaves out what the person may not see, or
           the POST does nothing here (the file's rows are refused, no goal to link to)
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  an anonymous visitor is sent to the login page

Whatever the cell says but ✓, the effect did not happen. The personas are the demo's
(tillit/core/demo.py, see docs/permissions.md), the superuser `admin`, and `annan_kommun`:
a plan administrator and unit manager of *another* municipality. Pages are relative to
the visitor's municipality (the signed-in person's own, else the installation's), so
`annan_kommun` asking for /verksamhetsplan/2025/ looks for her own municipality's plan.

Nothing here reaches Kolada: `KoladaClient.from_settings` gives an in-memory stand-in
that remembers whether it was asked. `test_rule` checks the predicates directly, as
`user.has_perm(rule, obj)`. The machinery every app's matrix shares is
tillit/testing/matrix.py's.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from functools import cached_property
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tillit.core.models import Body, Decision, Organisation
from tillit.measures.choices import Source
from tillit.measures.models import (
    ImportBatch,
    ImportJob,
    ImportJobStatus,
    Measure,
    MeasureTarget,
    MeasureValue,
)
from tillit.measures.sources import KoladaClient, KoladaKpi, KoladaValue
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan
from tillit.testing.matrix import (
    NO,
    PERSONAS,
    YES,
    cells,
    check_cell,
    make_browser,
    make_user,
    registry,
    rendered,
    row,
    text,
    view_names,
)

pytestmark = pytest.mark.django_db


# --- the matrix ---------------------------------------------------------------------------------

# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                              anon     förtr  strateg vchef  echef  medl   outs   admin  annan
    # the operational plan (verksamhetsplan)
    "plan_list":               row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "plan_list_draft":         row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "plan_page":               row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "plan_page_draft":         row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "copy_forward":            row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "adopt_form":              row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "adopt":                   row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    # a measure and its targets
    "measure_page":            row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "measure_draft_target":    row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "measure_draft_document":  row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "target_form":             row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "change_target":           row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    # entering values by hand (the measure is Tengbergsskolan F–6's)
    "value_form":              row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "403"),
    "enter_values":            row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "403"),
    "remove_value":            row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "403"),
    # importing values from a file (the same measure)
    "import_page":             row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "import_template_xlsx":    row("login", "–",   "✓",   "✓",   "✓",   "✓",   "–",   "✓",   "–"),
    "import_template_csv":     row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "import_preview":          row("login", "–",   "✓",   "✓",   "✓",   "✓",   "–",   "✓",   "–"),
    "import_confirm":          row("login", "–",   "✓",   "✓",   "✓",   "✓",   "–",   "✓",   "–"),
    "import_batch":            row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "import_job":              row("login", "404", "404", "404", "✓",   "404", "404", "404", "404"),
    # Kolada (the measure is Tengbergsskolan F–6's)
    "kolada_search":           row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "✓"),
    "kolada_link":             row("login", "403", "✓",   "403", "403", "403", "403", "✓",   "–"),
    "kolada_refresh":          row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "404"),
}
# fmt: on

ACTIONS, action = registry()


class Scene:
    """What the cells need, made when first asked for, inside the test's transaction."""

    def __init__(self, organisation: Organisation, personas: dict, area, kolada, settings, tmp):
        self.organisation = organisation
        self.personas = personas
        self.area = area  # "Läsfrämjande i F–6", Tengbergsskolan F–6's
        self.kolada = kolada
        self._settings = settings
        self._tmp = tmp

    def plan(self, year: int) -> OperationalPlan:
        return OperationalPlan.objects.get(organisation=self.organisation, year=year)

    @cached_property
    def absence(self) -> Measure:
        """ "Sjukfrånvaro bland medarbetare" (HR-enheten): target 6.5 in the adopted 2026 plan."""
        return Measure.objects.get(
            organisation=self.organisation, title="Sjukfrånvaro bland medarbetare"
        )

    @cached_property
    def draft(self) -> OperationalPlan:
        """The 2027 plan, a draft, in which the absence's target is 5.9."""
        plan_2026 = self.plan(2026)
        draft = OperationalPlan.objects.create(
            organisation=self.organisation,
            document=plan_2026.document,
            year=2027,
            title="Verksamhetsplan 2027",
        )
        draft.goals.set(plan_2026.goals.all())
        MeasureTarget.objects.create(measure=self.absence, plan=draft, target=Decimal("5.9"))
        return draft

    @cached_property
    def decision(self) -> Decision:
        return Decision.objects.create(
            organisation=self.organisation,
            body=Body.objects.get(organisation=self.organisation, abbreviation="KF"),
            date=date(2026, 6, 15),
            paragraph="64",
            title="Ändrat målvärde för sjukfrånvaron",
        )

    @cached_property
    def school_measure(self) -> Measure:
        """A measure of Tengbergsskolan F–6 under its area, with no values yet."""
        return Measure.objects.create(
            organisation=self.organisation,
            node=self.area,
            title="Elever som läser varje dag",
            unit="%",
            responsible_unit=self.area.owner_unit,
        )

    @cached_property
    def kolada_measure(self) -> Measure:
        """Tengbergsskolan F–6's measure that follows Kolada's N01951, with no values yet."""
        return Measure.objects.create(
            organisation=self.organisation,
            node=self.area,
            title="Invånare totalt",
            source=Source.KOLADA,
            kolada_kpi="N01951",
            responsible_unit=self.area.owner_unit,
        )

    def upload(self) -> SimpleUploadedFile:
        """A CSV file with one value of the school's measure, 55,5 for the first tertial."""
        self._settings.TILLIT_IMPORT_DIR = str(self._tmp / "uploads")
        lines = ["mått_id;år;period;värde", f"{self.school_measure.pk};2025;T1;55,5"]
        data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
        return SimpleUploadedFile("värden.csv", data, content_type="text/csv")

    def school_values(self) -> list:
        return list(MeasureValue.objects.filter(measure=self.school_measure).values_list("value"))


# --- the operational plan --------------------------------------------------------------------


@action("measures:operational_plans")
def plan_list(client, s):
    response = client.get(reverse("measures:operational_plans"))
    return response, rendered(response, "measures/operational_plan_list.html") and (
        s.plan(2025).get_absolute_url() in text(response)
    )


@action("measures:operational_plans")
def plan_list_draft(client, s):
    url = s.draft.get_absolute_url()
    response = client.get(reverse("measures:operational_plans"))
    return response, url in text(response)


@action("measures:operational_plan")
def plan_page(client, s):
    response = client.get(reverse("measures:operational_plan", args=[2025]))
    return response, rendered(response, "measures/operational_plan.html") and (
        s.absence.title in text(response)
    )


@action("measures:operational_plan")
def plan_page_draft(client, s):
    response = client.get(s.draft.get_absolute_url())
    return response, rendered(response, "measures/operational_plan.html") and (
        "Verksamhetsplan 2027" in text(response)
    )


@action("measures:operational_plan_copy_forward", success=302)
def copy_forward(client, s):
    response = client.post(reverse("measures:operational_plan_copy_forward", args=[2026]))
    started = OperationalPlan.objects.filter(organisation=s.organisation, year=2027).first()
    return response, started is not None and started.status == DocumentStatus.DRAFT


@action("measures:operational_plan_adopt")
def adopt_form(client, s):
    response = client.get(reverse("measures:operational_plan_adopt", args=[s.draft.year]))
    return response, rendered(response, "measures/operational_plan_adopt.html") and (
        'name="decision"' in text(response)
    )


@action("measures:operational_plan_adopt", success=302)
def adopt(client, s):
    url = reverse("measures:operational_plan_adopt", args=[s.draft.year])
    response = client.post(url, {"decision": s.decision.pk})
    s.draft.refresh_from_db()
    return response, s.draft.is_adopted and s.draft.decision == s.decision


# --- a measure and its targets ---------------------------------------------------------------


@action("measures:measure")
def measure_page(client, s):
    response = client.get(s.absence.get_absolute_url())
    return response, rendered(response, "measures/measure_detail.html") and "<svg" in text(response)


@action("measures:measure")
def measure_draft_target(client, s):
    """The draft 2027 plan's target (5,9) is for staff until the plan is adopted."""
    assert s.draft.targets.get().target == Decimal("5.9")
    response = client.get(s.absence.get_absolute_url())
    return response, rendered(response, "measures/measure_detail.html") and "5,9" in text(response)


@action("measures:measure")
def measure_draft_document(client, s):
    """A measure under a steering document that is still a draft."""
    document = s.absence.node.document
    document.status = DocumentStatus.DRAFT
    document.save(update_fields=["status"])
    response = client.get(s.absence.get_absolute_url())
    return response, rendered(response, "measures/measure_detail.html")


@action("measures:target")
def target_form(client, s):
    response = client.get(reverse("measures:target", args=[s.absence.pk, 2026]))
    return response, rendered(response, "measures/measure_target_form.html") and (
        'name="target"' in text(response)
    )


@action("measures:target", success=302)
def change_target(client, s):
    """In the adopted 2026 plan, from 6.5 to 6.2, with a decision."""
    target = MeasureTarget.objects.get(measure=s.absence, plan=s.plan(2026))
    response = client.post(
        reverse("measures:target", args=[s.absence.pk, 2026]),
        {"version": target.version, "target": "6.2", "decision": s.decision.pk},
    )
    target.refresh_from_db()
    return response, target.target == Decimal("6.2") and target.decision == s.decision


# --- entering values by hand -------------------------------------------------------------------


@action("measures:value")
def value_form(client, s):
    response = client.get(reverse("measures:value", args=[s.school_measure.pk]))
    return response, rendered(response, "measures/measure_value_form.html") and (
        'name="value"' in text(response)
    )


@action("measures:value", success=302)
def enter_values(client, s):
    """55,5 for the first tertial of 2025, by hand."""
    response = client.post(
        reverse("measures:value", args=[s.school_measure.pk]),
        {"year": "2025", "period": "tertial:1", "value": "55,5", "comment": "", "changed_at": ""},
    )
    return response, s.school_values() == [(Decimal("55.5"),)]


@action("measures:value_delete", success=302)
def remove_value(client, s):
    """A value entered by hand by mistake."""
    from tillit.measures.services import value_token

    value = MeasureValue.objects.create(
        measure=s.school_measure, year=2025, period_kind="tertial", period=1, value=Decimal(50)
    )
    response = client.post(
        reverse("measures:value_delete", args=[s.school_measure.pk, value.pk]),
        {"changed_at": value_token(value)},
    )
    return response, s.school_values() == []


# --- importing values from a file ------------------------------------------------------------


@action("measures:import")
def import_page(client, s):
    response = client.get(reverse("measures:import"))
    return response, rendered(response, "measures/import.html") and 'name="file"' in text(response)


@action("measures:import_template_xlsx")
def import_template_xlsx(client, s):
    """The template's list of measures holds the school's measure for those who fill it in."""
    from openpyxl import load_workbook

    measure = s.school_measure
    response = client.get(reverse("measures:import_template_xlsx"))
    if response.status_code != 200 or not response["Content-Type"].startswith("application/"):
        return response, False
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    listed = [r[0] for r in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    return response, measure.pk in listed


@action("measures:import_template_csv")
def import_template_csv(client, s):
    response = client.get(reverse("measures:import_template_csv"))
    return response, response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@action("measures:import")
def import_preview(client, s):
    """The preview of a file with the school's value offers the import, and saves nothing."""
    response = client.post(reverse("measures:import"), {"file": s.upload()})
    assert s.school_values() == []
    offered = rendered(response, "measures/import.html") and (
        response.context["pending"] is not None
    )
    return response, offered


@action("measures:import_confirm", success=302)
def import_confirm(client, s):
    """Upload, then import what the preview offered (or, when nothing was, try anyway)."""
    preview = client.post(reverse("measures:import"), {"file": s.upload()})
    pending = preview.context and preview.context.get("pending")
    token = pending.token if pending else uuid.uuid4().hex
    response = client.post(reverse("measures:import_confirm"), {"token": token})
    return response, s.school_values() == [(Decimal("55.5"),)]


@action("measures:import_batch")
def import_batch(client, s):
    batch = ImportBatch.objects.create(
        organisation=s.organisation,
        source=Source.FILE,
        description="värden-från-skolan.csv",
        created_by=s.personas["enhetschef"],
    )
    response = client.get(reverse("measures:import_batch", args=[batch.pk]))
    return response, rendered(response, "measures/import_batch.html") and (
        batch.description in text(response)
    )


@action("measures:import_job")
def import_job(client, s):
    """A large import's own page: only the person who started it follows it."""
    job = ImportJob.objects.create(
        organisation=s.organisation,
        created_by=s.personas["enhetschef"],
        file_name="många-värden.xlsx",
        file_token=uuid.uuid4().hex,
        rows=12000,
        status=ImportJobStatus.DONE,
        summary="Importerat.",
    )
    response = client.get(reverse("measures:import_job", args=[job.pk]))
    return response, rendered(response, "measures/import_job.html") and (
        job.file_name in text(response)
    )


# --- Kolada ------------------------------------------------------------------------------------


@action("measures:kolada")
def kolada_search(client, s):
    response = client.get(reverse("measures:kolada"), {"q": "invånare"})
    found = rendered(response, "measures/kolada.html") and "N01951" in text(response)
    return response, found and s.kolada.asked == ["search"]


@action("measures:kolada_link", success=302)
def kolada_link(client, s):
    """Link N01951 to the goal: a new measure with its values."""
    response = client.post(
        reverse("measures:kolada_link"), {"kpi": "N01951", "goal": s.area.parent_id, "q": "inv"}
    )
    created = Measure.objects.filter(organisation=s.organisation, kolada_kpi="N01951").exists()
    return response, created or bool(s.kolada.asked)


@action("measures:kolada_refresh", success=302)
def kolada_refresh(client, s):
    measure = s.kolada_measure
    response = client.post(reverse("measures:kolada_refresh", args=[measure.pk]))
    fetched = MeasureValue.objects.filter(measure=measure).exists()
    return response, fetched or bool(s.kolada.asked)


# --- the tests ---------------------------------------------------------------------------------


class OfflineKolada:
    """Stands in for KoladaClient: answers N01951 from memory, remembers what it was asked."""

    KPI = KoladaKpi(id="N01951", title="Invånare totalt, antal")

    def __init__(self) -> None:
        self.asked: list[str] = []

    def search_kpis(self, title: str) -> list[KoladaKpi]:
        self.asked.append("search")
        return [self.KPI]

    def kpis(self, ids: list[str]) -> list[KoladaKpi]:
        self.asked.append("kpis")
        return [self.KPI] if "N01951" in ids else []

    def values(self, kpis, municipalities, years=None) -> list[KoladaValue]:
        self.asked.append("values")
        return [KoladaValue("N01951", m, 2024, "T", Decimal(5689)) for m in municipalities]


@pytest.fixture
def kolada(monkeypatch) -> OfflineKolada:
    offline = OfflineKolada()
    monkeypatch.setattr(KoladaClient, "from_settings", classmethod(lambda cls, **o: offline))
    return offline


@pytest.fixture
def scene(grastorp, personas, area, kolada, settings, tmp_path) -> Scene:
    return Scene(grastorp, personas, area, kolada, settings, tmp_path)


@pytest.mark.parametrize("name, persona", cells(MATRIX, ACTIONS))
def test_matrix(scene, personas, name, persona):
    client = make_browser(personas)(persona)
    check_cell(ACTIONS[name], client, scene, MATRIX[name][persona])


def test_every_view_of_the_measures_is_in_the_matrix():
    from tillit.measures.urls import urlpatterns

    missing = view_names("measures", urlpatterns) - {a.view for a in ACTIONS.values()}
    assert not missing, f"Give these views a row in MATRIX: {sorted(missing)}"


# --- the rules themselves: user.has_perm(rule, obj) ---------------------------------------------

# The object each rule is asked about: a measure of Tengbergsskolan F–6 (f6), of
# Tengbergsskolan 7–9 (ak9), of Hemtjänsten (hemtjanst), of HR-enheten (absence, in the
# adopted plans), or Grästorp itself.
RULE_ASKED: dict[str, tuple[str, str]] = {
    "read_measure": ("measures.read_measure", "absence"),
    "edit_measure": ("measures.edit_measure", "grastorp"),
    "enter_values_f6": ("measures.enter_values", "f6"),
    "enter_values_ak9": ("measures.enter_values", "ak9"),
    "enter_values_hemtjanst": ("measures.enter_values", "hemtjanst"),
    "import_values": ("measures.import_values", "grastorp"),
}
# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                            anon förtr strat vchef echef medl outs admin annan
    "read_measure":           row("✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "edit_measure":           row("✗", "✗", "✓", "✗", "✗", "✗", "✗", "✓", "✗"),
    "enter_values_f6":        row("✗", "✗", "✓", "✓", "✓", "✓", "✗", "✓", "✗"),
    "enter_values_ak9":       row("✗", "✗", "✓", "✓", "✗", "✗", "✗", "✓", "✗"),
    "enter_values_hemtjanst": row("✗", "✗", "✓", "✗", "✗", "✗", "✓", "✓", "✗"),
    "import_values":          row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
}
# fmt: on


def rule_object(key: str, grastorp: Organisation, area):
    if key == "grastorp":
        return grastorp
    if key == "f6":
        return Measure(organisation=grastorp, node=area, responsible_unit=area.owner_unit)
    title = {
        "absence": "Sjukfrånvaro bland medarbetare",
        "ak9": "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram",
        "hemtjanst": "Andel brukare som är nöjda med hemtjänsten",
    }[key]
    return Measure.objects.select_related("responsible_unit", "node__document").get(
        organisation=grastorp, title=title
    )


@pytest.mark.parametrize(
    "name, persona", [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(grastorp, personas, area, name, persona):
    rule, key = RULE_ASKED[name]
    user = make_user(personas, persona)
    granted = user.has_perm(rule, rule_object(key, grastorp, area))
    assert (YES if granted else NO) == RULES[name][persona]
