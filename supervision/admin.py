from django.contrib import admin

from supervision.models import SupervisionAction, SupervisionActionFile


class SupervisionActionFileInline(admin.TabularInline):
    model = SupervisionActionFile
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(SupervisionAction)
class SupervisionActionAdmin(admin.ModelAdmin):
    """Read-only: actions are recorded by the liaison through supervision.services."""

    list_display = ("taken_on", "kind", "recommendation", "commission", "recorded_by")
    list_filter = ("kind",)
    inlines = [SupervisionActionFileInline]
    readonly_fields = ("escalation", "recommendation", "commission", "kind", "taken_on", "note", "recorded_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
