"""Importing values: all or nothing, dry runs, re-imports, permissions, and the command."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import base as management_base
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tillit.core.choices import Fulfilment
from tillit.core.models import Organisation, OrgUnit
from tillit.measures.choices import MeasureKind, Source
from tillit.measures.importers import import_file, service
from tillit.measures.management.commands.import_measure_values import Command
from tillit.measures.models import ImportBatch, Measure, MeasureValue


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


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
def gender_measure(grastorp, goal):
    return Measure.objects.create(
        organisation=grastorp,
        node=goal,
        title="Behöriga till gymnasiet",
        unit="%",
        by_gender=True,
        responsible_unit=OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6"),
    )


@pytest.fixture
def qualitative_measure(grastorp, area):
    return Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Skolbiblioteket används i undervisningen",
        kind=MeasureKind.QUALITATIVE,
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


def csv_file(tmp_path, lines: list[str], name: str = "värden.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def run(path, organisation, user=None, dry_run=False):
    return import_file(
        source=path, name=path.name, organisation=organisation, user=user, dry_run=dry_run
    )


def stored(measure) -> dict[tuple, tuple]:
    return {
        (v.year, v.period_kind, v.period, v.gender): (v.value, v.grade, v.comment)
        for v in MeasureValue.objects.filter(measure=measure)
    }


def test_an_import_creates_values_with_their_provenance(
    tmp_path, grastorp, personas, school_measure
):
    m = school_measure.pk
    path = csv_file(
        tmp_path,
        [
            "mått_id;år;period;värde;kommentar",
            f"{m};2025;T1;61,5;Läsveckan gav effekt",
            f"{m};2025;T2;1 064;",
            f"{m};2024;;58;Helår",
        ],
    )
    result = run(path, grastorp, personas["enhetschef"])
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert stored(school_measure) == {
        (2025, "tertial", 1, "T"): (Decimal("61.5"), "", "Läsveckan gav effekt"),
        (2025, "tertial", 2, "T"): (Decimal("1064"), "", ""),
        (2024, "year", 1, "T"): (Decimal("58"), "", "Helår"),
    }
    batch = result.batch
    assert (batch.organisation, batch.source, batch.description) == (
        grastorp,
        Source.FILE,
        "värden.csv",
    )
    assert (batch.created_by, batch.created, batch.updated, batch.unchanged) == (
        personas["enhetschef"],
        3,
        0,
        0,
    )
    for value in MeasureValue.objects.filter(measure=school_measure):
        assert (value.source, value.batch, value.updated_by) == (
            Source.FILE,
            batch,
            personas["enhetschef"],
        )
    assert result.summary() == "Importerat. Nya värden 3, ändrade 0, oförändrade 0."


def test_a_dry_run_shows_the_changes_and_writes_nothing(tmp_path, grastorp, school_measure):
    MeasureValue.objects.create(measure=school_measure, year=2025, value=50)
    path = csv_file(
        tmp_path,
        [
            "mått_id;år;värde",
            f"{school_measure.pk};2025;55,5",
            f"{school_measure.pk};2024;1 234",
        ],
    )
    batches = ImportBatch.objects.count()
    result = run(path, grastorp, dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert [(c.row, c.period_label, c.old_display, c.new_display) for c in result.changes] == [
        (2, "2025", "50", "55,5"),
        (3, "2024", "–", "1\u00a0234"),
    ]
    assert result.batch is None
    assert ImportBatch.objects.count() == batches
    assert stored(school_measure) == {(2025, "year", 1, "T"): (Decimal("50"), "", "")}
    assert result.summary() == (
        "Provkörning, inget sparat. Vid import: nya värden 1, ändrade 1, oförändrade 0."
    )


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path, grastorp, school_measure):
    m = school_measure.pk
    path = csv_file(
        tmp_path,
        ["mått_id;år;period;värde", f"{m};2025;T1;1", f"{m};2025;T2;12,5,3", f"{m};2025;T3;3"],
    )
    batches = ImportBatch.objects.count()
    result = run(path, grastorp)
    assert [str(e) for e in result.errors] == ["Rad 3, kolumn ”värde”: ”12,5,3” är inget tal."]
    assert (result.created, result.updated, result.unchanged, result.changes) == (0, 0, 0, [])
    assert result.batch is None and ImportBatch.objects.count() == batches
    assert not MeasureValue.objects.filter(measure=school_measure).exists()
    assert result.summary() == "Inget importerades: filen har 1 fel."


def test_a_database_error_rolls_back_every_row(tmp_path, grastorp, school_measure, monkeypatch):
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;1"])
    batches = ImportBatch.objects.count()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "_write_values", fail)
    with pytest.raises(RuntimeError):
        run(path, grastorp)
    assert ImportBatch.objects.count() == batches  # the batch went with the values


def test_reimporting_the_same_file_changes_nothing(tmp_path, grastorp, personas, school_measure):
    m = school_measure.pk
    path = csv_file(
        tmp_path,
        ["mått_id;år;period;värde;kommentar", f"{m};2025;T1;61,5;Bra", f"{m};2025;T2;;"],
    )
    first = run(path, grastorp, personas["enhetschef"])
    assert (first.created, first.updated, first.unchanged) == (1, 0, 1)  # T2: nothing to store
    before = {v.pk: (v.updated_at, v.batch_id) for v in MeasureValue.objects.all()}
    batches = ImportBatch.objects.count()

    again = run(path, grastorp, personas["strateg"])
    assert again.ok
    assert (again.created, again.updated, again.unchanged, again.changes) == (0, 0, 2, [])
    assert again.batch is None and ImportBatch.objects.count() == batches
    assert {v.pk: (v.updated_at, v.batch_id) for v in MeasureValue.objects.all()} == before


def test_only_changed_values_are_rewritten(tmp_path, grastorp, personas, school_measure):
    m = school_measure.pk
    lines = ["mått_id;år;period;värde", f"{m};2025;T1;1", f"{m};2025;T2;2"]
    first = run(csv_file(tmp_path, lines), grastorp, personas["enhetschef"])
    lines[2] = f"{m};2025;T2;2,5"
    second = run(csv_file(tmp_path, lines, "rättad.csv"), grastorp, personas["strateg"])
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    t1 = MeasureValue.objects.get(measure=school_measure, period=1)
    t2 = MeasureValue.objects.get(measure=school_measure, period=2)
    assert (t1.batch, t1.updated_by) == (first.batch, personas["enhetschef"])
    assert (t2.batch, t2.updated_by, t2.value) == (
        second.batch,
        personas["strateg"],
        Decimal("2.5"),
    )


def test_an_empty_value_clears_a_stored_one(tmp_path, grastorp, school_measure):
    MeasureValue.objects.create(measure=school_measure, year=2025, value=50, comment="Gammal")
    result = run(csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;"]), grastorp)
    assert result.updated == 1
    # Without a "kommentar" column the stored comment stays.
    assert stored(school_measure) == {(2025, "year", 1, "T"): (None, "", "Gammal")}


def test_a_missing_comment_column_leaves_comments_alone(tmp_path, grastorp, school_measure):
    MeasureValue.objects.create(measure=school_measure, year=2025, value=50, comment="Gammal")
    run(csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;51"]), grastorp)
    assert stored(school_measure) == {(2025, "year", 1, "T"): (Decimal("51"), "", "Gammal")}


def test_assessments_of_a_qualitative_measure(tmp_path, grastorp, qualitative_measure):
    q = qualitative_measure.pk
    result = run(
        csv_file(
            tmp_path,
            ["mått_id;år;period;bedömning;kommentar", f"{q};2025;T1;delvis uppfyllt;På väg"],
        ),
        grastorp,
        dry_run=True,
    )
    assert [(c.old_display, c.new_display) for c in result.changes] == [("–", "Delvis uppfyllt")]
    run(
        csv_file(tmp_path, ["mått_id;år;period;bedömning", f"{q};2025;T1;uppfyllt"]),
        grastorp,
    )
    assert stored(qualitative_measure) == {(2025, "tertial", 1, "T"): (None, Fulfilment.MET, "")}


def test_values_by_gender(tmp_path, grastorp, gender_measure):
    g = gender_measure.pk
    result = run(
        csv_file(
            tmp_path,
            ["mått_id;år;kön;värde", f"{g};2024;T;80", f"{g};2024;K;84", f"{g};2024;m;76"],
        ),
        grastorp,
    )
    assert result.created == 3
    assert {k[3]: v[0] for k, v in stored(gender_measure).items()} == {
        "T": Decimal(80),
        "K": Decimal(84),
        "M": Decimal(76),
    }


def test_rows_are_checked_against_the_measures(
    tmp_path, grastorp, goal, school_measure, qualitative_measure
):
    elsewhere = Organisation.objects.create(slug="annanstans", name="Annanstans kommun")
    foreign = Measure.objects.create(organisation=elsewhere, node=goal, title="Någon annans mått")
    s, q = school_measure.pk, qualitative_measure.pk
    path = csv_file(
        tmp_path,
        [
            "mått_id;år;kön;värde;bedömning",
            f"{s};2025;T;1;",
            "999999;2025;T;1;",
            f"{foreign.pk};2025;T;1;",
            f"{q};2025;T;3;",
            f"{s};2024;T;1;uppfyllt",
            f"{s};2023;K;1;",
        ],
    )
    result = run(path, grastorp)
    assert [str(e) for e in result.errors] == [
        "Rad 3, kolumn ”mått_id”: det finns inget mått med id 999999 i Grästorps kommun.",
        f"Rad 4, kolumn ”mått_id”: det finns inget mått med id {foreign.pk} i Grästorps kommun.",
        "Rad 5, kolumn ”värde”: ”Skolbiblioteket används i undervisningen” är ett kvalitativt "
        "mått: ange bedömningen i kolumnen ”bedömning”, inte ett tal.",
        "Rad 6, kolumn ”bedömning”: ”Elever som läser varje dag” mäts i tal: ange värdet i "
        "kolumnen ”värde”, inte en bedömning.",
        "Rad 7, kolumn ”kön”: ”Elever som läser varje dag” redovisas inte per kön: skriv T "
        "(totalt) eller lämna cellen tom.",
    ]
    assert not MeasureValue.objects.filter(
        measure__in=[school_measure, qualitative_measure]
    ).exists()


def test_file_and_row_errors_are_reported_together(tmp_path, grastorp, school_measure):
    path = csv_file(
        tmp_path, ["mått_id;år;värde", "12345678;2025;1", f"{school_measure.pk};2025;x"]
    )
    result = run(path, grastorp)
    assert [(e.row, e.column) for e in result.errors] == [(2, "mått_id"), (3, "värde")]


def test_a_file_without_rows_is_an_error(tmp_path, grastorp):
    result = run(csv_file(tmp_path, ["mått_id;år;värde"]), grastorp)
    assert [str(e) for e in result.errors] == [
        "Filen har inga värden: det finns inga rader under rubrikraden."
    ]


def test_unit_manager_may_not_import_values_of_another_unit(
    tmp_path, grastorp, personas, school_measure, care_measure
):
    s, c = school_measure.pk, care_measure.pk
    path = csv_file(
        tmp_path,
        [
            "mått_id;år;period;värde",
            f"{s};2025;T1;1",
            f"{c};2025;T1;90",
            f"{c};2025;T2;91",
            f"{s};2025;T2;2",
            f"{c};2025;T3;92",
        ],
    )
    result = run(path, grastorp, personas["enhetschef"])
    assert [str(e) for e in result.errors] == [
        "Rader 3–4, 6: du får inte lägga in värden för ”Brukare nöjda med hemtjänsten”."
    ]
    assert not MeasureValue.objects.filter(measure__in=[school_measure, care_measure]).exists()

    single = csv_file(tmp_path, ["mått_id;år;värde", f"{s};2025;1", f"{c};2025;90"], "en.csv")
    assert [str(e) for e in run(single, grastorp, personas["enhetschef"]).errors] == [
        "Rad 3: du får inte lägga in värden för ”Brukare nöjda med hemtjänsten”."
    ]


def test_the_units_own_people_and_plan_administrators_may_import(
    tmp_path, grastorp, personas, school_measure, care_measure
):
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;1"])
    assert run(path, grastorp, personas["medledare"], dry_run=True).ok
    assert run(path, grastorp, personas["verksamhetschef"], dry_run=True).ok
    assert not run(path, grastorp, personas["outsider"], dry_run=True).ok
    assert not run(path, grastorp, personas["fortroendevald"], dry_run=True).ok
    both = csv_file(
        tmp_path,
        ["mått_id;år;värde", f"{school_measure.pk};2025;1", f"{care_measure.pk};2025;1"],
        "båda.csv",
    )
    assert run(both, grastorp, personas["strateg"]).created == 2


def test_many_rows_take_a_constant_number_of_queries(
    tmp_path, grastorp, school_measure, gender_measure, django_assert_max_num_queries
):
    lines = ["mått_id;år;period;kön;värde"]
    for year in range(2000, 2030):
        for month in range(1, 13):
            lines.append(f"{school_measure.pk};{year};{month};T;{year + month},5")
            for gender in "TKM":
                lines.append(f"{gender_measure.pk};{year};{month};{gender};{month}")
    path = csv_file(tmp_path, lines)
    with django_assert_max_num_queries(40):
        result = run(path, grastorp)
    assert result.created == len(lines) - 1 == 1440
    assert MeasureValue.objects.filter(batch=result.batch).count() == 1440
    with django_assert_max_num_queries(10):
        assert run(path, grastorp).unchanged == 1440


# --- the command -------------------------------------------------------------------------


def test_the_command_imports_a_good_file(tmp_path, grastorp, school_measure):
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;61,5"])
    out = StringIO()
    call_command("import_measure_values", str(path), stdout=out)
    assert "Importerat. Nya värden 1, ändrade 0, oförändrade 0." in out.getvalue()
    assert stored(school_measure) == {(2025, "year", 1, "T"): (Decimal("61.5"), "", "")}


def test_the_command_dry_run_prints_the_changes(tmp_path, grastorp, school_measure):
    MeasureValue.objects.create(measure=school_measure, year=2025, value=50)
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;61,5"])
    out = StringIO()
    call_command("import_measure_values", str(path), "--dry-run", stdout=out)
    assert (
        f"Rad 2: Elever som läser varje dag (id {school_measure.pk}), 2025, totalt: 50 → 61,5"
        in out.getvalue()
    )
    assert "Provkörning, inget sparat." in out.getvalue()
    assert stored(school_measure) == {(2025, "year", 1, "T"): (Decimal("50"), "", "")}


def test_the_command_reports_errors_and_changes_nothing(tmp_path, grastorp, school_measure):
    m = school_measure.pk
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{m};2025;1", f"{m};2024;abc"])
    err = StringIO()
    with pytest.raises(CommandError, match="Inget importerades: filen har 1 fel."):
        call_command("import_measure_values", str(path), stderr=err)
    assert "Rad 3, kolumn ”värde”: ”abc” är inget tal." in err.getvalue()
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_the_command_checks_the_users_permissions(tmp_path, grastorp, personas, care_measure):
    path = csv_file(tmp_path, ["mått_id;år;värde", f"{care_measure.pk};2025;1"])
    with pytest.raises(CommandError):
        call_command("import_measure_values", str(path), "--user", "enhetschef", stderr=StringIO())
    call_command("import_measure_values", str(path), "--user", "outsider", stdout=StringIO())
    assert MeasureValue.objects.get(measure=care_measure).updated_by == personas["outsider"]


def test_the_command_exits_non_zero_on_error_and_zero_on_success(
    tmp_path, grastorp, school_measure, capsys, monkeypatch
):
    # run_from_argv closes the connections when it ends, which would end the test's
    # transaction on PostgreSQL.
    monkeypatch.setattr(management_base, "connections", SimpleNamespace(close_all=lambda: None))
    bad = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;x"], "fel.csv")
    good = csv_file(tmp_path, ["mått_id;år;värde", f"{school_measure.pk};2025;1"], "rätt.csv")
    with pytest.raises(SystemExit) as exit_status:
        Command().run_from_argv(["manage.py", "import_measure_values", str(bad)])
    assert exit_status.value.code != 0
    assert "”x” är inget tal" in capsys.readouterr().err
    assert not MeasureValue.objects.filter(measure=school_measure).exists()
    Command().run_from_argv(["manage.py", "import_measure_values", str(good)])  # no SystemExit
    assert MeasureValue.objects.filter(measure=school_measure).count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["finns-inte.csv"], "Filen ”finns-inte.csv” finns inte."),
        (["{path}", "--organisation", "ingen"], "Det finns ingen organisation med kortnamnet"),
        (["{path}", "--user", "ingen"], "Det finns ingen användare med användarnamnet"),
    ],
)
def test_the_command_refuses_what_it_cannot_find(tmp_path, grastorp, arguments, message):
    path = csv_file(tmp_path, ["mått_id;år;värde"])
    with pytest.raises(CommandError, match=message):
        call_command("import_measure_values", *[a.format(path=path) for a in arguments])
