"""The acknowledgement form (签收) refused: the page comes back with the date as typed, the error
beside it and in the form's error summary (issue 14: it used to reset the date)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from feedback.models import Acknowledgement


def test_a_refused_acknowledgement_keeps_the_date_typed(client, world, served):
    client.force_login(world.agency1_staff)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("agency_acknowledge", args=[served.pk]), {"acknowledged_on": future})
    assert response.status_code == 200
    form = response.context["acknowledge_form"]
    assert form.errors["acknowledged_on"]
    html = response.content.decode()
    assert f'value="{future}"' in html
    assert 'class="alert alert-danger form-error-summary"' in html
    assert 'href="#id_acknowledged_on"' in html
    assert not Acknowledgement.objects.exists()


def test_a_date_that_is_not_a_date_is_kept_as_typed(client, world, served):
    client.force_login(world.agency1_staff)
    response = client.post(reverse("agency_acknowledge", args=[served.pk]), {"acknowledged_on": "2026-02-30"})
    assert response.status_code == 200
    assert 'value="2026-02-30"' in response.content.decode()
