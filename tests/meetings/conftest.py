"""A joint meeting of the district procuratorate with agency1 and the commission (agency2 did not
take part), discussing one district case; `held` adds minutes and a decision for agency1 and one
for the commission."""

from __future__ import annotations

import datetime

import pytest

from meetings import services
from tests.factories import CaseFactory

D = datetime.date
TODAY = D(2026, 6, 30)


@pytest.fixture
def case(world):
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


@pytest.fixture
def meeting(world, case):
    return services.meeting_schedule(
        user=world.supervisor,
        title="2026年第二次联席会议",
        host=world.district,
        date=D(2026, 6, 20),
        place="区检察院三楼会议室",
        participants=[world.district, world.agency1, world.commission],
        attendees={world.agency1.pk: "王局长、李科长"},
        other_participants="测试区人民法院：张庭长",
        agenda="通报检察建议整改情况",
        cases=[case],
    )


@pytest.fixture
def held(world, meeting):
    services.meeting_hold(
        user=world.supervisor, meeting=meeting, held_on=D(2026, 6, 20), minutes="会议议定两项事项。", today=TODAY
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def decisions(world, held):
    own = services.decision_record(
        user=world.supervisor,
        meeting=held,
        text="生态环境局七月底前完成河道清理",
        owner=world.agency1,
        due_date=D(2026, 7, 31),
        today=TODAY,
    )
    commission = services.decision_record(
        user=world.supervisor,
        meeting=held,
        text="纪委监委督办履职情况",
        owner=world.commission,
        due_date=D(2026, 8, 31),
        today=TODAY,
    )
    return own, commission
