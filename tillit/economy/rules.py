"""Who may do what with the economy (docs/permissions.md, "Ekonomi").

- Everyone working in the municipality reads it: budget, outcome, forecasts, the
  financial goals, the balance requirement review, the finance policy and the monthly
  report. Nobody outside it does: the public portal (issue 7) publishes what is adopted.
- The economist (`User.is_economist`) keeps it: records budgets by decision, the chart
  of accounts and its mapping, imports outcome, sets and assesses the financial goals,
  the balance requirement review and the finance policy's limits and outcomes; she may
  also enter any verksamhet's forecast.
- A person with a role at a verksamhet (or above it) enters that verksamhet's forecast.
- Politicians read; they decide through the decisions the economist records.
"""

from __future__ import annotations

import rules

from tillit.core.choices import UnitKind
from tillit.core.rules import has_unit, is_economist, is_member_of_organisation


@rules.predicate
def is_operation(user, unit) -> bool:
    """The object is a verksamhet: forecasts are made per verksamhet, never per unit."""
    return unit is not None and getattr(unit, "kind", None) == UnitKind.OPERATION


@rules.predicate
def acts_for_unit(user, unit) -> bool:
    """The user has a role at this unit or above it, in its organisation."""
    return is_member_of_organisation(user, unit) and has_unit(user, unit)


can_view = is_member_of_organisation
rules.add_perm("economy.view", can_view)
rules.add_perm("economy.manage", is_economist)
rules.add_perm("economy.forecast", is_operation & (is_economist | acts_for_unit))
