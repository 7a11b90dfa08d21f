"""Who reads which referral (docs/domain.md, Referrals). Everything reads through
referrals_visible_to; out of scope answers 404.

- procurator: the referrals of the cases they read (their procuratorate's), and those sent to
  their own procuratorate;
- supervisor: the same over their procuratorate and every subordinate one;
- discipline liaison: those sent by or to their own commission — never drafts of the other side;
- agency staff: none.

A referral that the procuratorate has not yet sent (draft, pending, approved) is the
procuratorate's own business; the commission never sees it, and the procuratorate never sees a
commission's unsent draft.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from agencies.models import Organisation
from cases.selectors import cases_visible_to, procuratorates_visible_to
from referrals.models import Referral

UNSENT = (Referral.Status.DRAFT, Referral.Status.PENDING, Referral.Status.APPROVED)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_active:
        return Referral.objects.none()
    if user.is_superuser:
        return Referral.objects.all()
    if user.role == Role.DISCIPLINE_LIAISON and user.organisation_id:
        own_drafts = Q(direction=Referral.Direction.TO_PROCURATORATE, sender_id=user.organisation_id)
        received = Q(direction=Referral.Direction.TO_COMMISSION, receiver_id=user.organisation_id) & ~Q(
            status__in=UNSENT
        )
        return Referral.objects.filter(own_drafts | received)
    if user.role in (Role.PROCURATOR, Role.SUPERVISOR) and user.organisation_id:
        outgoing = Q(direction=Referral.Direction.TO_COMMISSION, case__in=cases_visible_to(user))
        incoming = Q(direction=Referral.Direction.TO_PROCURATORATE, receiver__in=procuratorates_visible_to(user)) & ~Q(
            status__in=UNSENT
        )
        return Referral.objects.filter(outgoing | incoming)
    return Referral.objects.none()


def referral_list(user: User) -> QuerySet[Referral]:
    """The list page's rows, shaped so a page costs a fixed number of queries."""
    return referrals_visible_to(user).select_related("sender", "receiver", "case")


def referrals_pending_approval_for(user: User) -> QuerySet[Referral]:
    """The outgoing referrals waiting for `user`'s approval (the approvals inbox)."""
    if not user.is_active_supervisor or user.organisation is None:
        return Referral.objects.none()
    return referrals_visible_to(user).filter(
        direction=Referral.Direction.TO_COMMISSION,
        status=Referral.Status.PENDING,
        case__procuratorate__tree_path__startswith=user.organisation.tree_path,
    )


def referrals_waiting_for(user: User) -> QuerySet[Referral]:
    """What waits for the user as the receiving side: to acknowledge, or to feed back the outcome."""
    waiting = Q(status__in=(Referral.Status.SENT, Referral.Status.RECEIVED), receiver_id=user.organisation_id)
    if user.role == Role.DISCIPLINE_LIAISON:
        waiting &= Q(direction=Referral.Direction.TO_COMMISSION)
    else:
        waiting &= Q(direction=Referral.Direction.TO_PROCURATORATE)
    return referrals_visible_to(user).filter(waiting).select_related("sender", "receiver").order_by("sent_on", "id")


def referral_agencies(user: User) -> QuerySet[Organisation]:
    """The agencies a referral may name (the referral forms' choices), for those who read referrals."""
    if not (user.is_superuser or user.role in (Role.PROCURATOR, Role.SUPERVISOR, Role.DISCIPLINE_LIAISON)):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)


def referral_commissions(user: User) -> QuerySet[Organisation]:
    """The discipline commissions a procuratorate may refer a lead to."""
    if not (user.is_superuser or user.is_procuratorate_staff):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.DISCIPLINE, is_active=True)
