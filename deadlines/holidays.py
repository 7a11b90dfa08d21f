"""The State Council's holiday arrangements as published in the `chinese-calendar` package."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from chinese_calendar import constants

from deadlines.engine import DaySpec

# The package names holidays in English; the interface speaks Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_source() -> str:
    try:
        return f"chinese-calendar {version('chinese-calendar')}"
    except PackageNotFoundError:  # pragma: no cover - installed from requirements/base.txt
        return "chinese-calendar"


def package_years() -> list[int]:
    """The years whose arrangement the installed package knows."""
    return sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays})


def package_days(year: int) -> list[DaySpec]:
    """The exceptions to the weekend rule in `year`: weekday holidays and weekend working days (调休)."""
    days = [
        DaySpec(day, True, HOLIDAY_NAMES.get(name, name))
        for day, name in constants.holidays.items()
        if day.year == year and day.weekday() < 5
    ]
    days += [
        DaySpec(day, False, f"{HOLIDAY_NAMES.get(name, name)}调休上班")
        for day, name in constants.workdays.items()
        if day.year == year and day.weekday() >= 5
    ]
    return sorted(days, key=lambda d: d.date)
