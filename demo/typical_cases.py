"""Demo typical cases and congress requests, written through typical_cases.services.

On 东胜区 (supervisor2's procuratorate, under supervisor1's city one): closed cases proposed by
procurator1, written by supervisor2 and checked by supervisor1 (the reviewer is never the writer),
in every state — two published on different domains; and congress requests to the city
procuratorate and 东胜区: open, answered, overdue.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case
from typical_cases import services
from typical_cases.models import CongressRequest, TypicalCase

# A minimal valid PDF: the answer sent to the congress (the demo has no real documents).
_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

SIGNIFICANCE = "本案中，检察机关以诉前检察建议督促行政机关依法全面履职，推动问题整改到位，实现了双赢多赢共赢。"


def _write(typical: TypicalCase, writer: User, case: Case) -> TypicalCase:
    return services.typical_case_update(
        user=writer,
        typical=typical,
        title=typical.title,
        domain=case.domain,
        year=typical.year,
        summary=typical.summary,
        outcome=typical.outcome or "行政机关已依法履职，公益得到有效保护。",
        significance=SIGNIFICANCE,
        replacements=[(o, r) for o, r in typical.replacements],
    )


def seed_typical_cases(
    *, procuratorate: Organisation, city: Organisation, users: dict[str, User], today: datetime.date
) -> None:
    if TypicalCase.objects.filter(procuratorate=procuratorate).exists():
        return  # already seeded
    writer, reviewer, proposer = users["supervisor2"], users["supervisor1"], users["procurator1"]
    closed = list(
        Case.objects.filter(procuratorate=procuratorate, status=Case.Status.CLOSED)
        .select_related("domain")
        .order_by("closed_on", "id")
    )
    # Two to publish on different domains (and, if the data allow, years), then one per other state.
    first = closed[0] if closed else None
    second = next((c for c in reversed(closed) if first and c.domain_id != first.domain_id), None)
    rest = [c for c in closed if c not in (first, second)]
    if first is None or second is None or len(rest) < 5:
        return
    for case in (first, second):
        typical = _write(services.typical_case_start(user=writer, case=case), writer, case)
        services.typical_case_submit(user=writer, typical=typical)
        services.typical_case_publish(user=reviewer, typical=typical)
    submitted, returned, draft, proposed, withdrawn = rest[:5]
    typical = _write(services.typical_case_start(user=writer, case=submitted), writer, submitted)
    services.typical_case_submit(user=writer, typical=typical)
    typical = _write(services.typical_case_start(user=writer, case=returned), writer, returned)
    typical = services.typical_case_submit(user=writer, typical=typical)
    services.typical_case_return(user=reviewer, typical=typical, reason="请补充典型意义，突出办案中的创新做法。")
    services.typical_case_start(user=writer, case=draft)
    services.typical_case_propose(user=proposer, case=proposed, note="整改效果明显，群众满意，建议作为典型案例。")
    typical = services.typical_case_propose(user=proposer, case=withdrawn, note="建议推荐。")
    services.typical_case_withdraw(user=writer, typical=typical, reason="同类案例已发布，暂不推荐。")
    _seed_congress(procuratorate=procuratorate, city=city, writer=writer, reviewer=reviewer, today=today)


def _seed_congress(
    *, procuratorate: Organisation, city: Organisation, writer: User, reviewer: User, today: datetime.date
) -> None:
    day = datetime.timedelta(days=1)
    answered = services.congress_request_record(
        user=reviewer,
        procuratorate=city,
        kind=CongressRequest.Kind.SPECIAL_REPORT,
        requested_on=today - 90 * day,
        content="市人大常委会听取和审议市人民检察院关于公益诉讼检察工作情况的专项报告。",
        due_on=today - 30 * day,
        today=today,
    )
    services.congress_request_answer(
        user=reviewer,
        request=answered,
        answered_on=today - 35 * day,
        answer_note="已向市人大常委会书面报告并到会作说明。",
        upload=SimpleUploadedFile("公益诉讼检察工作情况的报告.pdf", _PDF),
        today=today,
    )
    services.congress_request_record(
        user=writer,
        procuratorate=procuratorate,
        kind=CongressRequest.Kind.INQUIRY,
        requested_on=today - 40 * day,
        content="区人大常委会就饮用水水源地保护公益诉讼办案情况提出询问。",
        due_on=today - 10 * day,
        today=today,
    )  # overdue: still open after its due date
    services.congress_request_record(
        user=writer,
        procuratorate=procuratorate,
        kind=CongressRequest.Kind.INSPECTION,
        requested_on=today - 5 * day,
        content="区人大常委会组织开展公益诉讼工作视察，请准备汇报材料。",
        due_on=today + 25 * day,
        today=today,
    )
