from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarEvent, FeedToken, ReminderSettings, SentReminder


@admin.register(CalendarEvent)
class CalendarEventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "kind", "body", "is_public", "organisation"]
    list_filter = ["organisation", "kind", "is_public", "body"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Addresses can be revoked here (e.g. when someone leaves); they are never shown."""

    list_display = ["user", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description=_("Turn off the selected addresses"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "by_email", "changed_at"]
    list_filter = ["by_email"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "sent_at"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "sent_at"]
