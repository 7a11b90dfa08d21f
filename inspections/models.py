"""Enforcement inspections and joint inspections (执法检查 / 联合检查) and their findings
(docs/domain.md, Inspections)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Inspection(models.Model):
    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", _("执法检查")
        JOINT = "joint", _("联合检查")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        HELD = "held", _("已开展")
        CANCELLED = "cancelled", _("已取消")

    # The inspecting procuratorate: whose record it is, who reads it and where its leads go.
    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    subject = models.TextField(_("检查区域或对象"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    organiser = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        "agencies.Organisation", verbose_name=_("参加单位"), related_name="inspections_joined", blank=True
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("检查情况"), blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法检查")
        verbose_name_plural = _("执法检查")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["procuratorate", "-starts_on"], name="inspection_scope_idx")]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """One problem found in an inspection; it may become a lead (`lead`), once."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("执法检查"), on_delete=models.CASCADE, related_name="findings"
    )
    description = models.TextField(_("发现问题"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("涉及行政机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_findings",
    )
    domain = models.ForeignKey("cases.Domain", verbose_name=_("领域"), on_delete=models.PROTECT)
    lead = models.OneToOneField(
        "cases.Lead",
        verbose_name=_("线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_finding",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查发现的问题")
        verbose_name_plural = _("检查发现的问题")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:50]
