from django.contrib import admin

from meetings.models import Decision, Meeting, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    readonly_fields = ["status", "done_on", "done_note", "done_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "status", "procuratorate", "host"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ParticipantInline, DecisionInline]
    raw_id_fields = ["cases", "recommendations"]
