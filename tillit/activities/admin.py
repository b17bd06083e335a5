"""Activities in the Django admin: for a system administrator to correct one.

Activities are "hur", not political content, so the admin edits them like any row; the
pages and their rules are the way for everyone else. A change here bumps the version,
so an edit form open elsewhere sees it as a conflict.
"""

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner_unit", "responsible", "status", "progress", "start", "end"]
    list_filter = ["organisation", "status", "principles", "start"]
    list_select_related = ["owner_unit", "responsible"]
    search_fields = ["title", "description"]
    date_hierarchy = "start"
    filter_horizontal = ["participants", "nodes", "measures", "principles"]
    raw_id_fields = ["owner_unit", "responsible"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            Activity.objects.filter(pk=obj.pk).update(version=F("version") + 1)
