"""Hearings the court postpones (改期) or cancels (取消开庭): only a scheduled hearing of an open case,
by the case's handler, with a reason; the previous date stays on the record, a cancelled hearing
stays marked cancelled and is neither registered for nor held, and the defendant agency's staff are
notified once per event."""

from __future__ import annotations

import contextlib

import pytest
from django.urls import reverse

from cases.models import Case, Event
from cases.timeline import changes_shown
from litigation import services
from litigation.models import Hearing
from litigation.selectors import agency_court_duties
from notifications.models import Notification
from tests.litigation.conftest import TODAY, D, approved_case, file_lawsuit
from tests.litigation.conftest import refused as refused_in_tables

pytestmark = pytest.mark.django_db

A = Hearing.Appearance
FIRST_DATE, NEW_DATE, LATER_DATE = D(2027, 1, 15), D(2027, 2, 20), D(2027, 3, 10)


@contextlib.contextmanager
def refused(*, field: str | None = None, code: str = "invalid"):
    """The error, every table as before, and nobody notified."""
    notifications = list(Notification.objects.order_by("pk").values())
    with refused_in_tables(field=field, code=code) as info:
        yield info
    assert list(Notification.objects.order_by("pk").values()) == notifications


@pytest.fixture
def lawsuit(world):
    """A lawsuit against agency1 (world.agency1_staff is notified), filed 2026-06-01."""
    return file_lawsuit(world, approved_case(world))


@pytest.fixture
def hearing(world, lawsuit) -> Hearing:
    """Scheduled for 2027-01-15 in 第一法庭; agency1 registered its head."""
    hearing = services.hearing_schedule(
        user=world.procurator, lawsuit=lawsuit, held_on=FIRST_DATE, court_room="第一法庭", today=TODAY
    )
    return services.hearing_register_appearance(
        user=world.agency1_staff, hearing=hearing, appearance=A.HEAD, names="王某（局长）", today=TODAY
    )


def reschedule(world, hearing, held_on=NEW_DATE, **kw) -> Hearing:
    kwargs = {
        "user": world.procurator,
        "hearing": hearing,
        "held_on": held_on,
        "reason": "被告申请延期",
        "today": TODAY,
    }
    return services.hearing_reschedule(**(kwargs | kw))


def cancel(world, hearing, **kw) -> Hearing:
    kwargs = {"user": world.procurator, "hearing": hearing, "reason": "原告撤回起诉", "today": TODAY}
    return services.hearing_cancel(**(kwargs | kw))


def agency_keys(world) -> list[str]:
    return list(Notification.objects.filter(recipient=world.agency1_staff).order_by("id").values_list("key", flat=True))


def close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)


# --- Rescheduling -----------------------------------------------------------------------------------


def test_rescheduling_keeps_the_previous_date_and_the_registration(world, hearing):
    hearing = reschedule(world, hearing, court_room="第三法庭")
    hearing.refresh_from_db()
    assert (hearing.held_on, hearing.rescheduled_from, hearing.reschedule_count) == (NEW_DATE, FIRST_DATE, 1)
    assert hearing.court_room == "第三法庭" and hearing.is_scheduled
    assert (hearing.registered_appearance, hearing.registered_names) == (A.HEAD, "王某（局长）")
    event = Event.objects.filter(case=hearing.lawsuit.case).latest("id")
    assert event.kind == Event.Kind.COURT_RECORDED
    assert changes_shown(event) == {"held_on": ["2027-01-15", "2027-02-20"], "court_room": ["第一法庭", "第三法庭"]}
    assert "被告申请延期" in event.note and "2027-01-15" in event.note


def test_a_blank_court_room_keeps_the_previous_one(world, hearing):
    hearing = reschedule(world, hearing, court_room="  ")
    assert hearing.court_room == "第一法庭"
    event = Event.objects.filter(case=hearing.lawsuit.case).latest("id")
    assert changes_shown(event) == {"held_on": ["2027-01-15", "2027-02-20"]}


def test_each_reschedule_notifies_the_agency_once(world, hearing):
    pk = hearing.pk
    assert agency_keys(world) == [f"litigation:hearing:{pk}:scheduled"]
    reschedule(world, hearing)
    reschedule(world, hearing, held_on=LATER_DATE, reason="法院工作安排")
    keys = agency_keys(world)
    assert keys == [
        f"litigation:hearing:{pk}:scheduled",
        f"litigation:hearing:{pk}:rescheduled:1",
        f"litigation:hearing:{pk}:rescheduled:2",
    ]
    note = Notification.objects.get(recipient=world.agency1_staff, key=keys[-1])
    assert "2027-03-10" in note.title
    assert "2027-02-20" in note.body and "法院工作安排" in note.body
    assert "已报备的出庭人员继续有效" in note.body
    hearing.refresh_from_db()
    assert (hearing.rescheduled_from, hearing.reschedule_count) == (NEW_DATE, 2)
    assert Event.objects.filter(case=hearing.lawsuit.case, changes__has_key="held_on").count() == 2


def test_a_rescheduled_hearing_is_held_on_its_new_date(world, hearing):
    hearing = reschedule(world, hearing)
    with refused(field="held_on"):  # not yet: the new date is still to come
        services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=FIRST_DATE)
    hearing = services.hearing_outcome_record(
        user=world.procurator, hearing=hearing, appearance=A.HEAD, appeared_names="王某", today=NEW_DATE
    )
    assert hearing.is_held and hearing.rescheduled_from == FIRST_DATE
    assert agency_keys(world)[-1] == f"litigation:hearing:{hearing.pk}:held"


def test_the_agency_may_change_its_registration_until_the_new_date(world, hearing):
    hearing = reschedule(world, hearing)
    # After the first date, before the new one.
    hearing = services.hearing_register_appearance(
        user=world.agency1_staff, hearing=hearing, appearance=A.STAFF, names="李某（科长）", today=D(2027, 2, 1)
    )
    assert hearing.registered_appearance == A.STAFF


def test_rescheduling_is_refused_to_anyone_but_the_handler(world, hearing):
    for user in (world.procurator_colleague, world.supervisor, world.city_supervisor, world.agency1_staff):
        with refused(code="permission_denied"):
            reschedule(world, hearing, user=user)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"held_on": FIRST_DATE}, "held_on"),  # the same date
        ({"held_on": D(2026, 12, 30)}, "held_on"),  # in the past
        ({"held_on": D(2026, 5, 1)}, "held_on"),  # before the filing
    ],
    ids=["no-reason", "same-date", "past", "before-filing"],
)
def test_rescheduling_refuses_bad_input(world, hearing, kwargs, field):
    with refused(field=field):
        reschedule(world, hearing, **kwargs)


def test_a_held_hearing_cannot_be_rescheduled_or_cancelled(world, hearing):
    held = services.hearing_record(
        user=world.procurator, lawsuit=hearing.lawsuit, held_on=D(2026, 6, 20), appearance=A.HEAD, today=TODAY
    )
    for target in (held, hearing):
        if target is hearing:
            services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=FIRST_DATE)
        with refused(code="invalid_transition"):
            reschedule(world, target)
        with refused(code="invalid_transition"):
            cancel(world, target)


def test_nothing_changes_on_a_closed_case(world, hearing):
    close(hearing.lawsuit.case)
    with refused(code="case_closed"):
        reschedule(world, hearing)
    with refused(code="case_closed"):
        cancel(world, hearing)


# --- Cancelling -------------------------------------------------------------------------------------


def test_a_cancelled_hearing_stays_on_the_record_and_the_agency_is_notified_once(world, hearing):
    hearing = cancel(world, hearing, today=D(2027, 1, 5))
    hearing.refresh_from_db()
    assert Hearing.objects.filter(pk=hearing.pk).exists()
    assert (hearing.is_cancelled, hearing.is_held, hearing.is_scheduled) == (True, False, False)
    assert (hearing.cancelled_on, hearing.cancel_reason) == (D(2027, 1, 5), "原告撤回起诉")
    assert hearing.registered_appearance == A.HEAD  # what was registered stays on the record
    assert agency_keys(world)[-1] == f"litigation:hearing:{hearing.pk}:cancelled"
    note = Notification.objects.get(recipient=world.agency1_staff, key=f"litigation:hearing:{hearing.pk}:cancelled")
    assert "2027-01-15" in note.title and "原告撤回起诉" in note.body
    event = Event.objects.filter(case=hearing.lawsuit.case).latest("id")
    assert "原告撤回起诉" in event.note and "取消" in event.note
    assert "已取消开庭" in str(hearing)


def test_a_cancelled_hearing_cannot_be_cancelled_rescheduled_registered_or_held(world, hearing):
    cancel(world, hearing)
    with refused(code="invalid_transition"):
        cancel(world, hearing, reason="再次取消")
    with refused(code="invalid_transition"):
        reschedule(world, hearing)
    with refused(code="invalid_transition"):
        services.hearing_register_appearance(
            user=world.agency1_staff, hearing=hearing, appearance=A.STAFF, names="李某", today=TODAY
        )
    with refused(code="invalid_transition"):
        services.hearing_outcome_record(user=world.procurator, hearing=hearing, appearance=A.HEAD, today=FIRST_DATE)


def test_cancelling_needs_a_reason_and_the_handler(world, hearing):
    with refused(field="reason"):
        cancel(world, hearing, reason=" ")
    for user in (world.procurator_colleague, world.supervisor, world.agency1_staff):
        with refused(code="permission_denied"):
            cancel(world, hearing, user=user)


# --- The agency portal --------------------------------------------------------------------------------


def test_the_next_hearing_skips_a_cancelled_one_and_follows_a_reschedule(world, lawsuit, hearing):
    later = services.hearing_schedule(user=world.procurator, lawsuit=lawsuit, held_on=LATER_DATE, today=TODAY)
    (duty,) = agency_court_duties(world.agency1_staff, today=TODAY)
    assert duty.next_hearing == hearing
    cancel(world, hearing)
    (duty,) = agency_court_duties(world.agency1_staff, today=TODAY)
    assert duty.next_hearing == later and duty.next_due == LATER_DATE
    reschedule(world, later, held_on=D(2027, 4, 1))
    (duty,) = agency_court_duties(world.agency1_staff, today=TODAY)
    assert duty.next_hearing.held_on == D(2027, 4, 1)
    cancel(world, later)
    (duty,) = agency_court_duties(world.agency1_staff, today=TODAY)
    assert duty.next_hearing is None


def test_the_agency_page_shows_a_rescheduled_and_a_cancelled_hearing(client, world, lawsuit, hearing):
    other = services.hearing_schedule(user=world.procurator, lawsuit=lawsuit, held_on=LATER_DATE, today=TODAY)
    reschedule(world, hearing)
    cancel(world, other, reason="合并审理")
    client.force_login(world.agency1_staff)
    html = client.get(reverse("agency_lawsuit_detail", args=[lawsuit.pk])).content.decode()
    assert 'data-rescheduled-from="2027-01-15"' in html and "已改期，原定 2027-01-15" in html
    assert 'data-cancelled="1"' in html and "已取消开庭" in html and "合并审理" in html
    register = reverse("litigation_hearing_action", args=[hearing.pk, "register"])
    assert register in html  # the rescheduled hearing may still be registered for
    assert reverse("litigation_hearing_action", args=[other.pk, "register"]) not in html
    # The handler's buttons are not the agency's.
    assert reverse("litigation_hearing_action", args=[hearing.pk, "cancel"]) not in html


def test_the_agency_home_no_longer_lists_a_cancelled_hearing(client, world, lawsuit, hearing):
    client.force_login(world.agency1_staff)
    assert "2027-01-15" in client.get(reverse("agency_home")).content.decode()
    cancel(world, hearing)
    assert "2027-01-15" not in client.get(reverse("agency_home")).content.decode()


# --- The handler's forms --------------------------------------------------------------------------------

# role → status of the reschedule and cancel forms (GET, and POST for those who may not act).
FORM_SCOPE = {
    "procurator": 200,
    "procurator_colleague": 403,
    "supervisor": 403,
    "city_supervisor": 403,
    "agency1_staff": 403,
    "agency2_staff": 404,
    "other_procurator": 404,
    "discipline": 404,
}


@pytest.mark.parametrize(("role", "expected"), FORM_SCOPE.items(), ids=list(FORM_SCOPE))
@pytest.mark.parametrize("action", ["reschedule", "cancel"])
def test_the_forms_are_for_the_handler(client, world, hearing, role, expected, action):
    url = reverse("litigation_hearing_action", args=[hearing.pk, action])
    client.force_login(getattr(world, role))
    assert client.get(url).status_code == expected
    if expected != 200:
        body = {"held_on": "2027-02-20", "reason": "改期"}
        before = Hearing.objects.values().get(pk=hearing.pk)
        assert client.post(url, body).status_code == expected
        assert Hearing.objects.values().get(pk=hearing.pk) == before


def test_the_handler_reschedules_and_cancels_through_the_forms(client, world, lawsuit, hearing):
    client.force_login(world.procurator)
    page = reverse("litigation_case", args=[lawsuit.case_id])
    html = client.get(page).content.decode()
    reschedule_url = reverse("litigation_hearing_action", args=[hearing.pk, "reschedule"])
    cancel_url = reverse("litigation_hearing_action", args=[hearing.pk, "cancel"])
    assert reschedule_url in html and cancel_url in html
    # The form's dates are entered as they are shown; TODAY of the service is the real day here,
    # so the new date is far in the future.
    response = client.post(reschedule_url, {"held_on": "2099-02-20", "court_room": "", "reason": "被告申请延期"})
    assert response.status_code == 302 and response["Location"] == page
    hearing.refresh_from_db()
    assert (hearing.held_on, hearing.rescheduled_from, hearing.court_room) == (D(2099, 2, 20), FIRST_DATE, "第一法庭")
    html = client.get(page).content.decode()
    assert 'data-rescheduled-from="2027-01-15"' in html
    response = client.post(cancel_url, {"reason": "原告撤回起诉"})
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.is_cancelled
    html = client.get(page).content.decode()
    assert 'data-cancelled="1"' in html and "原告撤回起诉" in html
    assert cancel_url not in html and reschedule_url not in html
    assert reverse("litigation_hearing_action", args=[hearing.pk, "outcome"]) not in html


def test_a_form_without_a_reason_shows_the_error_and_changes_nothing(client, world, hearing):
    client.force_login(world.procurator)
    before = Hearing.objects.values().get(pk=hearing.pk)
    for action, body in (("reschedule", {"held_on": "2099-02-20"}), ("cancel", {"reason": ""})):
        response = client.post(reverse("litigation_hearing_action", args=[hearing.pk, action]), body)
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"reason"}
    assert Hearing.objects.values().get(pk=hearing.pk) == before


def test_a_service_refusal_shows_at_its_field(client, world, hearing):
    client.force_login(world.procurator)
    url = reverse("litigation_hearing_action", args=[hearing.pk, "reschedule"])
    response = client.post(url, {"held_on": "2020-01-01", "reason": "改期"})
    assert response.status_code == 200 and "held_on" in response.context["form"].errors
    hearing.refresh_from_db()
    assert hearing.held_on == FIRST_DATE and hearing.reschedule_count == 0
