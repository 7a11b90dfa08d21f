"""Every read of feedback starts here (docs/domain.md, Who sees what).

Agency staff see their own agency's reports, drafts included (drafts never leave the agency);
procuratorate staff see the submitted reports of the recommendations they see, never drafts.
Everything else answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case, Recommendation, RecommendationItem
from cases.selectors import recommendations_visible_to
from deadlines.models import Deadline, DeadlineRule, RuleCode
from feedback.models import (
    Acknowledgement,
    CompletionDateProposal,
    FeedbackAttachment,
    FeedbackReport,
    ItemAnswer,
    SupplementRequest,
)


def feedback_visible_to(user: User) -> QuerySet[FeedbackReport]:
    if not user.is_authenticated or not user.is_active:
        return FeedbackReport.objects.none()
    if user.acts_for_agency:
        return FeedbackReport.objects.filter(
            agency_id=user.organisation_id, recommendation__in=recommendations_visible_to(user)
        )
    if user.is_superuser or user.role in (Role.PROCURATOR, Role.SUPERVISOR):
        return FeedbackReport.objects.filter(
            status=FeedbackReport.Status.SUBMITTED, recommendation__in=recommendations_visible_to(user)
        )
    return FeedbackReport.objects.none()


def feedback_attachments_visible_to(user: User) -> QuerySet[FeedbackAttachment]:
    return FeedbackAttachment.objects.filter(report__in=feedback_visible_to(user))


def supplement_requests_visible_to(user: User) -> QuerySet[SupplementRequest]:
    if not user.is_authenticated:
        return SupplementRequest.objects.none()
    return SupplementRequest.objects.filter(recommendation__in=recommendations_visible_to(user))


def proposals_visible_to(user: User) -> QuerySet[CompletionDateProposal]:
    """Proposals exist only from submitted reports, so they follow the recommendation's scope."""
    if not user.is_authenticated:
        return CompletionDateProposal.objects.none()
    return CompletionDateProposal.objects.filter(recommendation__in=recommendations_visible_to(user))


def agency_recommendations(user: User) -> QuerySet[Recommendation]:
    """The recommendations of the user's own agency (issued, served or replied: never drafts)."""
    if not user.acts_for_agency:
        return Recommendation.objects.none()
    return recommendations_visible_to(user)


# The statuses of a recommendation whose feedback the procuratorate reviews (issued onwards).
REVIEWED_STATUSES = (Recommendation.Status.ISSUED, Recommendation.Status.SERVED, Recommendation.Status.REPLIED)


def review_recommendations(user: User) -> QuerySet[Recommendation]:
    """Procuratorate side: the recommendations whose feedback the user may review."""
    if not user.is_authenticated or not (user.is_superuser or user.role in (Role.PROCURATOR, Role.SUPERVISOR)):
        return Recommendation.objects.none()
    return recommendations_visible_to(user).filter(status__in=REVIEWED_STATUSES)


# --- Deadlines shown to the agency ---------------------------------------------------------------


def _agency_deadlines_prefetch() -> Prefetch:
    """The recommendation's own deadlines that bind the agency (reply, agreed rectification), never
    the procuratorate's internal ones (filing with the superior procuratorate). The court deadlines
    of the first lawsuit that follows the recommendation (defence, compliance) are linked to it too,
    for its page; they are shown with the lawsuit on the home page, not here."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(
            rule__obligor=DeadlineRule.Obligor.AGENCY,
            rule__code__in=[RuleCode.REPLY, RuleCode.REPLY_URGENT, RuleCode.RECTIFICATION_AGREED],
        )
        .select_related("rule")
        .order_by("due_date", "id"),
        to_attr="agency_deadlines",
    )


def _open_deadline(recommendation: Recommendation):
    open_ones = [d for d in getattr(recommendation, "agency_deadlines", []) if d.is_open]
    return open_ones[0] if open_ones else None


# --- The agency home page ------------------------------------------------------------------------


class Group:
    TO_ACKNOWLEDGE = "to_acknowledge"
    REPLY_DUE = "reply_due"
    OVERDUE = "overdue"
    RECTIFYING = "rectifying"
    EVALUATED = "evaluated"
    ORDER = (OVERDUE, TO_ACKNOWLEDGE, REPLY_DUE, RECTIFYING, EVALUATED)


class Asked:
    """What the agency is asked to do next on a recommendation (the home page says it per row)."""

    ACKNOWLEDGE = "acknowledge"  # sign for the served recommendation
    ANSWER_REQUEST = "answer_request"  # answer the procuratorate's request for a supplement
    REPLY = "reply"  # reply in writing within the period
    RECTIFY = "rectify"  # replied: finish the rectification, report it
    NOTHING = ""  # every item evaluated


@dataclass
class HomeRow:
    recommendation: Recommendation
    group: str
    due_on: datetime.date | None
    days_left: int | None
    provisional: bool = False
    asked: str = Asked.NOTHING


@dataclass
class AgencyHome:
    groups: dict[str, list[HomeRow]] = field(default_factory=dict)

    def group(self, name: str) -> list[HomeRow]:
        return self.groups.get(name, [])


def agency_home(user: User, *, today: datetime.date | None = None) -> AgencyHome:
    """What the agency must do, grouped; two queries whatever the number of recommendations:
    the recommendations with everything the page shows annotated, and their agency deadlines."""
    today = today or timezone.localdate()
    open_requests = SupplementRequest.objects.filter(recommendation=OuterRef("pk"), answered_at__isnull=True)
    recommendations = (
        agency_recommendations(user)
        .select_related("case__procuratorate", "acknowledgement")
        .annotate(
            items_total=Count("items", distinct=True),
            items_evaluated=Count("items", filter=~Q(items__evaluation=""), distinct=True),
            # What is asked, without a query per row: the first item's text (the others are counted).
            first_item=Subquery(
                RecommendationItem.objects.filter(recommendation=OuterRef("pk")).order_by("number").values("text")[:1]
            ),
            next_request_due=Subquery(open_requests.order_by("due_on").values("due_on")[:1]),
            has_draft=Exists(
                FeedbackReport.objects.filter(recommendation=OuterRef("pk"), status=FeedbackReport.Status.DRAFT)
            ),
        )
        .prefetch_related(_agency_deadlines_prefetch())
        .order_by("-issued_on", "-id")
    )
    home = AgencyHome(groups={name: [] for name in Group.ORDER})
    for recommendation in recommendations:
        row = _home_row(recommendation, today)
        home.groups[row.group].append(row)
    for rows in home.groups.values():
        rows.sort(key=lambda r: (r.due_on is None, r.due_on or datetime.date.max))
    return home


def _acknowledged(recommendation: Recommendation) -> bool:
    try:
        return recommendation.acknowledgement is not None
    except Acknowledgement.DoesNotExist:
        return False


def _home_row(recommendation: Recommendation, today: datetime.date) -> HomeRow:
    deadline = _open_deadline(recommendation)
    due_on = deadline.due_date if deadline else None
    provisional = bool(deadline and deadline.provisional)
    request_due = recommendation.next_request_due  # type: ignore[attr-defined]  # annotated by the queryset
    if request_due and (due_on is None or request_due < due_on):
        due_on, provisional = request_due, False
    days_left = (due_on - today).days if due_on else None
    overdue = days_left is not None and days_left < 0
    status = recommendation.status
    if status == Recommendation.Status.SERVED or request_due:
        if overdue:
            group = Group.OVERDUE
        elif status == Recommendation.Status.SERVED and not _acknowledged(recommendation):
            group = Group.TO_ACKNOWLEDGE
        else:
            group = Group.REPLY_DUE
    elif status == Recommendation.Status.ISSUED:
        # Issued but service not yet recorded by the procuratorate: to acknowledge once it is.
        group = Group.TO_ACKNOWLEDGE
    # items_total and items_evaluated are annotations of the queryset, unknown to the model's type.
    elif recommendation.items_total and recommendation.items_evaluated == recommendation.items_total:  # type: ignore[attr-defined]
        group = Group.EVALUATED
    else:
        group = Group.OVERDUE if overdue else Group.RECTIFYING
    return HomeRow(
        recommendation=recommendation,
        group=group,
        due_on=due_on,
        days_left=days_left,
        provisional=provisional,
        asked=_asked(recommendation, group, request_due),
    )


def _asked(recommendation: Recommendation, group: str, request_due: datetime.date | None) -> str:
    status = recommendation.status
    if group == Group.EVALUATED:
        return Asked.NOTHING
    if status == Recommendation.Status.ISSUED or (
        status == Recommendation.Status.SERVED and not _acknowledged(recommendation)
    ):
        return Asked.ACKNOWLEDGE
    if request_due:
        return Asked.ANSWER_REQUEST
    if status == Recommendation.Status.SERVED:
        return Asked.REPLY
    return Asked.RECTIFY


# --- One recommendation, agency side --------------------------------------------------------------


def agency_recommendation_page(user: User, recommendation: Recommendation) -> dict:
    """What the agency may see of one of its recommendations: the text, the items with the
    procurator's evaluation, its own reports (drafts included), requests and proposals — and no
    case internals (notes, lead, reporter, approval comments, history)."""
    reports = (
        feedback_visible_to(user)
        .filter(recommendation=recommendation)
        .select_related("drafted_by", "submitted_by", "supplement_request")
        .order_by("created_at", "id")
    )
    return {
        "items": list(recommendation.items.order_by("number")),
        "reports": list(reports),
        "requests": list(recommendation.supplement_requests.order_by("requested_at", "id")),
        "proposals": list(recommendation.completion_proposals.select_related("item").order_by("created_at", "id")),
        "acknowledgement": Acknowledgement.objects.filter(recommendation=recommendation)
        .select_related("acknowledged_by")
        .first(),
        "deadlines": _agency_deadlines(recommendation),
    }


def _agency_deadlines(recommendation: Recommendation) -> list:
    return list(
        Deadline.objects.filter(recommendation=recommendation, rule__obligor=DeadlineRule.Obligor.AGENCY)
        .select_related("rule")
        .order_by("due_date", "id")
    )


def report_detail(report: FeedbackReport) -> dict:
    answers = list(ItemAnswer.objects.filter(report=report).select_related("item", "proposal").order_by("item__number"))
    return {"answers": answers, "attachments": list(report.attachments.order_by("uploaded_at", "id"))}


# --- Procuratorate side ---------------------------------------------------------------------------


def review_page(user: User, recommendation: Recommendation) -> dict:
    """The procurator's view of the agency's feedback on one recommendation: submitted reports only."""
    return {
        "items": list(recommendation.items.order_by("number")),
        "reports": list(
            feedback_visible_to(user)
            .filter(recommendation=recommendation)
            .select_related("submitted_by", "supplement_request")
            .prefetch_related(
                Prefetch("answers", queryset=ItemAnswer.objects.select_related("item").order_by("item__number")),
                "attachments",
            )
            .order_by("submitted_at", "id")
        ),
        "requests": list(recommendation.supplement_requests.select_related("requested_by").order_by("requested_at")),
        "proposals": list(
            recommendation.completion_proposals.select_related("item", "decided_by").order_by("created_at", "id")
        ),
        "acknowledgement": Acknowledgement.objects.filter(recommendation=recommendation)
        .select_related("acknowledged_by")
        .first(),
        "deadlines": list(
            Deadline.objects.filter(recommendation=recommendation).select_related("rule").order_by("due_date", "id")
        ),
    }


def item_answers(user: User, recommendation: Recommendation) -> dict[int, list[ItemAnswer]]:
    """What the agency answered on each item of `recommendation` in the reports `user` sees
    (procuratorate staff: submitted ones), oldest first, by item id, with each answer's report and
    its attachments: for the evaluation form, beside each item's grading (two queries)."""
    answers = (
        ItemAnswer.objects.filter(report__in=feedback_visible_to(user).filter(recommendation=recommendation))
        .select_related("report")
        .prefetch_related(
            Prefetch("report__attachments", queryset=FeedbackAttachment.objects.order_by("uploaded_at", "id"))
        )
        .order_by("report__submitted_at", "report_id")
    )
    by_item: dict[int, list[ItemAnswer]] = {}
    for answer in answers:
        by_item.setdefault(answer.item_id, []).append(answer)
    return by_item


def case_feedback(user: User, case: Case, *, reports: bool = True) -> list[dict]:
    """For the case detail's 整改反馈 tab: per recommendation of the case, its acknowledgement and
    submitted reports (fixed number of queries: recommendations, reports, their attachments).
    `reports=False` when the case is known to have no report at all (cases.portal flag): no
    query for them."""
    reports_prefetch = Prefetch(
        "feedback_reports",
        queryset=feedback_visible_to(user)
        .select_related("submitted_by")
        .prefetch_related("attachments")
        .order_by("submitted_at", "id")
        if reports
        else FeedbackReport.objects.none(),
        to_attr="submitted_reports",
    )
    recommendations = (
        review_recommendations(user)
        .filter(case=case)
        .select_related("agency", "acknowledgement")
        .annotate(
            pending_proposals=Count(
                "completion_proposals",
                filter=Q(completion_proposals__status=CompletionDateProposal.Status.PENDING),
                distinct=True,
            ),
            open_requests=Count(
                "supplement_requests", filter=Q(supplement_requests__answered_at__isnull=True), distinct=True
            ),
        )
        .prefetch_related(reports_prefetch)
        .order_by("issued_on", "id")
    )
    rows = []
    for recommendation in recommendations:
        rows.append(
            {
                "recommendation": recommendation,
                "acknowledgement": getattr(recommendation, "acknowledgement", None)
                if _acknowledged(recommendation)
                else None,
                "reports": recommendation.submitted_reports,
            }
        )
    return rows
