"""The notification centre: a user only ever sees and marks their own notifications."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notifications_create
from tests.notifications.helpers import spec

ROLES = [
    "procurator",
    "supervisor",
    "city_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
]
pytestmark = [
    # whitenoise warns that STATIC_ROOT is not collected, which a test run never does.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def list_url() -> str:
    return reverse("notifications:list")


@pytest.fixture
def everyone_notified(world):
    notifications_create(
        specs=[spec(getattr(world, name), "deadline:1:overdue", title=f"给{name}的通知") for name in ROLES]
    )
    return world


def own(world, name: str) -> Notification:
    return Notification.objects.get(recipient=getattr(world, name))


@pytest.mark.parametrize("name", ROLES)
def test_the_list_shows_only_the_users_own_notifications(client, everyone_notified, name):
    client.force_login(getattr(everyone_notified, name))

    response = client.get(list_url())

    assert response.status_code == 200
    assert [n.title for n in response.context["page_obj"]] == [f"给{name}的通知"]
    for other in ROLES:
        assert (f"给{other}的通知" in response.text) == (other == name)


@pytest.mark.parametrize("name", ROLES)
def test_opening_another_users_notification_is_not_found(client, everyone_notified, name):
    w = everyone_notified
    victim = own(w, "procurator" if name != "procurator" else "supervisor")
    client.force_login(getattr(w, name))

    response = client.post(reverse("notifications:open", args=[victim.pk]))

    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.read_at is None


def test_an_id_that_does_not_exist_is_not_found_either(client, everyone_notified):
    client.force_login(everyone_notified.procurator)
    assert client.post(reverse("notifications:open", args=[10**9])).status_code == 404


def test_opening_marks_read_and_goes_to_the_item(client, everyone_notified):
    w = everyone_notified
    notification = own(w, "agency1_staff")
    client.force_login(w.agency1_staff)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == "/cases/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    first_read = notification.read_at
    client.post(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_a_link_to_another_site_is_not_followed(client, world):
    notifications_create(specs=[spec(world.procurator, url="https://evil.example/phish")])
    client.force_login(world.procurator)

    response = client.post(reverse("notifications:open", args=[Notification.objects.get().pk]))

    assert response.url == list_url()


def test_opening_needs_post(client, everyone_notified):
    client.force_login(everyone_notified.procurator)
    assert client.get(reverse("notifications:open", args=[own(everyone_notified, "procurator").pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_mark_all_read_marks_only_the_users_own(client, everyone_notified):
    w = everyone_notified
    notifications_create(specs=[spec(w.procurator, "deadline:2:overdue")])
    client.force_login(w.procurator)

    response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert response.url == list_url()
    assert not Notification.objects.filter(recipient=w.procurator, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ROLES) - 1


def test_the_unread_filter_and_highlight(client, everyone_notified):
    w = everyone_notified
    notifications_create(specs=[spec(w.procurator, "deadline:2:overdue", title="第二条")])
    Notification.objects.filter(recipient=w.procurator, key="deadline:1:overdue").update(read_at="2026-10-01T00:00Z")
    client.force_login(w.procurator)

    assert [n.title for n in client.get(list_url(), {"unread": "1"}).context["page_obj"]] == ["第二条"]
    page = client.get(list_url()).text
    assert page.count("list-group-item-primary") == 1
    assert "全部标为已读" in page


def test_anonymous_users_are_sent_to_log_in(client, everyone_notified):
    response = client.get(list_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    response = client.post(reverse("notifications:open", args=[own(everyone_notified, "procurator").pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_the_list_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries, settings):
    settings.PAGE_SIZE = 10
    notifications_create(specs=[spec(world.procurator, f"deadline:{n}:overdue") for n in range(25)])
    client.force_login(world.procurator)

    for page in (1, 3):
        # 1 session, 2 user, 3 the user's organisation (base.html's navbar), 4 count for the
        # paginator, 5 the page of notifications, 6 the unread count (shared with the bell).
        with django_assert_num_queries(6):
            response = client.get(list_url(), {"page": page})
        assert response.status_code == 200


@pytest.fixture
def with_bell_processor(settings):
    template_settings = [dict(engine) for engine in settings.TEMPLATES]
    template_settings[0]["OPTIONS"] = dict(template_settings[0]["OPTIONS"])
    processors = template_settings[0]["OPTIONS"]["context_processors"]
    if "notifications.context_processors.unread_notifications" not in processors:
        template_settings[0]["OPTIONS"]["context_processors"] = [
            *processors,
            "notifications.context_processors.unread_notifications",
        ]
    settings.TEMPLATES = template_settings


def render_bell(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("notifications/_bell.html", request=request)


def test_the_bell_shows_the_unread_count_with_one_query(world, with_bell_processor, django_assert_num_queries):
    notifications_create(specs=[spec(world.procurator, f"k{n}") for n in range(3)])
    notifications_create(specs=[spec(world.supervisor, "k0")])
    Notification.objects.filter(recipient=world.procurator, key="k0").update(read_at="2026-10-01T00:00Z")

    with django_assert_num_queries(1):
        html = render_bell(world.procurator)

    assert f'href="{list_url()}"' in html
    assert ">2</span>" in html


def test_the_bell_caps_its_count(world, with_bell_processor):
    notifications_create(specs=[spec(world.procurator, f"k{n}") for n in range(120)])
    assert ">99+</span>" in render_bell(world.procurator)


def test_the_bell_without_unread_notifications_has_no_badge(world, with_bell_processor):
    html = render_bell(world.procurator)
    assert list_url() in html
    assert "badge" not in html


def test_anonymous_users_get_no_bell(db, with_bell_processor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render_bell(AnonymousUser()).strip() == ""
