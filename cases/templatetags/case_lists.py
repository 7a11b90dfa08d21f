"""`{% case_rows page_obj %}`: the case list's table rows, written in Python.

Through the template language a row of ten cells cost ~0.4 ms (tags, lookups, filters, the
per-cell labels), a third of the list page; here it is a few string formats. The markup is the one
the row template had: each cell carries its column's name in `data-label` (the narrow screen shows
rows as cards), the next due date its `due_badge` (deadlines' own template, only for the rows that
have one).
"""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from deadlines.templatetags.deadlines import due_badge

register = template.Library()

DASH = "—"
SENTINEL = 987654321987


@register.simple_tag
def case_rows(cases) -> SafeString:
    labels = [
        gettext("案号"),
        gettext("案件名称"),
        gettext("类型"),
        gettext("领域"),
        gettext("检察院"),
        gettext("涉及行政机关"),
        gettext("承办检察官"),
        gettext("状态"),
        gettext("立案日期"),
        gettext("下一期限"),
    ]
    badge = get_template("deadlines/_due_badge.html")
    # One reverse() for the page: every row's link differs only by the id.
    head, tail = reverse("case_detail", args=[SENTINEL]).split(str(SENTINEL))
    rows = []
    for case in cases:
        url = f"{head}{case.pk}{tail}"
        agencies = "、".join(agency.name for agency in case.agencies.all()) or DASH
        next_due = getattr(case, "next_due", None)
        if next_due:
            due = format_html(
                "{} {}",
                next_due.strftime("%Y-%m-%d"),
                badge.render(due_badge(next_due, provisional=getattr(case, "next_due_provisional", False))),
            )
        else:
            due = DASH
        rows.append(
            format_html(
                "\n        <tr>"
                '\n          <td data-label="{}" class="text-nowrap"><a href="{}">{}</a></td>'
                '\n          <td data-label="{}"><a href="{}" class="link-body-emphasis">{}</a></td>'
                '\n          <td data-label="{}" class="small">{}</td>'
                '\n          <td data-label="{}" class="small">{}</td>'
                '\n          <td data-label="{}" class="small">{}</td>'
                '\n          <td data-label="{}" class="small">{}</td>'
                '\n          <td data-label="{}" class="small text-nowrap">{}</td>'
                '\n          <td data-label="{}"><span class="badge pil-status pil-case-{}">{}</span></td>'
                '\n          <td data-label="{}" class="text-nowrap">{}</td>'
                '\n          <td data-label="{}" class="text-nowrap small">{}</td>'
                "\n        </tr>",
                labels[0],
                url,
                case.number,
                labels[1],
                url,
                case.title,
                labels[2],
                case.get_case_type_display(),
                labels[3],
                str(case.domain),
                labels[4],
                case.procuratorate.name,
                labels[5],
                agencies,
                labels[6],
                case.handler.display_name,
                labels[7],
                case.status,
                case.get_status_display(),
                labels[8],
                case.opened_on.strftime("%Y-%m-%d") if case.opened_on else "",
                labels[9],
                due,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is format_html's output)
