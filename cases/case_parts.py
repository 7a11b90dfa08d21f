"""Links on the case page that come from apps above cases.

An app on a higher layer (interference records, …) registers a function from its
AppConfig.ready(); the case page calls each with the reader and the case and shows the links they
return. Cases never import those apps (docs/architecture.md, How a lower layer learns about a
higher one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import User
from cases.models import Case


@dataclass(frozen=True)
class CaseLink:
    label: str
    url: str


CaseLinks = Callable[[User, Case], list[CaseLink]]

_links: list[CaseLinks] = []


def register_case_links(links: CaseLinks) -> None:
    """`links(user, case)`: the links `user` may follow from `case`'s page (an empty list: none)."""
    if links not in _links:
        _links.append(links)


def case_links(user: User, case: Case) -> list[CaseLink]:
    return [link for links in _links for link in links(user, case)]
