"""Template pieces of the feedback app used on other apps' pages (the case detail's 整改反馈 tab, the
evaluation form's answers per item), and the agency home's rows written in Python (`home_rows`)."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop, ngettext

from cases.portal import case_may_have
from deadlines.templatetags.deadlines import due_badge
from feedback.models import ItemAnswer
from feedback.selectors import case_feedback, item_answers

register = template.Library()

SENTINEL = 987654321987

# What the row asks of the agency (HomeRow.asked): the badge's colour and text.
_ASKED = {
    "acknowledge": ("warning", gettext_noop("待签收")),
    "answer_request": ("warning", gettext_noop("待答复补充说明要求")),
    "reply": ("warning", gettext_noop("待书面回复")),
    "rectify": ("info", gettext_noop("继续整改并报送")),
}


@register.simple_tag
def home_rows(rows) -> SafeString:
    """The agency home's table rows (feedback.selectors.HomeRow), as the row template wrote them:
    through the template language a row cost ~0.3 ms (an include, a blocktranslate with a plural,
    the due badge), the home shows up to fifty."""
    labels = [
        gettext("文号"),
        gettext("检察院"),
        gettext("送达日期"),
        gettext("签收日期"),
        gettext("期限"),
        gettext("整改评估"),
    ]
    head, tail = reverse("agency_recommendation_detail", args=[SENTINEL]).split(str(SENTINEL))
    badge = get_template("deadlines/_due_badge.html")
    not_served = gettext("尚未登记送达")
    draft = format_html('<span class="badge text-bg-light border ms-1">{}</span>', gettext("有草稿"))
    out = []
    for row in rows:
        r = row.recommendation
        asked = ""
        if row.asked in _ASKED:
            colour, text = _ASKED[row.asked]
            asked = format_html('<span class="badge text-bg-{}">{}</span>', colour, gettext(text))
        items = ""
        if r.first_item:
            first = conditional_escape(Truncator(r.first_item).chars(40))
            n = r.items_total
            items = ngettext("建议事项：%(first)s", "建议事项 %(n)s 项：%(first)s 等", n) % {"first": first, "n": n}
        if row.due_on:
            due = format_html(
                '<span class="text-nowrap">{}</span> {}',
                row.due_on.strftime("%Y-%m-%d"),
                badge.render(due_badge(row.due_on, provisional=row.provisional)),
            )
        else:
            due = "—"
        acknowledgement = getattr(r, "acknowledgement", None)
        evaluated = gettext("%(done)s/%(total)s 项已评估") % {"done": r.items_evaluated, "total": r.items_total}
        out.append(
            format_html(
                "\n        <tr>"
                '\n          <td data-label="{}"><a href="{}{}{}">{}</a>'
                "\n            {}"
                '\n            <div class="small text-body-secondary" data-asked="{}">{}'
                "\n              {}</div></td>"
                '\n          <td data-label="{}">{}</td>'
                '\n          <td data-label="{}">{}</td>'
                '\n          <td data-label="{}">{}</td>'
                '\n          <td data-label="{}">\n{}\n</td>'
                '\n          <td data-label="{}">{}</td>'
                "\n        </tr>",
                labels[0],
                head,
                r.pk,
                tail,
                r.document_number,
                draft if r.has_draft else "",
                row.asked,
                asked,
                mark_safe(items),  # noqa: S308 (a translated text with the escaped item)
                labels[1],
                r.case.procuratorate.name,
                labels[2],
                r.served_on.strftime("%Y-%m-%d") if r.served_on else not_served,
                labels[3],
                acknowledgement.acknowledged_on.strftime("%Y-%m-%d") if acknowledgement else "—",
                labels[4],
                due,
                labels[5],
                evaluated,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every row is format_html's output)


@register.simple_tag(takes_context=True)
def case_feedback_rows(context, case) -> list[dict]:
    """Per recommendation of `case` visible to the request's user: acknowledgement and submitted reports."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not case_may_have(case, "reviewed_recommendations"):
        return []
    return case_feedback(request.user, case, reports=case_may_have(case, "feedback_reports"))


@register.simple_tag(takes_context=True)
def item_answers_for(context, recommendation) -> dict[int, list[ItemAnswer]]:
    """The agency's answers per item of `recommendation` that the request's user sees (one call
    per page: `{% item_answers_for recommendation as answers %}`, then `answers|answers_of:item`)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return item_answers(request.user, recommendation)


@register.filter
def answers_of(answers: dict[int, list[ItemAnswer]], item) -> list[ItemAnswer]:
    return answers.get(item.pk, []) if answers else []
