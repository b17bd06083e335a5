"""Presets: a municipality's plan structure, bodies, steering document and
principles, shipped as TOML in ``tillit/presets/<name>.toml``.

``load_preset("grastorp")`` creates what is missing, finding every row again by
its natural key, so it can run any number of times: a run that finds everything
as the preset states it saves nothing and so leaves no new history records.
A row that was changed in Tillit after it was loaded (say, a goal's text by a
later decision) is kept as it is, and counted; ``overwrite=True`` puts the
preset's values back instead (and bumps the row's ``version``, so an edit form
open elsewhere sees the conflict). Fields the preset does not state are left alone.

Plan elements are found again by their ``key`` within the document, never by
their title or number, since both change by decision: a goal renumbered in the
TOML is the same goal with a new number (kept as it is in Tillit, or with
``overwrite`` given the new number), never a second goal. Every element in the
TOML states its key (``key = "fler-kommuninvanare"``), a slug that says what the
element is about; the loader refuses a missing, malformed or repeated key.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.db import models, transaction

from tillit.core.loading import upsert
from tillit.core.models import Body, Decision, Organisation

from .models import (
    Commitment,
    Level,
    NodeSection,
    PlanNode,
    Principle,
    SteeringDocument,
    SustainableDevelopmentGoal,
)

PRESETS_PACKAGE = "tillit.presets"
# A node's key: a slug (the model's SlugField), in lower case.
SLUG = re.compile(r"[-a-z0-9_]+")


@dataclass
class PresetResult:
    """What a run did: how many rows it created, changed and found as they were."""

    name: str
    organisation: Organisation | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    by_model: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.kept

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def count(self, model: type[models.Model], outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_model.setdefault(model._meta.label, Counter())[outcome] += 1

    def summary(self) -> str:
        """One Swedish line: "Grästorps kommun: 67 skapade, 0 ändrade, 0 oförändrade." """
        who = self.organisation.name if self.organisation else self.name
        line = (
            f"{who}: {self.created} skapade, {self.updated} ändrade, {self.unchanged} oförändrade"
        )
        if self.kept:
            line += (
                f", {self.kept} behållna som de ändrats i Tillit"
                " (--overwrite återställer förinställningen)"
            )
        return line + "."


def available_presets() -> list[str]:
    """The names of the shipped presets, e.g. ``["grastorp"]``."""
    folder = resources.files(PRESETS_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".toml")
    )


def read_preset(name: str) -> dict[str, Any]:
    """The parsed TOML of a shipped preset; a ValueError in Swedish if there is none."""
    available = available_presets()
    if name not in available:
        listed = ", ".join(available) if available else "(inga)"
        raise ValueError(
            f"Det finns ingen förinställning som heter ”{name}”. "
            f"Tillgängliga förinställningar: {listed}."
        )
    text = resources.files(PRESETS_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"Förinställningen ”{name}” kunde inte läsas: {error}") from error


def load_preset(name: str, *, overwrite: bool = False) -> PresetResult:
    """Create what the preset ``name`` states and is missing, in one transaction.

    With ``overwrite``, rows that differ from the preset are also set back to it.
    """
    data = read_preset(name)
    loader = _Loader(name=name, data=data, overwrite=overwrite)
    with transaction.atomic():
        loader.run()
    return loader.result


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    try:
        return table[key]
    except KeyError:
        raise ValueError(f"Förinställningen saknar ”{key}” i {where}.") from None


def _stated(table: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The fields among ``keys`` that the preset states (the others are left alone)."""
    return {key: table[key] for key in keys if key in table}


class _Loader:
    def __init__(self, *, name: str, data: dict[str, Any], overwrite: bool = False) -> None:
        self.name = name
        self.overwrite = overwrite
        self.data = data
        self.reason = f"Förinställning {name}"
        self.result = PresetResult(name=name)
        self.levels: dict[str, Level] = {}
        self.bodies: dict[str, Body] = {}
        self.decisions: dict[tuple[str, Any, str], Decision] = {}
        self.document_decision: Decision | None = None
        self.node_keys: set[str] = set()
        self.sdgs: dict[int, SustainableDevelopmentGoal] = {
            goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()
        }

    # --- the generic step -------------------------------------------------

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
    ) -> Any:
        """Find the row by ``lookup``; create it, or save it only if a value differs."""
        obj, outcome = upsert(
            model, lookup, values, reason=self.reason, overwrite=self.overwrite, m2m=m2m
        )
        self.result.count(model, outcome)
        return obj

    # --- the preset, part by part ----------------------------------------

    def run(self) -> None:
        self.organisation = self.load_organisation(_require(self.data, "organisation", "filen"))
        self.result.organisation = self.organisation
        for order, table in enumerate(self.data.get("levels", []), start=1):
            self.load_level(table, order)
        for order, table in enumerate(self.data.get("bodies", []), start=1):
            self.load_body(table, order)
        for table in self.data.get("decisions", []):
            self.load_decision(table)
        if "document" in self.data:
            document = self.load_document(self.data["document"])
            for order, table in enumerate(self.data.get("nodes", []), start=1):
                self.load_node(table, document=document, parent=None, order=order)
        for order, table in enumerate(self.data.get("principles", []), start=1):
            self.load_principle(table, order)

    def load_organisation(self, table: dict[str, Any]) -> Organisation:
        slug = _require(table, "slug", "[organisation]")
        return self.upsert(
            Organisation,
            {"slug": slug},
            _stated(table, "name", "municipality_code", "website", "contact_email", "data_licence"),
        )

    def load_level(self, table: dict[str, Any], order: int) -> None:
        key = _require(table, "key", "[[levels]]")
        parent_key = table.get("parent")
        if parent_key is not None and parent_key not in self.levels:
            raise ValueError(
                f"Nivån ”{key}” ligger under ”{parent_key}”, som måste stå före den i listan."
            )
        values = _stated(table, "name", "name_plural", "owner", "lifetime", "numbered", "in_tree")
        values["parent"] = self.levels[parent_key] if parent_key else None
        values["order"] = order
        self.levels[key] = self.upsert(
            Level, {"organisation": self.organisation, "key": key}, values
        )

    def load_body(self, table: dict[str, Any], order: int) -> None:
        abbreviation = _require(table, "abbreviation", "[[bodies]]")
        values = _stated(table, "name", "kind", "description")
        if "parent" in table:
            values["parent"] = self.body(table["parent"])
        values["order"] = order
        self.bodies[abbreviation] = self.upsert(
            Body, {"organisation": self.organisation, "abbreviation": abbreviation}, values
        )

    def body(self, abbreviation: str) -> Body:
        if abbreviation not in self.bodies:
            raise ValueError(f"Förinställningen nämner organet ”{abbreviation}” utan att ange det.")
        return self.bodies[abbreviation]

    def load_decision(self, table: dict[str, Any]) -> None:
        key = self.decision_key(table)
        values = _stated(table, "title", "description", "url")
        values["organisation"] = self.organisation
        self.decisions[key] = self.upsert(
            Decision,
            {"body": self.body(key[0]), "date": key[1], "paragraph": key[2]},
            values,
        )

    @staticmethod
    def decision_key(table: dict[str, Any]) -> tuple[str, Any, str]:
        return (
            _require(table, "body", "beslutet"),
            _require(table, "date", "beslutet"),
            str(_require(table, "paragraph", "beslutet")),
        )

    def decision(self, reference: dict[str, Any]) -> Decision:
        key = self.decision_key(reference)
        if key not in self.decisions:
            raise ValueError(
                f"Förinställningen hänvisar till beslutet {key[0]} {key[1]} § {key[2]} "
                "utan att ange det under [[decisions]]."
            )
        return self.decisions[key]

    def load_document(self, table: dict[str, Any]) -> SteeringDocument:
        start_year = _require(table, "start_year", "[document]")
        values = _stated(table, "title", "end_year", "introduction", "status")
        if "decision" in table:
            values["decision"] = self.decision(table["decision"])
        self.document_decision = values.get("decision")
        return self.upsert(
            SteeringDocument,
            {"organisation": self.organisation, "start_year": start_year},
            values,
        )

    def load_node(
        self,
        table: dict[str, Any],
        *,
        document: SteeringDocument,
        parent: PlanNode | None,
        order: int,
    ) -> None:
        level_key = _require(table, "level", "[[nodes]]")
        if level_key not in self.levels:
            raise ValueError(f"Förinställningen saknar nivån ”{level_key}”.")
        level = self.levels[level_key]
        where = f"en nod på nivån ”{level_key}”"
        values: dict[str, Any] = {"level": level, "parent": parent}
        if level.numbered:
            values["number"] = _require(table, "number", where)
        values["title"] = _require(table, "title", where)
        values.update(_stated(table, "description", "strategy", "year"))
        values["organisation"] = self.organisation
        values["order"] = order
        # The plan elements are adopted with the steering document.
        if self.document_decision is not None:
            values["decision"] = self.document_decision
        key = self.node_key(table, level_key)
        m2m = None
        if "sdgs" in table:
            missing = sorted(set(table["sdgs"]) - set(self.sdgs))
            if missing:
                raise ValueError(
                    f"Agenda 2030 har inga mål med nummer {', '.join(map(str, missing))}."
                )
            m2m = {"sdgs": [self.sdgs[number] for number in table["sdgs"]]}
        node = self.upsert(PlanNode, {"document": document, "key": key}, values, m2m)
        for section_order, section in enumerate(table.get("sections", []), start=1):
            self.upsert(
                NodeSection,
                {"node": node, "order": section_order},
                _stated(section, "heading", "body"),
            )
        for child_order, child in enumerate(table.get("children", []), start=1):
            self.load_node(child, document=document, parent=node, order=child_order)

    def node_key(self, table: dict[str, Any], level_key: str) -> str:
        """The key the preset states for the node: required, a slug, used once."""
        if "key" not in table:
            which = f"nummer {table['number']}, " if "number" in table else ""
            raise ValueError(
                f"Förinställningen saknar ”key” i en nod på nivån ”{level_key}” "
                f"({which}”{table.get('title', '')}”): varje nod behöver en stabil nyckel."
            )
        key = str(table["key"])
        if not SLUG.fullmatch(key):
            raise ValueError(
                f"Nyckeln ”{key}” i förinställningen duger inte: använd bara a–z, 0–9, "
                "bindestreck och understreck."
            )
        if key in self.node_keys:
            raise ValueError(f"Förinställningen använder nyckeln ”{key}” för två noder.")
        self.node_keys.add(key)
        return key

    def load_principle(self, table: dict[str, Any], order: int) -> None:
        key = _require(table, "key", "[[principles]]")
        values = _stated(table, "name", "title", "description", "commitments_intro")
        values["order"] = order
        principle = self.upsert(Principle, {"organisation": self.organisation, "key": key}, values)
        for commitment_order, text in enumerate(table.get("commitments", []), start=1):
            self.upsert(
                Commitment, {"principle": principle, "order": commitment_order}, {"text": text}
            )
