"""Requesting a report, running its job (claim, progress, file, failure) and the stale sweep."""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from pil_tracker.errors import DomainError
from reports import services, tasks
from reports.builders import ReportFile
from reports.models import ReportJob
from reports.services import report_job_run, report_jobs_sweep, report_request
from tests.factories import AgencyFactory, CaseFactory
from tests.reports.conftest import START, TODAY
from tests.reports.helpers import docx_text

Status = ReportJob.Status
Kind = ReportJob.Kind


def _briefing(user, agency, **extra) -> ReportJob:
    return report_request(user=user, kind=Kind.BRIEFING, params={"agency": agency, "start": START} | extra, today=TODAY)


def _roles(world):
    return {
        "procurator": world.procurator,
        "city_procurator": world.city_procurator,
        "agency_staff": world.agency1_staff,
        "discipline": world.discipline,
    }


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("role", ["procurator", "city_procurator", "agency_staff", "discipline"])
def test_only_supervisors_may_request_reports(world, data, role, kind):
    if role == "discipline" and kind == Kind.INTERFERENCE:
        pytest.skip("the liaison requests this one: tests/interference/test_report.py")
    user = _roles(world)[role]
    with pytest.raises(DomainError) as info:
        report_request(user=user, kind=kind, params={"agency": world.agency1, "start": START}, today=TODAY)
    assert info.value.code == "permission_denied"
    assert not ReportJob.objects.exists()


def test_an_inactive_supervisor_may_not_request_reports(world, data):
    world.supervisor.is_active = False
    with pytest.raises(DomainError) as info:
        _briefing(world.supervisor, world.agency1)
    assert info.value.code == "permission_denied"


def test_a_briefing_is_only_for_an_agency_of_the_supervisors_cases(world, data):
    elsewhere = AgencyFactory(name="外市水利局")
    CaseFactory(procuratorate=world.other, handler=world.other_procurator, agencies=[elsewhere])
    with pytest.raises(DomainError) as info:
        _briefing(world.supervisor, elsewhere)
    assert info.value.field == "agency"
    assert not ReportJob.objects.exists()


def test_statistics_for_a_procuratorate_outside_the_scope_are_refused(world, data):
    for outside in (world.city, world.other):
        with pytest.raises(DomainError) as info:
            report_request(
                user=world.supervisor,
                kind=Kind.STATISTICS,
                params={"procuratorate": outside, "start": START},
                today=TODAY,
            )
        assert info.value.field == "procuratorate"


def test_a_period_that_ends_before_it_starts_is_refused(world, data):
    with pytest.raises(DomainError) as info:
        _briefing(world.supervisor, world.agency1, end=datetime.date(2026, 5, 1))
    assert info.value.field == "end"


def test_typical_cases_are_checked_at_request_time(world, data):
    with pytest.raises(DomainError) as info:
        report_request(
            user=world.supervisor,
            kind=Kind.CONGRESS,
            params={"start": START, "case_numbers": f"{data.d_closed.number}\n{data.o_closed.number}"},
            today=TODAY,
        )
    assert info.value.field == "case_numbers"
    assert data.o_closed.number in info.value.message
    assert data.d_closed.number not in info.value.message


def test_at_most_n_typical_cases(world, data, settings):
    settings.REPORTS_TYPICAL_CASES = 1
    with pytest.raises(DomainError) as info:
        report_request(
            user=world.supervisor,
            kind=Kind.CONGRESS,
            params={"start": START, "case_numbers": [data.d_closed.number, data.d_overdue.number]},
            today=TODAY,
        )
    assert info.value.field == "case_numbers"


def test_a_request_enqueues_after_commit_and_the_task_builds_the_file(world, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _briefing(world.supervisor, world.agency1)
    job.refresh_from_db()
    assert (job.status, job.progress) == (Status.QUEUED, 0)
    assert job.params == {
        "start": "2026-06-01",
        "end": "2026-06-30",
        "today": "2026-06-30",
        "agency_id": world.agency1.pk,
        "meeting": "",
    }
    assert job.title == "测试区生态环境局 · 2026-06-01 – 2026-06-30"
    assert len(callbacks) == 1

    callbacks[0]()  # the commit: the (eager) task runs
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Status.DONE, 100, "")
    assert job.filename == "联席会议通报-测试区生态环境局-20260630.docx"
    assert job.file.name.startswith("reports/") and job.file.name.endswith(".docx")
    assert job.started_at and job.finished_at
    with job.file.open("rb") as handle:
        assert data.d_overdue.number in docx_text(handle.read())


def test_a_rolled_back_request_enqueues_nothing(world, data, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _briefing(world.supervisor, world.agency1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not ReportJob.objects.exists()


def _queued(world) -> ReportJob:
    return ReportJob.objects.create(
        requester=world.supervisor,
        kind=Kind.BRIEFING,
        params={"agency_id": world.agency1.pk, "start": "2026-06-01", "end": "2026-06-30", "today": "2026-06-30"},
        title="t",
    )


def test_a_job_is_built_once_however_often_its_task_runs(world, data):
    job = _queued(world)
    assert report_job_run(job_id=job.pk) is True
    first = ReportJob.objects.get(pk=job.pk)
    assert report_job_run(job_id=job.pk) is False
    assert ReportJob.objects.get(pk=job.pk).file.name == first.file.name


def test_progress_is_recorded_while_the_builder_runs(world, data, monkeypatch):
    seen = []

    def builder(*, user, params, today, progress):
        progress(40)
        seen.append(ReportJob.objects.get().progress)
        progress(250)
        seen.append(ReportJob.objects.get().progress)
        return ReportFile(b"x", "x.docx", "application/octet-stream")

    monkeypatch.setitem(services.BUILDERS, Kind.BRIEFING, builder)
    job = _queued(world)
    report_job_run(job_id=job.pk)
    assert seen == [40, 99]  # never 100 before the file is stored
    assert ReportJob.objects.get().progress == 100


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RuntimeError("boom"), "生成报表时发生内部错误，请稍后重新申请；如仍失败，请联系系统管理员。"),
        (DomainError("以下案号不存在"), "以下案号不存在"),
        (SoftTimeLimitExceeded(), "生成报表超过时限（10分钟），请缩小范围后重新申请。"),
    ],
)
def test_a_failing_builder_marks_the_job_failed_with_a_message(world, data, monkeypatch, error, message):
    def builder(**kwargs):
        kwargs["progress"](30)
        raise error

    monkeypatch.setitem(services.BUILDERS, Kind.BRIEFING, builder)
    job = _queued(world)
    assert report_job_run(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (Status.FAILED, message, "")
    assert job.finished_at is not None


def test_a_requester_who_lost_the_right_gets_a_failed_job(world, data):
    job = _queued(world)
    world.supervisor.role = "procurator"
    world.supervisor.save()
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "只有检察院负责人可以生成报表。"


def test_a_job_the_sweep_gave_up_on_keeps_its_verdict(world, data, monkeypatch):
    job = _queued(world)

    def builder(**kwargs):
        ReportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error="swept")
        return ReportFile(b"x", "x.docx", "application/octet-stream")

    monkeypatch.setitem(services.BUILDERS, Kind.BRIEFING, builder)
    assert report_job_run(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (Status.FAILED, "swept", "")


def test_the_sweep_fails_jobs_whose_worker_died_or_that_never_started(world, data, settings):
    settings.REPORTS_TIME_LIMIT = 600
    settings.REPORTS_QUEUE_TIMEOUT_MINUTES = 60
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    dead = _queued(world)
    ReportJob.objects.filter(pk=dead.pk).update(status=Status.RUNNING, started_at=now - 13 * minutes)
    busy = _queued(world)
    ReportJob.objects.filter(pk=busy.pk).update(status=Status.RUNNING, started_at=now - 11 * minutes)
    lost = _queued(world)
    ReportJob.objects.filter(pk=lost.pk).update(created_at=now - 61 * minutes)
    waiting = _queued(world)
    done = _queued(world)
    ReportJob.objects.filter(pk=done.pk).update(status=Status.DONE, created_at=now - 600 * minutes)

    assert report_jobs_sweep(now=now) == 2
    status = dict(ReportJob.objects.values_list("pk", "status"))
    assert status == {
        dead.pk: Status.FAILED,
        busy.pk: Status.RUNNING,
        lost.pk: Status.FAILED,
        waiting.pk: Status.QUEUED,
        done.pk: Status.DONE,
    }
    assert ReportJob.objects.get(pk=dead.pk).error == "生成报表的后台进程已中断，请重新申请。"
    assert "长时间未开始" in ReportJob.objects.get(pk=lost.pk).error
    assert report_jobs_sweep(now=now) == 0
    # A late task of a failed job builds nothing.
    assert report_job_run(job_id=lost.pk) is False


def test_the_sweep_writes_each_jobs_message_in_its_requesters_language(world, data):
    job = _queued(world)
    ReportJob.objects.filter(pk=job.pk).update(language="en", created_at=timezone.now() - datetime.timedelta(days=1))
    report_jobs_sweep(now=timezone.now())
    from django.utils import translation

    with translation.override("en"):
        expected = translation.gettext("报表任务长时间未开始（后台任务服务可能未运行），请稍后重新申请。")
    assert ReportJob.objects.get().error == expected


def test_a_broker_that_is_down_fails_the_job_at_once(world, data, monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.build_report, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = _briefing(world.supervisor, world.agency1)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "后台任务服务暂时不可用，报表未能开始生成，请稍后重新申请。"


def test_beat_sweeps_stale_jobs_every_five_minutes(settings):
    from pil_tracker.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reports-sweep-stale-jobs"]
    assert entry["task"] == tasks.sweep_report_jobs.name
    assert entry["schedule"] == 300
    assert entry["task"] in app.tasks
    assert tasks.build_report.soft_time_limit == settings.REPORTS_TIME_LIMIT


def test_old_jobs_and_their_files_are_deleted_after_the_keeping_time(world, data, settings):
    settings.REPORTS_KEEP_DAYS = 30
    now = timezone.now()
    old, recent, running = _queued(world), _queued(world), _queued(world)
    report_job_run(job_id=old.pk)
    report_job_run(job_id=recent.pk)
    old.refresh_from_db()
    storage = old.file.storage
    assert storage.exists(old.file.name)
    ReportJob.objects.filter(pk__in=[old.pk, running.pk]).update(created_at=now - datetime.timedelta(days=31))
    ReportJob.objects.filter(pk=running.pk).update(status=Status.RUNNING, started_at=now)

    assert services.report_jobs_purge(now=now) == 1
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not storage.exists(old.file.name)
    settings.REPORTS_KEEP_DAYS = 0
    ReportJob.objects.update(created_at=now - datetime.timedelta(days=365))
    assert services.report_jobs_purge(now=now) == 0


def test_the_beat_task_sweeps_and_purges(world, data, settings):
    settings.REPORTS_KEEP_DAYS = 1
    job = _queued(world)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert tasks.sweep_report_jobs.delay().get() == 2  # failed as never started, then deleted
    assert not ReportJob.objects.exists()
