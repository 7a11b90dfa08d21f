"""/api/v1/interference-records/: the scope matrix over every world user, guessed ids, creation
and correction, materials, and the append-only refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from interference.models import InterferenceAttachment, InterferenceRecord
from tests.api.conftest import client_for
from tests.interference.conftest import pdf, record

pytestmark = pytest.mark.django_db

URL = "/api/v1/interference-records/"
USERS = [
    "procurator",
    "procurator_colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
]
# Who reads the district record made by `procurator`.
READERS = {"procurator", "supervisor", "city_supervisor", "discipline"}


@pytest.fixture
def district_record(iworld):
    return record(iworld.procurator, iworld.case, files=[pdf()])


@pytest.mark.parametrize("name", USERS)
def test_scope_matrix_list_and_detail(iworld, district_record, name):
    other = record(iworld.other_procurator, iworld.other_case)
    client = client_for(getattr(iworld, name))
    listed = client.get(URL)
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()["results"]}
    assert (district_record.pk in ids) == (name in READERS)
    expected_other = name in ("other_procurator", "other_supervisor")
    assert (other.pk in ids) == expected_other
    detail = client.get(f"{URL}{district_record.pk}/")
    assert detail.status_code == (200 if name in READERS else 404)
    attachment = district_record.attachments.get()
    download = client.get(f"/api/v1/interference-attachments/{attachment.pk}/download/")
    assert download.status_code == (200 if name in READERS else 404)
    if name in READERS:
        assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_guessed_ids_are_404(iworld, district_record):
    client = client_for(iworld.supervisor)
    for pk in (district_record.pk + 1000, 99999999, 2**63):
        assert client.get(f"{URL}{pk}/").status_code == 404


def _body(case, **extra):
    return {
        "case": case.pk,
        "person_name": "王某",
        "person_unit": "某局",
        "relation": "relative",
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "means": "in_person",
        "request": "请求从轻处理",
        **extra,
    }


@pytest.mark.parametrize("name", USERS)
def test_scope_matrix_create(iworld, name):
    response = client_for(getattr(iworld, name)).post(URL, _body(iworld.case), format="json")
    if name in ("procurator", "supervisor", "city_supervisor"):
        assert response.status_code == 201, response.json()
        assert response.json()["recorded_by"]["id"] == getattr(iworld, name).pk
        assert InterferenceRecord.objects.count() == 1
        return
    # Reads the case but does not handle it: 403; cannot read the case at all: 404.
    expected = 403 if name == "procurator_colleague" else 404
    assert response.status_code == expected, response.json()
    assert not InterferenceRecord.objects.exists()


def test_bad_input_is_a_field_error_and_changes_nothing(iworld):
    client = client_for(iworld.procurator)
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(URL, _body(iworld.case, occurred_on=future), format="json")
    assert response.status_code == 400
    assert "occurred_on" in response.json()["fields"]
    response = client.post(URL, _body(iworld.case, means="carrier pigeon"), format="json")
    assert "means" in response.json()["fields"]
    assert not InterferenceRecord.objects.exists()


def test_correction_through_the_api(iworld, district_record):
    client = client_for(iworld.procurator)
    response = client.post(
        URL,
        {**_body(iworld.case), "case": None, "corrects": district_record.pk, "correction_reason": "身份记错"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["corrects"] == district_record.pk
    original = client.get(f"{URL}{district_record.pk}/").json()
    assert original["corrected_by"] == response.json()["id"]
    assert original["person_name"] == "张某"
    # A reader who may not correct (the liaison) cannot, and a record out of scope is 404.
    liaison = client_for(iworld.discipline).post(
        URL, {**_body(iworld.case), "corrects": response.json()["id"], "correction_reason": "x"}, format="json"
    )
    assert liaison.status_code == 403
    outsider = client_for(iworld.other_supervisor).post(
        URL, {**_body(iworld.case), "corrects": district_record.pk, "correction_reason": "x"}, format="json"
    )
    assert outsider.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("name", ["procurator", "supervisor", "discipline"])
def test_update_and_delete_are_refused(iworld, district_record, method, name):
    client = client_for(getattr(iworld, name))
    response = getattr(client, method)(f"{URL}{district_record.pk}/", {"request": "改写"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "append_only"
    attachment = district_record.attachments.get()
    response = getattr(client, method)(f"/api/v1/interference-attachments/{attachment.pk}/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "append_only"
    assert InterferenceRecord.objects.get().request == district_record.request
    assert InterferenceAttachment.objects.count() == 1


def test_materials_upload(iworld, district_record):
    client = client_for(iworld.procurator)
    response = client.post(f"{URL}{district_record.pk}/attachments/", {"file": [pdf("补充.pdf")]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert district_record.attachments.count() == 2
    liaison = client_for(iworld.discipline).post(
        f"{URL}{district_record.pk}/attachments/", {"file": [pdf()]}, format="multipart"
    )
    assert liaison.status_code == 403
    assert district_record.attachments.count() == 2


def test_list_query_count_is_fixed(iworld, django_assert_max_num_queries):
    for _n in range(5):
        record(iworld.procurator, iworld.case, files=[pdf()])
    client = client_for(iworld.supervisor)
    client.get(URL)  # warm the token lookup path
    with django_assert_max_num_queries(8) as first:
        client.get(URL)
    for _n in range(5):
        record(iworld.procurator, iworld.case, files=[pdf()])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)
