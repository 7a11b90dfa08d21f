"""What pages show: the due badge, a case's deadlines, and the case-list annotation and filters."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from cases.models import Case
from deadlines.models import Deadline, DeadlineChange, RuleCode
from deadlines.selectors import case_deadlines, case_next_due_annotation, cases_due_within, cases_overdue
from deadlines.services import deadline_open, deadlines_refresh_next_due
from deadlines.templatetags.deadlines import due_state
from tests.deadlines.conftest import deadline_due, issued_recommendation

D = datetime.date
TODAY = D(2026, 10, 20)


def badge(deadline: Deadline, today=TODAY) -> str:
    return Template("{% load deadlines %}{% due_badge deadline today %}").render(
        Context({"deadline": deadline, "today": today})
    )


def unsaved(due: datetime.date, **kwargs) -> Deadline:
    return Deadline(due_date=due, status=kwargs.pop("status", Deadline.Status.OPEN), **kwargs)


@pytest.mark.parametrize(
    ("due", "text", "css"),
    [
        (D(2026, 10, 23), "还剩 3 天", "warning"),
        (D(2026, 11, 20), "还剩 31 天", "secondary"),
        (D(2026, 10, 20), "今天到期", "warning"),
        (D(2026, 10, 18), "逾期 2 天", "danger"),
    ],
)
def test_the_badge_says_days_left_due_today_or_days_overdue(due, text, css):
    html = badge(unsaved(due))
    assert text in html
    assert f"text-bg-{css}" in html
    assert "暂定" not in html


def test_the_badge_marks_a_provisional_date_and_explains_it():
    html = badge(unsaved(D(2027, 3, 1), provisional=True, explanation="2027年节假日安排尚未载入"))
    assert "（暂定）" in html
    assert 'title="2027年节假日安排尚未载入"' in html


def test_the_badge_of_a_closed_deadline_shows_its_outcome():
    assert "按期完成" in badge(unsaved(D(2026, 10, 1), status=Deadline.Status.MET))
    assert "逾期完成" in badge(unsaved(D(2026, 10, 1), status=Deadline.Status.LATE))
    assert due_state(unsaved(D(2026, 10, 1), status=Deadline.Status.CANCELLED), TODAY)["overdue"] is False


def test_the_days_left_filter():
    html = Template("{% load deadlines %}{{ d|days_left }}").render(Context({"d": unsaved(D(2099, 1, 1))}))
    assert int(html) > 0
    closed = Template("{% load deadlines %}{{ d|days_left }}").render(
        Context({"d": unsaved(D(2026, 1, 1), status=Deadline.Status.MET)})
    )
    assert closed == "None"


def test_the_case_deadlines_partial_lists_rule_dates_badge_and_changes(world, django_assert_num_queries):
    case = issued_recommendation(world).case
    deadline = deadline_open(case=case, rule_code=RuleCode.REPLY, start_date=D(2026, 12, 31))
    DeadlineChange.objects.create(
        deadline=deadline,
        old_due_date=D(2027, 3, 2),
        new_due_date=D(2027, 3, 1),
        old_provisional=True,
        new_provisional=True,
        reason="2027年节假日安排更新",
    )
    deadline_open(case=case, rule_code=RuleCode.FILING, start_date=D(2026, 12, 31))
    with django_assert_num_queries(2):  # the deadlines with rule and recommendation; their changes
        html = render_to_string("deadlines/_case_deadlines.html", {"deadlines": case_deadlines(case)})
    assert "检察建议书面回复期限" in html and "检察建议报上一级检察院备案" in html
    assert "2027-03-01" in html
    assert "（暂定）" in html
    assert "2027年节假日安排尚未载入" in html  # the explanation, as a tooltip
    assert "期限由 2027-03-02（暂定） 调整为 2027-03-01（暂定）" in html


def test_the_case_deadlines_partial_says_when_there_are_none(world):
    case = issued_recommendation(world).case
    assert "本案暂无期限" in render_to_string("deadlines/_case_deadlines.html", {"deadlines": case_deadlines(case)})


@pytest.fixture
def three_cases(world):
    soon = deadline_due(world, TODAY + datetime.timedelta(days=5))
    later = deadline_due(world, TODAY + datetime.timedelta(days=40))
    late = deadline_due(world, TODAY - datetime.timedelta(days=1))
    # A closed deadline counts for nothing, and the earliest *open* one is the case's next.
    Deadline.objects.create(
        case=soon.case,
        rule=soon.rule,
        start_date=TODAY,
        period_value=1,
        period_unit="days",
        due_date=TODAY - datetime.timedelta(days=30),
        status=Deadline.Status.MET,
    )
    return soon.case, later.case, late.case


def test_the_case_list_gets_each_cases_next_open_due_date_in_its_one_query(
    world, three_cases, django_assert_num_queries
):
    soon, later, late = three_cases
    bare = Case.objects.create(
        procuratorate=world.district,
        number="无期限案",
        case_type="administrative",
        title="无期限",
        summary="-",
        domain=soon.domain,
        handler=world.procurator,
        opened_on=TODAY,
    )
    with django_assert_num_queries(1):
        next_due = dict(Case.objects.annotate(next_due=case_next_due_annotation()).values_list("pk", "next_due"))
    assert next_due[soon.pk] == TODAY + datetime.timedelta(days=5)
    assert next_due[later.pk] == TODAY + datetime.timedelta(days=40)
    assert next_due[late.pk] == TODAY - datetime.timedelta(days=1)
    assert next_due[bare.pk] is None


def test_the_list_filters_due_within_n_days_and_overdue(three_cases, django_assert_num_queries):
    soon, later, late = three_cases
    with django_assert_num_queries(1):
        assert set(cases_due_within(Case.objects.all(), 7, today=TODAY)) == {soon}
    assert set(cases_due_within(Case.objects.all(), 60, today=TODAY)) == {soon, later}
    with django_assert_num_queries(1):
        assert set(cases_overdue(Case.objects.all(), today=TODAY)) == {late}


def test_overdue_is_derived_not_stored(world):
    deadline = deadline_due(world, TODAY)
    assert not deadline.is_overdue_on(TODAY)
    assert deadline.is_overdue_on(TODAY + datetime.timedelta(days=1))
    assert deadline.days_left(TODAY - datetime.timedelta(days=3)) == 3
    assert Deadline.Status.values == ["open", "met", "late", "cancelled"]


def test_the_badge_takes_a_bare_date_from_a_list_annotation():
    html = Template("{% load deadlines %}{% due_badge due today provisional=True %}").render(
        Context({"due": D(2026, 10, 18), "today": TODAY})
    )
    assert "逾期 2 天" in html and "（暂定）" in html
    assert Template("{% load deadlines %}{% due_badge none %}").render(Context({"none": None})).strip() == ""
    assert Template("{% load deadlines %}{{ d|days_left }}").render(Context({"d": None})) == "None"


def test_the_case_list_annotations_give_the_next_due_date_and_its_provisional_mark(world, django_assert_num_queries):
    from deadlines.selectors import case_next_due

    case = issued_recommendation(world).case
    deadline_open(case=case, rule_code=RuleCode.REPLY, start_date=D(2026, 12, 31))  # 2027-03-01, provisional
    deadline_open(case=case, rule_code=RuleCode.DEFENCE, start_date=D(2026, 12, 1))  # 2026-12-16, final
    with django_assert_num_queries(1):
        row = Case.objects.annotate(**case_next_due()).values("next_due", "next_due_provisional").get(pk=case.pk)
    assert row == {"next_due": D(2026, 12, 16), "next_due_provisional": False}
    Deadline.objects.filter(case=case, rule__code=RuleCode.DEFENCE).update(status=Deadline.Status.MET)
    deadlines_refresh_next_due(case_ids=[case.pk])  # a direct write: refreshed as the services do
    row = Case.objects.annotate(**case_next_due()).values("next_due", "next_due_provisional").get(pk=case.pk)
    assert row == {"next_due": D(2027, 3, 1), "next_due_provisional": True}
