"""The reports pages: who may request, who may see a job, the polling endpoint and the download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from reports.models import ReportJob
from tests.reports.conftest import TODAY
from tests.reports.helpers import docx_text, workbook

Status = ReportJob.Status
Kind = ReportJob.Kind

NOT_SUPERVISORS = ["procurator", "city_procurator", "agency1_staff", "discipline"]
SUPERVISORS = ["supervisor", "city_supervisor", "other_supervisor"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("reports.views.timezone.localdate", lambda: TODAY)


def _login(client, user):
    client.force_login(user)
    return client


def _request(client, kind: str, **fields):
    return client.post(reverse("report_request", args=[kind]), {f"{kind}-{k}": v for k, v in fields.items()})


@pytest.mark.parametrize("name", [n for n in NOT_SUPERVISORS if n != "discipline"])
def test_the_reports_page_is_for_supervisors_only(client, world, name):
    # The liaison has the page too, with the interference report only (tests/interference/test_report.py).
    response = _login(client, getattr(world, name)).get(reverse("reports_index"))
    assert response.status_code == 403


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("name", NOT_SUPERVISORS)
def test_only_supervisors_can_request_a_report(client, world, data, name, kind):
    if name == "discipline" and kind == Kind.INTERFERENCE:
        pytest.skip("the liaison requests this one: tests/interference/test_report.py")
    response = _request(
        _login(client, getattr(world, name)), kind, agency=world.agency1.pk, start="2026-01-01", end="2026-06-30"
    )
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_anonymous_users_are_sent_to_the_login(client, world):
    response = client.get(reverse("reports_index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_reports_page_costs_a_fixed_number_of_queries(client, world, data, django_assert_num_queries):
    _login(client, world.city_supervisor)
    for _n in range(3):
        ReportJob.objects.create(requester=world.city_supervisor, kind=Kind.STATISTICS, title="t")
    # 1 session, 2 user, 3 the user's organisation (scoping by its tree path), 4 the unread
    # notifications badge, 5 joint meetings (briefing form; its agency is searched, none chosen),
    # 6-7 procuratorates and domains (statistics form), 8-9 the same (congress form),
    # 10 procuratorates (interference form), 11 the user's latest jobs.
    with django_assert_num_queries(11):
        response = client.get(reverse("reports_index"))
    assert response.status_code == 200
    for _n in range(20):
        ReportJob.objects.create(requester=world.city_supervisor, kind=Kind.STATISTICS, title="t")
    with django_assert_num_queries(11):
        client.get(reverse("reports_index"))


def test_the_briefing_form_offers_only_agencies_of_the_supervisors_cases(client, world, data):
    from tests.factories import AgencyFactory, CaseFactory

    elsewhere = AgencyFactory(name="外市水利局")
    CaseFactory(procuratorate=world.other, handler=world.other_procurator, agencies=[elsewhere])
    # The agency is searched (agencies.widgets.AgencySelect): the search offers what the form accepts.
    _login(client, world.supervisor)
    found = client.get(reverse("agency_search"), {"source": "briefing_agencies"}).json()["results"]
    assert "测试区生态环境局" in {row["name"] for row in found}
    assert "外市水利局" not in {row["name"] for row in found}
    content = client.get(reverse("reports_index")).content.decode()
    assert "外市水利局" not in content


def test_a_supervisor_requests_a_briefing_follows_its_progress_and_downloads_it(
    client, world, data, django_capture_on_commit_callbacks
):
    _login(client, world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, Kind.BRIEFING, agency=world.agency1.pk, start="2026-06-01", end="2026-06-30")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_job", args=[job.pk])

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("report_job_status", args=[job.pk]) in page.content.decode()
    assert "js/reports.js" in page.content.decode()

    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert status == {
        "status": "done",
        "status_label": "已完成",
        "progress": 100,
        "finished": True,
        "error": "",
        "download_url": reverse("report_job_download", args=[job.pk]),
        "filename": "联席会议通报-测试区生态环境局-20260630.docx",
    }

    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    text = docx_text(b"".join(download.streaming_content))
    assert data.d_overdue.number in text
    assert data.c_case.number not in text

    listing = client.get(reverse("reports_index")).content.decode()
    assert reverse("report_job_download", args=[job.pk]) in listing


def test_a_supervisor_requests_the_statistics(client, world, data, django_capture_on_commit_callbacks):
    _login(client, world.city_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(
            client, Kind.STATISTICS, start="2026-01-01", end="2026-06-30", procuratorate=world.district.pk
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == Status.DONE, job.error
    assert job.params["procuratorate_id"] == world.district.pk
    download = client.get(reverse("report_job_download", args=[job.pk]))
    book = workbook(b"".join(download.streaming_content))
    assert book.sheetnames == ["主要指标", "按检察院", "按领域", "指标定义"]
    assert [row[0].value for row in book["按检察院"].iter_rows(min_row=3)] == ["测试区人民检察院", "合计"]


def test_a_supervisor_requests_the_congress_report(client, world, data, django_capture_on_commit_callbacks):
    _login(client, world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, Kind.CONGRESS, start="2026-01-01", end="2026-06-30", case_numbers=data.d_closed.number)
    job = ReportJob.objects.get()
    assert job.status == Status.DONE, job.error
    download = client.get(reverse("report_job_download", args=[job.pk]))
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any(p.text == "（一）督促整治某湖泊非法排污行政公益诉讼案" for p in document.paragraphs)


def test_an_invalid_request_shows_the_form_with_its_errors(client, world, data):
    _login(client, world.supervisor)
    response = _request(client, Kind.CONGRESS, start="2026-01-01", end="2026-06-30", case_numbers=data.o_closed.number)
    assert response.status_code == 400
    assert "以下案号不存在、不在您的查看范围内或没有已发布的典型案例" in response.content.decode()
    assert not ReportJob.objects.exists()
    response = _request(client, Kind.STATISTICS, start="2026-06-30", end="2026-01-01")
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()


@pytest.fixture
def done_job(world, data, django_capture_on_commit_callbacks) -> ReportJob:
    from reports.services import report_request

    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            user=world.supervisor,
            kind=Kind.BRIEFING,
            params={"agency": world.agency1, "start": "2026-06-01"},
            today=TODAY,
        )
    job.refresh_from_db()
    assert job.status == Status.DONE
    return job


@pytest.mark.parametrize("page", ["report_job", "report_job_status", "report_job_download"])
@pytest.mark.parametrize(
    "name", ["city_supervisor", "other_supervisor", "procurator", "agency1_staff", "discipline", "procurator_colleague"]
)
def test_nobody_but_the_requester_sees_or_downloads_a_job(client, world, done_job, name, page):
    response = _login(client, getattr(world, name)).get(reverse(page, args=[done_job.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["report_job", "report_job_status", "report_job_download"])
def test_a_job_that_does_not_exist_is_not_found(client, world, page):
    assert _login(client, world.supervisor).get(reverse(page, args=[999999])).status_code == 404


def test_an_unfinished_job_has_no_download(client, world, data):
    job = ReportJob.objects.create(requester=world.supervisor, kind=Kind.BRIEFING, title="t", status=Status.RUNNING)
    ReportJob.objects.filter(pk=job.pk).update(progress=40)
    _login(client, world.supervisor)
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert (status["status"], status["progress"], status["finished"], status["download_url"]) == (
        "running",
        40,
        False,
        "",
    )
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert 'aria-valuenow="40"' in page


def test_a_failed_job_shows_its_error(client, world, data):
    job = ReportJob.objects.create(
        requester=world.supervisor, kind=Kind.BRIEFING, title="t", status=Status.FAILED, error="生成报表时发生内部错误"
    )
    _login(client, world.supervisor)
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert "生成报表时发生内部错误" in page
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert (status["status"], status["finished"], status["error"]) == ("failed", True, "生成报表时发生内部错误")


def test_the_pages_are_translated(client, world, data):
    _login(client, world.supervisor)
    response = client.get(reverse("reports_index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


# --- What the job page says (issue 14: the "started" message stayed on the finished report's page) --


def _section(html: str, marker: str) -> str:
    """The opening tag of the element carrying `marker`."""
    start = html.rindex("<", 0, html.index(marker))
    return html[start : html.index(">", start)]


def test_a_finished_report_page_says_it_is_ready_and_not_that_it_started(
    client, world, data, django_capture_on_commit_callbacks
):
    _login(client, world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, Kind.BRIEFING, agency=world.agency1.pk, start="2026-06-01", end="2026-06-30")
    page = client.get(response["Location"]).content.decode()
    assert ReportJob.objects.get().status == Status.DONE
    assert "已开始生成" not in page  # no message left over from the request
    assert "报表已生成，可以下载。" in page
    assert "d-none" not in _section(page, "data-report-download")
    assert "d-none" in _section(page, "data-report-waiting")


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING])
def test_a_report_being_generated_says_so_and_hides_the_ready_note(client, world, done_job, status):
    ReportJob.objects.filter(pk=done_job.pk).update(status=status, progress=40)
    page = _login(client, world.supervisor).get(reverse("report_job", args=[done_job.pk])).content.decode()
    assert "d-none" not in _section(page, "data-report-waiting")
    assert "报表正在后台生成" in page
    assert "d-none" in _section(page, "data-report-download")  # the ready note and the button wait
