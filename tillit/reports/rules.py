"""Who may do what with the reports to the council (docs/permissions.md, "Rapporter").

- Everyone working in the municipality reads every report, drafts included, and may
  render it (web, PDF, DOCX, XLSX). The public portal (issue 7) publishes adopted ones.
- The plan administrator and the economist keep the reports: create them, give each
  narrative section its owner, send a report to review and back, and record
  kommunstyrelsen's approval (which freezes it) and kommunfullmäktige's decision.
- A section's owner writes it while the report is a draft; so may the keepers.
"""

from __future__ import annotations

import rules

from tillit.core.rules import is_economist, is_member_of_organisation, is_plan_administrator


@rules.predicate
def report_is_draft(user, obj) -> bool:
    report = getattr(obj, "report", obj)
    return report is not None and report.is_draft


@rules.predicate
def owns_section(user, section) -> bool:
    return (
        section is not None
        and user.is_authenticated
        and getattr(section, "owner_id", None) == user.pk
        and is_member_of_organisation(user, section.report)
    )


@rules.predicate
def keeps_reports(user, obj) -> bool:
    report = getattr(obj, "report", obj)
    return is_plan_administrator(user, report) or is_economist(user, report)


rules.add_perm("reports.view", is_member_of_organisation)
rules.add_perm("reports.manage", keeps_reports)
rules.add_perm("reports.edit_section", report_is_draft & (owns_section | keeps_reports))
