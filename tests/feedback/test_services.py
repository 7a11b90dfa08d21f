"""The agency portal's services: drafting and submitting, immutability, refusals that change
nothing, the clock-start rule, proposals, supplementary information and the evaluation flow."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from cases import services as case_services
from cases.models import Case, Investigation, Recommendation, RecommendationItem
from deadlines.models import Deadline, DeadlineChange, RuleCode
from feedback import services
from feedback.models import (
    Acknowledgement,
    CompletionDateProposal,
    FeedbackAttachment,
    FeedbackReport,
    ItemAnswer,
    SupplementRequest,
)
from feedback.selectors import feedback_visible_to
from notifications.models import Notification
from pil_tracker.errors import DomainError
from tests.factories import ISSUED_ON, SERVED_ON, UserFactory
from tests.feedback.conftest import DAY, answers_for, draft, exe_file, pdf_file, png_file

Kind = FeedbackReport.Kind


def feedback_state() -> dict:
    """Every row the feedback services write, and the stored files: compared before and after a refusal."""
    models = [
        FeedbackReport,
        ItemAnswer,
        FeedbackAttachment,
        Acknowledgement,
        SupplementRequest,
        CompletionDateProposal,
    ]
    state = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    state["recommendations"] = list(Recommendation.objects.order_by("pk").values())
    state["deadlines"] = list(Deadline.objects.order_by("pk").values())
    state["notifications"] = Notification.objects.count()
    media = Path(settings.MEDIA_ROOT)
    state["files"] = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return state


class refused:
    """Expect a DomainError (with this code and field) and nothing changed, files included."""

    def __init__(self, *, code: str = "invalid", field: str | None = None):
        self.code, self.field = code, field

    def __enter__(self):
        self.before = feedback_state()
        self.raises = pytest.raises(DomainError)
        self.info = self.raises.__enter__()
        return self.info

    def __exit__(self, *exc):
        suppressed = self.raises.__exit__(*exc)
        error = self.info.value
        assert (error.code, error.field) == (self.code, self.field), error.message
        assert feedback_state() == self.before
        return suppressed


def reply_deadline(recommendation) -> Deadline:
    return Deadline.objects.get(recommendation=recommendation, rule__code__in=[RuleCode.REPLY, RuleCode.REPLY_URGENT])


# --- Drafting and submitting --------------------------------------------------------------------


def test_staff_drafts_and_only_the_responsible_person_submits(world, served, boss):
    report = draft(world.agency1_staff, served, uploads=[pdf_file(), png_file()])
    assert report.is_draft and report.answers.count() == 2 and report.attachments.count() == 2
    assert {a.content_type for a in report.attachments.all()} == {"application/pdf", "image/png"}

    with refused(code="permission_denied"):
        services.feedback_submit(user=world.agency1_staff, report=report, today=DAY)

    services.feedback_submit(user=boss, report=report, today=DAY)
    report.refresh_from_db()
    assert report.is_submitted and report.submitted_by == boss and report.drafted_by == world.agency1_staff
    notification = Notification.objects.exclude(kind="approval_decided").get(recipient=world.procurator)
    assert notification.kind == "feedback_submitted"
    assert notification.url == f"/agency/reports/{report.pk}/"


def test_drafts_are_private_to_the_agency_until_submitted(world, served, boss):
    report = draft(world.agency1_staff, served)
    assert list(feedback_visible_to(boss)) == [report]
    for outsider in (world.procurator, world.supervisor, world.city_supervisor, world.agency2_staff, world.discipline):
        assert list(feedback_visible_to(outsider)) == []
    services.feedback_submit(user=boss, report=report, today=DAY)
    for reader in (world.procurator, world.procurator_colleague, world.supervisor, world.city_supervisor):
        assert list(feedback_visible_to(reader)) == [report]
    for outsider in (world.other_procurator, world.other_supervisor, world.agency2_staff, world.discipline):
        assert list(feedback_visible_to(outsider)) == []


def test_final_report_records_the_written_reply_on_time_and_moves_the_case_to_follow_up(world, served, boss):
    report = draft(world.agency1_staff, served, kind=Kind.FINAL)
    services.feedback_submit(user=boss, report=report, today=DAY)
    served.refresh_from_db()
    assert served.status == Recommendation.Status.REPLIED
    assert served.reply_received_on == DAY
    assert served.case.status == Case.Status.FOLLOW_UP
    deadline = reply_deadline(served)
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, DAY)


def test_final_report_after_the_due_date_closes_the_reply_deadline_late(world, served, boss):
    late = datetime.date(2026, 6, 30)
    report = draft(world.agency1_staff, served, kind=Kind.FINAL)
    services.feedback_submit(user=boss, report=report, today=late)
    assert reply_deadline(served).status == Deadline.Status.LATE


def test_acknowledgement_and_each_submitted_report_appear_on_the_case_timeline(world, served, boss):
    from cases.models import Event
    from cases.selectors import case_timeline

    services.acknowledgement_record(user=world.agency1_staff, recommendation=served, acknowledged_on=DAY, today=DAY)
    draft_only = draft(world.agency1_staff, served)
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served), today=DAY)
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served, kind=Kind.FINAL), today=DAY)
    kinds = [(e.kind, e.actor) for e in case_timeline(served.case) if e.recommendation_id == served.pk]
    assert (Event.Kind.RECOMMENDATION_ACKNOWLEDGED, world.agency1_staff) in kinds
    assert kinds.count((Event.Kind.FEEDBACK_SUBMITTED, boss)) == 2
    # A draft is private to the agency: it is not on the procuratorate's timeline.
    assert draft_only.is_draft and len([k for k, _ in kinds if k == Event.Kind.FEEDBACK_SUBMITTED]) == 2


def test_interim_report_leaves_the_reply_deadline_running(world, served, boss):
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served), today=DAY)
    served.refresh_from_db()
    assert served.status == Recommendation.Status.SERVED
    assert reply_deadline(served).status == Deadline.Status.OPEN


# --- Immutability ---------------------------------------------------------------------------------


def test_a_submitted_report_is_never_changed_or_deleted(world, served, boss):
    report = draft(world.agency1_staff, served, uploads=[pdf_file()])
    services.feedback_submit(user=boss, report=report, today=DAY)
    with refused(code="immutable"):
        services.feedback_draft_update(user=boss, report=report, summary="改写", answers=answers_for(served), today=DAY)
    with refused(code="immutable"):
        services.feedback_draft_delete(user=boss, report=report)
    with refused(code="immutable"):
        services.feedback_submit(user=boss, report=report, today=DAY)
    with refused(code="immutable"):
        report.delete()


def test_a_correction_is_a_new_report_pointing_at_the_submitted_one(world, served, boss):
    first = draft(world.agency1_staff, served)
    with refused(field="corrects"):
        draft(world.agency1_staff, served, corrects=first)  # a draft cannot be corrected, only changed
    services.feedback_submit(user=boss, report=first, today=DAY)
    correction = draft(world.agency1_staff, served, corrects=first)
    services.feedback_submit(user=boss, report=correction, today=DAY)
    first.refresh_from_db()
    assert first.is_submitted and list(first.corrections.all()) == [correction]


def test_a_draft_can_be_changed_and_deleted_with_its_files(world, served, django_capture_on_commit_callbacks):
    report = draft(world.agency1_staff, served, uploads=[pdf_file()])
    old = report.attachments.get()
    old_path = Path(old.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # removed files go once the removal is committed
        services.feedback_draft_update(
            user=world.agency1_staff,
            report=report,
            summary="补充了材料。",
            answers=answers_for(served, status=ItemAnswer.Status.RECTIFYING),
            uploads=[png_file()],
            remove_attachment_ids=[old.pk],
            today=DAY,
        )
    report.refresh_from_db()
    assert report.summary == "补充了材料。"
    assert set(report.answers.values_list("status", flat=True)) == {ItemAnswer.Status.RECTIFYING}
    assert [a.original_name for a in report.attachments.all()] == ["现场照片.png"]
    assert not old_path.exists()
    paths = [Path(a.file.path) for a in report.attachments.all()]
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_draft_delete(user=world.agency1_staff, report=report)
    assert not FeedbackReport.objects.exists() and not any(p.exists() for p in paths)


def test_a_deleted_drafts_files_stay_until_the_deletion_commits(world, served, django_capture_on_commit_callbacks):
    report = draft(world.agency1_staff, served, uploads=[pdf_file(), png_file()])
    paths = [Path(a.file.path) for a in report.attachments.all()]
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_draft_delete(user=world.agency1_staff, report=report)
        assert not FeedbackAttachment.objects.exists()
        assert all(p.exists() for p in paths)  # a rollback now would keep row and file together
    assert not any(p.exists() for p in paths)


# --- Refused, nothing saved -----------------------------------------------------------------------


def test_report_on_a_recommendation_of_another_agency_is_refused(world, served):
    with refused(code="permission_denied"):
        draft(world.agency2_staff, served)
    with refused(code="permission_denied"):
        draft(world.procurator, served)


def test_report_on_a_closed_case_is_refused(world, served):
    Case.objects.filter(pk=served.case_id).update(status=Case.Status.CLOSED)
    with refused(code="case_closed"):
        draft(world.agency1_staff, served)


def test_report_with_a_forbidden_file_type_is_refused_and_no_file_is_kept(world, served):
    with refused(field="files") as info:
        draft(world.agency1_staff, served, uploads=[pdf_file(), exe_file()])
    assert "evidence.pdf" in info.value.message


def test_report_with_a_file_over_the_limit_is_refused(world, served, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with refused(field="files"):
        draft(world.agency1_staff, served, uploads=[pdf_file()])


def test_report_with_too_many_files_is_refused(world, served, settings):
    settings.FEEDBACK_MAX_FILES = 1
    with refused(field="files"):
        draft(world.agency1_staff, served, uploads=[pdf_file(), png_file()])


def test_report_missing_an_item_answer_is_refused_at_that_item(world, served):
    _first, second = served.items.order_by("number")
    with refused(field=f"item_{second.pk}_status") as info:
        draft(world.agency1_staff, served, answers=answers_for(served)[:1])
    assert "第2项" in info.value.message


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reason": "", "proposed_completion_on": datetime.date(2026, 9, 30)}, "reason"),
        ({"reason": "需待汛期结束后施工。", "proposed_completion_on": None}, "proposed_completion_on"),
        ({"reason": "需待汛期结束后施工。", "proposed_completion_on": DAY}, "proposed_completion_on"),
    ],
)
def test_cannot_yet_rectify_needs_a_reason_and_a_future_completion_date(world, served, extra, field):
    answers = answers_for(served, status=ItemAnswer.Status.CANNOT_YET, **extra)
    with refused(field=f"item_{answers[0].item_id}_{field}"):
        draft(world.agency1_staff, served, answers=answers)


def test_report_before_service_is_refused(world, served):
    Recommendation.objects.filter(pk=served.pk).update(status=Recommendation.Status.ISSUED, served_on=None)
    with refused(code="invalid_transition"):
        draft(world.agency1_staff, served)


def test_merged_agency_keeps_read_access_but_cannot_write(world, served, boss):
    report = draft(world.agency1_staff, served)
    services.feedback_submit(user=boss, report=report, today=DAY)
    world.agency1.merged_into = world.agency2
    world.agency1.save()
    boss.refresh_from_db()
    assert list(feedback_visible_to(boss)) == [report]
    with refused(code="agency_inactive"):
        draft(boss, served)
    world.agency1.merged_into, world.agency1.is_active = None, False
    world.agency1.save()
    boss.refresh_from_db()
    with refused(code="agency_inactive"):
        draft(boss, served)


def test_deactivated_user_loses_access_but_their_submitted_report_stays(world, served, boss):
    report = draft(world.agency1_staff, served)
    services.feedback_submit(user=boss, report=report, today=DAY)
    boss.is_active = False
    boss.save()
    assert list(feedback_visible_to(boss)) == []
    assert list(feedback_visible_to(world.procurator)) == [report]
    report.refresh_from_db()
    assert report.submitted_by == boss


# --- Acknowledgement and the clock-start rule -----------------------------------------------------


def test_acknowledgement_earlier_than_the_service_date_starts_the_reply_period(world, served):
    before = reply_deadline(served)
    assert (before.start_date, before.due_date) == (SERVED_ON, datetime.date(2026, 6, 3))
    ack = services.acknowledgement_record(
        user=world.agency1_staff, recommendation=served, acknowledged_on=ISSUED_ON, today=DAY
    )
    served.refresh_from_db()
    assert served.served_on == SERVED_ON and ack.acknowledged_on == ISSUED_ON  # both stay visible
    after = reply_deadline(served)
    assert (after.start_date, after.due_date) == (ISSUED_ON, datetime.date(2026, 6, 2))
    change = DeadlineChange.objects.get(deadline=after)
    assert (change.old_due_date, change.new_due_date) == (datetime.date(2026, 6, 3), datetime.date(2026, 6, 2))
    mine = Notification.objects.exclude(kind="approval_decided").get(recipient=world.procurator)
    assert mine.kind == "recommendation_acknowledged"


def test_acknowledgement_later_than_the_service_date_leaves_the_reply_period(world, served):
    services.acknowledgement_record(
        user=world.agency1_staff, recommendation=served, acknowledged_on=datetime.date(2026, 4, 7), today=DAY
    )
    deadline = reply_deadline(served)
    assert (deadline.start_date, deadline.due_date) == (SERVED_ON, datetime.date(2026, 6, 3))
    assert not DeadlineChange.objects.exists()


def test_acknowledgement_is_refused_twice_in_the_future_before_issue_or_by_another_agency(world, served):
    with refused(field="acknowledged_on"):
        services.acknowledgement_record(
            user=world.agency1_staff, recommendation=served, acknowledged_on=DAY + datetime.timedelta(days=1), today=DAY
        )
    with refused(field="acknowledged_on"):
        services.acknowledgement_record(
            user=world.agency1_staff, recommendation=served, acknowledged_on=datetime.date(2026, 4, 1), today=DAY
        )
    with refused(code="permission_denied"):
        services.acknowledgement_record(
            user=world.agency2_staff, recommendation=served, acknowledged_on=SERVED_ON, today=DAY
        )
    services.acknowledgement_record(
        user=world.agency1_staff, recommendation=served, acknowledged_on=SERVED_ON, today=DAY
    )
    with refused(code="invalid_transition"):
        services.acknowledgement_record(
            user=world.agency1_staff, recommendation=served, acknowledged_on=SERVED_ON, today=DAY
        )


# --- Proposed completion dates ----------------------------------------------------------------------


def _cannot_yet_report(world, served, boss, date=datetime.date(2026, 9, 30)):
    first, second = served.items.order_by("number")
    answers = [
        services.AnswerInput(item_id=first.pk, status=ItemAnswer.Status.RECTIFIED, measures="已立案查处。"),
        services.AnswerInput(
            item_id=second.pk,
            status=ItemAnswer.Status.CANNOT_YET,
            measures="已编制修复方案。",
            reason="汛期不宜施工。",
            proposed_completion_on=date,
        ),
    ]
    report = draft(world.agency1_staff, served, kind=Kind.FINAL, answers=answers)
    services.feedback_submit(user=boss, report=report, today=DAY)
    return CompletionDateProposal.objects.get()


def test_accepted_completion_date_becomes_a_watched_rectification_deadline(world, served, boss):
    proposal = _cannot_yet_report(world, served, boss)
    assert proposal.status == CompletionDateProposal.Status.PENDING and proposal.item.number == 2
    with refused(code="permission_denied"):
        services.completion_date_decide(user=world.procurator_colleague, proposal=proposal, accept=True, today=DAY)
    with refused(code="permission_denied"):
        services.completion_date_decide(user=world.supervisor, proposal=proposal, accept=True, today=DAY)
    services.completion_date_decide(user=world.procurator, proposal=proposal, accept=True, today=DAY)
    proposal.refresh_from_db()
    deadline = proposal.deadline
    assert proposal.status == CompletionDateProposal.Status.ACCEPTED
    assert (deadline.rule.code, deadline.due_date, deadline.status) == (
        RuleCode.RECTIFICATION_AGREED,
        datetime.date(2026, 9, 30),
        Deadline.Status.OPEN,
    )
    assert deadline.rule.obligor == "agency" and deadline.recommendation == served
    assert Notification.objects.filter(recipient=world.agency1_staff, kind="completion_date_decided").exists()
    with refused(code="invalid_transition"):
        services.completion_date_decide(user=world.procurator, proposal=proposal, accept=False, note="x", today=DAY)

    # The agency reports the item rectified: the agreed deadline is met.
    report = draft(world.agency1_staff, served)
    services.feedback_submit(user=boss, report=report, today=datetime.date(2026, 9, 1))
    deadline.refresh_from_db()
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, datetime.date(2026, 9, 1))


def test_refusing_a_completion_date_needs_a_reason_and_opens_no_deadline(world, served, boss):
    proposal = _cannot_yet_report(world, served, boss)
    with refused(field="note"):
        services.completion_date_decide(user=world.procurator, proposal=proposal, accept=False, today=DAY)
    services.completion_date_decide(
        user=world.procurator, proposal=proposal, accept=False, note="期限过长，应于八月底前完成。", today=DAY
    )
    assert not Deadline.objects.filter(rule__code=RuleCode.RECTIFICATION_AGREED).exists()


# --- Supplementary information ----------------------------------------------------------------------


def test_supplementary_report_answers_the_procurators_request(world, served, boss):
    with refused(code="permission_denied"):
        services.supplement_request_create(
            user=world.agency1_staff,
            recommendation=served,
            text="x",
            due_on=DAY + datetime.timedelta(days=5),
            today=DAY,
        )
    request = services.supplement_request_create(
        user=world.procurator,
        recommendation=served,
        text="请补充河床修复的验收材料。",
        due_on=DAY + datetime.timedelta(days=10),
        today=DAY,
    )
    assert Notification.objects.get(recipient=world.agency1_staff).kind == "supplement_requested"
    assert not Notification.objects.filter(recipient=world.agency2_staff).exists()
    with refused(field="kind"):
        draft(world.agency1_staff, served, kind=Kind.SUPPLEMENTARY)  # which request?
    report = draft(world.agency1_staff, served, kind=Kind.SUPPLEMENTARY, supplement_request=request)
    services.feedback_submit(user=boss, report=report, today=DAY)
    request.refresh_from_db()
    assert request.is_answered
    with refused(field="kind"):
        draft(world.agency1_staff, served, kind=Kind.SUPPLEMENTARY, supplement_request=request)


# --- Follow-up and evaluation ---------------------------------------------------------------------


def test_follow_up_investigation_with_photos(world, served):
    record = services.follow_up_record(
        user=world.procurator,
        recommendation=served,
        conducted_on=DAY,
        findings="现场已停止采砂，河床正在回填。",
        photos=[png_file(), pdf_file()],
        today=DAY,
    )
    assert record.kind == Investigation.Kind.FOLLOW_UP
    assert record.attachments.count() == 2
    with pytest.raises(DomainError) as info:
        services.follow_up_record(
            user=world.procurator, recommendation=served, conducted_on=DAY, findings="x", photos=[exe_file()], today=DAY
        )
    assert info.value.field == "files"
    assert Investigation.objects.count() == 1
    with pytest.raises(DomainError) as info:
        services.follow_up_record(
            user=world.supervisor, recommendation=served, conducted_on=DAY, findings="x", today=DAY
        )
    assert info.value.code == "permission_denied"


def test_evaluation_flow_final_report_then_every_item_evaluated_then_closing(world, served, boss):
    report = draft(world.agency1_staff, served, kind=Kind.FINAL, uploads=[pdf_file()])
    services.feedback_submit(user=boss, report=report, today=DAY)
    items = list(RecommendationItem.objects.filter(recommendation=served).order_by("number"))
    with pytest.raises(DomainError):
        case_services.case_close(
            user=world.procurator,
            case=served.case,
            ground=Case.ClosureGround.RECTIFIED,
            note="",
            closed_on=DAY,
            today=DAY,
        )
    for item in items:
        case_services.item_evaluate(
            user=world.procurator, item=item, evaluation=RecommendationItem.Evaluation.RECTIFIED
        )
    case = case_services.case_close(
        user=world.procurator, case=served.case, ground=Case.ClosureGround.RECTIFIED, note="", closed_on=DAY, today=DAY
    )
    assert case.status == Case.Status.CLOSED
    # Nothing more on a closed case.
    with refused(code="case_closed"):
        draft(world.agency1_staff, served)
    with refused(code="case_closed"):
        services.supplement_request_create(
            user=world.procurator, recommendation=served, text="x", due_on=DAY + datetime.timedelta(days=3), today=DAY
        )


def test_another_agency_user_is_never_notified(world, served, served2, boss):
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served), today=DAY)
    services.supplement_request_create(
        user=world.procurator,
        recommendation=served,
        text="请补充。",
        due_on=DAY + datetime.timedelta(days=3),
        today=DAY,
    )
    staff2 = UserFactory(organisation=world.agency2, role="agency_staff")
    assert not Notification.objects.filter(recipient__in=[world.agency2_staff, staff2]).exists()
    assert not Notification.objects.filter(recipient__in=[world.other_procurator, world.discipline]).exists()


def test_a_later_accepted_date_extends_the_agreed_deadline_on_the_record(world, served, boss):
    first = _cannot_yet_report(world, served, boss, date=datetime.date(2026, 9, 30))
    services.completion_date_decide(user=world.procurator, proposal=first, accept=True, today=DAY)
    item = served.items.get(number=1)
    answers = answers_for(served, status=ItemAnswer.Status.RECTIFYING)  # item 2 still under way
    answers[0] = services.AnswerInput(
        item_id=item.pk,
        status=ItemAnswer.Status.CANNOT_YET,
        measures="已启动追责程序。",
        reason="需等待法院判决。",
        proposed_completion_on=datetime.date(2026, 10, 31),
    )
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served, answers=answers), today=DAY)
    second = CompletionDateProposal.objects.get(item=item)
    services.completion_date_decide(user=world.procurator, proposal=second, accept=True, today=DAY)
    deadline = Deadline.objects.get(recommendation=served, rule__code=RuleCode.RECTIFICATION_AGREED)
    assert deadline.due_date == datetime.date(2026, 10, 31)
    change = DeadlineChange.objects.get(deadline=deadline)
    assert (change.old_due_date, change.new_due_date, change.changed_by) == (
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 31),
        world.procurator,
    )
