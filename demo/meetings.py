"""Demo joint meetings (docs/domain.md, Joint meetings), written through meetings/services.py.

The city procuratorate's supervisor keeps the record: a meeting held with 东胜区 and 达拉特旗 agencies,
the commission and the intermediate court (minutes, and decisions done in time, done late, open
and overdue), an upcoming one, a postponed one and a cancelled one. Seeded once: nothing is added
if the city procuratorate already has meetings.
"""

from __future__ import annotations

import datetime

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case
from meetings import services
from meetings.models import Meeting

DAY = datetime.timedelta(days=1)
COURT = "鄂尔多斯市中级人民法院：行政审判庭庭长 刘建国；东胜区人民法院：副院长 赵敏"


def seed_meetings(
    *,
    users: dict[str, User],
    procuratorates: dict[str, Organisation],
    city: str,
    today: datetime.date,
) -> int:
    """Create the demo meetings; returns how many were created (0 when they exist)."""
    recorder = users["supervisor1"]
    keeper = procuratorates[city]
    if Meeting.objects.filter(procuratorate=keeper).exists():
        return 0
    dongsheng = procuratorates["150602"]
    agency1, agency2 = users["agency1"].organisation, users["agency2"].organisation
    commission = users["discipline1"].organisation
    assert agency1 and agency2 and commission  # the demo logins always have one
    participants = [keeper, dongsheng, agency1, agency2, commission]
    attendees = {
        keeper.pk: "周振华（副检察长）",
        dongsheng.pk: "马丽娟（公益诉讼检察部主任）、张宏伟（检察官）",
        agency1.pk: "白雪梅（局长）",
        agency2.pk: "韩志强（局长）",
        commission.pk: "额尔敦（党风政风监督室干部）",
    }
    discussed = list(Case.objects.filter(procuratorate=dongsheng, agencies=agency1).order_by("id")[:2])
    common = {
        "user": recorder,
        "host": keeper,
        "participants": participants,
        "attendees": attendees,
        "other_participants": COURT,
        "procuratorate": keeper,
    }

    held_on = today - 75 * DAY
    held = services.meeting_schedule(
        **common,
        title=f"{held_on.year}年公益诉讼检察与行政执法协作联席会议（第一次）",
        date=held_on,
        place="鄂尔多斯市人民检察院第一会议室",
        agenda="一、通报检察建议办理和整改情况\n二、研究河道非法采砂、矿山修复案件的协作\n三、议定下一步工作",
        cases=discussed,
        referrals_text="移送线索：东胜区生态环境局移送的建筑垃圾倾倒线索",
    )
    services.meeting_hold(
        user=recorder,
        meeting=held,
        held_on=held_on,
        minutes=(
            "会议通报了检察建议办理情况。各单位一致同意：对逾期未回复的检察建议逐件督办；"
            "生态环境部门与检察机关建立线索双向移送机制；法院对公益诉讼案件开通立案绿色通道。"
        ),
        today=held_on,
    )

    def decide(text: str, owner: Organisation, due: datetime.date):
        return services.decision_record(
            user=recorder, meeting=held, text=text, owner=owner, due_date=due, today=held_on
        )

    on_time = decide("建立与检察机关的线索双向移送机制，报送联络员名单。", agency1, held_on + 30 * DAY)
    services.decision_done(
        user=users["agency1"],
        decision=on_time,
        note="已确定联络员并签订移送工作办法。",
        done_on=held_on + 20 * DAY,
        today=held_on + 20 * DAY,
    )
    late = decide("对逾期未回复的检察建议逐件督办并书面报告。", dongsheng, held_on + 40 * DAY)
    services.decision_done(
        user=users["supervisor2"],
        decision=late,
        note="已逐件督办，报告已报市院。",
        done_on=held_on + 50 * DAY,
        today=held_on + 50 * DAY,
    )
    decide("完成达拉特旗非法占用草原问题的整改并报送整改报告。", agency2, today - 10 * DAY)  # overdue
    decide("对东胜区建筑垃圾倾倒问题开展联合执法检查。", agency1, today + 30 * DAY)  # open
    decide("对检察建议逾期不回复问题开展履职监督。", commission, today + 45 * DAY)  # open

    services.meeting_schedule(
        **common,
        title=f"{today.year}年公益诉讼检察与行政执法协作联席会议（第二次）",
        date=today + 14 * DAY,
        place="鄂尔多斯市人民检察院第一会议室",
        agenda="一、通报第一次会议议定事项落实情况\n二、研究草原保护领域的协作",
        cases=discussed[:1],
    )
    postponed = services.meeting_schedule(
        **common,
        title="东胜区生态环境领域公益保护专题联席会议",
        date=today + 3 * DAY,
        place="东胜区人民检察院",
        agenda="研究东胜区建筑垃圾倾倒问题的整治方案",
    )
    services.meeting_postpone(
        user=recorder, meeting=postponed, date=today + 24 * DAY, reason="待联合执法检查结束后召开"
    )
    cancelled = services.meeting_schedule(
        **common,
        title="达拉特旗自然资源领域专题联席会议",
        date=today + 7 * DAY,
        place="达拉特旗人民检察院",
        agenda="研究非法占用草原问题",
    )
    services.meeting_cancel(user=recorder, meeting=cancelled, reason="议题并入第二次联席会议")
    return 4
