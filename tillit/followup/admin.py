"""The follow-up in the admin: to look, not to write.

Periods are created and closed, and assessments written, through the pages and the
services, which keep the workflow, the locking and the snapshot. The admin may correct
an open period's name or dates; a closed period and a snapshot are read-only.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, FollowUpPeriod, PeriodSnapshot


@admin.register(FollowUpPeriod)
class FollowUpPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "kind", "start", "end", "deadline", "status", "organisation"]
    list_filter = ["organisation", "year", "kind", "status"]
    readonly_fields = ["status", "closed_at", "closed_by"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_open)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_open)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "period", "unit", "status", "state", "written_by", "approved_by"]
    list_filter = ["period", "state", "status"]
    list_select_related = ["goal__level", "period", "unit", "written_by", "approved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodSnapshot)
class PeriodSnapshotAdmin(admin.ModelAdmin):
    list_display = ["period", "created_at", "checksum"]
    readonly_fields = ["period", "created_at", "data", "checksum"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
