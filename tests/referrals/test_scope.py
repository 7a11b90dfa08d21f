"""Who sees and who acts on a referral, on the pages and through the API (docs/domain.md,
Referrals): the allowed role succeeds, an outsider gets 404, a reader gets 403 on a step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import Referral
from tests.api.conftest import client_for, pdf
from tests.referrals.conftest import incoming_in, outgoing_in

pytestmark = pytest.mark.django_db

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

# Who reads an outgoing referral of a district case once it is sent, and an incoming one sent to
# the district procuratorate.
SEES_OUTGOING_SENT = {"procurator", "procurator_colleague", "supervisor", "city_supervisor", "discipline"}
SEES_OUTGOING_DRAFT = SEES_OUTGOING_SENT - {"discipline"}
SEES_INCOMING_SENT = {"procurator", "procurator_colleague", "supervisor", "city_supervisor", "discipline"}
SEES_INCOMING_DRAFT = {"discipline"}


@pytest.fixture
def referrals(world, case):
    return {
        "outgoing_draft": outgoing_in(world, case, "draft"),
        "outgoing_sent": outgoing_in(world, case, "sent"),
        "incoming_draft": incoming_in(world, "draft"),
        "incoming_sent": incoming_in(world, "sent"),
    }


EXPECTED = {
    "outgoing_draft": SEES_OUTGOING_DRAFT,
    "outgoing_sent": SEES_OUTGOING_SENT,
    "incoming_draft": SEES_INCOMING_DRAFT,
    "incoming_sent": SEES_INCOMING_SENT,
}


@pytest.mark.parametrize("who", USERS)
def test_the_detail_page_and_the_api_answer_404_out_of_scope(client, world, referrals, who):
    user = getattr(world, who)
    client.force_login(user)
    api = client_for(user)
    for name, referral in referrals.items():
        expected = 200 if who in EXPECTED[name] else 404
        assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == expected, name
        assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == expected, name
    listed = {r["id"] for r in api.get("/api/v1/referrals/").json()["results"]}
    assert listed == {r.pk for n, r in referrals.items() if who in EXPECTED[n]}
    page = client.get(reverse("referral_list"))
    if who.startswith("agency"):
        assert page.status_code == 404
    else:
        assert {r.pk for r in page.context["page_obj"].object_list} == listed


def test_guessed_ids_answer_404(client, world, referrals):
    client.force_login(world.procurator)
    assert client.get(reverse("referral_detail", args=[999999])).status_code == 404
    assert client_for(world.procurator).get("/api/v1/referrals/99999999999/").status_code == 404
    assert client_for(world.procurator).post("/api/v1/referrals/999999/send/").status_code == 404


@pytest.mark.parametrize(
    ("name", "action", "who", "body", "expected"),
    [
        ("outgoing_draft", "submit", "procurator", {}, 200),
        ("outgoing_draft", "submit", "procurator_colleague", {}, 403),
        ("outgoing_draft", "submit", "supervisor", {}, 403),
        ("outgoing_draft", "submit", "discipline", {}, 404),
        ("outgoing_draft", "submit", "other_supervisor", {}, 404),
        ("outgoing_draft", "submit", "agency1_staff", {}, 404),
        ("outgoing_draft", "send", "procurator", {}, 400),
        ("outgoing_sent", "acknowledge", "discipline", {"acknowledged_on": "today"}, 200),
        ("outgoing_sent", "acknowledge", "procurator", {"acknowledged_on": "today"}, 403),
        ("outgoing_sent", "acknowledge", "other_procurator", {"acknowledged_on": "today"}, 404),
        ("incoming_sent", "acknowledge", "procurator", {"acknowledged_on": "today"}, 200),
        ("incoming_sent", "acknowledge", "city_supervisor", {"acknowledged_on": "today"}, 403),
        ("incoming_sent", "acknowledge", "discipline", {"acknowledged_on": "today"}, 403),
        ("incoming_sent", "acknowledge", "other_supervisor", {"acknowledged_on": "today"}, 404),
        ("incoming_draft", "send", "discipline", {}, 200),
        ("incoming_draft", "send", "procurator", {}, 404),
    ],
)
def test_the_api_action_matrix(world, referrals, name, action, who, body, expected):
    from django.utils import timezone

    body = {k: (timezone.localdate().isoformat() if v == "today" else v) for k, v in body.items()}
    referral = referrals[name]
    before = Referral.objects.get(pk=referral.pk).status
    response = client_for(getattr(world, who)).post(f"/api/v1/referrals/{referral.pk}/{action}/", body, format="json")
    assert response.status_code == expected, response.content
    if expected != 200:
        assert Referral.objects.get(pk=referral.pk).status == before


def test_the_api_drafts_both_directions_and_takes_files(world, case, domain_obj=None):
    from tests.factories import domain

    api = client_for(world.procurator)
    response = api.post(
        "/api/v1/referrals/",
        {
            "direction": "to_commission",
            "case": case.pk,
            "commission": world.commission.pk,
            "title": "涉嫌失职",
            "concern": "dereliction",
            "persons_concerned": "某局",
            "facts": "事实",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    upload = api.post(f"/api/v1/referrals/{pk}/files/", {"file": pdf()}, format="multipart")
    assert upload.status_code == 201, upload.content
    missing = api.post("/api/v1/referrals/", {"direction": "to_commission", "title": "t", "facts": "f"}, format="json")
    assert missing.status_code == 400
    foreign = client_for(world.other_procurator).post(
        "/api/v1/referrals/",
        {
            "direction": "to_commission",
            "case": case.pk,
            "commission": world.commission.pk,
            "title": "t",
            "concern": "other",
            "persons_concerned": "p",
            "facts": "f",
        },
        format="json",
    )
    assert foreign.status_code == 404
    incoming = client_for(world.discipline).post(
        "/api/v1/referrals/",
        {
            "direction": "to_procuratorate",
            "procuratorate": world.district.pk,
            "domain": domain().pk,
            "title": "t",
            "facts": "f",
        },
        format="json",
    )
    assert incoming.status_code == 201, incoming.content
    assert (
        client_for(world.agency1_staff)
        .post(
            "/api/v1/referrals/",
            {
                "direction": "to_procuratorate",
                "procuratorate": world.district.pk,
                "domain": domain().pk,
                "title": "t",
                "facts": "f",
            },
            format="json",
        )
        .status_code
        == 403
    )


def test_web_steps_and_the_file_download(client, world, case):
    client.force_login(world.procurator)
    response = client.post(
        reverse("referral_create_outgoing", args=[case.pk]),
        {
            "commission": world.commission.pk,
            "title": "涉嫌失职",
            "concern": "dereliction",
            "persons_concerned": "某局",
            "facts": "事实",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    client.post(reverse("referral_action", args=[referral.pk, "file"]), {"upload": pdf()})
    file = referral.files.get()
    download = client.get(reverse("referral_file_download", args=[file.pk]))
    assert download.status_code == 200
    # Read to the end (closes the file) without close(), whose request_finished would close the
    # database connection of the test's transaction on PostgreSQL.
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.other_procurator)
    assert client.get(reverse("referral_file_download", args=[file.pk])).status_code == 404
    client.force_login(world.procurator_colleague)
    assert client.post(reverse("referral_action", args=[referral.pk, "submit"])).status_code == 403
    client.force_login(world.procurator)
    assert client.post(reverse("referral_action", args=[referral.pk, "submit"])).status_code == 302
    client.force_login(world.supervisor)
    inbox = client.get(reverse("approval_list"))
    assert [i.kind for i in inbox.context["items"]] == ["referral"]
    assert client.post(reverse("referral_action", args=[referral.pk, "approve"])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "approved"
    client.force_login(world.procurator)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert referral.number in page.content.decode()


def test_the_lead_page_links_back_to_the_referral(client, world):
    referral = incoming_in(world, "received")
    client.force_login(world.procurator)
    page = client.get(reverse("lead_detail", args=[referral.lead_id])).content.decode()
    assert "来自纪委监委移送" in page and reverse("referral_detail", args=[referral.pk]) in page


def test_the_liaison_home_shows_what_waits(client, world, case):
    referral = outgoing_in(world, case, "sent")
    client.force_login(world.discipline)
    page = client.get("/").content.decode()
    assert referral.number in page and "待签收" in page


def test_the_list_costs_a_fixed_number_of_queries(client, world, case, django_assert_num_queries):
    for _ in range(3):
        outgoing_in(world, case, "sent")
    client.force_login(world.supervisor)
    client.get(reverse("referral_list"))
    with django_assert_num_queries(7):
        client.get(reverse("referral_list"))
    outgoing_in(world, case, "received")
    with django_assert_num_queries(7):
        client.get(reverse("referral_list"))
