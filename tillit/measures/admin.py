from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportBatch, Measure, MeasureTarget


class MeasureTargetInline(admin.TabularInline):
    model = MeasureTarget
    extra = 0
    # Targets of an adopted plan change by decision on Tillit's own pages.
    readonly_fields = ["plan", "target", "target_grade", "near_threshold", "decision"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "node", "kind", "source", "kolada_kpi", "responsible_unit"]
    list_filter = ["organisation", "kind", "source"]
    search_fields = ["title", "kolada_kpi"]
    inlines = [MeasureTargetInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # so that a form open elsewhere sees the conflict
            Measure.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_by", "created_at", "created", "updated", "unchanged"]
    list_filter = ["organisation", "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
