"""Demo inspections (docs/domain.md, Inspections): in the demo Ordos procuratorates, planned, held
with findings (one turned into a lead), and cancelled, with demo agencies and the discipline
commission taking part. Written through inspections.services; seeded once (a demo procuratorate
with inspections is left as it is)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from agencies.models import Organisation
from inspections import services
from inspections.models import Inspection

if TYPE_CHECKING:  # demo.data calls this module: a runtime import would be circular
    from demo.data import World

DONGSHENG, DALAT, CITY = "150602", "150621", "150600"


def seed_inspections(world: World, today: datetime.date) -> int:
    """Plan, hold and cancel a few inspections; the number created."""
    procuratorates = [world.procuratorates[code] for code in (DONGSHENG, DALAT, CITY)]
    if Inspection.objects.filter(procuratorate__in=procuratorates).exists():
        return 0
    users, agencies, domains = world.users, world.agencies, world.domains
    commission = Organisation.objects.get(kind=Organisation.Kind.DISCIPLINE, name="鄂尔多斯市纪委监委")
    domain = domains["ecology"]
    day = datetime.timedelta(days=1)

    # 东胜区: a joint inspection held three weeks ago with the eco bureau (agency1's) and the
    # commission; two findings, the first turned into a lead by procurator1.
    river = services.inspection_plan(
        user=users["supervisor2"],
        kind=Inspection.Kind.JOINT,
        title="罕台川河道采砂联合检查",
        subject="罕台川东胜段河道及两岸采砂场",
        starts_on=today - 21 * day,
        ends_on=today - 20 * day,
        organiser=world.procuratorates[DONGSHENG],
        participants=[agencies[DONGSHENG]["eco"], agencies[DONGSHENG]["nr"], commission],
    )
    services.inspection_hold(
        user=users["supervisor2"], inspection=river, summary="检查采砂场4处、河道2段，走访村民6户。", today=today
    )
    sand = services.finding_add(
        user=users["supervisor2"],
        inspection=river,
        description="罕台川河道内有非法采砂形成的深坑，未见回填和警示标志",
        location="罕台镇九大股村段",
        agency=agencies[DONGSHENG]["eco"],
        domain=domain,
    )
    services.finding_add(
        user=users["supervisor2"],
        inspection=river,
        description="采砂场临时占用河岸林地，未办理用地审批",
        location="铜川镇",
        agency=agencies[DONGSHENG]["nr"],
        domain=domain,
    )
    services.finding_make_lead(user=users["procurator1"], finding=sand, today=today)

    # 东胜区: an enforcement inspection planned for next month.
    services.inspection_plan(
        user=users["supervisor2"],
        kind=Inspection.Kind.ENFORCEMENT,
        title="城区餐饮油烟执法检查",
        subject="东胜区城区主要餐饮街区",
        starts_on=today + 20 * day,
        ends_on=today + 22 * day,
        organiser=agencies[DONGSHENG]["market"],
        participants=[agencies[DONGSHENG]["eco"], agencies[DONGSHENG]["market"]],
    )

    # 达拉特旗: held with one finding not (yet) a lead; another planned one cancelled.
    dust = services.inspection_plan(
        user=users["supervisor3"],
        kind=Inspection.Kind.JOINT,
        title="沿黄生态保护联合检查",
        subject="黄河达拉特旗段沿岸",
        starts_on=today - 45 * day,
        ends_on=today - 43 * day,
        organiser=world.procuratorates[DALAT],
        participants=[agencies[DALAT]["water"], agencies[DALAT]["nr"]],
    )
    services.inspection_hold(user=users["supervisor3"], inspection=dust, summary="沿岸巡查40公里。", today=today)
    services.finding_add(
        user=users["supervisor3"],
        inspection=dust,
        description="沿黄滩涂有建筑垃圾倾倒",
        location="树林召镇",
        agency=agencies[DALAT]["nr"],
        domain=domain,
    )
    cancelled = services.inspection_plan(
        user=users["supervisor3"],
        kind=Inspection.Kind.ENFORCEMENT,
        title="草原禁牧执法检查",
        subject="达拉特旗南部草原",
        starts_on=today + 10 * day,
        ends_on=today + 11 * day,
        organiser=world.procuratorates[DALAT],
        participants=[agencies[DALAT]["forest"]],
    )
    services.inspection_cancel(user=users["supervisor3"], inspection=cancelled, reason="与旗林草局年度检查合并进行。")

    # The city procuratorate: a planned joint inspection with the discipline commission.
    services.inspection_plan(
        user=users["supervisor1"],
        kind=Inspection.Kind.JOINT,
        title="全市饮用水水源地联合检查",
        subject="全市集中式饮用水水源保护区",
        starts_on=today + 30 * day,
        ends_on=today + 35 * day,
        organiser=world.procuratorates[CITY],
        participants=[agencies[CITY]["eco"], agencies[CITY]["water"], commission],
    )
    return 5
