"""Demo interference records (docs/domain.md, Interference records): a few records on the demo
procuratorates' open cases, one of them corrected, all recorded today (so the current quarter's
report lists them and the previous quarter's is a zero report). The liaison `discipline1` reads
them all: the city's commission covers the city and its districts and banners.

Idempotent: nothing is written when the demo procuratorates already have records."""

from __future__ import annotations

import datetime

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case
from interference.models import InterferenceRecord, Means, Relation
from interference.services import interference_correct, interference_record


def _open_case(procuratorate: Organisation, handler: User | None = None) -> Case | None:
    cases = Case.objects.filter(procuratorate=procuratorate).exclude(status=Case.Status.CLOSED).order_by("id")
    if handler is not None:
        cases = cases.filter(handler=handler)
    return cases.first()


def seed_interference(*, procuratorates: dict[str, Organisation], users: dict[str, User], today: datetime.date) -> int:
    """Write the demo records; return how many were written."""
    if InterferenceRecord.objects.filter(procuratorate__in=procuratorates.values()).exists():
        return 0
    procurator, supervisor = users["procurator1"], users["supervisor1"]
    written = 0
    case = _open_case(procurator.organisation, procurator)
    if case is not None:
        first = interference_record(
            user=procurator,
            case=case,
            person_name="刘某",
            person_unit="某区人民政府",
            person_position="副区长",
            relation=Relation.OFFICIAL,
            occurred_on=today - datetime.timedelta(days=12),
            place="区政府办公室",
            means=Means.PHONE,
            request="来电询问案件进展，要求“考虑企业实际困难”，暂缓向行政机关发出检察建议。",
            today=today,
        )
        interference_correct(
            user=procurator,
            record=first,
            correction_reason="原记录将通话方式误记为电话，实为当面约谈。",
            person_name="刘某",
            person_unit="某区人民政府",
            person_position="副区长",
            relation=Relation.OFFICIAL,
            occurred_on=first.occurred_on,
            place="区政府办公室",
            means=Means.IN_PERSON,
            request=first.request,
            today=today,
        )
        interference_record(
            user=procurator,
            case=case,
            person_name="王某",
            person_unit="某煤炭企业",
            person_position="",
            relation=Relation.RELATIVE,
            occurred_on=today - datetime.timedelta(days=5),
            place="",
            means=Means.MESSAGE,
            request="自称某局领导亲属，发微信请承办人“高抬贵手”，不要追究企业责任。",
            today=today,
        )
        written += 3
    city_case = _open_case(supervisor.organisation)
    if city_case is not None:
        interference_record(
            user=supervisor,
            case=city_case,
            person_name="某局办公室",
            person_unit="某市直部门",
            person_position="",
            relation=Relation.LETTER,
            occurred_on=today - datetime.timedelta(days=20),
            place="",
            means=Means.LETTER,
            request="来函要求检察院“慎重处理”，撤回已发出的检察建议。",
            today=today,
        )
        written += 1
    return written
