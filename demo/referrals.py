"""Demo referrals (docs/domain.md, Referrals): a few in every state, both directions, written
through referrals.services, so that discipline1 has referrals to acknowledge and to feed back, and
procurator1 has one to acknowledge and leads that came from the commission."""

from __future__ import annotations

import datetime

from accounts.models import User
from cases.models import Case, Domain
from referrals import services
from referrals.models import Referral

OUTGOING = [
    ("draft", "某局工作人员涉嫌失职渎职问题线索", "dereliction"),
    ("pending", "某局对非法采砂长期不予查处涉嫌失职问题线索", "dereliction"),
    ("sent", "某镇干部涉嫌干预公益诉讼调查问题线索", "interference"),
    ("received", "某局在整改中弄虚作假涉嫌违纪问题线索", "other"),
    ("handled", "某局负责人涉嫌收受好处放任污染问题线索", "corruption"),
]
INCOMING = [
    ("draft", "巡察发现某水源地保护区违建问题线索"),
    ("sent", "巡察发现某旗矿山未履行生态修复义务问题线索"),
    ("received", "信访反映某河道长期非法排污问题线索"),
    ("handled", "审查调查中发现某国有土地出让金未征缴问题线索"),
]


def seed_referrals(*, users: dict[str, User], today: datetime.date) -> int:
    """Create the demo referrals once (nothing when any referral exists); return how many."""
    if Referral.objects.exists():
        return 0
    procurator, supervisor, liaison = users["procurator1"], users["supervisor2"], users["discipline1"]
    commission = liaison.organisation
    cases = list(
        Case.objects.filter(handler=procurator, closed_on__isnull=True)
        .exclude(status=Case.Status.CLOSED)
        .order_by("pk")
    )
    domain = Domain.objects.filter(is_active=True).order_by("pk").first()
    if commission is None or procurator.organisation is None or not cases or domain is None:
        return 0
    created = 0
    for n, (status, title, concern) in enumerate(OUTGOING):
        case = cases[n % len(cases)]
        r = services.referral_create_outgoing(
            user=procurator,
            case=case,
            commission=commission,
            title=title,
            concern=concern,
            persons_concerned="相关行政机关负责人及工作人员",
            facts=f"在办理{case.title}过程中发现，相关行政机关工作人员存在未依法履职的问题，可能涉及违纪违法，依规移送。",
            agency=case.agencies.first(),
        )
        created += 1
        if status == "draft":
            continue
        r = services.referral_submit(user=procurator, referral=r)
        if status == "pending":
            continue
        r = services.referral_approve(user=supervisor, referral=r)
        r = services.referral_send(user=procurator, referral=r, today=today)
        if status == "sent":
            continue
        r = services.referral_acknowledge(user=liaison, referral=r, acknowledged_on=today, today=today)
        if status == "received":
            continue
        services.referral_record_outcome(
            user=liaison,
            referral=r,
            outcome="disciplinary",
            outcome_text="经初步核实，对相关责任人给予诫勉谈话处理。",
            outcome_on=today,
            today=today,
        )
    for status, title in INCOMING:
        r = services.referral_create_incoming(
            user=liaison,
            procuratorate=procurator.organisation,
            title=title,
            facts="市纪委监委在监督检查中发现该问题，相关行政机关可能未依法履行监管职责，损害国家利益或社会公共利益，移送检察机关依法处理。",
            domain=domain,
        )
        created += 1
        if status == "draft":
            continue
        r = services.referral_send(user=liaison, referral=r, today=today)
        if status == "sent":
            continue
        r = services.referral_acknowledge(user=procurator, referral=r, acknowledged_on=today, today=today)
        if status == "received":
            continue
        services.referral_record_outcome(
            user=procurator,
            referral=r,
            outcome="no_case",
            outcome_text="经评估，行政机关已依法履职，不予立案。",
            outcome_on=today,
            today=today,
        )
    return created
