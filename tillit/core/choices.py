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


class DataLicence(models.TextChoices):
    """Licences a municipality may publish its open data under (values are their URIs,
    as DCAT-AP-SE's dcterms:license wants them)."""

    CC0 = "http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"
    CC_BY = "http://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"
    CC_BY_SA = "http://creativecommons.org/licenses/by-sa/4.0/", "CC BY-SA 4.0"
