"""Read-only admin views: lawsuits, hearings and rulings change only through the services."""

from __future__ import annotations

from django.contrib import admin

from litigation.models import Hearing, Lawsuit, Ruling


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    can_delete = False
    fields = ["held_on", "court_room", "is_held", "appearance", "appeared_names", "rescheduled_from", "cancelled_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Lawsuit)
class LawsuitAdmin(_ReadOnly):
    list_display = ["court_case_number", "court", "case", "defendant", "filed_on", "status"]
    list_filter = ["status"]
    search_fields = ["court_case_number", "court", "case__number", "defendant_name"]
    list_select_related = ["case", "defendant_agency"]
    inlines = [HearingInline]


@admin.register(Hearing)
class HearingAdmin(_ReadOnly):
    list_display = ["lawsuit", "held_on", "appearance"]
    list_filter = ["appearance"]
    list_select_related = ["lawsuit"]


@admin.register(Ruling)
class RulingAdmin(_ReadOnly):
    list_display = ["lawsuit", "instance", "kind", "outcome", "served_on", "effective_on"]
    list_filter = ["instance", "kind", "outcome"]
    list_select_related = ["lawsuit"]
