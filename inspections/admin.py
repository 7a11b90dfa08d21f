from django.contrib import admin

from inspections.models import Finding, Inspection


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ["agency", "lead", "recorded_by"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "procuratorate", "starts_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["procuratorate", "organiser", "created_by"]
    filter_horizontal = ["participants"]
    inlines = [FindingInline]
