"""The reports in the admin: mostly to look.

Reports are created, written and moved through their workflow on the pages, by the
services, which keep the sections, the versions and the frozen snapshot. Here a draft's
months and follow-up period may be corrected; a snapshot is never changed, and a
rendering is only looked at (without its file) or removed to free space.
"""

from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import RenderJob, Report, ReportSection, ReportSnapshot


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    fields = ["key", "owner", "text", "updated_by", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organisation", "through_month", "state", "approval"]
    list_filter = ["organisation", "kind", "year", "state"]
    list_select_related = ["organisation", "approval__body"]
    readonly_fields = [
        "organisation",
        "kind",
        "year",
        "state",
        "approval",
        "presentation",
        "created_by",
        "created_at",
    ]
    inlines = [ReportSectionInline]

    def has_add_permission(self, request):
        return False  # on the reports' page, which gives a report its sections

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # so that a page open elsewhere sees the change
            Report.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ["report", "created_at", "checksum", "intact"]
    list_select_related = ["report"]
    readonly_fields = ["report", "created_at", "checksum", "data"]

    @admin.display(boolean=True, description=_("intact"))
    def intact(self, obj: ReportSnapshot) -> bool:
        return obj.is_intact

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ["report", "format", "status", "progress", "size", "created_by", "created_at"]
    list_filter = ["format", "status", "frozen"]
    list_select_related = ["report", "created_by"]
    date_hierarchy = "created_at"
    fields = [
        "report",
        "format",
        "status",
        "progress",
        "step",
        "frozen",
        "size",
        "checksum",
        "error",
        "task_id",
        "created_by",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("output")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
