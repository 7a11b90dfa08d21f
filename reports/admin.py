from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: for an administrator who looks into a failed job. The file itself is not linked
    here; it is served only to its requester."""

    list_display = ["id", "kind", "title", "requester", "status", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "requester__username"]
    list_select_related = ["requester"]
    readonly_fields = [f.name for f in ReportJob._meta.fields if f.name != "file"]
    exclude = ["file"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
