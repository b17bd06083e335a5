"""The Grästorp preset: idempotent loading, the shape of the plan, and every
text checked against the seed documents it was copied from.

The test database may already hold the preset and the demo built on it
(tillit/conftest.py loads both once per session), so these tests look only at
what the preset states and never assume an empty database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from tillit.core.concurrency import EditConflict
from tillit.core.models import Body, Decision, Organisation
from tillit.planning import presets, services
from tillit.planning.models import (
    Commitment,
    Level,
    PlanNode,
    Principle,
    SteeringDocument,
)
from tillit.planning.presets import PresetResult, available_presets, load_preset, read_preset

pytestmark = pytest.mark.django_db

SDGS = {
    "Samhällsutveckling": [6, 7, 9, 11, 12, 13, 14, 15, 17],
    "Välfärdsutveckling": [1, 2, 3, 4, 5, 8, 10, 16, 17],
    "Attraktiv arbetsplats": [3, 4, 5, 8, 10, 17],
}
PLAN_LEVELS = ("vision", "mission", "perspective", "focus_area", "goal")
# 1 organisation, 8 levels, 3 bodies, 1 decision, 1 document,
# 21 plan elements, 4 sections, 5 principles, 23 commitments.
PRESET_ROWS = 67
INRIKTNING = "inriktningsdokument-2024-2027.txt"
PRINCIPER = "grastorp-5-0-principerna.txt"
RIKTLINJER = "riktlinjer-styr-och-ledningsmodell.txt"


def norm(text: str) -> str:
    """Collapse every run of whitespace (line breaks and no-break spaces too) to one space."""
    return " ".join(text.split())


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def history_counts() -> dict[str, int]:
    counts = {label: count for label, count in row_counts().items() if ".Historical" in label}
    assert "planning.HistoricalPlanNode" in counts
    assert "planning.HistoricalPlanNode_sdgs" in counts
    return counts


def document() -> SteeringDocument:
    return SteeringDocument.objects.get(organisation__slug="grastorp", start_year=2024)


def plan_nodes(*level_keys: str):
    return PlanNode.objects.filter(
        document=document(), level__key__in=level_keys or PLAN_LEVELS
    ).select_related("level", "parent", "parent__parent")


def goals() -> list[PlanNode]:
    return sorted(
        plan_nodes("goal"),
        key=lambda goal: (goal.parent.parent.number, goal.parent.number, goal.number),
    )


def goal_1_1_1() -> PlanNode:
    return plan_nodes("goal").get(number=1, parent__number=1, parent__parent__number=1)


def a_later_decision() -> Decision:
    organisation = Organisation.objects.get(slug="grastorp")
    return Decision.objects.create(
        organisation=organisation,
        body=Body.objects.get(organisation=organisation, abbreviation="KF"),
        date=date(2025, 3, 24),
        paragraph="17",
        title="Ny lydelse av visionen",
    )


def preset_nodes(tables: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every node table in the parsed preset, parents before their children."""
    for table in tables:
        yield table
        yield from preset_nodes(table.get("children", []))


def preset_node(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The node table with ``key`` in the parsed preset ``data``."""
    return next(table for table in preset_nodes(data["nodes"]) if table.get("key") == key)


def preset_vision_title() -> str:
    return read_preset("grastorp")["nodes"][0]["title"]


@pytest.fixture
def preset() -> PresetResult:
    return load_preset("grastorp")


@pytest.fixture
def seeds() -> dict[str, str]:
    folder = Path(settings.TILLIT_SEEDS_DIR)
    if not folder.is_dir():
        pytest.skip(f"The seed documents are not here: {folder} (set TILLIT_SEEDS_DIR).")
    return {
        name: (folder / name).read_text(encoding="utf-8")
        for name in (INRIKTNING, PRINCIPER, RIKTLINJER)
    }


# --- loading ---------------------------------------------------------------


def test_loading_twice_changes_nothing_the_second_time():
    first = load_preset("grastorp")
    rows = row_counts()
    history = history_counts()

    second = load_preset(name="grastorp")

    assert first.total == second.total == PRESET_ROWS
    assert (second.created, second.updated, second.unchanged) == (0, 0, PRESET_ROWS)
    assert not second.changed_anything
    assert row_counts() == rows
    assert history_counts() == history


def test_a_change_made_in_tillit_is_kept_by_a_plain_run(preset):
    goal = goal_1_1_1()
    PlanNode.objects.filter(pk=goal.pk).update(title="Ändrat genom beslut i Tillit")
    history = history_counts()

    result = load_preset("grastorp")

    goal.refresh_from_db()
    assert goal.title == "Ändrat genom beslut i Tillit"
    assert (result.created, result.updated, result.kept) == (0, 0, 1)
    assert "1 behållna" in result.summary()
    assert history_counts() == history


def test_overwrite_puts_a_changed_row_back_with_its_history(preset):
    goal = goal_1_1_1()
    # update() bypasses save(), so this leaves no history, as if the text had drifted.
    PlanNode.objects.filter(pk=goal.pk).update(title="Ett annat mål")
    goal.sdgs.remove(6)
    history = history_counts()

    result = load_preset("grastorp", overwrite=True)

    goal.refresh_from_db()
    assert goal.title == "Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare"
    assert list(goal.sdgs.values_list("number", flat=True)) == SDGS["Samhällsutveckling"]
    assert (result.created, result.updated) == (0, 1)
    assert result.by_model["planning.PlanNode"]["updated"] == 1
    after = history_counts()
    # One change, one record: the title and the Agenda 2030 goals together.
    assert after["planning.HistoricalPlanNode"] == history["planning.HistoricalPlanNode"] + 1
    assert {label for label in after if after[label] != history[label]} == {
        "planning.HistoricalPlanNode",
        "planning.HistoricalPlanNode_sdgs",
    }
    record = goal.history.first()
    assert record.history_change_reason == "Förinställning grastorp"
    assert record.title == goal.title
    assert sorted(
        record.sdgs.values_list("sustainabledevelopmentgoal__number", flat=True)
    ) == sorted(SDGS["Samhällsutveckling"])


def test_every_plan_element_has_a_stable_key(preset):
    keys = {node.key: node for node in plan_nodes()}
    assert len(keys) == 21 and "" not in keys
    assert keys["vision"].level.key == "vision"
    assert keys["mission"].title == "Vår mission"
    assert keys["valfardsutveckling"].title == "Välfärdsutveckling"
    assert keys["verka-och-vistas"].parent == keys["samhallsutveckling"]
    assert keys["nya-arbetssatt"].parent == keys["kompetensutveckling"]
    assert keys["nya-arbetssatt"].parent.parent == keys["attraktiv-arbetsplats"]
    assert goal_1_1_1().key == "fler-kommuninvanare"
    # As the preset states them, one by one.
    stated = [table["key"] for table in preset_nodes(read_preset("grastorp")["nodes"])]
    assert sorted(keys) == sorted(stated)


def test_a_vision_renamed_by_decision_is_kept_and_not_loaded_again(preset, personas):
    vision = plan_nodes("vision").get()
    decision = a_later_decision()
    services.node_update(
        node=vision,
        changed_by=personas["strateg"],
        expected_version=vision.version,
        decision=decision,
        title="Vi välkomnar alla.",
    )
    rows = row_counts()

    result = load_preset("grastorp")

    assert plan_nodes("vision").get().pk == vision.pk  # still one vision
    vision.refresh_from_db()
    assert (vision.title, vision.decision) == ("Vi välkomnar alla.", decision)
    assert (result.created, result.updated, result.kept) == (0, 0, 1)
    assert row_counts() == rows

    result = load_preset("grastorp", overwrite=True)

    assert plan_nodes("vision").get().pk == vision.pk
    vision.refresh_from_db()
    assert vision.title == preset_vision_title()
    assert vision.decision == document().decision
    assert (result.created, result.updated) == (0, 1)


def test_a_renumbered_goal_is_kept_and_not_loaded_again(preset):
    goal = plan_nodes("goal").get(number=3, parent__number=1, parent__parent__number=1)
    PlanNode.objects.filter(pk=goal.pk).update(number=4)
    rows = row_counts()

    result = load_preset("grastorp")

    assert row_counts() == rows
    assert not plan_nodes("goal").filter(parent=goal.parent, number=3).exists()
    goal.refresh_from_db()
    assert goal.number == 4
    assert (result.created, result.updated, result.kept) == (0, 0, 1)

    result = load_preset("grastorp", overwrite=True)

    goal.refresh_from_db()
    assert goal.number == 3
    assert plan_nodes("goal").filter(parent=goal.parent).count() == 3
    assert (result.created, result.updated) == (0, 1)


def test_a_goal_renumbered_in_the_preset_is_the_same_goal(preset, monkeypatch):
    goal = plan_nodes("goal").get(key="hallbarhetsarbete")
    assert goal.number == 3
    data = read_preset("grastorp")
    preset_node(data, "hallbarhetsarbete")["number"] = 4  # renumbered by a decision
    monkeypatch.setattr(presets, "read_preset", lambda name: data)
    rows = row_counts()

    result = load_preset("grastorp")

    assert row_counts() == rows
    goal.refresh_from_db()
    assert goal.number == 3
    assert (result.created, result.updated, result.kept) == (0, 0, 1)

    result = load_preset("grastorp", overwrite=True)

    assert (result.created, result.updated) == (0, 1)
    goal.refresh_from_db()
    assert goal.number == 4
    assert goal.key == "hallbarhetsarbete"
    siblings = plan_nodes("goal").filter(parent=goal.parent)
    assert sorted(siblings.values_list("number", flat=True)) == [1, 2, 4]
    assert plan_nodes("goal").filter(key="hallbarhetsarbete").get().pk == goal.pk


def test_overwrite_bumps_the_version_so_an_open_form_sees_the_conflict(preset, personas):
    goal = goal_1_1_1()
    opened_with = goal.version  # a form rendered now carries this version
    PlanNode.objects.filter(pk=goal.pk).update(title="Ett annat mål")

    load_preset("grastorp")  # keeps the change: nothing to bump
    goal.refresh_from_db()
    assert goal.version == opened_with

    load_preset("grastorp", overwrite=True)

    goal.refresh_from_db()
    assert goal.version == opened_with + 1
    with pytest.raises(EditConflict):
        services.node_update(
            node=goal,
            changed_by=personas["strateg"],
            expected_version=opened_with,
            decision=document().decision,
            description="Sparat i ett formulär som öppnades före återställningen.",
        )


def test_overwrite_bumps_the_version_for_changed_agenda_2030_goals_too(preset):
    goal = goal_1_1_1()
    opened_with = goal.version
    goal.sdgs.remove(6)
    records = goal.history.count()

    load_preset("grastorp", overwrite=True)

    goal.refresh_from_db()
    assert goal.version == opened_with + 1
    assert 6 in goal.sdgs.values_list("number", flat=True)
    assert goal.history.count() == records + 1
    assert 6 in goal.history.first().sdgs.values_list(
        "sustainabledevelopmentgoal__number", flat=True
    )


def test_an_unchanged_run_leaves_every_version_as_it_was(preset):
    versions = dict(plan_nodes().values_list("pk", "version"))
    load_preset("grastorp", overwrite=True)
    assert dict(plan_nodes().values_list("pk", "version")) == versions


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("mission", "nivån ”mission” (”Vår mission”)"),
        ("fler-kommuninvanare", "nivån ”goal” (nummer 1, ”Vi skapar förutsättningar för"),
    ],
)
def test_every_node_needs_a_key(monkeypatch, key, named):
    data = read_preset("grastorp")
    del preset_node(data, key)["key"]
    monkeypatch.setattr(presets, "read_preset", lambda name: data)
    rows = row_counts()
    with pytest.raises(ValueError, match=re.escape(f"saknar ”key” i en nod på {named}")):
        load_preset("grastorp")
    assert row_counts() == rows


def test_a_key_must_be_a_slug(monkeypatch):
    data = read_preset("grastorp")
    preset_node(data, "fler-kommuninvanare")["key"] = "mål.1.1.1"
    monkeypatch.setattr(presets, "read_preset", lambda name: data)
    with pytest.raises(ValueError, match="Nyckeln ”mål.1.1.1” i förinställningen duger inte"):
        load_preset("grastorp")


def test_two_nodes_cannot_share_a_key(monkeypatch):
    data = read_preset("grastorp")
    preset_node(data, "valkomnande-miljoer")["key"] = "fler-kommuninvanare"
    monkeypatch.setattr(presets, "read_preset", lambda name: data)
    rows = row_counts()
    with pytest.raises(ValueError, match="nyckeln ”fler-kommuninvanare” för två noder"):
        load_preset("grastorp")
    assert row_counts() == rows


def test_history_records_carry_the_preset_as_reason(preset):
    reasons = set(
        Level.history.filter(organisation__slug="grastorp").values_list(
            "history_change_reason", flat=True
        )
    )
    reasons |= set(
        PlanNode.history.filter(level__key__in=PLAN_LEVELS).values_list(
            "history_change_reason", flat=True
        )
    )
    reasons |= set(Commitment.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Förinställning grastorp"}


def test_an_unknown_preset_is_refused_in_swedish():
    rows = row_counts()
    assert available_presets() == ["grastorp"]
    with pytest.raises(ValueError, match="Det finns ingen förinställning som heter ”malmo”"):
        load_preset("malmo")
    with pytest.raises(ValueError, match="Tillgängliga förinställningar: grastorp."):
        load_preset("../presets/grastorp")
    assert row_counts() == rows


def test_the_command_prints_one_swedish_line(preset):
    out = StringIO()
    call_command("load_preset", "grastorp", stdout=out)
    assert out.getvalue() == (
        f"Grästorps kommun: 0 skapade, 0 ändrade, {PRESET_ROWS} oförändrade.\n"
    )


def test_the_command_fails_for_an_unknown_name():
    with pytest.raises(CommandError, match="Tillgängliga förinställningar: grastorp"):
        call_command("load_preset", "stockholm")


# --- what it loads ---------------------------------------------------------


def test_organisation_bodies_and_decision(preset):
    organisation = Organisation.objects.get(slug="grastorp")
    assert preset.organisation == organisation
    assert (organisation.name, organisation.municipality_code, organisation.website) == (
        "Grästorps kommun",
        "1444",
        "https://www.grastorp.se",
    )
    bodies = {
        body.abbreviation: (body.name, body.kind, body.parent_id)
        for body in organisation.bodies.filter(abbreviation__in=["KF", "KS", "KLG"])
    }
    assert bodies == {
        "KF": ("Kommunfullmäktige", "council", None),
        "KS": ("Kommunstyrelsen", "board", None),
        "KLG": ("Kommunledningsgruppen", "management_group", None),
    }
    assert Body.objects.get(organisation=organisation, abbreviation="KF").description.startswith(
        "Kommunfullmäktige beslutar om kommunens utvecklingsriktning, prioriterade mål och "
    )
    decision = Decision.objects.get(
        organisation=organisation, body__abbreviation="KF", date="2023-11-27", paragraph="93"
    )
    assert decision.reference == "KF 2023-11-27 § 93"
    assert decision.title == "Riktlinjer för Grästorps styr- och ledningsmodell"
    steering = document()
    assert (steering.title, steering.period_label, steering.status) == (
        "Inriktningsdokument 2024–2027",
        "2024–2027",
        "adopted",
    )
    assert steering.decision == decision
    assert len(steering.introduction.split("\n\n")) == 2


def test_levels(preset):
    levels = [
        (
            level.key,
            level.name,
            level.name_plural,
            level.parent.key if level.parent else None,
            level.owner,
            level.lifetime,
            level.numbered,
            level.in_tree,
        )
        for level in Level.objects.filter(organisation__slug="grastorp").order_by("order")
    ]
    assert levels == [
        ("vision", "Vision", "Visioner", None, "political", "standing", False, True),
        ("mission", "Mission", "Missioner", None, "political", "standing", False, True),
        ("perspective", "Perspektiv", "Perspektiv", None, "political", "mandate", True, True),
        (
            "focus_area",
            "Fokusområde",
            "Fokusområden",
            "perspective",
            "political",
            "mandate",
            True,
            True,
        ),
        ("goal", "Mål", "Mål", "focus_area", "political", "mandate", True, True),
        ("area", "Område", "Områden", "goal", "operations", "year", False, True),
        (
            "measure",
            "Verksamhetsmått",
            "Verksamhetsmått",
            "area",
            "political",
            "year",
            False,
            False,
        ),
        ("activity", "Aktivitet", "Aktiviteter", "goal", "operations", "year", False, False),
    ]


def test_the_plan_tree(preset):
    steering = document()
    nodes = list(plan_nodes())
    assert len(nodes) == 2 + 3 + 6 + 10
    assert {node.organisation_id for node in nodes} == {steering.organisation_id}
    assert {node.decision_id for node in nodes} == {steering.decision_id}

    vision = plan_nodes("vision").get()
    assert vision.title == "Vi välkomnar framtiden, vi välkomnar förändring och vi välkomnar dig."
    assert list(vision.sections.values_list("heading", flat=True)) == [
        "Visionens innebörd",
        "Vi välkomnar framtiden",
        "Vi välkomnar förändring",
        "Vi välkomnar dig",
    ]
    mission = plan_nodes("mission").get()
    assert mission.title == "Vår mission"
    assert mission.description.startswith("Vi skapar en stark känsla av tillhörighet")

    perspectives = plan_nodes("perspective").order_by("number")
    assert [(p.number, p.title, p.parent_id) for p in perspectives] == [
        (1, "Samhällsutveckling", None),
        (2, "Välfärdsutveckling", None),
        (3, "Attraktiv arbetsplats", None),
    ]
    for perspective in perspectives:
        assert list(perspective.sdgs.values_list("number", flat=True)) == SDGS[perspective.title]
        assert perspective.description.startswith("Perspektivet ")
        assert perspective.strategy.count("\n\n") >= 2

    focus_areas = plan_nodes("focus_area").order_by("parent__number", "number")
    assert [(f.parent.number, f.number, f.title) for f in focus_areas] == [
        (1, 1, "Bo och leva"),
        (1, 2, "Verka och vistas"),
        (2, 1, "Värdeskapande och välkomnande"),
        (2, 2, "Effektivitet och samverkan"),
        (3, 1, "Kompetensutveckling"),
        (3, 2, "Kompetensförsörjning"),
    ]
    assert [(g.parent.parent.number, g.parent.number, g.number) for g in goals()] == [
        (1, 1, 1),
        (1, 1, 2),
        (1, 1, 3),
        (1, 2, 1),
        (2, 1, 1),
        (2, 1, 2),
        (2, 1, 3),
        (2, 2, 1),
        (3, 1, 1),
        (3, 2, 1),
    ]
    for goal in goals():
        perspective = goal.parent.parent
        assert list(goal.sdgs.values_list("number", flat=True)) == SDGS[perspective.title]
    assert str(goals()[-1]) == "Mål 1: Vi har ett gott värdskap och medledarskap."


def test_principles(preset):
    principles = Principle.objects.filter(organisation__slug="grastorp").order_by("order")
    assert [(p.key, p.name, p.title, p.commitments.count()) for p in principles] == [
        ("vardskap", "Värdskap", "Vi tänker värdskap i allt vi gör", 4),
        ("helhet", "Helhet", "Vi tänker helhet i allt vi gör", 4),
        ("digitalisering", "Digitalisering", "Vi tänker digitalisering i allt vi gör", 5),
        ("medledarskap", "Medledarskap", "Vi tänker medledarskap i allt vi gör", 4),
        ("innovation", "Innovation", "Vi tänker innovation i allt vi gör", 6),
    ]
    for principle in principles:
        assert principle.commitments_intro == (
            f"När vi tänker {principle.name.lower()} innebär det att:"
        )
    innovation = Commitment.objects.get(
        principle__organisation__slug="grastorp", principle__key="innovation", order=3
    )
    assert innovation.text == (
        "Vi har strukturer och arbetssätt för att ta tillvara på idéer på förbättringar/innovation"
    )


# --- against the seeds -----------------------------------------------------


def parse_seed_goals(text: str) -> list[tuple[int, str, int, str, int, str]]:
    """(perspective number, perspective, focus area number, focus area, goal number, goal)."""
    perspective: tuple[int, str] | None = None
    focus_area: tuple[int, str] | None = None
    found = []
    for line in text.splitlines():
        if match := re.match(r"^Perspektiv (\d+): (.+?)\s*$", line):
            perspective, focus_area = (int(match[1]), match[2]), None
        elif match := re.match(r"^Fokusområde (\d+): (.+?)\s*$", line):
            focus_area = (int(match[1]), match[2])
        elif match := re.match(r"^\s*•\s*Mål (\d+): (.+?)\s*$", line):
            assert perspective is not None and focus_area is not None, line
            found.append((*perspective, *focus_area, int(match[1]), match[2]))
    return found


def parse_seed_sdgs(text: str) -> dict[str, list[int]]:
    perspective = None
    found: dict[str, list[int]] = {}
    for line in text.splitlines():
        if match := re.match(r"^Perspektiv \d+: (.+?)\s*$", line):
            perspective = match[1]
        elif perspective and (match := re.search(r"globala målen för .+:\s*([\d, ]+)$", line)):
            found[perspective] = [int(n) for n in match[1].split(",")]
    return found


def parse_seed_commitments(text: str) -> dict[str, list[str]]:
    """The bullets under each "När vi tänker X innebär det att:"; wrapped lines joined."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if match := re.match(r"^När vi tänker (\w+) innebär det att:\s*$", line):
            current = found.setdefault(match[1], [])
        elif current is None or not line.strip():
            continue
        elif match := re.match(r"^\s*•\s*(.+?)\s*$", line):
            current.append(match[1])
        elif line[0].isspace() and current:
            current[-1] = f"{current[-1]} {line.strip()}"
        else:
            current = None
    return found


def test_the_goals_are_the_seeds_goals(preset, seeds):
    expected = parse_seed_goals(seeds[INRIKTNING])
    assert len(expected) == 10
    loaded = [
        (
            goal.parent.parent.number,
            goal.parent.parent.title,
            goal.parent.number,
            goal.parent.title,
            goal.number,
            goal.title,
        )
        for goal in goals()
    ]
    # The preset capitalises the focus areas; the seed writes two in lower case.
    assert [(*g[:3], g[3].casefold(), *g[4:]) for g in loaded] == [
        (*g[:3], g[3].casefold(), *g[4:]) for g in expected
    ]
    assert parse_seed_sdgs(seeds[INRIKTNING]) == SDGS


def test_the_commitments_are_the_seeds_commitments(preset, seeds):
    expected = parse_seed_commitments(seeds[PRINCIPER])
    loaded = {
        p.name.lower(): list(p.commitments.order_by("order").values_list("text", flat=True))
        for p in Principle.objects.filter(organisation__slug="grastorp").order_by("order")
    }
    assert list(loaded.items()) == list(expected.items())


# Which seed each part of the preset is copied from. Levels are the model's own
# vocabulary, not seed text; the rest are identifiers, codes and choices.
SEED_OF_PART = {
    "organisation": RIKTLINJER,
    "bodies": RIKTLINJER,
    "decisions": RIKTLINJER,
    "document": INRIKTNING,
    "nodes": INRIKTNING,
    "principles": PRINCIPER,
}
NOT_TEXT = {
    "slug",
    "municipality_code",
    "website",
    "contact_email",
    "data_licence",
    "key",
    "level",
    "kind",
    "abbreviation",
}
NOT_TEXT |= {"status", "paragraph"}


def preset_texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every string the preset states, e.g. ("nodes.2.strategy", "…")."""
    if isinstance(value, dict):
        for key, item in value.items():
            # A decision's "body" names the body that took it; a section's is its text.
            if key not in NOT_TEXT and not (key == "body" and "paragraph" in value):
                yield from preset_texts(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from preset_texts(item, f"{path}.{index}")
    elif isinstance(value, str):
        yield path, value


def test_every_text_occurs_in_the_seeds(seeds):
    data = read_preset("grastorp")
    normalised = {name: norm(text) for name, text in seeds.items()}
    focus_area_titles = {
        norm(child["title"]) for node in data["nodes"] for child in node.get("children", [])
    }
    assert len(focus_area_titles) == 6
    checked: list[str] = []
    missing: list[tuple[str, str]] = []
    for part, seed in SEED_OF_PART.items():
        for path, text in preset_texts(data[part], part):
            wanted, haystack = norm(text), normalised[seed]
            if path == "document.title":
                wanted = wanted.replace("–", "-")  # the seed heading has a hyphen
            if wanted in focus_area_titles or path.endswith(".name"):
                wanted, haystack = wanted.casefold(), haystack.casefold()
            checked.append(path)
            if wanted not in haystack:
                missing.append((path, text))
    for decision in data["decisions"]:
        body = next(b for b in data["bodies"] if b["abbreviation"] == decision["body"])
        reference = f"{body['name']} {decision['date']:%Y-%m-%d} § {decision['paragraph']}"
        if reference not in normalised[RIKTLINJER]:
            missing.append(("decisions", reference))

    assert missing == []
    # Everything the brief names was among them.
    assert "nodes.0.title" in checked and "nodes.1.description" in checked
    assert sum(path.endswith(".body") for path in checked) == 4
    assert sum(path.endswith(".strategy") for path in checked) == 3
    assert sum(".children." in path and path.endswith(".title") for path in checked) == 16
    assert sum(".commitments." in path for path in checked) == 23
    assert sum(path.startswith("principles.") for path in checked) == 5 * 4 + 23


def test_the_long_texts_are_whole(seeds):
    """Each long text runs from its heading in the seed up to what follows it
    there, so no paragraph is left out at either end."""
    data = read_preset("grastorp")
    inriktning = norm(seeds[INRIKTNING])
    principer = norm(seeds[PRINCIPER])
    vision, mission, *perspectives = data["nodes"]
    sections = " ".join(f"• {s['heading']} {s['body']}" for s in vision["sections"])
    runs = [
        (
            f"Inriktningsdokument 2024-2027 {data['document']['introduction']} Vår vision",
            inriktning,
        ),
        (f"Vår vision {vision['title']} {sections} Vår mission", inriktning),
        (f"Vår mission {mission['description']} Perspektiv och fokusområden", inriktning),
    ]
    for perspective in perspectives:
        runs.append(
            (f"Strategier för framtiden {perspective['strategy']} Nedan följer", inriktning)
        )
        runs.append(
            (f"• {perspective['title']} {perspective['description']} Fokusområden:", inriktning)
        )
    for principle in data["principles"]:
        runs.append(
            (
                f"{principle['title']} {principle['description']} {principle['commitments_intro']}",
                principer,
            )
        )
    assert [text for text, seed in runs if norm(text) not in seed] == []
