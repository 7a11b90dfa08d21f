from __future__ import annotations

import datetime

import pytest

from cases.models import Case
from litigation.models import Lawsuit
from tests.factories import CaseFactory, LeadFactory

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def closed_case(world) -> Case:
    """A closed district case with a reporter, an agency with staff, and a civil defendant company."""
    world.agency1_staff.full_name = "李执法"
    world.agency1_staff.save()
    world.procurator.full_name = "王检察"
    world.procurator.save()
    lead = LeadFactory(
        procuratorate=world.district,
        title="张举报反映某化工厂排污线索",
        reporter_name="张举报",
        reporter_contact="13912345678",
        source_detail="12345热线转办第77号",
    )
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        lead=lead,
        number="测检行公立〔2026〕901号",
        title="督促整治宏达化工有限公司排污行政公益诉讼案",
        summary="张举报反映宏达化工有限公司向河道排污，测试区生态环境局未依法查处，李执法称已立案。",
        internal_notes="内部备注：请勿外传的考量",
        closure_note="测试区生态环境局已责令宏达化工有限公司停产整治。",
        status=Case.Status.CLOSED,
        closure_ground=Case.ClosureGround.RECTIFIED,
        closed_on=datetime.date(2026, 5, 20),
        agencies=[world.agency1],
    )
    Lawsuit.objects.create(
        case=case,
        court="测试区人民法院",
        court_case_number="(2026)测0602民初1号",
        defendant_name="宏达化工有限公司",
        filed_on=datetime.date(2026, 4, 1),
        filed_by=world.procurator,
        claims="判令被告停止侵害、修复生态环境。",
    )
    return case
