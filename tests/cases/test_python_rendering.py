"""The parts of the case pages written in Python rather than through templates (issue 15): the case
list's rows (cases/templatetags/case_lists.py) and the timeline (case_timeline.py) escape what
users typed, show what the template showed, and the label lookup of `get_FOO_display` answers
like Django's (cases/models/choices.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from cases.models import Case, Event
from tests.factories import CaseFactory


def test_case_rows_escape_and_show_every_cell(client, world):
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        title="<script>alert(1)</script>河道案",
        agencies=[world.agency1, world.agency2],
    )
    Case.objects.filter(pk=case.pk).update(next_due_date=datetime.date(2026, 1, 10))
    client.force_login(world.procurator)
    html = client.get(reverse("case_list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;河道案" in html
    url = reverse("case_detail", args=[case.pk])
    assert html.count(f'href="{url}"') == 2  # the number and the title
    names = (world.agency1.name, world.agency2.name)
    assert "、".join(names) in html or "、".join(reversed(names)) in html
    assert case.get_status_display() in html and case.get_case_type_display() in html
    assert world.procurator.display_name in html
    assert "2026-01-10" in html and "pil-case-" + case.status in html


def test_empty_case_list_says_so(client, world):
    client.force_login(world.procurator)
    html = client.get(reverse("case_list"), {"q": "没有这个案件"}).content.decode()
    assert "没有符合条件的案件。" in html


def test_timeline_escapes_notes_and_keeps_line_breaks(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    Event.objects.create(
        case=case, kind=Event.Kind.CASE_EDITED, actor=world.procurator, note="第一行<b>粗</b>\n第二行", changes={}
    )
    client.force_login(world.procurator)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "第一行&lt;b&gt;粗&lt;/b&gt;<br>第二行" in html
    assert str(Event.Kind.CASE_EDITED.label) in html


def test_choice_labels_answer_like_django(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    for status in Case.Status:
        case.status = status
        assert case.get_status_display() == status.label
    case.status = "no-such-status"
    assert case.get_status_display() == "no-such-status"  # Django shows an unknown value as it is
