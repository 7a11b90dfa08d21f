"""The interference pages: scope matrix over every world user, the forms, the case page's link and
the list's query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interference.models import InterferenceRecord
from tests.interference.conftest import pdf, record
from tests.interference.test_api import READERS, USERS

pytestmark = pytest.mark.django_db

# Who may record on the district case (handled by `procurator`).
RECORDERS = {"procurator", "supervisor", "city_supervisor"}


@pytest.fixture
def district_record(iworld):
    return record(iworld.procurator, iworld.case, files=[pdf()])


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", USERS)
def test_scope_matrix_pages(client, iworld, district_record, name):
    _login(client, getattr(iworld, name))
    listing = client.get(reverse("interference_list"))
    if name.startswith("agency"):
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        assert (reverse("interference_detail", args=[district_record.pk]) in listing.content.decode()) == (
            name in READERS
        )
    detail = client.get(reverse("interference_detail", args=[district_record.pk]))
    assert detail.status_code == (200 if name in READERS else 404)
    attachment = district_record.attachments.get()
    download = client.get(reverse("interference_file", args=[attachment.pk]))
    assert download.status_code == (200 if name in READERS else 404)
    if download.status_code == 200:
        b"".join(download.streaming_content)
    correct = client.get(reverse("interference_correct", args=[district_record.pk]))
    assert correct.status_code == (200 if name in RECORDERS else 403 if name in READERS else 404)


def _form(case, **extra):
    return {
        "case": case.pk,
        "person_name": "赵某",
        "person_unit": "某旗政府办公室",
        "person_position": "主任",
        "relation": "staff",
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "place": "电话",
        "means": "phone",
        "request": "打招呼要求不再跟进",
        **extra,
    }


def test_handler_records_through_the_form(client, iworld):
    _login(client, iworld.procurator)
    page = client.get(reverse("interference_create") + f"?case={iworld.case.pk}")
    assert page.status_code == 200
    assert iworld.other_case.number not in page.content.decode()
    response = client.post(reverse("interference_create"), {**_form(iworld.case), "files": [pdf()]})
    assert response.status_code == 302
    saved = InterferenceRecord.objects.get()
    assert saved.recorded_by == iworld.procurator and saved.attachments.count() == 1


def test_another_procuratorates_handler_cannot_pick_this_case(client, iworld):
    _login(client, iworld.other_procurator)
    response = client.post(reverse("interference_create"), _form(iworld.case))
    assert "case" in response.context["form"].errors
    assert not InterferenceRecord.objects.exists()


def test_the_form_refuses_bad_input_and_changes_nothing(client, iworld):
    _login(client, iworld.procurator)
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("interference_create"), _form(iworld.case, occurred_on=future))
    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    response = client.post(reverse("interference_create"), _form(iworld.other_case))
    assert "case" in response.context["form"].errors
    assert not InterferenceRecord.objects.exists()


@pytest.mark.parametrize("name", ["procurator_colleague", "agency1_staff", "discipline"])
def test_the_form_is_for_handlers_and_supervisors(client, iworld, name):
    _login(client, getattr(iworld, name))
    assert client.get(reverse("interference_create")).status_code == 403
    assert client.post(reverse("interference_create"), _form(iworld.case)).status_code == 403
    assert not InterferenceRecord.objects.exists()


def test_correction_form_and_the_list_shows_it(client, iworld, district_record):
    _login(client, iworld.supervisor)
    url = reverse("interference_correct", args=[district_record.pk])
    assert "张某" in client.get(url).content.decode()  # prefilled from the record
    data = _form(iworld.case, correction_reason="方式记错")
    data.pop("case")
    response = client.post(url, data)
    assert response.status_code == 302
    correction = InterferenceRecord.objects.get(corrects=district_record)
    listing = client.get(reverse("interference_list")).content.decode()
    assert "已更正" in listing and "更正记录" in listing
    detail = client.get(reverse("interference_detail", args=[district_record.pk])).content.decode()
    assert reverse("interference_detail", args=[correction.pk]) in detail
    # A second correction of the same record is refused on the form.
    response = client.post(url, data)
    assert response.status_code == 200
    assert InterferenceRecord.objects.count() == 2


def test_filters(client, iworld, district_record):
    record(iworld.procurator, iworld.case, means="letter", person_name="函件人")
    _login(client, iworld.supervisor)
    page = client.get(reverse("interference_list"), {"means": "letter"}).content.decode()
    assert "函件人" in page and "张某" not in page
    page = client.get(reverse("interference_list"), {"case": iworld.case.pk, "occurred_from": "2026-05-10"})
    assert page.status_code == 200
    bad = client.get(reverse("interference_list"), {"occurred_from": "0001-01-01", "case": "x"})
    assert bad.status_code == 400


@pytest.mark.parametrize("name", USERS)
def test_case_page_link(client, iworld, district_record, name):
    _login(client, getattr(iworld, name))
    response = client.get(reverse("case_detail", args=[iworld.case.pk]))
    if response.status_code != 200:
        return  # the case page itself is out of scope
    page = response.content.decode()
    assert ("干预记录 (1)" in page) == (name in RECORDERS)


def test_list_query_count_is_fixed(client, iworld, django_assert_num_queries):
    for _n in range(3):
        record(iworld.procurator, iworld.case)
    _login(client, iworld.discipline)
    client.get(reverse("interference_list"))
    # session, user, the user's organisation (the covered procuratorates), the unread notifications
    # badge, the page count, the page's records (whether the liaison may record: no query).
    with django_assert_num_queries(6) as first:
        client.get(reverse("interference_list"))
    for _n in range(10):
        record(iworld.procurator, iworld.case)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("interference_list"))
