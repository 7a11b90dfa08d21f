from django.contrib import admin

from typical_cases.models import CongressRequest, TypicalCase


@admin.register(TypicalCase)
class TypicalCaseAdmin(admin.ModelAdmin):
    list_display = ("title", "procuratorate", "domain", "year", "status")
    list_filter = ("status", "year")
    raw_id_fields = ("case", "proposed_by", "written_by", "reviewed_by")


@admin.register(CongressRequest)
class CongressRequestAdmin(admin.ModelAdmin):
    list_display = ("kind", "procuratorate", "requested_on", "due_on", "status")
    list_filter = ("kind", "status")
