"""The sections of a report's förvaltningsberättelse that its data fills or an owner writes.

LKBR (lag (2018:597) om kommunal bokföring och redovisning) says what a
förvaltningsberättelse must contain: chapter 11 for the annual report, chapter 13 for the
interim report's simplified one. Each such part is a section here. The data fills what it
can (the five-year overview, the evaluation of the goals, the financial statements, the
balance requirement); what only people know (important events, staff, what is to come)
is written by the section's owner. `missing()` in compose.py lists what is still lacking.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind

BOTH = (ReportKind.INTERIM, ReportKind.ANNUAL)
ANNUAL = (ReportKind.ANNUAL,)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Promise
    guidance: Promise  # what the owner is asked to write
    kinds: tuple[ReportKind, ...]
    text_required: bool  # only people can fill it: the check lists it until it is written
    data: str = ""  # the part of the composed content that fills it, if any
    lkbr: bool = True  # a part the law requires of the förvaltningsberättelse

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "foreword",
        _("Foreword"),
        _("A few words from the chair of the municipal executive board about the year."),
        BOTH,
        text_required=False,
        lkbr=False,
    ),
    SectionSpec(
        "overview",
        _("Overview of the development of the operations"),
        _("How the operations and the economy have developed over the last five years."),
        ANNUAL,
        text_required=False,
        data="five_year",
    ),
    SectionSpec(
        "events",
        _("Events of significant importance"),
        _(
            "What happened during the period or after it that matters for the result or the "
            "financial position."
        ),
        BOTH,
        text_required=True,
    ),
    SectionSpec(
        "governance",
        _("Steering and follow-up of the municipal operations"),
        _("How the steering model was used: goals, follow-up, dialogues and internal control."),
        ANNUAL,
        text_required=False,
        data="governance",
    ),
    SectionSpec(
        "economic_management",
        _("Evaluation of sound financial management"),
        _(
            "The overall evaluation: were the operational and the financial goals for sound "
            "financial management met?"
        ),
        BOTH,
        text_required=True,
        data="goals",
    ),
    SectionSpec(
        "financial_position",
        _("Financial position"),
        _("The result, the balance sheet and the key ratios, and what they mean."),
        BOTH,
        text_required=False,
        data="economy",
    ),
    SectionSpec(
        "balance_requirement",
        _("Balance requirement result"),
        _("The balance requirement result and how any deficit is to be restored."),
        BOTH,
        text_required=False,
        data="balance_requirement",
    ),
    SectionSpec(
        "staff",
        _("Significant staff matters"),
        _("Staff numbers, sick leave, recruitment and the work environment."),
        ANNUAL,
        text_required=True,
    ),
    SectionSpec(
        "expected_development",
        _("Expected development"),
        _("What the coming years are expected to bring for the operations and the economy."),
        BOTH,
        text_required=True,
    ),
)

BY_KEY = {spec.key: spec for spec in SECTIONS}


def sections_for(kind: str) -> list[SectionSpec]:
    return [spec for spec in SECTIONS if spec.applies_to(kind)]
