"""Administration of reference data, and a read-mostly view of the case files.

Domains, number templates (and, in agencies/, regions) are data an administrator edits. The case
files — leads, cases, records, recommendations and their history — change only through the
services, which check the workflow and record who did what; here they can be
looked at but not added or deleted. The one edit offered is reassigning a case's handlers when a
procurator leaves, and it is recorded in the case's history like any other edit.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from cases.models import (
    Attachment,
    Case,
    Consultation,
    DocumentSequence,
    Domain,
    Event,
    Investigation,
    Lead,
    NumberTemplate,
    Recommendation,
    RecommendationItem,
)
from cases.services.history import changes, event_record, message, snapshot


class ViewOnlyAdmin(admin.ModelAdmin):
    """Shown to administrators, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Reference data -------------------------------------------------------------------------------


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_statutory", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_statutory", "is_active"]
    search_fields = ["name", "name_en", "code"]


@admin.register(NumberTemplate)
class NumberTemplateAdmin(admin.ModelAdmin):
    # NumberTemplate.clean() rejects unknown placeholders and a template without {n}; the admin's
    # model form runs it, and the unique constraints, before saving.
    list_display = ["document_type", "procuratorate", "template", "example"]
    list_filter = ["document_type"]
    list_select_related = ["procuratorate"]
    search_fields = ["template", "procuratorate__name"]
    autocomplete_fields = ["procuratorate"]

    @admin.display(description=_("示例"))
    def example(self, obj: NumberTemplate) -> str:
        short = obj.procuratorate.short_name if obj.procuratorate_id else "东检"
        try:
            return obj.template.format(short=short, year=2026, n=1)
        except (KeyError, IndexError, ValueError):
            return "—"


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ViewOnlyAdmin):
    # Numbers are given by locking these rows (cases/services/numbering.py); an edit here could
    # repeat or skip a number, so the sequences are read-only.
    list_display = ["procuratorate", "document_type", "year", "last_number"]
    list_filter = ["document_type", "year"]
    list_select_related = ["procuratorate"]
    search_fields = ["procuratorate__name"]


# Case files -----------------------------------------------------------------------------------


@admin.register(Lead)
class LeadAdmin(ViewOnlyAdmin):
    list_display = ["title", "procuratorate", "source", "domain", "status", "received_on", "registered_by"]
    # A date filter, not date_hierarchy: the hierarchy's year links come from a DISTINCT over every
    # row's date, a full scan at national scale (docs/scaling.md); the filter's links are fixed.
    list_filter = ["status", "source", "domain", ("received_on", admin.DateFieldListFilter)]
    list_select_related = ["procuratorate", "domain", "registered_by"]
    search_fields = ["title", "procuratorate__name"]
    show_full_result_count = False


class CaseAdminForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["handler", "co_handlers"]

    def clean(self) -> dict:
        cleaned = super().clean()
        case = self.instance
        people = [cleaned.get("handler"), *(cleaned.get("co_handlers") or [])]
        for person in filter(None, people):
            # The same rule as lead_open_case/case_update: only active procurators of the case's
            # procuratorate handle it.
            if (
                person.organisation_id != case.procuratorate_id
                or person.role != Role.PROCURATOR
                or not person.is_active
            ):
                raise forms.ValidationError(gettext("承办人和协办人必须是本院检察官。"))
        return cleaned


class InvestigationInline(ViewOnlyInline):
    model = Investigation
    fields = ["kind", "conducted_on", "location", "recorded_by"]


class ConsultationInline(ViewOnlyInline):
    model = Consultation
    fields = ["agency", "held_on", "outcome", "recorded_by"]


class RecommendationInline(ViewOnlyInline):
    model = Recommendation
    fields = ["document_number", "agency", "status", "urgency", "served_on", "reply_received_on"]


_CASE_HANDLER_FIELDS = ["handler", "co_handlers"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    list_display = ["number", "title", "procuratorate", "case_type", "domain", "status", "handler", "opened_on"]
    list_filter = ["status", "case_type", "domain", "closure_ground", ("opened_on", admin.DateFieldListFilter)]
    list_select_related = ["procuratorate", "domain", "handler"]
    search_fields = ["number", "title"]
    show_full_result_count = False  # a national deployment holds millions of cases
    autocomplete_fields = ["handler", "co_handlers"]
    readonly_fields = [
        "number",
        "procuratorate",
        "case_type",
        "title",
        "summary",
        "domain",
        "agencies_display",
        "lead",
        "status",
        "opened_on",
        "closed_on",
        "closure_ground",
        "closure_note",
        "internal_notes",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "procuratorate", "case_type", "title", "summary", "domain", "agencies_display"]}),
        (_("承办"), {"fields": _CASE_HANDLER_FIELDS}),
        (
            _("办理情况"),
            {"fields": ["lead", "status", "opened_on", "closed_on", "closure_ground", "closure_note"]},
        ),
        (_("其他"), {"fields": ["internal_notes", "created_at", "updated_at"]}),
    ]
    inlines = [InvestigationInline, ConsultationInline, RecommendationInline]

    def has_add_permission(self, request) -> bool:
        return False  # cases are opened from a lead (lead_open_case), which numbers them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("涉及行政机关"))
    def agencies_display(self, obj: Case) -> str:
        return "、".join(str(agency) for agency in obj.agencies.all())

    def save_model(self, request, obj: Case, form, change: bool) -> None:
        # The stored values, before the form's changes are written (co_handlers are saved later,
        # in save_related).
        obj._handlers_before = snapshot(Case.objects.get(pk=obj.pk), _CASE_HANDLER_FIELDS)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        case = form.instance
        case.co_handlers.remove(case.handler)
        changed = changes(case._handlers_before, snapshot(case, _CASE_HANDLER_FIELDS))
        if changed:
            event_record(
                kind=Event.Kind.CASE_EDITED,
                actor=request.user,
                case=case,
                parts=[message(gettext_noop("系统管理员调整承办人"))],
                changed=changed,
            )


@admin.register(Investigation)
class InvestigationAdmin(ViewOnlyAdmin):
    list_display = ["case", "kind", "conducted_on", "location", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["case", "recorded_by"]
    search_fields = ["=case__number"]
    show_full_result_count = False


@admin.register(Consultation)
class ConsultationAdmin(ViewOnlyAdmin):
    list_display = ["case", "agency", "held_on", "recorded_by"]
    list_select_related = ["case", "agency", "recorded_by"]
    search_fields = ["=case__number", "agency__name"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ViewOnlyAdmin):
    # `file` itself is left out: files have no public URL (MEDIA_URL is None) and are served only
    # by the permission-checked view.
    list_display = ["original_name", "case", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["case", "uploaded_by"]
    search_fields = ["=case__number", "original_name"]
    fields = [
        "case",
        "investigation",
        "consultation",
        "recommendation",
        "original_name",
        "stored_name",
        "content_type",
        "size",
        "sha256",
        "description",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("存储位置"))
    def stored_name(self, obj: Attachment) -> str:
        return obj.file.name


class RecommendationItemInline(ViewOnlyInline):
    model = RecommendationItem
    fields = ["number", "text", "evaluation", "evaluation_note", "evaluated_by", "evaluated_at"]
    show_change_link = False


@admin.register(Recommendation)
class RecommendationAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "case", "agency", "status", "urgency", "issued_on", "served_on", "reply_received_on"]
    list_filter = ["status", "urgency", "service_method"]
    list_select_related = ["case", "agency"]
    search_fields = ["document_number", "=case__number", "agency__name"]
    show_full_result_count = False
    inlines = [RecommendationItemInline]


@admin.register(RecommendationItem)
class RecommendationItemAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "recommendation", "evaluation", "evaluated_by", "evaluated_at"]
    list_filter = ["evaluation"]
    list_select_related = ["recommendation", "evaluated_by"]
    search_fields = ["=recommendation__document_number"]
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(ViewOnlyAdmin):
    # The history is written only by the services, in the transaction of the change it records.
    list_display = ["at", "kind", "case", "lead", "recommendation", "actor", "from_status", "to_status"]
    list_filter = ["kind"]
    list_select_related = ["case", "lead", "recommendation", "actor"]
    search_fields = ["=case__number", "=recommendation__document_number"]
    show_full_result_count = False
