from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from .models import TokenEvent

# Django REST Framework's own admin of keys lists every key in plain text and makes keys
# for anyone, past the key page and its history. A person makes, replaces and revokes
# their own key at /api/nyckel/; the admin only reads the history below.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenEvent)
class TokenEventAdmin(admin.ModelAdmin):
    """The history of people's API keys, read only: the page /api/nyckel/ writes it."""

    list_display = ("at", "user", "kind", "by")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
