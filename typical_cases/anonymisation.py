"""The suggested anonymisation of a typical case: the names the case's own records hold (docs/domain.md,
Typical cases), each with a neutral replacement ("某甲", "某公司", "某行政机关").

The writer edits the list by hand; the service applies it to the texts on every save. The case's
records are read through reverse relations (lawsuits and plaintiff suits belong to litigation, a
lower layer this app may read but that never learns of it).
"""

from __future__ import annotations

import re

from accounts.models import Role, User
from cases.models import Case

ORDINALS = "甲乙丙丁戊己庚辛壬癸"
COMPANY_WORDS = ("公司", "厂", "企业", "合作社", "商行", "门市", "店", "场", "集团")
# Names in a free-text list (hearing attendees) are separated by these.
SEPARATOR = re.compile(r"\s*(?:→|->|=)\s*")
NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")

Replacement = tuple[str, str]


def _ordinal(index: int) -> str:
    return ORDINALS[index] if index < len(ORDINALS) else str(index + 1)


def _is_company(name: str) -> bool:
    return any(word in name for word in COMPANY_WORDS)


def case_names(case: Case) -> tuple[list[str], list[str], list[str]]:
    """(persons, companies, agencies) named in the case's records, each in first-seen order."""
    persons: list[str] = []
    companies: list[str] = []
    agencies: list[str] = []

    def add_party(name: str) -> None:
        name = (name or "").strip()
        if len(name) < 2:
            return
        target = companies if _is_company(name) else persons
        if name not in target:
            target.append(name)

    lead = case.lead
    if lead is not None:
        add_party(lead.reporter_name)
    users: list[User] = [u for u in (case.handler, *case.co_handlers.all()) if u is not None]
    for agency in case.agencies.all():
        if agency.name not in agencies:
            agencies.append(agency.name)
        users.extend(agency.users.filter(role=Role.AGENCY_STAFF).order_by("id"))
    for user in users:
        add_party(user.full_name)
    for lawsuit in case.lawsuits.all():
        add_party(lawsuit.defendant_name)
        if lawsuit.defendant_agency_id and lawsuit.defendant_agency.name not in agencies:
            agencies.append(lawsuit.defendant_agency.name)
        for hearing in lawsuit.hearings.all():
            for name in NAME_SEPARATORS.split(f"{hearing.appeared_names} {hearing.registered_names}"):
                add_party(name)
    for suit in case.plaintiff_suits.all():
        add_party(suit.plaintiff)
    return persons, companies, agencies


def suggested_replacements(case: Case) -> list[Replacement]:
    """The suggestion: every name found, longest first within its kind, with its replacement."""
    persons, companies, agencies = case_names(case)
    suggestion: list[Replacement] = []
    suggestion += [(name, f"某{_ordinal(i)}") for i, name in enumerate(persons)]
    suggestion += [(name, "某公司" if i == 0 else f"某{_ordinal(i)}公司") for i, name in enumerate(companies)]
    suggestion += [(name, "某行政机关" if i == 0 else f"某行政机关{_ordinal(i)}") for i, name in enumerate(agencies)]
    return suggestion


def anonymise(text: str, replacements: list[Replacement]) -> str:
    """`text` with every original replaced; longer originals first, so a name that contains a
    shorter one is replaced whole."""
    for original, replacement in sorted(replacements, key=lambda pair: -len(pair[0])):
        if original:
            text = text.replace(original, replacement)
    return text


def parse_replacements(text: str) -> list[Replacement]:
    """The writer's list, one "original → replacement" (or "->", "=") per line; ValueError names a
    line without a separator or with an empty side."""
    pairs: list[Replacement] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = SEPARATOR.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(number)
        pairs.append((parts[0].strip(), parts[1].strip()))
    return pairs


def format_replacements(pairs: list[Replacement] | list[list[str]]) -> str:
    return "\n".join(f"{original} → {replacement}" for original, replacement in pairs)
