from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import CachedChoiceLabels


class Lead(CachedChoiceLabels, models.Model):
    """A lead (案件线索): the raw report before a case is opened."""

    class Source(models.TextChoices):
        REPORT = "report", _("公民、法人或其他组织控告、举报")
        OWN_WORK = "own_work", _("检察机关在履职中发现")
        ENFORCEMENT_PLATFORM = "enforcement_platform", _("行政执法信息共享平台")
        DEPUTY = "deputy", _("人大代表、政协委员转交")
        DISCIPLINE = "discipline", _("纪检监察机关移送")
        AGENCY = "agency", _("行政机关移送")
        MEDIA = "media", _("新闻媒体、社会舆论")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待评估")
        OPENED = "opened", _("已立案")
        DECLINED = "declined", _("不予立案")

    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="leads"
    )
    title = models.CharField(_("线索名称"), max_length=200)
    summary = models.TextField(_("线索内容"))
    source = models.CharField(_("线索来源"), max_length=30, choices=Source.choices)
    source_detail = models.CharField(_("来源说明"), max_length=200, blank=True)
    # Confidential: shown to the case handlers only, never to agencies (docs/domain.md, Who sees what).
    reporter_name = models.CharField(_("举报人姓名"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("举报人联系方式"), max_length=200, blank=True)
    received_on = models.DateField(_("受理日期"))
    domain = models.ForeignKey("cases.Domain", verbose_name=_("领域"), on_delete=models.PROTECT)
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("涉及行政机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads_concerning",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("不予立案理由"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["procuratorate", "status", "-received_on"], name="lead_scope_status_idx"),
            # The dashboard (dashboard/metrics.py): leads received in a period, per procuratorate;
            # and the lead list's deep pages for a scope of several procuratorates, merged per
            # procuratorate in the list's order (pil_tracker/pagination.py).
            models.Index(fields=["procuratorate", "-received_on", "-id"], name="lead_scope_latest_idx"),
            # The lead list's default ordering for a wide scope (a supervisor's tree): the page is
            # read off this index instead of sorting every lead in scope.
            models.Index(fields=["-received_on", "-id"], name="lead_received_idx"),
        ]

    def __str__(self) -> str:
        return self.title
