"""Supervision (督办) by the discipline inspection and supervision commission (docs/domain.md,
Supervision): what its liaison did about a reply deadline escalated to it by the deadline scan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from storage.models import StoredFile


class SupervisionAction(models.Model):
    """One action of a discipline liaison against one escalation (a DeadlineAlert of level
    "escalated"): an interview, a written inquiry, accountability opened, or another step.

    Never changed once recorded: a correction is a new action. The recommendation and the commission
    are kept on the row so that both sides' scoping reads are one indexed filter.
    """

    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("约谈")
        WRITTEN_INQUIRY = "written_inquiry", _("书面询问")
        ACCOUNTABILITY = "accountability", _("启动问责")
        OTHER = "other", _("其他")

    escalation = models.ForeignKey(
        "deadlines.DeadlineAlert",
        verbose_name=_("逾期督办"),
        on_delete=models.PROTECT,
        related_name="supervision_actions",
    )
    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        on_delete=models.PROTECT,
        related_name="supervision_actions",
    )
    commission = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("纪委监委"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("督办方式"), max_length=20, choices=Kind.choices)
    taken_on = models.DateField(_("督办日期"))
    note = models.TextField(_("督办情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办措施")
        verbose_name_plural = _("督办措施")
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["recommendation", "taken_on"], name="supaction_rec_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on:%Y-%m-%d}"


class SupervisionActionFile(StoredFile):
    """A material of a supervision action (storage.models.StoredFile), served only by the
    permission-checked view supervision.views.action_file_download."""

    action = models.ForeignKey(
        SupervisionAction, verbose_name=_("督办措施"), on_delete=models.PROTECT, related_name="files"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("督办材料")
        verbose_name_plural = _("督办材料")

    def storage_folder(self) -> str:
        return f"supervision/{self.action.recommendation_id}"
