"""How a searchable select shows people (agencies/choices.py `ChoiceDisplay`).

A source of users — the procurators a case list can be filtered by — registers with `PEOPLE`:
each labelled by the name the pages show (`User.display_name`: the full name, else the username),
grouped by organisation in the organisations' tree order, looked up by name, username or
organisation.
"""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from agencies.choices import ChoiceDisplay

PEOPLE = ChoiceDisplay(
    label=Coalesce(NullIf(F("full_name"), Value("")), F("username")),
    group=F("organisation__name"),
    search=("full_name", "username", "organisation__name"),
    exact=("full_name", "username"),
    order_by=("organisation__tree_path", "full_name", "username", "pk"),
    typed_label=_("或输入姓名"),
    typed_label_multiple=_("添加人员：输入姓名，每行一个"),
    no_match=_("没有匹配的人员"),
    placeholder=_("输入姓名或单位搜索"),
)
