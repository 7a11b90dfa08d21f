"""Report jobs: a report is built in the background (Celery) and downloaded when it is done."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_upload_to(job: ReportJob, filename: str) -> str:
    # A random name on disk: the download view sends the file under `job.filename`, and nobody can
    # guess another job's path (the folder is outside the web root anyway).
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"reports/{job.created_at:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class ReportJob(models.Model):
    """One requested report: its parameters, its progress, and the file it produced.

    Only the requester ever sees or downloads it (reports.selectors.report_jobs_visible_to); the
    file was built with the requester's scope, so handing it to anyone else could leak cases.
    """

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("联席会议通报（按行政机关）")
        STATISTICS = "statistics", _("统计报表")
        CONGRESS = "congress", _("向人大报告工作（草稿）")
        INTERFERENCE = "interference", _("干预司法记录季度报告")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(_("报表类型"), max_length=20, choices=Kind.choices)
    # Validated by the request form and service; dates as YYYY-MM-DD, ids as integers, plus
    # "today": the day the report is "as of", fixed at request time.
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # The requester's interface language at request time: the statistics workbook is written in it
    # (the Word documents are Chinese official documents whatever the interface language).
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    file = models.FileField(_("文件"), upload_to=report_upload_to, blank=True, max_length=200)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表任务")
        verbose_name_plural = _("报表任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The reports page: the requester's own jobs, newest first.
            models.Index(fields=["requester", "-created_at"], name="reportjob_requester_idx"),
            # The stale-job sweep (reports.services.report_jobs_sweep, beat): unfinished jobs only.
            models.Index(
                fields=["status", "created_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="reportjob_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
