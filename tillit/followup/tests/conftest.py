"""Fixtures of the follow-up's tests: a period of 2025 in Grästorp and its assessments."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def period(grastorp):
    """ "Delår jan–aug 2025", open: the goal fixture is in the 2025 operational plan."""
    from tillit.followup.choices import FollowUpKind
    from tillit.followup.models import FollowUpPeriod

    return FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Delår jan–aug 2025",
        year=2025,
        kind=FollowUpKind.INTERIM,
        start=date(2025, 1, 1),
        end=date(2025, 8, 31),
        deadline=date(2025, 9, 15),
    )


@pytest.fixture
def school(grastorp):
    """Tengbergsskolan F–6: owns the goal's area "Läsfrämjande i F–6" in 2025."""
    from tillit.core.models import OrgUnit

    return OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")


@pytest.fixture
def make_assessment(personas):
    """An assessment in a given state, written (and submitted, approved) by the personas."""
    from django.utils import timezone

    from tillit.followup.choices import AssessmentState
    from tillit.followup.models import Assessment

    def make(period, goal, unit=None, *, state=AssessmentState.DRAFT, status="partly", **extra):
        now = timezone.now()
        values = {
            "period": period,
            "goal": goal,
            "unit": unit,
            "state": state,
            "status": status,
            "analysis": extra.pop("analysis", "Fler elever läser varje dag."),
            "next_steps": extra.pop("next_steps", "Fortsätt med läsgrupperna."),
            "written_by": personas["strateg"] if unit is None else personas["enhetschef"],
            "written_at": now,
        }
        if state in (AssessmentState.SUBMITTED, AssessmentState.APPROVED):
            values.update(submitted_by=values["written_by"], submitted_at=now)
        if state == AssessmentState.APPROVED:
            values.update(approved_by=personas["strateg"], approved_at=now)
        values.update(extra)
        assessment = Assessment(**values)
        assessment.full_clean()
        assessment.save()
        return assessment

    return make
