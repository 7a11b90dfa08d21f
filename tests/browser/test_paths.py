"""The users' paths of issue 14 in a real browser, each page checked with axe (conftest.py)."""

from __future__ import annotations

import re

import pytest

from cases.models import Case, Lead, Recommendation
from feedback.models import Acknowledgement, FeedbackReport
from tests.browser.conftest import PHONE, skip_module_unless_available
from tests.factories import CaseFactory, recommendation_at

skip_module_unless_available()
pytestmark = pytest.mark.browser


def _approve(b) -> None:
    """The supervisor approves the recommendation open on the page (one 同意 button, or the step page)."""
    agree = b.page.get_by_role("button", name="同意", exact=True)
    if agree.count() == 0:
        b.follow("审批同意")
    b.submit(b.page.get_by_role("button", name="同意", exact=True).first)


def test_procurator_takes_a_lead_to_a_served_recommendation(open_browser, world):
    procurator = open_browser()
    procurator.login(world.procurator)
    procurator.goto("/leads/new/")
    procurator.page.fill("#id_title", "某河道非法采砂线索（浏览器测试）")
    procurator.page.fill("#id_summary", "群众举报某河道内有非法采砂行为，河床遭到破坏。")
    procurator.page.select_option("#id_source", index=1)
    procurator.page.select_option("#id_domain", index=1)
    procurator.choose_agency("id_agency", world.agency1.name)
    procurator.submit("登记")
    lead = Lead.objects.get(title="某河道非法采砂线索（浏览器测试）")
    assert procurator.pk_in_url("leads") == lead.pk
    procurator.screenshot("lead-detail")

    procurator.follow("立案")
    procurator.page.select_option("#id_case_type", "administrative")
    procurator.submit(procurator.page.locator("main form button[type=submit]").first)
    case = Case.objects.filter(lead=lead).first()
    assert case is not None, procurator.text()
    assert procurator.pk_in_url("cases") == case.pk
    assert world.agency1 in case.agencies.all()

    procurator.follow("起草检察建议")
    page = procurator.page
    for name, text in {
        "case_source": "群众举报",
        "harm_facts": "河床遭到破坏，影响防洪安全。",
        "failure_facts": "行政机关未依法查处。",
        "legal_basis": "《中华人民共和国水法》第三十九条",
        "rectification_period": "收到本检察建议书之日起两个月内",
    }.items():
        page.fill(f"main [name={name}]", text)
    if page.locator("main select[name=agency]").count():
        page.select_option("main select[name=agency]", str(world.agency1.pk))
    page.locator("main textarea[name$='-0-text']").fill("依法查处非法采砂行为")
    procurator.submit(page.locator("main form button[type=submit]").last)
    recommendation = Recommendation.objects.get(case=case)
    assert recommendation.status == Recommendation.Status.DRAFT
    procurator.submit("提请审批")
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.PENDING_APPROVAL

    supervisor = open_browser()
    supervisor.login(world.supervisor)
    supervisor.goto("/approvals/")
    supervisor.screenshot("approvals")
    supervisor.follow("审批")
    supervisor.screenshot("recommendation-approval")
    _approve(supervisor)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.APPROVED

    procurator.goto(f"/recommendations/{recommendation.pk}/")
    procurator.follow("签发")
    procurator.submit(procurator.page.locator("main form button[type=submit]").first)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED
    procurator.follow("记录送达")
    procurator.page.select_option("#id_service_method", index=1)
    procurator.page.fill("#id_received_by", "李某（办公室主任）")
    procurator.submit(procurator.page.locator("main form button[type=submit]").first)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.SERVED
    assert recommendation.received_by == "李某（办公室主任）"

    procurator.goto(f"/cases/{case.pk}/")
    assert recommendation.document_number in procurator.text()
    procurator.screenshot("procurator-case")


@pytest.fixture
def served(world):
    """A recommendation of a district case to agency1, served; agency1's user may submit for it."""
    case = CaseFactory(
        procuratorate=world.district, handler=world.procurator, title="督促整治某河道非法采砂行政公益诉讼案"
    )
    recommendation = recommendation_at(
        Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor
    )
    world.agency1_staff.is_responsible_person = True
    world.agency1_staff.title = "局长"
    world.agency1_staff.save()
    return recommendation


def test_agency_acknowledges_and_submits_its_final_report_with_a_file(open_browser, world, served, tmp_path):
    agency = open_browser()
    agency.login(world.agency1_staff)
    agency.goto("/agency/")
    agency.screenshot("agency-home")
    home = agency.text()
    agency.follow(served.document_number)
    agency.submit("签收")
    assert Acknowledgement.objects.filter(recommendation=served).exists()

    agency.follow("起草书面回复")
    page = agency.page
    page.fill("main [name=summary]", "已立案查处，组织修复受损河床。")
    for select in page.locator("main select[name$='status']").all():
        select.select_option(index=1)
    for area in page.locator("main textarea[name$='measures']").all():
        area.fill("已责令停止采砂并处罚款。")
    evidence = tmp_path / "整改照片.png"
    evidence.write_bytes(_PNG)
    page.set_input_files("main input[type=file]", str(evidence))
    agency.submit(page.locator("main form button[type=submit]").last)
    report = FeedbackReport.objects.get(recommendation=served)
    assert report.kind == FeedbackReport.Kind.FINAL
    assert "整改照片.png" in agency.text()
    agency.submit("负责人正式提交")
    report.refresh_from_db()
    assert report.status == FeedbackReport.Status.SUBMITTED
    assert [a.original_name for a in report.attachments.all()] == ["整改照片.png"]
    agency.screenshot("agency-report")
    # The home page's row says what is asked and what to do, not only the document number (an
    # agency never sees the case itself, its title included: see the domain notes on who sees what).
    first_item = served.items.order_by("number").first()
    assert first_item.text[:10] in home, "agency home shows only the document number"
    assert "待签收" in home
    assert served.case.title not in home


# A 1×1 PNG: the upload check looks at the content, not the name.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f0d3f30000000049454e44ae426082"
)


def test_supervisor_approves_and_every_dashboard_figure_matches_its_drill_down(open_browser, world):
    for n in range(3):
        case = CaseFactory(procuratorate=world.district, handler=world.procurator, title=f"督促整治河道案{n}")
        recommendation_at(Recommendation.Status.REPLIED, case=case, agency=world.agency1, approver=world.supervisor)
    pending_case = CaseFactory(procuratorate=world.district, handler=world.procurator, title="待审批案件")
    pending = recommendation_at(Recommendation.Status.PENDING_APPROVAL, case=pending_case, agency=world.agency2)

    supervisor = open_browser()
    supervisor.login(world.supervisor)
    supervisor.goto(f"/recommendations/{pending.pk}/")
    _approve(supervisor)
    pending.refresh_from_db()
    assert pending.status == Recommendation.Status.APPROVED

    supervisor.goto("/dashboard/")
    supervisor.screenshot("dashboard")
    figures = supervisor.page.locator("#key-figures a[href]")
    links = [(a.inner_text().strip(), a.get_attribute("href")) for a in figures.all()]
    assert links, "the dashboard shows no figure with a drill-down"
    seen_non_zero = False
    for shown, href in links:
        if not shown.isdigit():
            continue
        supervisor.goto(href)
        rows = supervisor.page.locator(
            "main table tbody tr:has(a[href*='/cases/']), main table tbody tr:has(a[href*='/leads/'])"
        )
        assert rows.count() == int(shown), f"figure {shown} but its drill-down {href} lists {rows.count()}"
        seen_non_zero |= int(shown) > 0
    assert seen_non_zero


def test_double_click_on_register_makes_one_lead(open_browser, world):
    from playwright.sync_api import Error as PlaywrightError

    procurator = open_browser()
    procurator.login(world.procurator)
    procurator.goto("/leads/new/")
    page = procurator.page
    page.fill("#id_title", "双击登记的线索")
    page.fill("#id_summary", "连续点击两次登记按钮。")
    page.select_option("#id_source", index=1)
    page.select_option("#id_domain", index=1)
    page.get_by_role("button", name="登记", exact=True).dblclick(delay=50)
    for _attempt in range(2):
        try:
            page.wait_for_url(re.compile(r"/leads/\d+/"))
            break
        except PlaywrightError as error:  # the second click aborted the first request's navigation
            if "ERR_ABORTED" not in str(error):
                raise
    procurator.check()
    assert Lead.objects.filter(title="双击登记的线索").count() == 1


def test_language_switch_to_english(open_browser, world):
    procurator = open_browser()
    procurator.login(world.procurator)
    procurator.goto("/cases/")
    with procurator.page.expect_navigation():
        procurator.page.select_option("#language-select", "en")
    procurator.check()
    page = procurator.page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text().strip() == "Cases"
    nav = page.locator("nav.navbar").inner_text()
    assert "Leads" in nav and "Log out" in nav
    # Headings, menu, column heads and filter labels: no Chinese left (data such as names may be).
    interface = " ".join(page.locator("h1, nav.navbar .nav-link, main th, main label").all_inner_texts())
    assert not re.search(r"[\u4e00-\u9fff]", interface), f"Chinese left in the English interface: {interface}"
    procurator.goto("/leads/new/")
    assert "Register" in page.get_by_role("button", name=re.compile("Register")).first.inner_text()
    procurator.screenshot("english-lead-form")


def test_phone_width_case_list_has_no_sideways_scroll_and_results_near_the_top(open_browser, world):
    for n in range(8):
        CaseFactory(
            procuratorate=world.district,
            handler=world.procurator,
            title=f"督促整治某河道非法采砂行政公益诉讼案{n}",
            agencies=[world.agency1],
        )
    procurator = open_browser(viewport=PHONE)
    procurator.login(world.procurator)
    procurator.goto("/cases/")
    page = procurator.page
    procurator.screenshot("phone-case-list", full_page=False)
    scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll_width <= PHONE["width"], (
        f"the page scrolls sideways: {scroll_width}px wide on a {PHONE['width']}px screen"
    )
    first = page.locator("main a[href*='/cases/']:visible").filter(has_text="督促整治").first
    top = first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert top <= 600, f"the first case is {top:.0f}px down the page"
