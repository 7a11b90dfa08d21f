from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import CachedChoiceLabels
from storage.models import StoredFile, stored_file_path


class Investigation(CachedChoiceLabels, models.Model):
    """An investigation record (调查): site visit, appraisal, inquiry, evidence collected."""

    class Kind(models.TextChoices):
        SITE_VISIT = "site_visit", _("现场勘验")
        APPRAISAL = "appraisal", _("委托鉴定评估")
        INQUIRY = "inquiry", _("询问、座谈")
        DOCUMENTS = "documents", _("调取证据材料")
        FOLLOW_UP = "follow_up", _("跟进调查")
        OTHER = "other", _("其他")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="investigations"
    )
    kind = models.CharField(_("调查方式"), max_length=20, choices=Kind.choices)
    conducted_on = models.DateField(_("调查日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    findings = models.TextField(_("调查情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["conducted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.conducted_on}"


class Consultation(CachedChoiceLabels, models.Model):
    """A consultation (磋商) with an agency after opening an administrative case."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="consultations"
    )
    agency = models.ForeignKey("agencies.Organisation", verbose_name=_("磋商机关"), on_delete=models.PROTECT)
    held_on = models.DateField(_("磋商日期"))
    participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    summary = models.TextField(_("磋商情况"))
    outcome = models.TextField(_("磋商结果"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("磋商记录")
        verbose_name_plural = _("磋商记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.agency} {self.held_on}"


# Kept for the migrations that name it; files are stored by storage.models.stored_file_path.
attachment_path = stored_file_path


class Attachment(StoredFile):
    """An evidence file of a case (storage.models.StoredFile), linked to an investigation, a
    consultation or a recommendation where it belongs to one; served by cases.views.actions."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="attachments")
    investigation = models.ForeignKey(
        Investigation, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    recommendation = models.ForeignKey(
        "cases.Recommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def storage_folder(self) -> str:
        return f"attachments/{self.case_id}"
