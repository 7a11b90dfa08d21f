"""The defendant agency's side (issue 5 "Agency side"): hearings scheduled and its registration of
who appears, its notifications, the deadline scan's reminders of its court periods, and its portal
page, which never shows the procuratorate's internal notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from litigation import services
from litigation.models import Hearing, Lawsuit, Ruling
from notifications.models import Notification
from tests.factories import UserFactory
from tests.litigation.conftest import TODAY, D, approved_case, file_lawsuit, first_ruling, refused

pytestmark = pytest.mark.django_db

A = Hearing.Appearance


@pytest.fixture
def lawsuit(world):
    """A lawsuit against agency1 following its recommendation, filed 2026-06-01."""
    return file_lawsuit(world, approved_case(world))


def schedule(world, lawsuit, held_on=None, **kw) -> Hearing:
    return services.hearing_schedule(
        user=world.procurator,
        lawsuit=lawsuit,
        held_on=held_on or D(2027, 1, 15),
        court_room="第一法庭",
        today=TODAY,
        **kw,
    )


def agency_notes(world) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.agency1_staff).order_by("id"))


# --- Hearings: scheduled, registered, held -----------------------------------------------------------


def test_a_scheduled_hearing_is_notified_and_the_agency_registers_who_appears(world, lawsuit):
    hearing = schedule(world, lawsuit)
    assert (hearing.is_held, hearing.appearance, hearing.is_violation) == (False, "", False)
    (note,) = agency_notes(world)
    assert note.url == reverse("agency_lawsuit_detail", args=[lawsuit.pk])
    assert "2027-01-15" in note.title and note.key == f"litigation:hearing:{hearing.pk}:scheduled"
    hearing = services.hearing_register_appearance(
        user=world.agency1_staff, hearing=hearing, appearance=A.HEAD, names="王某（局长）", today=TODAY
    )
    assert (hearing.registered_appearance, hearing.registered_by) == (A.HEAD, world.agency1_staff)
    # It may change its registration until the hearing; lawyer-only is recorded, and flagged.
    hearing = services.hearing_register_appearance(
        user=world.agency1_staff, hearing=hearing, appearance=A.LAWYER_ONLY, names="张律师", today=TODAY
    )
    assert hearing.registration_is_violation
    hearing = services.hearing_outcome_record(
        user=world.procurator, hearing=hearing, appearance=A.STAFF, appeared_names="李某", today=D(2027, 1, 15)
    )
    assert hearing.is_held and not hearing.is_violation
    assert agency_notes(world)[-1].key == f"litigation:hearing:{hearing.pk}:held"


def test_registration_is_refused_to_others_after_the_hearing_and_without_names(world, lawsuit):
    hearing = schedule(world, lawsuit)
    for user in (world.agency2_staff, world.procurator_colleague, world.supervisor):
        with refused(code="permission_denied"):
            services.hearing_register_appearance(
                user=user, hearing=hearing, appearance=A.HEAD, names="王某", today=TODAY
            )
    with refused(field="names"):
        services.hearing_register_appearance(
            user=world.agency1_staff, hearing=hearing, appearance=A.HEAD, names=" ", today=TODAY
        )
    with refused(field="appearance"):
        services.hearing_register_appearance(
            user=world.agency1_staff, hearing=hearing, appearance=A.NOBODY, names="无", today=TODAY
        )
    with refused(code="invalid_transition"):
        services.hearing_register_appearance(
            user=world.agency1_staff, hearing=hearing, appearance=A.HEAD, names="王某", today=D(2027, 1, 16)
        )


def test_a_merged_agency_reads_its_lawsuit_but_registers_nothing(world, lawsuit):
    hearing = schedule(world, lawsuit)
    world.agency1.merged_into = world.agency2
    world.agency1.save()
    with refused(code="permission_denied"):
        services.hearing_register_appearance(
            user=world.agency1_staff, hearing=hearing, appearance=A.HEAD, names="王某", today=TODAY
        )


def test_a_hearing_is_scheduled_for_today_or_later_and_its_outcome_recorded_once_it_is_past(world, lawsuit):
    with refused(field="held_on"):
        schedule(world, lawsuit, held_on=D(2026, 12, 30))
    hearing = schedule(world, lawsuit)
    with refused(field="held_on"):
        services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=TODAY)
    services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=D(2027, 1, 15))
    with refused(code="invalid_transition"):
        services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=D(2027, 1, 15))


# --- Notifications and the deadline scan -------------------------------------------------------------


def test_the_complaint_copy_notifies_the_agency_once_and_links_the_defence_to_its_recommendation(world, lawsuit):
    UserFactory(organisation=world.agency1, role="agency_staff", is_active=False)  # an inactive one: not notified
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    lawsuit.refresh_from_db()
    assert lawsuit.defence_deadline.recommendation_id == lawsuit.recommendation_id is not None
    (note,) = agency_notes(world)
    assert "2026-06-17" in note.title and note.key == f"litigation:lawsuit:{lawsuit.pk}:defence"
    assert note.kind == Notification.Kind.COURT_DEFENCE
    assert not Notification.objects.filter(recipient=world.agency2_staff).exists()
    assert "内部" not in note.body


def test_the_deadline_scan_reminds_the_agency_of_its_defence_and_compliance_periods(world, lawsuit):
    lawsuit = services.complaint_copy_received(
        user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY
    )
    defence = Deadline.objects.get(pk=lawsuit.defence_deadline_id)
    deadlines_scan(today=D(2026, 6, 19))  # the defence was due 06-17: overdue
    keys = set(Notification.objects.filter(recipient=world.agency1_staff).values_list("key", flat=True))
    assert f"deadline:{defence.pk}:overdue" in keys
    ruling = first_ruling(lawsuit)
    services.defence_submitted(user=world.agency1_staff, lawsuit=lawsuit, submitted_on=D(2026, 6, 20), today=TODAY)
    ruling = services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    compliance = ruling.compliance_deadline
    assert compliance.recommendation_id == lawsuit.recommendation_id
    deadlines_scan(today=D(2026, 10, 2))  # compliance was due 09-30
    keys = set(Notification.objects.filter(recipient=world.agency1_staff).values_list("key", flat=True))
    assert f"deadline:{compliance.pk}:overdue" in keys


def test_a_ruling_is_notified_with_its_compliance_deadline_once_effective(world, lawsuit):
    ruling = first_ruling(lawsuit)
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    recorded, effective = agency_notes(world)
    assert recorded.key == f"litigation:ruling:{ruling.pk}:recorded" and "责令限期履行" in recorded.title
    assert effective.key == f"litigation:ruling:{ruling.pk}:effective" and "2026-09-30" in effective.body


def test_a_civil_defendant_has_no_agency_to_notify(world):
    from cases.models import CaseType
    from tests.litigation.conftest import litigation_case

    lawsuit = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    assert not Notification.objects.exists()


# --- The agency portal -------------------------------------------------------------------------------


@pytest.fixture
def court_history(world, lawsuit):
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    services.hearing_record(
        user=world.procurator,
        lawsuit=lawsuit,
        held_on=D(2026, 6, 20),
        appearance=A.LAWYER_ONLY,
        appeared_names="张律师",
        note="内部研判：被告答辩消极。",
        today=TODAY,
    )
    ruling = first_ruling(lawsuit)
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    return lawsuit, ruling


def test_the_agency_portal_lists_its_court_duties_and_the_lawsuit_page_hides_internals(client, world, court_history):
    lawsuit, _ruling = court_history
    type(lawsuit).objects.filter(pk=lawsuit.pk).update(internal_notes="内部备注：承办人意见")
    client.force_login(world.agency1_staff)
    home = client.get(reverse("agency_home")).content.decode()
    assert lawsuit.court_case_number in home and reverse("agency_lawsuit_detail", args=[lawsuit.pk]) in home
    page = client.get(reverse("agency_lawsuit_detail", args=[lawsuit.pk])).content.decode()
    assert "2026-06-17" in page  # the defence deadline
    assert "违反出庭应诉规定" in page and "2026-09-30" in page
    for secret in ("内部备注", "内部研判", "起诉书"):
        assert secret not in page
    # The court heard and decided the case: the defence period is over, not counted down, not offered.
    assert 'data-defence-over="1"' in page and "答辩期已结束" in page
    assert reverse("litigation_lawsuit_action", args=[lawsuit.pk, "defence"]) not in page


@pytest.mark.parametrize(
    ("who", "code"),
    [("agency1_staff", 200), ("agency2_staff", 404), ("procurator", 404), ("supervisor", 404), ("discipline", 404)],
)
def test_the_agency_lawsuit_page_is_for_the_defendant_only(client, world, lawsuit, who, code):
    client.force_login(getattr(world, who))
    assert client.get(reverse("agency_lawsuit_detail", args=[lawsuit.pk])).status_code == code


def test_the_agency_registers_through_its_portal_and_returns_to_it(client, world, lawsuit):
    hearing = schedule(world, lawsuit)
    client.force_login(world.agency1_staff)
    page = client.get(reverse("agency_lawsuit_detail", args=[lawsuit.pk])).content.decode()
    url = reverse("litigation_hearing_action", args=[hearing.pk, "register"])
    assert url in page
    response = client.post(url, {"appearance": A.DEPUTY_HEAD, "names": "赵某（副局长）"})
    assert response.status_code == 302 and response["Location"] == reverse("agency_lawsuit_detail", args=[lawsuit.pk])
    hearing.refresh_from_db()
    assert hearing.registered_appearance == A.DEPUTY_HEAD
    # The outcome is the procuratorate's to record.
    assert client.get(reverse("litigation_hearing_action", args=[hearing.pk, "outcome"])).status_code == 403
    client.force_login(world.agency2_staff)
    assert client.get(url).status_code == 404


def test_the_agency_home_costs_a_fixed_number_of_queries_with_lawsuits(client, world, django_assert_num_queries):
    def make():
        lawsuit = file_lawsuit(world, approved_case(world))
        services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
        schedule(world, lawsuit)
        first_ruling(lawsuit, instance=Ruling.Instance.FIRST)

    make()
    client.force_login(world.agency1_staff)
    # session, user, organisation, the open groups' sizes and first ids, the agency's total, the
    # evaluated group's first ids, those recommendations, their
    # agency deadlines; the running lawsuits ranked (with their defence deadlines, their hearings,
    # their rulings), the ones shown (with case, procuratorate, defendant and defence deadline),
    # their hearings, rulings, ruling files, lawsuit files, the count of finished lawsuits;
    # the agency's open joint-meeting decisions, the open assistance requests (assistance app),
    # the bell's unread count.
    with django_assert_num_queries(20):
        assert client.get(reverse("agency_home")).status_code == 200
    make()
    make()
    with django_assert_num_queries(20):
        client.get(reverse("agency_home"))


def test_the_agency_home_keeps_court_deadlines_out_of_the_recommendation_rows(world, lawsuit):
    """The defence deadline is linked to the recommendation (so the scan reaches the agency) but is
    shown with the lawsuit: the recommendation's row on the agency home has no due date of its own."""
    from feedback.selectors import agency_home

    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    home = agency_home(world.agency1_staff, today=D(2026, 6, 5))
    rows = [row for rows in home.groups.values() for row in rows if row.recommendation.pk == lawsuit.recommendation_id]
    assert len(rows) == 1
    assert rows[0].due_on is None
    assert Deadline.objects.filter(recommendation_id=lawsuit.recommendation_id, status="open").exists()


def test_the_agency_home_shows_the_most_urgent_running_lawsuits_and_links_to_all(client, world):
    from litigation.selectors import agency_home_court_duties

    running = [file_lawsuit(world, approved_case(world)) for _ in range(3)]
    finished = running.pop()
    Lawsuit.objects.filter(pk=finished.pk).update(status=Lawsuit.Status.COMPLIED)
    part = agency_home_court_duties(world.agency1_staff, today=TODAY, rows=1)
    assert (len(part["court_duties"]), part["court_duties_total"], part["court_duties_finished"]) == (1, 2, 1)
    assert part["court_duties"][0].lawsuit in running
    assert agency_home_court_duties(world.agency2_staff, today=TODAY, rows=1)["court_duties_total"] == 0

    client.force_login(world.agency1_staff)
    home = client.get(reverse("agency_home")).content.decode()
    assert 'data-court-total="2"' in home and reverse("agency_lawsuits") in home
    assert reverse("agency_lawsuit_detail", args=[finished.pk]) not in home
    everything = client.get(reverse("agency_lawsuits")).content.decode()
    for lawsuit in [*running, finished]:
        assert reverse("agency_lawsuit_detail", args=[lawsuit.pk]) in everything
    url = lambda lawsuit: reverse("agency_lawsuit_detail", args=[lawsuit.pk])  # noqa: E731
    assert max(everything.index(url(r)) for r in running) < everything.index(url(finished))  # finished last
    client.force_login(world.agency2_staff)
    assert (
        reverse("agency_lawsuit_detail", args=[running[0].pk])
        not in client.get(reverse("agency_lawsuits")).content.decode()
    )
    client.force_login(world.procurator)
    assert client.get(reverse("agency_lawsuits")).status_code == 404


def test_the_agency_homes_court_rows_are_the_head_of_the_agencys_ranked_duties(world):
    """The home ranks the running lawsuits from their deadlines, hearings and rulings alone and
    reads the details of the rows shown: its rows are the first of agency_court_duties' list
    (running only), in the same order, whatever the number of rows."""
    from litigation.selectors import agency_court_duties, agency_home_court_duties

    lawsuits = [file_lawsuit(world, approved_case(world)) for _ in range(6)]
    # Defence periods from three different dates, hearings on two dates (one lawsuit has both),
    # a ruling ordering performance, and one lawsuit with nothing due: ties and gaps in the order.
    for lawsuit, received in zip(lawsuits[:3], (D(2026, 6, 9), D(2026, 6, 2), D(2026, 6, 9)), strict=True):
        services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=received, today=TODAY)
    schedule(world, lawsuits[2], held_on=D(2027, 1, 8))
    schedule(world, lawsuits[3], held_on=D(2027, 1, 20))
    first_ruling(lawsuits[4])
    day = D(2027, 1, 10)
    full = agency_court_duties(world.agency1_staff, today=day, unfinished_only=True)
    assert len(full) == 6
    assert len({duty.next_due for duty in full}) > 2  # the order is not the filing order alone
    for rows in range(1, 8):
        part = agency_home_court_duties(world.agency1_staff, today=day, rows=rows)
        assert [(d.lawsuit.pk, d.next_due) for d in part["court_duties"]] == [
            (d.lawsuit.pk, d.next_due) for d in full[:rows]
        ]
        assert part["court_duties_total"] == 6
