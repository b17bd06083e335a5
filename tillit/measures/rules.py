"""Who may read measures, change them and enter their values.

A measure is proposed by operations and fastställs politiskt with the
operational plan: its definition and targets are the plan administrators'
(targets with a decision). Its values belong to the responsible unit: the
people of that unit (and of the units above it) enter and import them, and so
do plan administrators, who keep the municipality-wide figures.
"""

from __future__ import annotations

import rules

from tillit.core.rules import (
    has_unit,
    is_member_of_organisation,
    is_plan_administrator,
    is_system_administrator,
)
from tillit.planning.rules import can_read


@rules.predicate
def measure_is_readable(user, measure) -> bool:
    return measure is not None and can_read(user, measure.node)


@rules.predicate
def has_measure_unit(user, measure) -> bool:
    return measure is not None and has_unit(user, measure.responsible_unit)


rules.add_perm("measures.read_measure", measure_is_readable)
rules.add_perm("measures.edit_measure", is_plan_administrator)
rules.add_perm(
    "measures.enter_values",
    is_plan_administrator | (is_member_of_organisation & has_measure_unit),
)
rules.add_perm("measures.import_values", is_member_of_organisation | is_system_administrator)
