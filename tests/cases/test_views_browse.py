"""The browse pages: home, leads, case list and export, case detail and edit.

Access is checked as a generated matrix over the `world` users: the role that
may act succeeds, an in-scope reader gets 403 on writes, anyone out of scope gets 404, and an
anonymous visitor is sent to the login page.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Case, Event, Lead
from tests.factories import CaseFactory, LeadFactory, domain

# WhiteNoise warns when `collectstatic` has not run (STATIC_ROOT missing), which a test run never needs.


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
    "anonymous",
]
PROCURATORATE_STAFF = USERS[:7]
NOT_PROCURATORATE = ["agency1_staff", "agency2_staff", "discipline"]
LOGIN = "login"  # expected: redirect to the login page

# Who reads what is in the district procuratorate (the scene's district lead and case).
DISTRICT_READERS = {"procurator", "procurator_colleague", "supervisor", "city_supervisor"}
# Who evaluates a district lead: its own procuratorate's staff (the city supervisor only reads).
DISTRICT_LEAD_OWNERS = {"procurator", "procurator_colleague", "supervisor"}


def _expect(allowed: set[str] | list[str], *, ok=200, in_scope_refused: set[str] = frozenset()) -> dict[str, object]:
    """The expected answer per user: `ok` for the allowed, 403 for readers who may not act,
    404 for everyone else, and the login redirect for the anonymous visitor."""
    answers: dict[str, object] = {}
    for name in USERS:
        if name == "anonymous":
            answers[name] = LOGIN
        elif name in allowed:
            answers[name] = ok
        elif name in in_scope_refused:
            answers[name] = 403
        else:
            answers[name] = 404
    return answers


def _for_staff(ok=200) -> dict[str, object]:
    """List pages: every procuratorate user gets their (scoped) page, other roles 403."""
    return _expect(PROCURATORATE_STAFF, ok=ok, in_scope_refused=set(NOT_PROCURATORATE))


@pytest.fixture
def scene(world):
    """A lead and a case in the district, a case in the city, a case elsewhere."""
    district_lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator, agency=world.agency1)
    opened_lead = LeadFactory(
        procuratorate=world.district, registered_by=world.procurator, status=Lead.Status.OPENED, title="已立案线索"
    )
    district_case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        lead=opened_lead,
        title="区院案件",
    )
    city_case = CaseFactory(
        procuratorate=world.city, handler=world.city_procurator, agencies=[world.agency2], title="市院案件"
    )
    other_case = CaseFactory(procuratorate=world.other, handler=world.other_procurator, title="外院案件")
    world.district_lead = district_lead
    world.district_case = district_case
    world.city_case = city_case
    world.other_case = other_case
    return world


def _client_for(client, world, name: str):
    if name != "anonymous":
        client.force_login(getattr(world, name))
    return client


def _check(response, expected) -> None:
    if response.streaming:
        # Read to the end: the test client then closes the response (and the export's temporary file).
        b"".join(response.streaming_content)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif isinstance(expected, tuple):  # ("redirect", url name)
        assert response.status_code == 302, response.status_code
        assert response["Location"] == reverse(expected[1])
    else:
        assert response.status_code == expected, (response.status_code, expected)


# --- The access matrix ------------------------------------------------------------------------------

PAGES = {
    "home": (
        lambda s: reverse("home"),
        {
            **_expect(PROCURATORATE_STAFF, ok=("redirect", "case_list")),
            # Supervisors land on their dashboard (issue 7).
            **dict.fromkeys(["supervisor", "city_supervisor", "other_supervisor"], ("redirect", "dashboard")),
            **dict.fromkeys(["agency1_staff", "agency2_staff"], ("redirect", "agency_home")),
            "discipline": 200,
        },
    ),
    "lead_list": (lambda s: reverse("lead_list"), _for_staff()),
    "lead_create": (lambda s: reverse("lead_create"), _for_staff()),
    "lead_detail": (lambda s: reverse("lead_detail", args=[s.district_lead.pk]), _expect(DISTRICT_READERS)),
    "lead_edit": (
        lambda s: reverse("lead_edit", args=[s.district_lead.pk]),
        _expect(DISTRICT_LEAD_OWNERS, in_scope_refused={"city_supervisor"}),
    ),
    "lead_decline": (
        lambda s: reverse("lead_decline", args=[s.district_lead.pk]),
        _expect(DISTRICT_LEAD_OWNERS, in_scope_refused={"city_supervisor"}),
    ),
    "lead_open_case": (
        lambda s: reverse("lead_open_case", args=[s.district_lead.pk]),
        _expect(DISTRICT_LEAD_OWNERS, in_scope_refused={"city_supervisor"}),
    ),
    "case_list": (lambda s: reverse("case_list"), _for_staff()),
    "case_export_csv": (lambda s: reverse("case_export_csv"), _for_staff()),
    "case_export_xlsx": (lambda s: reverse("case_export_xlsx"), _for_staff()),
    "case_detail": (lambda s: reverse("case_detail", args=[s.district_case.pk]), _expect(DISTRICT_READERS)),
    "case_edit": (
        lambda s: reverse("case_edit", args=[s.district_case.pk]),
        _expect({"procurator"}, in_scope_refused=DISTRICT_READERS - {"procurator"}),
    ),
}

MATRIX = [(page, user, expected) for page, (_, answers) in PAGES.items() for user, expected in answers.items()]


@pytest.mark.parametrize(("page", "user", "expected"), MATRIX, ids=[f"{p}-{u}" for p, u, _ in MATRIX])
def test_page_access(client, scene, page, user, expected):
    url = PAGES[page][0](scene)
    _check(_client_for(client, scene, user).get(url), expected)


def _decline_post(s):
    return reverse("lead_decline", args=[s.district_lead.pk]), {"reason": "经初查，不属于公益诉讼案件范围。"}


def _case_edit_post(s):
    return reverse("case_edit", args=[s.district_case.pk]), {
        "title": "修改后的案件名称",
        "summary": s.district_case.summary,
        "domain": s.district_case.domain_id,
        "agencies": [s.agency1.pk],
        "internal_notes": "内部备注",
    }


WRITES = {
    "lead_decline": (
        _decline_post,
        _expect(DISTRICT_LEAD_OWNERS, ok=302, in_scope_refused={"city_supervisor"}),
        lambda s: Lead.objects.get(pk=s.district_lead.pk).status == Lead.Status.DECLINED,
    ),
    "case_edit": (
        _case_edit_post,
        _expect({"procurator"}, ok=302, in_scope_refused=DISTRICT_READERS - {"procurator"}),
        lambda s: Case.objects.get(pk=s.district_case.pk).title == "修改后的案件名称",
    ),
}
WRITE_MATRIX = [(w, user, expected) for w, (_, answers, _) in WRITES.items() for user, expected in answers.items()]


@pytest.mark.parametrize(("write", "user", "expected"), WRITE_MATRIX, ids=[f"{w}-{u}" for w, u, _ in WRITE_MATRIX])
def test_write_access_changes_only_when_allowed(client, scene, write, user, expected):
    make_request, _, changed = WRITES[write]
    url, data = make_request(scene)
    _check(_client_for(client, scene, user).post(url, data), expected)
    assert changed(scene) is (expected == 302)


# --- Home and layout ----------------------------------------------------------------------------------


def test_discipline_liaison_home_shows_what_waits_for_them(client, world):
    # The supervision app's part (tests/supervision covers its content).
    client.force_login(world.discipline)
    response = client.get(reverse("home"))
    assert "待采取督办措施" in response.content.decode()


def test_layout_shows_user_organisation_language_switch_and_role_links(client, world):
    client.force_login(world.procurator)
    html = client.get(reverse("case_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "公益诉讼案件管理" in html
    assert world.procurator.display_name in html
    assert world.district.name in html
    assert reverse("set_language") in html
    assert reverse("logout") in html
    assert reverse("lead_list") in html


def test_agency_staff_navbar_has_no_lead_or_case_links(client, world):
    client.force_login(world.agency1_staff)
    html = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("lead_list") not in html
    assert reverse("case_list") not in html


def test_login_page_renders_and_logs_in(client, world):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "procurator", "password": "test-pass-2026"})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("case_list")


def test_messages_are_shown_as_alerts(client, scene):
    client.force_login(scene.procurator)
    url, data = _decline_post(scene)
    response = client.post(url, data, follow=True)
    assert 'class="alert alert-success' in response.content.decode()


# --- Scoping of lists and exports -------------------------------------------------------------------

CASES_SEEN = {
    "procurator": {"区院案件"},
    "procurator_colleague": {"区院案件"},
    "supervisor": {"区院案件"},
    "city_procurator": {"市院案件"},
    "city_supervisor": {"区院案件", "市院案件"},
    "other_procurator": {"外院案件"},
    "other_supervisor": {"外院案件"},
}


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def _xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    width = len(rows[0])
    # A write-only sheet stores no empty trailing cell; pad each row to the header's width.
    return [row + [None] * (width - len(row)) for row in rows]


@pytest.mark.parametrize("user", PROCURATORATE_STAFF)
def test_case_list_shows_only_cases_in_scope(client, scene, user):
    client.force_login(getattr(scene, user))
    response = client.get(reverse("case_list"))
    assert {c.title for c in response.context["page_obj"]} == CASES_SEEN[user]
    html = response.content.decode()
    for title in {"区院案件", "市院案件", "外院案件"} - CASES_SEEN[user]:
        assert title not in html


@pytest.mark.parametrize("user", PROCURATORATE_STAFF)
def test_csv_export_contains_only_cases_in_scope(client, scene, user):
    client.force_login(getattr(scene, user))
    response = client.get(reverse("case_export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == [
        "案号",
        "案件名称",
        "类型",
        "领域",
        "检察院",
        "涉及行政机关",
        "承办检察官",
        "状态",
        "立案日期",
        "终结日期",
    ]
    assert {row[1] for row in rows} == CASES_SEEN[user]


@pytest.mark.parametrize("user", PROCURATORATE_STAFF)
def test_xlsx_export_contains_only_cases_in_scope(client, scene, user):
    client.force_login(getattr(scene, user))
    response = client.get(reverse("case_export_xlsx"))
    header, *rows = _xlsx_rows(response)
    assert header[0] == "案号"
    assert {row[1] for row in rows} == CASES_SEEN[user]


def test_export_row_shows_every_column(client, scene):
    case = scene.district_case
    case.co_handlers.add(scene.procurator_colleague)
    client.force_login(scene.procurator)
    _, row = _csv_rows(client.get(reverse("case_export_csv")))
    assert row == [
        case.number,
        "区院案件",
        "行政公益诉讼",
        "生态环境和资源保护",
        scene.district.name,
        scene.agency1.name,
        scene.procurator.display_name,
        "调查",
        "2026-03-10",
        "",
    ]
    _, xrow = _xlsx_rows(client.get(reverse("case_export_xlsx")))
    assert xrow[:8] == row[:8]
    assert xrow[8] == datetime.datetime(2026, 3, 10)
    assert xrow[9] is None


def test_exports_apply_the_list_filters(client, scene):
    CaseFactory(
        procuratorate=scene.district,
        handler=scene.procurator,
        agencies=[scene.agency1],
        title="已终结区院案件",
        status=Case.Status.CLOSED,
        closed_on=datetime.date(2026, 5, 1),
    )
    client.force_login(scene.procurator)
    query = {"status": "closed"}
    _, *rows = _csv_rows(client.get(reverse("case_export_csv"), query))
    assert [row[1] for row in rows] == ["已终结区院案件"]
    _, *xrows = _xlsx_rows(client.get(reverse("case_export_xlsx"), query))
    assert [row[1] for row in xrows] == ["已终结区院案件"]
    # The list links to the exports with the same filters.
    html = client.get(reverse("case_list"), {"status": "closed", "page": "1"}).content.decode()
    assert f'{reverse("case_export_csv")}?status=closed"' in html


def test_csv_export_neutralises_formulas(client, scene):
    for title in ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)"]:
        CaseFactory(procuratorate=scene.district, handler=scene.procurator, agencies=[scene.agency1], title=title)
    client.force_login(scene.procurator)
    _, *rows = _csv_rows(client.get(reverse("case_export_csv"), {"ordering": "title"}))
    titles = {row[1] for row in rows}
    assert {'\'=HYPERLINK("http://evil")', "'+1+1", "'-2", "'@SUM(A1)", "区院案件"} == titles


def test_xlsx_export_writes_formula_like_text_as_text(client, scene):
    CaseFactory(procuratorate=scene.district, handler=scene.procurator, agencies=[scene.agency1], title="=1+1")
    client.force_login(scene.procurator)
    response = client.get(reverse("case_export_xlsx"), {"q": "=1+1"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["B2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"  # a string, never a formula


def test_export_of_invalid_filter_is_refused_not_unfiltered(client, scene):
    # A 400 naming the field, not a file (an empty one would look like a result).
    client.force_login(scene.city_supervisor)
    response = client.get(reverse("case_export_csv"), {"procuratorate": scene.other.pk})
    assert response.status_code == 400
    assert "procuratorate" in response.content.decode()


@pytest.mark.parametrize("user", PROCURATORATE_STAFF)
def test_lead_list_shows_only_leads_in_scope(client, scene, user):
    city_lead = LeadFactory(procuratorate=scene.city, title="市院线索")
    other_lead = LeadFactory(procuratorate=scene.other, title="外院线索")
    district = {scene.district_lead.title, "已立案线索"}
    seen = {
        "procurator": district,
        "procurator_colleague": district,
        "supervisor": district,
        "city_procurator": {city_lead.title},
        "city_supervisor": district | {city_lead.title},
        "other_procurator": {other_lead.title},
        "other_supervisor": {other_lead.title},
    }[user]
    client.force_login(getattr(scene, user))
    response = client.get(reverse("lead_list"))
    assert {lead.title for lead in response.context["page_obj"]} == seen


# --- Query count of the case list -----------------------------------------------------------------


@pytest.mark.parametrize("page_size", [3, 20])
def test_case_list_query_count_does_not_grow_with_page_size(
    client, world, settings, django_assert_num_queries, page_size
):
    settings.PAGE_SIZE = page_size
    for n in range(25):
        case = CaseFactory(
            procuratorate=world.district if n % 2 else world.city,
            handler=world.procurator if n % 2 else world.city_procurator,
            agencies=[world.agency1, world.agency2],
        )
        case.co_handlers.add(world.procurator_colleague if n % 2 else world.city_supervisor)
    client.force_login(world.city_supervisor)
    # 1 session, 2 user, 3 the user's organisation (the supervisor's scope is its subtree), 4 count
    # of the filtered cases (paginator), then the filter form's choices: 5 domains, 6 procuratorates
    # in scope (the agency and the handler are searched: none in the page); then the table: 7 the
    # page of cases with procuratorate, domain and handler joined, 8 their agencies (one prefetch
    # for the whole page), 9 the unread notification count of the bell in the header.
    with django_assert_num_queries(9):
        response = client.get(reverse("case_list"))
    assert len(response.context["page_obj"]) == page_size


@pytest.mark.parametrize("page_size", [2, 20])
def test_lead_list_query_count_does_not_grow_with_page_size(
    client, world, settings, django_assert_num_queries, page_size
):
    settings.PAGE_SIZE = page_size
    for n in range(21):
        LeadFactory(procuratorate=world.district if n % 2 else world.city, registered_by=world.procurator)
    client.force_login(world.city_supervisor)
    # 1 session, 2 user, 3 the user's organisation (scope), 4 count of the filtered leads, 5 the
    # filter form's domains, 6 the page of leads with procuratorate and domain joined, 7 the unread
    # notification count of the bell in the header.
    with django_assert_num_queries(7):
        response = client.get(reverse("lead_list"))
    assert len(response.context["page_obj"]) == page_size


# --- Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def filter_cases(world):
    """Four district cases that differ in every filtered column."""
    from cases.models import CaseType, Domain

    food = Domain.objects.exclude(code="ecology").first()
    a = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        title="甲河道采砂案",
        number="测检〔2026〕1号",
        opened_on=datetime.date(2026, 1, 10),
    )
    b = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator_colleague,
        agencies=[world.agency2],
        title="乙食品安全案",
        number="测检〔2026〕2号",
        case_type=CaseType.CIVIL,
        domain=food,
        opened_on=datetime.date(2026, 2, 10),
        status=Case.Status.CLOSED,
        closed_on=datetime.date(2026, 4, 1),
    )
    c = CaseFactory(
        procuratorate=world.city,
        handler=world.city_procurator,
        agencies=[world.agency1, world.agency2],
        title="丙市级案",
        number="测检〔2026〕3号",
        opened_on=datetime.date(2026, 3, 10),
        status=Case.Status.AWAITING_REPLY,
    )
    d = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        title="丁林地案",
        number="测检〔2026〕4号",
        opened_on=datetime.date(2026, 4, 10),
        status=Case.Status.CLOSED,
        closed_on=datetime.date(2026, 6, 1),
    )
    return {"a": a, "b": b, "c": c, "d": d, "food": food}


def _listed(client, world, params, user="city_supervisor") -> list[str]:
    client.force_login(getattr(world, user))
    response = client.get(reverse("case_list"), params)
    assert response.status_code == 200
    return [case.title for case in response.context["page_obj"]]


def test_case_filter_by_status(client, world, filter_cases):
    assert set(_listed(client, world, {"status": "closed"})) == {"乙食品安全案", "丁林地案"}


def test_case_filter_by_case_type(client, world, filter_cases):
    assert _listed(client, world, {"case_type": "civil"}) == ["乙食品安全案"]


def test_case_filter_by_domain(client, world, filter_cases):
    assert _listed(client, world, {"domain": filter_cases["food"].pk}) == ["乙食品安全案"]


def test_case_filter_by_procuratorate(client, world, filter_cases):
    assert _listed(client, world, {"procuratorate": world.city.pk}) == ["丙市级案"]


def test_case_filter_by_procuratorate_out_of_scope_selects_nothing(client, world, filter_cases):
    assert _listed(client, world, {"procuratorate": world.other.pk}) == []


def test_case_filter_by_agency(client, world, filter_cases):
    assert set(_listed(client, world, {"agency": world.agency2.pk})) == {"乙食品安全案", "丙市级案"}


def test_case_filter_by_handler(client, world, filter_cases):
    assert set(_listed(client, world, {"handler": world.procurator.pk})) == {"甲河道采砂案", "丁林地案"}


def test_case_filter_by_opened_range(client, world, filter_cases):
    params = {"opened_after": "2026-02-01", "opened_before": "2026-03-31"}
    assert set(_listed(client, world, params)) == {"乙食品安全案", "丙市级案"}


def test_case_filter_by_closed_range(client, world, filter_cases):
    assert _listed(client, world, {"closed_after": "2026-05-01"}) == ["丁林地案"]
    assert _listed(client, world, {"closed_before": "2026-05-01"}) == ["乙食品安全案"]


def test_case_filter_by_text_on_number_and_title(client, world, filter_cases):
    assert _listed(client, world, {"q": "食品"}) == ["乙食品安全案"]
    assert _listed(client, world, {"q": "〔2026〕3号"}) == ["丙市级案"]


def test_case_filter_invalid_date_selects_nothing_and_shows_error(client, world, filter_cases):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("case_list"), {"opened_after": "not-a-date"})
    assert list(response.context["page_obj"]) == []
    assert response.context["filter"].form.errors


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("number", ["甲河道采砂案", "乙食品安全案", "丙市级案", "丁林地案"]),
        ("-number", ["丁林地案", "丙市级案", "乙食品安全案", "甲河道采砂案"]),
        ("-opened_on", ["丁林地案", "丙市级案", "乙食品安全案", "甲河道采砂案"]),
        ("opened_on", ["甲河道采砂案", "乙食品安全案", "丙市级案", "丁林地案"]),
        ("title", sorted(["甲河道采砂案", "乙食品安全案", "丙市级案", "丁林地案"])),
    ],
)
def test_case_list_ordering(client, world, filter_cases, ordering, expected):
    assert _listed(client, world, {"ordering": ordering}) == expected


def test_case_list_sort_headers_toggle_direction(client, world, filter_cases):
    client.force_login(world.city_supervisor)
    html = client.get(reverse("case_list"), {"ordering": "number", "status": "closed"}).content.decode()
    assert "?ordering=-number&amp;status=closed" in html
    assert 'aria-sort="ascending"' in html


def test_case_list_paginates(client, world, filter_cases, settings):
    settings.PAGE_SIZE = 3
    assert len(_listed(client, world, {})) == 3
    assert _listed(client, world, {"page": 2, "ordering": "opened_on"}) == ["丁林地案"]


@pytest.fixture
def filter_leads(world):
    from cases.models import Domain

    food = Domain.objects.exclude(code="ecology").first()
    LeadFactory(procuratorate=world.district, title="河道采砂", received_on=datetime.date(2026, 1, 5))
    LeadFactory(
        procuratorate=world.district,
        title="学校食堂",
        summary="食堂食品过期",
        source=Lead.Source.MEDIA,
        domain=food,
        received_on=datetime.date(2026, 2, 5),
    )
    LeadFactory(
        procuratorate=world.district,
        title="林地占用",
        status=Lead.Status.DECLINED,
        received_on=datetime.date(2026, 3, 5),
    )
    return food


def _leads(client, world, params) -> set[str]:
    client.force_login(world.procurator)
    response = client.get(reverse("lead_list"), params)
    assert response.status_code == 200
    return {lead.title for lead in response.context["page_obj"]}


def test_lead_filter_by_status(client, world, filter_leads):
    assert _leads(client, world, {"status": "declined"}) == {"林地占用"}


def test_lead_filter_by_source(client, world, filter_leads):
    assert _leads(client, world, {"source": "media"}) == {"学校食堂"}


def test_lead_filter_by_domain(client, world, filter_leads):
    assert _leads(client, world, {"domain": filter_leads.pk}) == {"学校食堂"}


def test_lead_filter_by_received_range(client, world, filter_leads):
    assert _leads(client, world, {"received_after": "2026-02-01", "received_before": "2026-02-28"}) == {"学校食堂"}


def test_lead_filter_by_text_on_title_and_summary(client, world, filter_leads):
    assert _leads(client, world, {"q": "河道采砂"}) == {"河道采砂"}
    assert _leads(client, world, {"q": "过期"}) == {"学校食堂"}


# --- The lead flow through the views ------------------------------------------------------------


def _lead_data(world, **overrides) -> dict:
    data = {
        "title": "某湖泊违法排污线索",
        "summary": "群众反映某企业向湖泊排放污水。",
        "source": Lead.Source.REPORT,
        "source_detail": "12309 热线",
        "reporter_name": "李某",
        "reporter_contact": "13900000000",
        "received_on": timezone.localdate().isoformat(),
        "domain": domain().pk,
        "agency": world.agency1.pk,
    }
    return data | overrides


def _open_case_data(world, **overrides) -> dict:
    data = {
        "case_type": "administrative",
        "title": "督促整治某湖泊违法排污行政公益诉讼案",
        "summary": "经初查，行政机关未依法履职。",
        "domain": domain().pk,
        "agencies": [world.agency1.pk],
        "handler": world.procurator.pk,
        "co_handlers": [world.procurator_colleague.pk],
        "opened_on": timezone.localdate().isoformat(),
    }
    return data | overrides


def test_lead_flow_register_open_case_and_find_it_in_the_list(client, world):
    client.force_login(world.procurator)
    response = client.post(reverse("lead_create"), _lead_data(world))
    lead = Lead.objects.get()
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    assert lead.procuratorate == world.district
    assert lead.registered_by == world.procurator

    form = client.get(reverse("lead_open_case", args=[lead.pk])).context["form"]
    assert form["title"].value() == lead.title  # prefilled from the lead

    response = client.post(reverse("lead_open_case", args=[lead.pk]), _open_case_data(world))
    case = Case.objects.get()
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    # The district's first administrative case of the year (format: the NumberTemplate default).
    assert case.number.startswith(world.district.short_name)
    assert case.number.endswith(f"〔{timezone.localdate().year}〕1号")
    assert set(case.co_handlers.all()) == {world.procurator_colleague}
    lead.refresh_from_db()
    assert lead.status == Lead.Status.OPENED

    html = client.get(reverse("case_list")).content.decode()
    assert case.number in html
    detail = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert reverse("case_detail", args=[case.pk]) in detail


def test_register_lead_with_future_date_shows_field_error_and_saves_nothing(client, world):
    client.force_login(world.procurator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(reverse("lead_create"), _lead_data(world, received_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == ["日期不能晚于今天。"]
    assert not Lead.objects.exists()


def test_open_case_from_declined_lead_is_refused_and_changes_nothing(client, scene):
    lead = scene.district_lead
    services.lead_decline(user=scene.procurator, lead=lead, reason="不属于受案范围")
    client.force_login(scene.procurator)
    before = Case.objects.count()
    response = client.post(reverse("lead_open_case", args=[lead.pk]), _open_case_data(scene))
    assert response.status_code == 200
    assert "当前状态为“不予立案”，不能立案。" in response.context["form"].non_field_errors()
    assert Case.objects.count() == before
    lead.refresh_from_db()
    assert lead.status == Lead.Status.DECLINED


def test_open_case_with_future_date_shows_field_error(client, scene):
    client.force_login(scene.procurator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("lead_open_case", args=[scene.district_lead.pk])
    response = client.post(url, _open_case_data(scene, opened_on=tomorrow.isoformat()))
    assert response.context["form"].errors["opened_on"] == ["日期不能晚于今天。"]
    assert not Case.objects.filter(lead=scene.district_lead).exists()


def test_administrative_case_without_agency_is_refused_at_the_agencies_field(client, scene):
    client.force_login(scene.procurator)
    url = reverse("lead_open_case", args=[scene.district_lead.pk])
    response = client.post(url, _open_case_data(scene, agencies=[]))
    assert response.context["form"].errors["agencies"] == ["行政公益诉讼案件至少要有一个涉及的行政机关。"]


def test_decline_without_reason_is_a_field_error(client, scene):
    client.force_login(scene.procurator)
    response = client.post(reverse("lead_decline", args=[scene.district_lead.pk]), {"reason": ""})
    assert response.context["form"].errors["reason"]
    assert Lead.objects.get(pk=scene.district_lead.pk).status == Lead.Status.PENDING


def test_edit_lead_records_the_change(client, scene):
    client.force_login(scene.supervisor)
    url = reverse("lead_edit", args=[scene.district_lead.pk])
    assert client.get(url).context["form"]["title"].value() == scene.district_lead.title
    data = _lead_data(scene, title="修改后的线索", received_on="2026-03-01")
    response = client.post(url, data)
    assert response["Location"] == reverse("lead_detail", args=[scene.district_lead.pk])
    event = Event.objects.get(kind=Event.Kind.LEAD_EDITED)
    assert event.changes["title"]["after"] == "修改后的线索"


def test_edit_of_declined_lead_is_refused(client, scene):
    services.lead_decline(user=scene.procurator, lead=scene.district_lead, reason="不属于受案范围")
    client.force_login(scene.procurator)
    url = reverse("lead_edit", args=[scene.district_lead.pk])
    response = client.post(url, _lead_data(scene, title="不应保存"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Lead.objects.get(pk=scene.district_lead.pk).title != "不应保存"


def test_lead_detail_shows_reporter_identity_to_procuratorate_staff(client, scene):
    client.force_login(scene.procurator_colleague)
    html = client.get(reverse("lead_detail", args=[scene.district_lead.pk])).content.decode()
    assert "张某某" in html
    assert "13800000000" in html


# --- Case detail and edit -------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def test_case_detail_shows_header_tabs_lead_and_context(client, scene):
    case = scene.district_case
    services.investigation_record(
        user=scene.procurator,
        case=case,
        kind="site_visit",
        conducted_on=datetime.date(2026, 3, 12),
        findings="河床遭到破坏",
    )
    attachment = services.attachment_add(
        user=scene.procurator, case=case, upload=SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    )
    client.force_login(scene.city_supervisor)
    response = client.get(reverse("case_detail", args=[case.pk]))
    html = response.content.decode()
    for text in [case.number, "区院案件", "调查", scene.district.name, scene.agency1.name, "河床遭到破坏"]:
        assert text in html
    for tab in ["概况", "调查", "检察建议", "整改反馈", "诉讼", "时间线"]:
        assert f">{tab}</button>" in html
    assert "张某某" in html  # the lead's reporter, for procuratorate staff in scope
    assert reverse("attachment_download", args=[attachment.pk]) in html
    context = response.context
    assert context["case"] == case
    assert context["can_edit"] is False
    assert context["can_approve"] is True
    for name in ["recommendations", "investigations", "consultations", "attachments", "events"]:
        assert name in context


def test_case_detail_timeline_shows_field_names_and_status_labels(client, scene):
    case = scene.district_case
    services.case_update(
        user=scene.procurator,
        case=case,
        title="新的案件名称",
        summary=case.summary,
        domain=case.domain,
        agencies=[scene.agency1],
        co_handlers=[],
        internal_notes="",
    )
    services.case_start_consultation(user=scene.procurator, case=case)
    client.force_login(scene.procurator)
    response = client.get(reverse("case_detail", args=[case.pk]))
    edited = next(e for e in response.context["events"] if e.kind == Event.Kind.CASE_EDITED)
    assert edited.change_rows == [("案件名称", "区院案件", "新的案件名称")]
    changed = next(e for e in response.context["events"] if e.kind == Event.Kind.STATUS_CHANGED)
    assert (changed.from_label, changed.to_label) == ("调查", "磋商")
    html = response.content.decode()
    assert "修改案件信息" in html
    assert "新的案件名称" in html


def test_lead_event_changes_are_labelled_with_lead_fields(client, world):
    lead = services.lead_register(
        user=world.procurator,
        title="某线索",
        summary="摘要",
        source=Lead.Source.OWN_WORK,
        received_on=datetime.date(2026, 3, 1),
        domain=domain(),
    )
    services.lead_update(
        user=world.procurator,
        lead=lead,
        title="改名线索",
        summary=lead.summary,
        source=lead.source,
        source_detail="",
        reporter_name=lead.reporter_name,
        reporter_contact=lead.reporter_contact,
        received_on=lead.received_on,
        domain=lead.domain,
        agency=None,
    )
    case = services.lead_open_case(
        user=world.procurator,
        lead=lead,
        case_type="civil",
        title="民事案",
        summary="摘要",
        domain=lead.domain,
        agencies=[],
        handler=world.procurator,
        opened_on=datetime.date(2026, 3, 2),
    )
    client.force_login(world.procurator)
    events = client.get(reverse("case_detail", args=[case.pk])).context["events"]
    edited = next(e for e in events if e.kind == Event.Kind.LEAD_EDITED)
    assert ("线索名称", "某线索", "改名线索") in edited.change_rows
    registered = next(e for e in events if e.kind == Event.Kind.LEAD_REGISTERED)
    assert registered.to_label == "待评估"


def test_case_edit_saves_through_the_service(client, scene):
    client.force_login(scene.procurator)
    url, data = _case_edit_post(scene)
    data["co_handlers"] = [scene.procurator_colleague.pk]
    response = client.post(url, data)
    assert response["Location"] == reverse("case_detail", args=[scene.district_case.pk])
    case = Case.objects.get(pk=scene.district_case.pk)
    assert case.internal_notes == "内部备注"
    assert list(case.co_handlers.all()) == [scene.procurator_colleague]
    assert Event.objects.filter(case=case, kind=Event.Kind.CASE_EDITED).exists()


def test_case_edit_refusal_is_a_field_error_and_changes_nothing(client, scene):
    client.force_login(scene.procurator)
    url, data = _case_edit_post(scene)
    data["agencies"] = []
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["agencies"] == ["行政公益诉讼案件至少要有一个涉及的行政机关。"]
    assert Case.objects.get(pk=scene.district_case.pk).title == "区院案件"


def test_closed_case_cannot_be_edited_and_the_reader_is_told_why(client, scene):
    """Not a bare 403 "无权操作": the handler learns the case is closed, on the case page, and a
    POST changes nothing."""
    case = scene.district_case
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    client.force_login(scene.procurator)
    url = reverse("case_edit", args=[case.pk])
    for send in (lambda: client.get(url), lambda: client.post(url, {"title": "终结后改名"})):
        response = send()
        assert response.status_code == 302
        assert response.url == reverse("case_detail", args=[case.pk])
        shown = client.get(response.url).content.decode()
        assert "案件已终结，不能再修改。" in shown
        assert "无权操作" not in shown
    case.refresh_from_db()
    assert case.title != "终结后改名"


def test_missing_case_and_lead_are_404(client, world):
    client.force_login(world.city_supervisor)
    assert client.get(reverse("case_detail", args=[999999])).status_code == 404
    assert client.get(reverse("lead_detail", args=[999999])).status_code == 404
