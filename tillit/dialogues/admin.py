"""The dialogues in the admin: remits and meetings may be corrected, records only read.

Records are written and approved through the pages and the services, which keep the
material, the workflow and the locking. A meeting whose record is approved is read-only
here too, and a change to any other meeting bumps its version, so that an edit form open
elsewhere sees it as a conflict.
"""

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import DialogueRecord, DialogueRemit, Meeting
from .selectors import has_approved_record


@admin.register(DialogueRemit)
class DialogueRemitAdmin(SimpleHistoryAdmin):
    list_display = ["body", "node"]
    list_filter = ["body"]
    list_select_related = ["body", "node__level"]
    autocomplete_fields = ["node"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "starts_at", "place", "is_public", "organisation"]
    list_filter = ["organisation", "body", "is_public"]
    list_select_related = ["body", "organisation"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "notes"]
    filter_horizontal = ["goals"]

    def _locked(self, obj) -> bool:
        return obj is not None and has_approved_record(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:  # so that a form open elsewhere sees the conflict
            Meeting.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)


@admin.register(DialogueRecord)
class DialogueRecordAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "state", "written_by", "approved_by", "approved_at"]
    list_filter = ["state", "meeting__body"]
    list_select_related = ["meeting__body", "written_by", "approved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
