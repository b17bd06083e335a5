from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Commitment, Level, NodeSection, PlanNode, Principle, SteeringDocument


class NodeSectionInline(admin.StackedInline):
    model = NodeSection
    extra = 0


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


@admin.register(PlanNode)
class PlanNodeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "level", "parent", "document", "owner_unit", "year"]
    list_filter = ["document", "level"]
    search_fields = ["title"]
    filter_horizontal = ["sdgs"]
    inlines = [NodeSectionInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # so that a form open elsewhere sees the conflict
        super().save_model(request, obj, form, change)


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "organisation", "order"]
    inlines = [CommitmentInline]
