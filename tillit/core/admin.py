from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import Body, Decision, Membership, Organisation, OrgUnit, UnitRole, User


class UnitRoleInline(admin.TabularInline):
    model = UnitRole
    extra = 0
    autocomplete_fields = ["unit"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Tillit", {"fields": ("organisation", "job_title", "is_plan_administrator")}),
    )
    list_display = ["username", "first_name", "last_name", "organisation", "is_plan_administrator"]
    list_filter = ["organisation", "is_plan_administrator", "is_staff"]
    inlines = [UnitRoleInline, MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "municipality_code"]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "organisation"]
    list_filter = ["organisation", "kind"]
    inlines = [MembershipInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "date", "organisation"]
    list_filter = ["organisation", "body"]
    date_hierarchy = "date"
    search_fields = ["title", "paragraph"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # so that a form open elsewhere sees the conflict
            Decision.objects.filter(pk=obj.pk).update(version=F("version") + 1)
