"""The litigation page and its forms: who reads, who acts, and what the defendant agency sees.

The scope matrix is generated: every role × every page; reading roles get 200, the handler alone
acts (others in scope 403), everyone out of scope 404, anonymous users go to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from litigation import services
from litigation.models import Hearing, Lawsuit
from tests.litigation.conftest import TODAY, D, file_lawsuit, first_ruling, litigation_case

pytestmark = pytest.mark.django_db

READ, FORBIDDEN, NOT_FOUND = 200, 403, 404

# role → (litigation page, action forms)
SCOPE = {
    "procurator": (READ, READ),  # the handler
    "procurator_colleague": (READ, FORBIDDEN),  # same procuratorate, not on the case
    "supervisor": (READ, FORBIDDEN),  # own procuratorate's supervisor
    "city_supervisor": (READ, FORBIDDEN),  # the superior procuratorate
    "city_procurator": (NOT_FOUND, NOT_FOUND),  # a procurator of the superior: not their case
    "other_procurator": (NOT_FOUND, NOT_FOUND),
    "other_supervisor": (NOT_FOUND, NOT_FOUND),
    "agency1_staff": (READ, FORBIDDEN),  # the defendant agency
    "agency2_staff": (NOT_FOUND, NOT_FOUND),  # another agency
    "discipline": (NOT_FOUND, NOT_FOUND),
}


@pytest.fixture
def litigation(world):
    lawsuit = file_lawsuit(world, internal_notes="内部研判：被告可能上诉。")
    services.hearing_record(
        user=world.procurator,
        lawsuit=lawsuit,
        held_on=D(2026, 6, 20),
        appearance=Hearing.Appearance.LAWYER_ONLY,
        court_room="第一法庭",
        today=TODAY,
    )
    ruling = first_ruling(lawsuit)
    return lawsuit, ruling


def _urls(lawsuit: Lawsuit, ruling) -> tuple[str, list[str]]:
    case = lawsuit.case
    page = reverse("litigation_case", args=[case.pk])
    actions = [
        reverse("litigation_lawsuit_file", args=[case.pk]),
        reverse("litigation_close", args=[case.pk]),
        *(
            reverse("litigation_lawsuit_action", args=[lawsuit.pk, a])
            for a in ("complaint-copy", "defence", "hearing", "ruling")
        ),
        *(
            reverse("litigation_ruling_action", args=[ruling.pk, a])
            for a in ("appeal", "effect", "compliance", "enforcement")
        ),
    ]
    return page, actions


@pytest.mark.parametrize(("role", "expected"), SCOPE.items(), ids=list(SCOPE))
def test_litigation_page_and_forms_scope(client, world, litigation, role, expected):
    page_status, action_status = expected
    page, actions = _urls(*litigation)
    defence = reverse("litigation_lawsuit_action", args=[litigation[0].pk, "defence"])
    client.force_login(getattr(world, role))
    assert client.get(page).status_code == page_status
    for url in actions:
        # The defendant agency's staff record their own defence (and nothing else).
        expected_status = READ if (role, url) == ("agency1_staff", defence) else action_status
        assert client.get(url).status_code == expected_status, url
        if expected_status != READ:
            assert client.post(url, {}).status_code == expected_status, url


def test_anonymous_users_are_sent_to_log_in(client, litigation):
    page, actions = _urls(*litigation)
    for url in [page, *actions]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_flags_the_lawyer_only_hearing_and_shows_the_appeal_deadline(client, world, litigation):
    client.force_login(world.procurator)
    html = client.get(reverse("litigation_case", args=[litigation[0].case_id])).content.decode()
    assert 'data-violation="1"' in html
    assert "违反出庭应诉规定" in html
    assert "2026-07-16" in html  # the appeal window of a judgment served on 07-01
    assert "内部研判" in html


def test_the_defendant_agency_sees_its_court_duties_but_not_internal_notes(client, world, litigation):
    client.force_login(world.agency1_staff)
    html = client.get(reverse("litigation_case", args=[litigation[0].case_id])).content.decode()
    assert litigation[0].court_case_number in html
    assert "违反出庭应诉规定" in html
    assert "内部研判" not in html
    assert "起诉材料" not in html


def test_the_defendant_agency_does_not_see_lawsuits_against_another_agency_of_the_same_case(client, world):
    case = litigation_case(world)
    case.agencies.add(world.agency2)
    file_lawsuit(world, case)
    other = file_lawsuit(world, case, defendant_agency=world.agency2)
    client.force_login(world.agency1_staff)
    html = client.get(reverse("litigation_case", args=[case.pk])).content.decode()
    assert other.court_case_number not in html


def test_the_handler_files_a_lawsuit_through_the_form(client, world):
    case = litigation_case(world)
    client.force_login(world.procurator)
    response = client.post(
        reverse("litigation_lawsuit_file", args=[case.pk]),
        {
            "court": "测试区人民法院",
            "court_case_number": "(2026)内0602行初12号",
            "filed_on": "2026-06-01",
            "defendant_agency": world.agency1.pk,
            "claims": "判令被告依法履职。",
            "materials": ["complaint"],
        },
    )
    assert response.status_code == 302
    assert Lawsuit.objects.get(case=case).court_case_number == "(2026)内0602行初12号"


def test_a_refused_form_shows_the_message_at_its_field_and_saves_nothing(client, world, litigation):
    lawsuit, _ruling = litigation
    client.force_login(world.procurator)
    response = client.post(
        reverse("litigation_lawsuit_action", args=[lawsuit.pk, "ruling"]),
        {
            "instance": "first",
            "kind": "judgment",
            "outcome": "dismiss",
            "decided_on": "2026-07-01",
            "served_on": "2026-07-02",
        },
    )
    assert response.status_code == 200
    assert "不能重复记录" in response.content.decode()
    assert lawsuit.rulings.count() == 1


def test_the_case_detail_tab_partial_renders_for_the_handler(client, world, litigation):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.procurator
    html = render_to_string(
        "litigation/_case_litigation_tab.html", {"case": litigation[0].case, "can_edit": True}, request=request
    )
    assert litigation[0].court_case_number in html
    # Ruled at first instance, within its window: appeal or effect are the next steps.
    assert reverse("litigation_ruling_action", args=[litigation[1].pk, "appeal"]) in html
    assert reverse("litigation_lawsuit_action", args=[litigation[0].pk, "hearing"]) not in html


def _page_queries(client, case) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("litigation_case", args=[case.pk])).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_many_lawsuits_hearings_and_rulings(client, world):
    # Lawsuits (with defendant and defence deadline), hearings, rulings (with both deadlines): one
    # query each, whatever their number (litigation.selectors.case_lawsuits).
    case = litigation_case(world)
    client.force_login(world.procurator)
    lawsuit = file_lawsuit(world, case)
    first_ruling(lawsuit)
    one = _page_queries(client, case)
    for _ in range(3):
        more = file_lawsuit(world, case)
        services.complaint_copy_received(user=world.procurator, lawsuit=more, received_on=D(2026, 6, 2), today=TODAY)
        for day in (10, 20):
            services.hearing_record(
                user=world.procurator, lawsuit=more, held_on=D(2026, 6, day), appearance="staff", today=TODAY
            )
        first_ruling(more)
    assert _page_queries(client, case) == one


def test_the_defendant_agency_records_its_defence_and_closes_the_defence_deadline(client, world):
    lawsuit = file_lawsuit(world)  # not heard yet: the defence period runs
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    client.force_login(world.agency1_staff)
    page = client.get(reverse("litigation_case", args=[lawsuit.case_id])).content.decode()
    url = reverse("litigation_lawsuit_action", args=[lawsuit.pk, "defence"])
    assert url in page
    assert client.post(url, {"submitted_on": "2026-06-16"}).status_code == 302
    lawsuit.refresh_from_db()
    assert (lawsuit.defence_submitted_on, lawsuit.defence_deadline.status) == (D(2026, 6, 16), "met")


def test_the_page_shows_the_trial_period_for_reference(client, world, litigation):
    client.force_login(world.procurator)
    html = client.get(reverse("litigation_case", args=[litigation[0].case_id])).content.decode()
    assert "2026-12-01" in html  # filed 2026-06-01 + 6 months


def test_the_defence_form_shows_the_agency_no_case_internals(client, world, litigation):
    lawsuit = litigation[0]
    client.force_login(world.agency1_staff)
    html = client.get(reverse("litigation_lawsuit_action", args=[lawsuit.pk, "defence"])).content.decode()
    assert lawsuit.court_case_number in html
    assert f'href="{reverse("case_detail", args=[lawsuit.case_id])}"' not in html
    assert lawsuit.case.title not in html


# --- The decision to sue: proposal and approval pages -------------------------------------------

APPROVAL = {
    "supervisor": 200,
    "city_supervisor": 200,
    "procurator": 403,
    "procurator_colleague": 403,
    "city_procurator": 404,
    "other_supervisor": 404,
    "agency1_staff": 404,
    "discipline": 404,
}


@pytest.mark.parametrize(("role", "code"), APPROVAL.items(), ids=list(APPROVAL))
def test_the_approval_pages_are_for_supervisors_in_the_line(client, world, role, code):
    from tests.litigation.conftest import follow_up_case, propose

    proposal = propose(world, follow_up_case(world))
    client.force_login(getattr(world, role))
    for name in ("lawsuit_proposal_approve", "lawsuit_proposal_return"):
        assert client.get(reverse(name, args=[proposal.pk])).status_code == code


def test_the_supervisor_approves_through_the_form_and_the_tab_shows_the_proposal(client, world):
    from cases.models import Case
    from tests.litigation.conftest import follow_up_case, propose

    case = follow_up_case(world)
    proposal = propose(world, case)
    client.force_login(world.supervisor)
    page = client.get(reverse("litigation_case", args=[case.pk])).content.decode()
    assert proposal.reasons in page and reverse("lawsuit_proposal_approve", args=[proposal.pk]) in page
    response = client.post(reverse("lawsuit_proposal_approve", args=[proposal.pk]), {"comment": "同意起诉"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.LITIGATION
    # The defendant agency never sees the proposal.
    lawsuit = file_lawsuit(world, case)
    client.force_login(world.agency1_staff)
    page = client.get(reverse("litigation_case", args=[case.pk])).content.decode()
    assert lawsuit.court_case_number in page and proposal.reasons not in page


def test_the_hearing_schedule_and_plaintiff_forms_render_for_the_handler(client, world, litigation):
    from cases.models import CaseType

    lawsuit, _ruling = litigation
    client.force_login(world.procurator)
    assert client.get(reverse("litigation_lawsuit_action", args=[lawsuit.pk, "schedule"])).status_code == 200
    civil = litigation_case(world, case_type=CaseType.CIVIL)
    assert client.get(reverse("litigation_plaintiff_suit", args=[civil.pk])).status_code == 200
