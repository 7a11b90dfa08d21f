"""Read-only admin: interference records are append-only (interference/models.py); they are written
only through the services, and nobody changes or deletes them, administrators included."""

from __future__ import annotations

from django.contrib import admin

from interference.models import InterferenceAttachment, InterferenceRecord


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = InterferenceAttachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InterferenceRecord)
class InterferenceRecordAdmin(_ReadOnly):
    list_display = ["occurred_on", "person_name", "person_unit", "means", "case", "procuratorate", "recorded_by"]
    list_filter = ["means", "relation"]
    search_fields = ["person_name", "person_unit", "case__number"]
    list_select_related = ["case", "procuratorate", "recorded_by"]
    inlines = [AttachmentInline]
