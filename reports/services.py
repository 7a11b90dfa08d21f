"""Every write to report jobs: requesting one, running it (the Celery task), and the stale sweep.

A job is safe to run twice, and still builds once:

- `report_request` authorises, validates the parameters against the requester's scope, creates the
  job and enqueues the task only after commit (a rolled-back request builds nothing).
- `report_job_run` (the task) re-fetches the job and *claims* it with a conditional UPDATE
  queued → running: a message delivered twice, or a task that the sweep already gave up on, builds
  nothing. It updates the progress as it goes, stores the file and marks the job done; any
  exception marks it failed with a message the requester can read.
- `report_jobs_sweep` (beat) fails the jobs whose worker died or that never started, so a page
  never polls forever, and `report_jobs_purge` (the same beat task) deletes the jobs and files
  older than REPORTS_KEEP_DAYS: a report holds case data, kept no longer than it is useful.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.models import CaseType, Domain
from cases.selectors import procuratorates_visible_to
from interference.selectors import interference_report_procuratorates
from pil_tracker.errors import DomainError
from reports.builders import Progress, ReportFile
from reports.builders.briefing import briefing_agencies, build_briefing
from reports.builders.interference import build_interference, quarter_bounds
from reports.builders.statistics import build_statistics
from reports.models import ReportJob
from typical_cases.models import TypicalCase
from typical_cases.selectors import typical_cases_visible_to

logger = logging.getLogger(__name__)

Kind = ReportJob.Kind
Status = ReportJob.Status


def _build_briefing(**kwargs) -> ReportFile:
    return build_briefing(**kwargs)


def _build_statistics(**kwargs) -> ReportFile:
    return build_statistics(**kwargs)


def _build_congress(**kwargs) -> ReportFile:
    from reports.builders.congress import build_congress  # the congress builder imports this module

    return build_congress(**kwargs)


def _build_interference(**kwargs) -> ReportFile:
    return build_interference(**kwargs)


# kind → builder(user=, params=, today=, progress=) -> ReportFile. Looked up at run time, so a test
# can put a failing builder here.
BUILDERS: dict[str, Callable[..., ReportFile]] = {
    Kind.BRIEFING: _build_briefing,
    Kind.STATISTICS: _build_statistics,
    Kind.CONGRESS: _build_congress,
    Kind.INTERFERENCE: _build_interference,
}


def typical_cases_max() -> int:
    return getattr(settings, "REPORTS_TYPICAL_CASES", 5)


def kinds_for(user: User) -> list[str]:
    """The kinds of report `user` may request. Supervisors (检察长, department heads) request every
    kind (docs/domain.md: Roles, Dashboard figures); the discipline liaison only the quarterly
    interference report of the procuratorates their commission covers (docs/domain.md,
    Interference records). The briefing is limited further to agencies of their scope's cases
    (the parameters check)."""
    if user.is_active_supervisor:
        return list(Kind.values)
    if user.is_active and user.role == Role.DISCIPLINE_LIAISON:
        return [Kind.INTERFERENCE]
    return []


def can_request_reports(user: User, kind: str | None = None) -> bool:
    """Whether `user` may request reports at all, or (with `kind`) that kind."""
    kinds = kinds_for(user)
    return kind in kinds if kind is not None else bool(kinds)


def _authorise(user: User, kind: str | None = None) -> None:
    if not can_request_reports(user):
        raise DomainError(_("只有检察院负责人可以生成报表。"), code="permission_denied")
    if kind is not None and not can_request_reports(user, kind):
        raise DomainError(_("您无权生成该类报表。"), code="permission_denied")


def _pk(value: Any) -> int | None:
    # `value` is a request parameter: a model instance, an id, or its text.
    if value in (None, ""):
        return None
    return value.pk if isinstance(value, Model) else int(value)


def _date(value: object, *, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("日期格式不正确。"), field=field) from None


def _period(params: dict, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = _date(params.get("start"), field="start")
    end = _date(params.get("end") or today, field="end")
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end")
    if end > today:
        raise DomainError(_("结束日期不能晚于今天。"), field="end")
    return start, end


def _scope_params(user: User, params: dict) -> dict:
    """The dashboard's filters, each checked against what `user` may see."""
    procuratorate_id = _pk(params.get("procuratorate"))
    if procuratorate_id is not None and not procuratorates_visible_to(user).filter(pk=procuratorate_id).exists():
        raise DomainError(_("该检察院不在您的查看范围内。"), field="procuratorate")
    domain_id = _pk(params.get("domain"))
    if domain_id is not None and not Domain.objects.filter(pk=domain_id).exists():
        raise DomainError(_("领域不存在。"), field="domain")
    case_type = params.get("case_type") or None
    if case_type is not None and case_type not in CaseType.values:
        raise DomainError(_("案件类型不正确。"), field="case_type")
    return {"procuratorate_id": procuratorate_id, "domain_id": domain_id, "case_type": case_type}


def _case_numbers(user: User, value: str | list[str] | None) -> list[str]:
    """Typical cases picked by number: closed cases of the requester's scope, at most N."""
    if isinstance(value, str):
        value = value.replace("，", ",").replace(",", "\n").splitlines()
    numbers = list(dict.fromkeys(n.strip() for n in (value or []) if n and n.strip()))
    if len(numbers) > typical_cases_max():
        raise DomainError(
            _("典型案例最多选择%(n)d件。") % {"n": typical_cases_max()},
            field="case_numbers",
        )
    # Only published typical cases are quoted (reports/builders/congress.py).
    found = set(
        typical_cases_visible_to(user)
        .filter(case__number__in=numbers, status=TypicalCase.Status.PUBLISHED)
        .values_list("case__number", flat=True)
    )
    missing = [n for n in numbers if n not in found]
    if missing:
        # The same answer for a number outside the scope and one that does not exist.
        raise DomainError(
            _("以下案号不存在、不在您的查看范围内或没有已发布的典型案例：%(numbers)s")
            % {"numbers": "、".join(missing)},
            field="case_numbers",
        )
    return numbers


def _validate(user: User, kind: str, params: dict, *, today: datetime.date) -> tuple[dict, str]:
    """The job's JSON parameters and its title (subject and period), or a DomainError."""
    if kind not in Kind.values:
        raise DomainError(_("报表类型不正确。"), field="kind")
    if kind == Kind.INTERFERENCE:
        return _interference_params(user, params, today=today)
    start, end = _period(params, today=today)
    period = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    clean: dict = {"start": start.isoformat(), "end": end.isoformat(), "today": today.isoformat()}
    if kind == Kind.BRIEFING:
        agency_id = _pk(params.get("agency"))
        agency = briefing_agencies(user).filter(pk=agency_id).first() if agency_id is not None else None
        if agency is None:
            raise DomainError(_("该行政机关不在您的查看范围内。"), field="agency")
        clean |= {"agency_id": agency.pk, "meeting": str(params.get("meeting") or "")[:200]}
        return clean, f"{agency.name} · {period}"
    clean |= _scope_params(user, params)
    assert user.organisation is not None  # _authorise (can_request_reports) checked it
    subject = (
        procuratorates_visible_to(user).get(pk=clean["procuratorate_id"]).name
        if clean["procuratorate_id"]
        else user.organisation.name
    )
    if kind == Kind.CONGRESS:
        clean["case_numbers"] = _case_numbers(user, params.get("case_numbers"))
    return clean, f"{subject} · {period}"


def _interference_params(user: User, params: dict, *, today: datetime.date) -> tuple[dict, str]:
    """One procuratorate the requester may report on, and a quarter that has begun."""
    procuratorate_id = _pk(params.get("procuratorate"))
    procuratorate = (
        interference_report_procuratorates(user).filter(pk=procuratorate_id).first()
        if procuratorate_id is not None
        else None
    )
    if procuratorate is None:
        raise DomainError(_("该检察院不在您的查看范围内。"), field="procuratorate")
    try:
        year, quarter = int(params.get("year") or ""), int(params.get("quarter") or "")
    except (TypeError, ValueError):
        raise DomainError(_("请选择年度和季度。"), field="quarter") from None
    if not 1 <= quarter <= 4:
        raise DomainError(_("季度须为1至4。"), field="quarter")
    if not 2000 <= year <= today.year:
        raise DomainError(_("年度须在2000年至今年之间。"), field="year")
    start, end = quarter_bounds(year, quarter)
    if start > today:
        raise DomainError(_("该季度尚未开始。"), field="quarter")
    clean = {
        "procuratorate_id": procuratorate.pk,
        "year": year,
        "quarter": quarter,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "today": today.isoformat(),
    }
    return clean, f"{procuratorate.name} · {year} Q{quarter}"


@transaction.atomic
def report_request(*, user: User, kind: str, params: dict, today: datetime.date) -> ReportJob:
    """Create a job for `user` and build it in the background (after commit).

    `params` takes model instances or ids, dates or YYYY-MM-DD strings: agency (briefing);
    procuratorate, domain, case_type (statistics, congress); case_numbers (congress, a list or one
    per line); start and end (every kind; end defaults to `today`). `today` is the day the report
    is "as of" (overdue, rates): it is stored with the job, so a job run later says the same.
    """
    _authorise(user, kind if kind in Kind.values else None)
    clean, title = _validate(user, kind, params, today=today)
    job = ReportJob.objects.create(
        requester=user,
        kind=kind,
        params=clean,
        title=title[:200],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(partial(enqueue_report, job.pk))
    return job


def enqueue_report(job_id: int) -> bool:
    """Hand the job to a worker; never raises (called after commit, the request is already saved).

    A broker that is down fails the job at once with a message, rather than leaving the page
    polling a job nobody will run."""
    from reports.tasks import build_report  # reports.tasks imports this module

    try:
        build_report.delay(job_id)
    except Exception:
        logger.warning("Report job %s could not be enqueued.", job_id, exc_info=True)
        job = ReportJob.objects.filter(pk=job_id).first()
        if job is not None:
            with translation.override(job.language):
                _fail(job_id, _("后台任务服务暂时不可用，报表未能开始生成，请稍后重新申请。"), statuses=[Status.QUEUED])
        return False
    return True


def _fail(job_id: int, message: str, *, statuses: list[str]) -> int:
    return ReportJob.objects.filter(pk=job_id, status__in=statuses).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


def _progress(job_id: int) -> Progress:
    def report(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(progress=max(1, min(99, int(percent))))

    return report


def _error_message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return str(error.message)
    if isinstance(error, SoftTimeLimitExceeded):
        return _("生成报表超过时限（%(minutes)d分钟），请缩小范围后重新申请。") % {
            "minutes": max(1, settings.REPORTS_TIME_LIMIT // 60)
        }
    return _("生成报表时发生内部错误，请稍后重新申请；如仍失败，请联系系统管理员。")


def report_job_run(*, job_id: int) -> bool:
    """Build the job's file (the task's body); True when this call made it done.

    Not one transaction: the progress must reach the polling page while the file is being built.
    Each step is its own statement, and only the claim's winner acts.
    """
    claimed = ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        logger.info("Report job %s is not queued any more; nothing to do.", job_id)
        return False
    job = ReportJob.objects.select_related("requester__organisation").get(pk=job_id)
    with translation.override(job.language):
        try:
            # The requester's rights are checked again: they may have changed since the request.
            _authorise(job.requester, job.kind)
            builder = BUILDERS[job.kind]
            result = builder(
                user=job.requester,
                params=job.params,
                today=datetime.date.fromisoformat(job.params["today"]),
                progress=_progress(job_id),
            )
            job.file.save(result.filename, ContentFile(result.content), save=False)
        except Exception as error:
            logger.exception("Report job %s failed.", job_id)
            _fail(job_id, _error_message(error), statuses=[Status.RUNNING])
            return False
    done = ReportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.DONE,
        progress=100,
        file=job.file.name,
        filename=result.filename,
        content_type=result.content_type,
        finished_at=timezone.now(),
    )
    if not done:  # the sweep gave up on it meanwhile: keep its verdict, drop the file
        job.file.delete(save=False)
    return bool(done)


def report_jobs_sweep(*, now: datetime.datetime) -> int:
    """Fail the jobs that will never finish; return how many. Safe to run anywhere, any time.

    Running longer than the task's hard time limit (plus a minute) means its worker died or was
    killed; queued longer than REPORTS_QUEUE_TIMEOUT_MINUTES means no worker took it. Both are
    decided on the rows (partial index reportjob_unfinished_idx), so a lost message or a crashed
    worker is always repaired on the next run.
    """
    running_limit = now - datetime.timedelta(seconds=settings.REPORTS_TIME_LIMIT + 120)
    queued_limit = now - datetime.timedelta(minutes=settings.REPORTS_QUEUE_TIMEOUT_MINUTES)
    failed = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            failed += ReportJob.objects.filter(
                language=language, status=Status.RUNNING, started_at__lt=running_limit
            ).update(
                status=Status.FAILED,
                error=_("生成报表的后台进程已中断，请重新申请。"),
                finished_at=now,
            )
            queued = ReportJob.objects.filter(language=language, status=Status.QUEUED, created_at__lt=queued_limit)
            failed += queued.update(
                status=Status.FAILED,
                error=_("报表任务长时间未开始（后台任务服务可能未运行），请稍后重新申请。"),
                finished_at=now,
            )
    return failed


PURGE_BATCH = 500


def report_jobs_purge(*, now: datetime.datetime) -> int:
    """Delete finished jobs older than REPORTS_KEEP_DAYS (0: keep for ever) and their files; return
    how many. At most PURGE_BATCH per run (one query to find them, one to delete them, one file
    removal each); the next run takes the rest."""
    keep_days = settings.REPORTS_KEEP_DAYS
    if keep_days <= 0:
        return 0
    old = list(
        ReportJob.objects.filter(
            status__in=[Status.DONE, Status.FAILED], created_at__lt=now - datetime.timedelta(days=keep_days)
        )
        .order_by("created_at")
        .values_list("pk", "file")[:PURGE_BATCH]
    )
    if not old:
        return 0
    deleted, _counts = ReportJob.objects.filter(pk__in=[pk for pk, _name in old]).delete()
    storage = ReportJob._meta.get_field("file").storage
    for _pk, name in old:
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete the report file %s.", name, exc_info=True)
    return deleted
