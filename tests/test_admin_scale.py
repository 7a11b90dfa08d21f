"""The Django admin at national scale: the changelists of the tables that grow with the caseload
neither count every row nor list the years of every row (docs/scaling.md)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CaseFactory, UserFactory

# The tables that grow with the caseload (a million cases: several million of each of these).
LARGE = [
    "cases.Case",
    "cases.Lead",
    "cases.Recommendation",
    "cases.RecommendationItem",
    "cases.Event",
    "notifications.Notification",
]


@pytest.mark.parametrize("label", LARGE)
def test_a_large_table_has_no_date_hierarchy_and_no_full_count(label):
    model_admin = admin.site._registry[apps.get_model(label)]
    assert model_admin.date_hierarchy is None
    assert model_admin.show_full_result_count is False


def test_the_case_changelist_runs_no_scan_of_every_row(client, world):
    CaseFactory(procuratorate=world.district, handler=world.procurator)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True, role="", organisation=None))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:cases_case_changelist"))
    assert response.status_code == 200
    sql = [q["sql"].upper() for q in queries]
    # No DISTINCT over dates (date_hierarchy) and no unfiltered COUNT of the whole table next to the
    # filtered one (show_full_result_count).
    assert not [s for s in sql if "DISTINCT" in s and "OPENED_ON" in s]
    counts = [s for s in sql if "COUNT(" in s and '"CASES_CASE"' in s]
    assert len(counts) <= 1
    # The date filter is offered instead.
    assert "opened_on__gte" in response.content.decode()
