"""Every read of feedback starts here (docs/domain.md, Who sees what).

Agency staff see their own agency's reports, drafts included (drafts never leave the agency);
procuratorate staff see the submitted reports of the recommendations they see, never drafts.
Everything else answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
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
from pil_tracker.pagination import CappedPaginator


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


# The recommendation's deadlines that bind the agency and that its home page counts down.
AGENCY_DEADLINE_CODES = (RuleCode.REPLY, RuleCode.REPLY_URGENT, RuleCode.RECTIFICATION_AGREED)


def _agency_deadlines_prefetch() -> Prefetch:
    """The recommendation's own deadlines that bind the agency (reply, agreed rectification), never
    the procuratorate's internal ones (filing with the superior procuratorate). The court deadlines
    of the first lawsuit that follows the recommendation (defence, compliance) are linked to it too,
    for its page; they are shown with the lawsuit on the home page, not here."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(
            rule__obligor=DeadlineRule.Obligor.AGENCY,
            rule__code__in=AGENCY_DEADLINE_CODES,
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
    totals: dict[str, int] = field(default_factory=dict)  # each group's size (its rows are the first few)

    def group(self, name: str) -> list[HomeRow]:
        return self.groups.get(name, [])


# At most this many rows of each group on the home page, the most urgent first; the rest are one
# click away on the group's own paged list (an agency may hold tens of thousands of recommendations).
HOME_ROWS = 10


def _open_requests() -> QuerySet[SupplementRequest]:
    return SupplementRequest.objects.filter(answered_at__isnull=True)


def _unevaluated_items() -> QuerySet[RecommendationItem]:
    return RecommendationItem.objects.filter(evaluation="")


def _unsettled(user: User) -> Q:
    """The recommendations that still ask something of the agency: not yet replied to, or with an
    item still to evaluate or a supplement request still to answer. The rest (replied, every item
    evaluated, nothing asked) is the evaluated group — most of an agency's history. Found from the
    small sets of open work (indexes item_unevaluated_idx, supreq_rec_answered_idx), never by
    looking at each of the agency's recommendations."""
    return (
        Q(status__in=[Recommendation.Status.ISSUED, Recommendation.Status.SERVED])
        # Limited to the agency: the planner then joins the agency's few open items instead of
        # hashing every open item in the country.
        | Q(
            pk__in=_unevaluated_items()
            .filter(recommendation__agency_id=user.organisation_id)
            .values("recommendation_id")
        )
        | Q(pk__in=_open_requests().filter(recommendation__agency_id=user.organisation_id).values("recommendation_id"))
    )


def home_due(deadline_due: datetime.date | None, request_due: datetime.date | None) -> datetime.date | None:
    """A recommendation's due date on the agency home: the earlier of its open agency deadline
    (reply, agreed rectification) and its open supplement request."""
    if request_due is not None and (deadline_due is None or request_due < deadline_due):
        return request_due
    return deadline_due


def home_group(
    *,
    status: str,
    due: datetime.date | None,
    request_due: datetime.date | None,
    acknowledged: bool,
    all_evaluated: bool,
    today: datetime.date,
) -> str:
    """What the agency must do next on a recommendation:
    - served (or asked for a supplement): overdue when the due date has passed, else to acknowledge
      while not signed for, else reply due;
    - issued, service not yet recorded: to acknowledge (once it is served);
    - otherwise no item left to evaluate: evaluated (a recommendation always has items: the
      services refuse one without); else overdue or rectifying by the due date."""
    overdue = due is not None and due < today
    served = Recommendation.Status.SERVED
    if status == served or request_due is not None:
        if overdue:
            return Group.OVERDUE
        return Group.TO_ACKNOWLEDGE if status == served and not acknowledged else Group.REPLY_DUE
    if status == Recommendation.Status.ISSUED:
        return Group.TO_ACKNOWLEDGE
    if all_evaluated:
        return Group.EVALUATED
    return Group.OVERDUE if overdue else Group.RECTIFYING


def _open_work(user: User, today: datetime.date) -> list[tuple[str, int]]:
    """The agency's open recommendations as (group, id), each group in the home's order (nearest
    due date first, then the latest issued): one query for the inputs of `home_group`, read for the
    open recommendations only, classified here."""
    agency_deadlines = Deadline.objects.filter(
        recommendation=OuterRef("pk"),
        status=Deadline.Status.OPEN,
        rule__obligor=DeadlineRule.Obligor.AGENCY,
        rule__code__in=AGENCY_DEADLINE_CODES,
    )
    open_requests = _open_requests().filter(recommendation=OuterRef("pk"))
    inputs = (
        agency_recommendations(user)
        .filter(_unsettled(user))
        .annotate(
            deadline_due=Subquery(agency_deadlines.order_by("due_date").values("due_date")[:1]),
            request_due=Subquery(open_requests.order_by("due_on").values("due_on")[:1]),
            acknowledged=Exists(Acknowledgement.objects.filter(recommendation=OuterRef("pk"))),
            # A scalar subquery, not NOT EXISTS: PostgreSQL may answer an EXISTS in the select list
            # by hashing every unevaluated item in the country first (on generate_data's province,
            # 130,000 items, ~30 ms, when it overestimated the open recommendations); a scalar
            # subquery is looked up per open recommendation (an index probe each).
            unevaluated_item=Subquery(_unevaluated_items().filter(recommendation=OuterRef("pk")).values("pk")[:1]),
        )
        .order_by()  # ordered here, once classified
        .values_list("pk", "status", "issued_on", "deadline_due", "request_due", "acknowledged", "unevaluated_item")
    )
    keyed = []
    for pk, status, issued_on, deadline_due, request_due, acknowledged, unevaluated_item in inputs:
        due = home_due(deadline_due, request_due)
        group = home_group(
            status=status,
            due=due,
            request_due=request_due,
            acknowledged=acknowledged,
            all_evaluated=unevaluated_item is None,
            today=today,
        )
        issued = issued_on.toordinal() if issued_on else 0
        keyed.append(((Group.ORDER.index(group), due is None, due or datetime.date.max, -issued, -pk), group, pk))
    return [(group, pk) for _key, group, pk in sorted(keyed)]


# The evaluated group (nothing is due from the agency): the latest issued first, read off
# rec_agency_status_issued_idx.
EVALUATED_ORDER = ("-issued_on", "-id")


def _evaluated(user: User) -> QuerySet[Recommendation]:
    return agency_recommendations(user).filter(status=Recommendation.Status.REPLIED).exclude(_unsettled(user))


def _count_per_recommendation(rows: QuerySet) -> Coalesce:
    """How many of `rows` (filtered on recommendation=OuterRef("pk")) the recommendation has, as a
    subquery: no GROUP BY over the recommendations and the rows they join."""
    per_recommendation = rows.order_by().values("recommendation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_recommendation[:1]), 0)


def _home_display(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Everything a row of the home shows, without a query per row: the recommendations with their
    counts as subqueries (no GROUP BY, so a paged list can take its ids alone), and their agency
    deadlines prefetched (one more query)."""
    items = RecommendationItem.objects.filter(recommendation=OuterRef("pk"))
    open_requests = _open_requests().filter(recommendation=OuterRef("pk"))
    return (
        recommendations.select_related("case__procuratorate", "acknowledgement")
        .annotate(
            next_request_due=Subquery(open_requests.order_by("due_on").values("due_on")[:1]),
            items_total=_count_per_recommendation(items),
            items_evaluated=_count_per_recommendation(items.exclude(evaluation="")),
            # What is asked: the first item's text (the others are counted).
            first_item=Subquery(items.order_by("number").values("text")[:1]),
            has_draft=Exists(
                FeedbackReport.objects.filter(recommendation=OuterRef("pk"), status=FeedbackReport.Status.DRAFT)
            ),
        )
        .prefetch_related(_agency_deadlines_prefetch())
    )


def _rows(ids: list[int], groups: dict[int, str], today: datetime.date, user: User) -> list[HomeRow]:
    """The rows of `ids`, in that order (two queries: the recommendations, their deadlines)."""
    if not ids:
        return []
    by_id = {r.pk: r for r in _home_display(agency_recommendations(user).filter(pk__in=ids))}
    return [home_row(by_id[pk], today, groups[pk]) for pk in ids if pk in by_id]


def agency_home(user: User, *, today: datetime.date | None = None, rows: int = HOME_ROWS) -> AgencyHome:
    """What the agency must do, grouped: every group's size and its `rows` first rows. Five queries
    whatever the number of recommendations: the open ones' classification inputs, the agency's
    total (an index-only count), the evaluated group's first ids, the rows shown, their deadlines."""
    today = today or timezone.localdate()
    home = AgencyHome(groups={name: [] for name in Group.ORDER}, totals=dict.fromkeys(Group.ORDER, 0))
    groups: dict[int, str] = {}
    for group, pk in _open_work(user, today):
        home.totals[group] += 1
        if home.totals[group] <= rows:
            groups[pk] = group
    home.totals[Group.EVALUATED] = agency_recommendations(user).count() - sum(home.totals.values())
    for pk in _evaluated(user).order_by(*EVALUATED_ORDER).values_list("pk", flat=True)[:rows]:
        groups[pk] = Group.EVALUATED
    for row in _rows(list(groups), groups, today, user):
        home.groups[row.group].append(row)
    return home


def agency_home_page(
    user: User, group: str, number, *, per_page: int, today: datetime.date | None = None
) -> tuple[Page, list[HomeRow]]:
    """One page of one group of the agency home, in the home's order, counted as on the home."""
    today = today or timezone.localdate()
    if group == Group.EVALUATED:
        listed = _home_display(_evaluated(user)).order_by(*EVALUATED_ORDER)
        page = CappedPaginator(listed, per_page, count=_evaluated(user).count()).get_page(number)
        return page, [home_row(recommendation, today, group) for recommendation in page.object_list]
    ids = [pk for in_group, pk in _open_work(user, today) if in_group == group]
    page = Paginator(ids, per_page).get_page(number)
    return page, _rows(list(page.object_list), dict.fromkeys(ids, group), today, user)


def _acknowledged(recommendation: Recommendation) -> bool:
    try:
        return recommendation.acknowledgement is not None
    except Acknowledgement.DoesNotExist:
        return False


def home_row(recommendation: Recommendation, today: datetime.date, group: str) -> HomeRow:
    """One row of `group` of the agency home, from a recommendation of `_home_display`."""
    request_due = recommendation.next_request_due  # type: ignore[attr-defined]  # annotated by _home_display
    deadline = _open_deadline(recommendation)
    due_on = home_due(deadline.due_date if deadline else None, request_due)
    # The due date is the deadline's unless the request is earlier (home_due): then not provisional.
    provisional = bool(deadline and deadline.provisional and due_on == deadline.due_date)
    return HomeRow(
        recommendation=recommendation,
        group=group,
        due_on=due_on,
        days_left=(due_on - today).days if due_on else None,
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
            pending_proposals=_count_per_recommendation(
                CompletionDateProposal.objects.filter(
                    recommendation=OuterRef("pk"), status=CompletionDateProposal.Status.PENDING
                )
            ),
            open_requests=_count_per_recommendation(_open_requests().filter(recommendation=OuterRef("pk"))),
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
