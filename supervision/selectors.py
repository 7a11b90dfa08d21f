"""Every read of supervision starts here (docs/domain.md, Supervision).

A discipline liaison sees the escalations the deadline scan addressed to them: escalated alerts of
a recommendation's deadline whose case's procuratorate is in the region of the liaison's commission
or in a region directly below it (the scan's rule, deadlines.services._recipients). Of such a case
the liaison sees the recommendation (agency, document number, service date, items) and the agency's
submitted reports with their files — never the case itself, its notes, its lead or attachments.

The procuratorate side sees the actions recorded on its cases: the handler and co-handlers of the
case, and the supervisors who see the case. Everything else answers 404.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case
from cases.selectors import cases_visible_to
from deadlines.models import Deadline, DeadlineAlert
from feedback.models import FeedbackAttachment, FeedbackReport, ItemAnswer
from supervision.models import SupervisionAction, SupervisionActionFile


def is_liaison(user: User) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.DISCIPLINE_LIAISON and user.organisation_id
    )


def escalations_visible_to(user: User) -> QuerySet[DeadlineAlert]:
    """The escalated alerts of an agency's deadline on a recommendation addressed to this liaison's
    commission."""
    if not is_liaison(user):
        return DeadlineAlert.objects.none()
    # The commission's region, as a subquery: no extra query, and an inactive commission sees nothing.
    region = Subquery(
        Organisation.objects.filter(
            pk=user.organisation_id or 0, kind=Organisation.Kind.DISCIPLINE, is_active=True, region__isnull=False
        ).values("region_id")[:1]
    )
    return DeadlineAlert.objects.filter(
        Q(deadline__case__procuratorate__region_id=region) | Q(deadline__case__procuratorate__region__parent_id=region),
        level=DeadlineAlert.ESCALATED,
        deadline__recommendation__isnull=False,
        # The agency's own periods (reply, agreed rectification): the commission supervises the
        # agency, not the procuratorate's internal filing period.
        deadline__agency__isnull=False,
    )


def escalation_list(user: User) -> QuerySet[DeadlineAlert]:
    """The supervision list: one row per escalation, with what the list shows and no case field."""
    return (
        escalations_visible_to(user)
        .select_related(
            "deadline__rule",
            "deadline__recommendation__agency",
            "deadline__case__procuratorate",
        )
        .annotate(action_count=Count("supervision_actions"))
        .order_by("-created_at", "-id")
    )


def days_overdue(deadline: Deadline, today: datetime.date) -> int:
    """Days past the due date: until today while open, until the day it was met when late."""
    end = deadline.fulfilled_on if deadline.status == Deadline.Status.LATE and deadline.fulfilled_on else today
    if deadline.status == Deadline.Status.CANCELLED:
        end = deadline.due_date
    return max(0, (end - deadline.due_date).days)


def with_days_overdue(escalations, today: datetime.date) -> list[DeadlineAlert]:
    rows = list(escalations)
    for row in rows:
        row.days_overdue = days_overdue(row.deadline, today)
    return rows


def liaison_reports(user: User) -> QuerySet[FeedbackReport]:
    """The submitted reports (never drafts) of the recommendations escalated to this liaison."""
    recommendations = escalations_visible_to(user).values("deadline__recommendation_id")
    return FeedbackReport.objects.filter(status=FeedbackReport.Status.SUBMITTED, recommendation_id__in=recommendations)


def liaison_feedback_files(user: User) -> QuerySet[FeedbackAttachment]:
    return FeedbackAttachment.objects.filter(report__in=liaison_reports(user))


def escalation_page(user: User, escalation: DeadlineAlert, *, today: datetime.date) -> dict:
    """The detail page: the recommendation's items, the agency's submitted reports, the actions."""
    recommendation = escalation.deadline.recommendation
    if recommendation is None:  # never: escalations_visible_to keeps recommendations' deadlines only
        raise ValueError("an escalation without a recommendation")
    # Shown on the page with the alert (not a model field).
    setattr(escalation, "days_overdue", days_overdue(escalation.deadline, today))  # noqa: B010
    return {
        "escalation": escalation,
        "recommendation": recommendation,
        "items": list(recommendation.items.order_by("number")),
        "reports": list(
            liaison_reports(user)
            .filter(recommendation=recommendation)
            .select_related("submitted_by")
            .prefetch_related(
                Prefetch("answers", queryset=ItemAnswer.objects.select_related("item").order_by("item__number")),
                "attachments",
            )
            .order_by("submitted_at", "id")
        ),
        "actions": list(
            escalation.supervision_actions.select_related("recorded_by", "commission")
            .prefetch_related("files")
            .order_by("-taken_on", "-id")
        ),
    }


def supervision_actions_visible_to(user: User) -> QuerySet[SupervisionAction]:
    if not user.is_authenticated or not user.is_active:
        return SupervisionAction.objects.none()
    if is_liaison(user):
        return SupervisionAction.objects.filter(escalation__in=escalations_visible_to(user))
    if user.is_superuser or user.role == Role.SUPERVISOR:
        return SupervisionAction.objects.filter(recommendation__case__in=cases_visible_to(user))
    if user.role == Role.PROCURATOR:
        handled = Case.objects.filter(Q(handler=user) | Q(co_handlers=user)).values("pk")
        return SupervisionAction.objects.filter(recommendation__case__in=cases_visible_to(user).filter(pk__in=handled))
    return SupervisionAction.objects.none()


def supervision_action_files_visible_to(user: User) -> QuerySet[SupervisionActionFile]:
    return SupervisionActionFile.objects.filter(action__in=supervision_actions_visible_to(user))


def case_supervision_actions(user: User, case: Case) -> list[SupervisionAction]:
    """The actions on `case`'s recommendations, for the case page (empty for anyone out of scope)."""
    return list(
        supervision_actions_visible_to(user)
        .filter(recommendation__case=case)
        .select_related("commission", "recorded_by", "recommendation")
        .prefetch_related("files")
        .order_by("-taken_on", "-id")
    )


def liaison_home(user: User, *, today: datetime.date) -> dict:
    """What waits for the liaison: escalations without any action yet, recent actions, counts."""
    escalations = escalation_list(user)
    waiting = escalations.filter(~Exists(SupervisionAction.objects.filter(escalation=OuterRef("pk"))))
    open_waiting = waiting.filter(deadline__status=Deadline.Status.OPEN)
    counts = escalations_visible_to(user).aggregate(
        total=Count("id", distinct=True),
        open=Count("id", filter=Q(deadline__status=Deadline.Status.OPEN), distinct=True),
    )
    return {
        "escalations_waiting": with_days_overdue(waiting[:10], today),
        "escalations_waiting_count": waiting.count(),
        "escalations_open_waiting_count": open_waiting.count(),
        "escalations_total": counts["total"],
        "escalations_open": counts["open"],
        "recent_actions": list(
            supervision_actions_visible_to(user)
            .select_related("recommendation__agency", "recorded_by")
            .order_by("-recorded_at", "-id")[:5]
        ),
    }
