from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commitment,
    Level,
    NodeSection,
    OperationalPlan,
    PlanNode,
    Principle,
    SteeringDocument,
)


class NodeSectionInline(admin.StackedInline):
    model = NodeSection
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_political

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_political

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_political


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Level)
class LevelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "parent", "owner", "lifetime", "organisation", "order"]
    list_filter = ["organisation"]


@admin.register(SteeringDocument)
class SteeringDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "start_year", "end_year", "status", "decision", "organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanNode)
class PlanNodeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "level", "parent", "document", "owner_unit", "year"]
    list_filter = ["document", "level"]
    search_fields = ["title"]
    filter_horizontal = ["sdgs"]
    inlines = [NodeSectionInline]

    # Politically decided content changes only on Tillit's own pages, together with
    # its decision; the admin shows it read-only, adds and deletes no plan elements,
    # and never moves one to another level, place or decision.
    readonly_fields = ["organisation", "document", "level", "parent", "decision", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_political)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # so that a form open elsewhere sees the conflict
            PlanNode.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "organisation", "order"]
    inlines = [CommitmentInline]


@admin.register(OperationalPlan)
class OperationalPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "status", "decision", "organisation"]
    list_filter = ["organisation", "status"]
    # Adopted by decision on Tillit's own pages (Anta), never by editing the status here.
    readonly_fields = ["status", "decision"]

    def has_delete_permission(self, request, obj=None):
        return False
