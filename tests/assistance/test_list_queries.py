"""The assistance list page costs a fixed number of queries, whatever the number of requests
(the agency and the case of each row come with it: select_related)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assistance import services
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(world):
    for n in range(3):
        case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
        services.assistance_request_send(
            user=world.procurator, case=case, agency=world.agency1, kind="files", subject=f"请求{n}", details="d"
        )


@pytest.mark.parametrize("name", ["procurator", "agency1_staff"])
def test_the_assistance_list_costs_six_queries(world, requests, client, django_assert_num_queries, name):
    client.force_login(getattr(world, name))
    # 1. the session; 2. the user;
    # 3. the paginator's COUNT of the requests in scope;
    # 4. the unread notifications' count (base.html);
    # 5. the user's organisation (base.html's navigation);
    # 6. the page of requests with their agency and case (select_related).
    with django_assert_num_queries(6):
        response = client.get(reverse("assistance_list"))
    assert response.status_code == 200
    assert all(f"请求{n}" in response.content.decode() for n in range(3))
