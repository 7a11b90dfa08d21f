"""Administration of feedback: read-only. Reports are written through the agency portal only, and a
submitted report is never changed or deleted (a correction is a new report)."""

from __future__ import annotations

from django.contrib import admin

from feedback.models import (
    Acknowledgement,
    CompletionDateProposal,
    FeedbackAttachment,
    FeedbackReport,
    ItemAnswer,
    SupplementRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ItemAnswerInline(admin.TabularInline):
    model = ItemAnswer
    extra = 0
    fields = ["item", "status", "measures", "reason", "proposed_completion_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class FeedbackAttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "agency", "kind", "status", "submitted_by", "submitted_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["recommendation", "agency", "submitted_by"]
    search_fields = ["recommendation__document_number", "agency__name", "summary"]
    raw_id_fields = ["recommendation", "agency", "supplement_request", "corrects", "drafted_by", "submitted_by"]
    inlines = [ItemAnswerInline, FeedbackAttachmentInline]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "acknowledged_on", "acknowledged_by", "acknowledged_at"]
    list_select_related = ["recommendation", "acknowledged_by"]
    search_fields = ["recommendation__document_number"]


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "due_on", "requested_by", "requested_at", "answered_at"]
    list_select_related = ["recommendation", "requested_by"]
    search_fields = ["recommendation__document_number", "text"]


@admin.register(CompletionDateProposal)
class CompletionDateProposalAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "item", "proposed_on", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["recommendation", "item", "decided_by"]
    search_fields = ["recommendation__document_number"]
