from django.contrib import admin

from assistance.models import AssistanceRequest


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "agency", "sent_on", "due_date", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["case", "agency", "requested_by", "answered_by"]
