"""The quarterly interference report (reports app): who requests it, the zero report, the records.

Records are dated by the day they were recorded (append-only: a record cannot be backdated), so the
quarter with records is the current one and the zero report is a quarter of last year."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from interference.services import interference_correct
from pil_tracker.errors import DomainError
from reports.models import ReportJob
from reports.services import report_request
from tests.interference.conftest import record
from tests.reports.conftest import celery_eager  # noqa: F401  (autouse: tasks run in-process)
from tests.reports.helpers import docx_text

pytestmark = pytest.mark.django_db

Kind = ReportJob.Kind


def _quarter_now() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def _request(client, user, **fields):
    client.force_login(user)
    return client.post(
        reverse("report_request", args=[Kind.INTERFERENCE]),
        {f"{Kind.INTERFERENCE}-{k}": v for k, v in fields.items()},
    )


def _download(client, job: ReportJob) -> str:
    response = client.get(reverse("report_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    return docx_text(b"".join(response.streaming_content))


def test_the_liaison_downloads_a_zero_report(client, iworld, django_capture_on_commit_callbacks):
    year = timezone.localdate().year - 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, iworld.discipline, procuratorate=iworld.district.pk, year=year, quarter=2)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    text = _download(client, job)
    assert "零报告" in text
    assert f"{year}年第二季度，测试区人民检察院未记录领导干部干预司法活动" in text


def test_a_quarter_with_records_lists_them(client, iworld, django_capture_on_commit_callbacks):
    original = record(iworld.procurator, iworld.case, person_name="李某某")
    interference_correct(
        user=iworld.supervisor,
        record=original,
        correction_reason="单位记错",
        person_name="李某某",
        person_unit="某旗自然资源局",
        relation=original.relation,
        occurred_on=original.occurred_on,
        means=original.means,
        request=original.request,
        today=timezone.localdate(),
    )
    record(iworld.other_procurator, iworld.other_case, person_name="外市人员")  # another procuratorate
    year, quarter = _quarter_now()
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, iworld.city_supervisor, procuratorate=iworld.district.pk, year=year, quarter=quarter)
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE, job.error
    text = _download(client, job)
    assert "零报告" not in text
    assert "共记录领导干部干预司法活动、插手具体案件处理的情况2条，其中更正记录1条" in text
    assert text.count("李某某") == 2
    assert "单位记错" in text
    assert "外市人员" not in text
    assert iworld.case.number in text


@pytest.mark.parametrize(
    "who", ["procurator", "procurator_colleague", "city_procurator", "agency1_staff", "other_procurator"]
)
def test_others_may_not_request_it(client, iworld, who):
    year, quarter = _quarter_now()
    response = _request(client, getattr(iworld, who), procuratorate=iworld.district.pk, year=year, quarter=quarter)
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    "who, procuratorate", [("other_supervisor", "district"), ("discipline", "other"), ("supervisor", "city")]
)
def test_a_procuratorate_out_of_scope_is_a_field_error(iworld, who, procuratorate):
    year, quarter = _quarter_now()
    with pytest.raises(DomainError) as refused:
        report_request(
            user=getattr(iworld, who),
            kind=Kind.INTERFERENCE,
            params={"procuratorate": getattr(iworld, procuratorate).pk, "year": year, "quarter": quarter},
            today=timezone.localdate(),
        )
    assert refused.value.field == "procuratorate"
    assert not ReportJob.objects.exists()


def test_a_quarter_not_begun_is_refused(client, iworld):
    year = timezone.localdate().year + 1
    response = _request(client, iworld.discipline, procuratorate=iworld.district.pk, year=year, quarter=1)
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_the_liaison_sees_only_the_interference_form(client, iworld):
    client.force_login(iworld.discipline)
    page = client.get(reverse("reports_index")).content.decode()
    assert reverse("report_request", args=[Kind.INTERFERENCE]) in page
    assert reverse("report_request", args=[Kind.BRIEFING]) not in page
    response = client.post(reverse("report_request", args=[Kind.STATISTICS]), {})
    assert response.status_code == 403
