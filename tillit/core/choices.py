from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """The administration's levels: förvaltning → verksamhet → enhet → arbetslag."""

    ADMINISTRATION = "administration", _("Administration")
    OPERATION = "operation", _("Operation")
    UNIT = "unit", _("Unit")
    TEAM = "team", _("Work team")

    @classmethod
    def allowed_parents(cls) -> dict[str, tuple[str, ...]]:
        return {
            cls.ADMINISTRATION: (),
            cls.OPERATION: (cls.ADMINISTRATION,),
            cls.UNIT: (cls.OPERATION,),
            cls.TEAM: (cls.UNIT, cls.OPERATION),
        }


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Municipal council")
    BOARD = "board", _("Municipal executive board")
    COMMITTEE = "committee", _("Committee")
    MANAGEMENT_GROUP = "management_group", _("Management group")


POLITICAL_BODY_KINDS = (BodyKind.COUNCIL, BodyKind.BOARD, BodyKind.COMMITTEE)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    SECRETARY = "secretary", _("Secretary")


class UnitRoleKind(models.TextChoices):
    """A person's standing at a unit. Both may act on the unit's operations ("hur")."""

    MANAGER = "manager", _("Manager")
    CO_LEADER = "co_leader", _("Co-leader")


class Fulfilment(models.TextChoices):
    """How far a goal (or a qualitative measure) is fulfilled: one scale, used everywhere."""

    MET = "met", _("Fulfilled")
    PARTLY = "partly", _("Partly fulfilled")
    NOT_MET = "not_met", _("Not fulfilled")
    NOT_ASSESSED = "not_assessed", _("Not assessed")

    @property
    def colour(self) -> str:
        return {"met": "green", "partly": "yellow", "not_met": "red", "not_assessed": "grey"}[
            self.value
        ]
