"""Demo assistance requests (docs/domain.md, Assistance requests): on open demo cases handled by
the demo procurators, requests sent (one overdue), answered with a file, closed and withdrawn;
agency1 (东胜区生态环境局) has requests waiting on its home page. Written through
assistance.services; seeded once (left as it is when the demo cases already have some)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from agencies.models import Organisation
from assistance import services
from assistance.models import AssistanceRequest
from cases.models import Case

if TYPE_CHECKING:  # demo.data calls this module: a runtime import would be circular
    from demo.data import World

# A one-page PDF: the services decide a file's type from its bytes.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _open_cases(handler: User, agency: Organisation, opened_by: datetime.date) -> list[Case]:
    """The handler's open cases opened by `opened_by` (no request predates its case), those about
    `agency` first."""
    cases = (
        Case.objects.filter(handler=handler, opened_on__lte=opened_by).exclude(status=Case.Status.CLOSED).order_by("id")
    )
    about = list(cases.filter(agencies=agency))
    return about + [c for c in cases if c not in about]


def seed_assistance(world: World, today: datetime.date) -> int:
    """Send, answer, close and withdraw a few requests; the number created."""
    users = world.users
    procurators = [users["procurator1"], users["procurator2"]]
    if AssistanceRequest.objects.filter(requested_by__in=procurators).exists():
        return 0
    day = datetime.timedelta(days=1)
    eco = users["agency1"].organisation  # 东胜区生态环境局
    nr = users["agency2"].organisation  # 达拉特旗自然资源局
    dongsheng = _open_cases(users["procurator1"], eco, today - 60 * day)
    dalat = _open_cases(users["procurator2"], nr, today - 60 * day)
    if len(dongsheng) < 4 or not dalat:
        return 0  # a demo too small to hold them (never with the full demo)

    def send(user: User, case: Case, agency: Organisation, kind: str, subject: str, details: str, sent: int):
        return services.assistance_request_send(
            user=user, case=case, agency=agency, kind=kind, subject=subject, details=details, today=today - sent * day
        )

    p1, p2 = users["procurator1"], users["procurator2"]
    # Waiting for agency1: one in time, one overdue.
    send(
        p1,
        dongsheng[0],
        eco,
        AssistanceRequest.Kind.FILES,
        "调取排污许可执法卷宗",
        "请提供涉案企业近三年排污许可及检查卷宗。",
        4,
    )
    send(
        p1,
        dongsheng[1],
        eco,
        AssistanceRequest.Kind.APPRAISAL,
        "协助委托土壤污染鉴定",
        "请协助联系有资质的鉴定机构对涉案地块取样。",
        30,
    )
    # Answered by agency1 with a file, not yet closed.
    answered = send(
        p1, dongsheng[2], eco, AssistanceRequest.Kind.SITE, "现场勘验协助", "请派执法人员参加涉案堆场的现场勘验。", 20
    )
    services.assistance_answer(
        user=users["agency1"],
        request=answered,
        answer="已派两名执法人员参加勘验，勘验记录附后。",
        files=[SimpleUploadedFile("现场勘验记录.pdf", PDF, content_type="application/pdf")],
        today=today - 12 * day,
    )
    # Answered and closed.
    closed = send(
        p1, dongsheng[3], eco, AssistanceRequest.Kind.INTERVIEW, "询问执法人员", "请安排原经办执法人员接受询问。", 60
    )
    services.assistance_answer(
        user=users["agency1"], request=closed, answer="已安排，询问于次周进行。", today=today - 50 * day
    )
    services.assistance_close(user=p1, request=closed, note="询问笔录已入卷。")
    # 达拉特旗: one answered by agency2, one withdrawn.
    nr_answered = send(
        p2,
        dalat[0],
        nr,
        AssistanceRequest.Kind.FILES,
        "调取用地审批材料",
        "请提供涉案地块的用地审批及执法检查材料。",
        18,
    )
    services.assistance_answer(
        user=users["agency2"], request=nr_answered, answer="材料已整理，请派员到局调取。", today=today - 9 * day
    )
    withdrawn = send(p2, dalat[0], nr, AssistanceRequest.Kind.SITE, "现场测量协助", "请协助测量占地面积。", 10)
    services.assistance_withdraw(user=p2, request=withdrawn, reason="已委托测绘机构测量。")
    return 6
