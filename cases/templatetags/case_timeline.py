"""`{% timeline events %}`: a run of timeline events as HTML, written in Python.

A case page shows up to 50 events and a history page 100; through the template language each
event cost ~0.15 ms (its tags, filters and the before/after table), the largest single part of the
case page. The markup is the one `cases/_timeline.html` had; the events come prepared by
`cases.views.browse.timeline_entries` (labels, text and change rows in the reader's language).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

DASH = "—"


@register.simple_tag
def timeline(events) -> SafeString:
    head = format_html(
        '\n        <table class="table table-sm table-bordered small mt-1 mb-0 pil-changes">'
        '\n          <thead><tr>\n            <th scope="col">{}</th>\n            <th scope="col">{}</th>'
        '\n            <th scope="col">{}</th>\n          </tr></thead>\n          <tbody>',
        gettext("字段"),
        gettext("修改前"),
        gettext("修改后"),
    )
    parts = ['<ol class="list-unstyled pil-timeline mb-0">']
    for event in events:
        at = timezone.localtime(event.at) if timezone.is_aware(event.at) else event.at
        parts.append(
            format_html(
                '\n    <li class="pil-timeline-item">\n      <div class="d-flex flex-wrap gap-2 align-items-baseline">'
                '\n        <time class="text-body-secondary small text-nowrap" datetime="{}">{}</time>'
                '\n        <span class="fw-semibold">{}</span>\n        <span class="small">{}</span>',
                dateformat.format(at, "c"),
                dateformat.format(at, "Y-m-d H:i"),
                event.get_kind_display(),
                event.actor.display_name if event.actor_id else "",
            )
        )
        from_label, to_label = getattr(event, "from_label", ""), getattr(event, "to_label", "")
        if from_label or to_label:
            parts.append(
                format_html(
                    '\n        <span class="small text-body-secondary">{} → {}</span>',
                    from_label or DASH,
                    to_label or DASH,
                )
            )
        parts.append("\n      </div>")
        text = getattr(event, "text", "")
        if text:
            text_html = linebreaksbr(text, autoescape=True)
            parts.append(format_html('\n      <div class="small pil-text">{}</div>', text_html))
        rows = getattr(event, "change_rows", None)
        if rows:
            parts.append(head)
            for label, before, after in rows:
                parts.append(
                    format_html(
                        '\n              <tr>\n                <th scope="row" class="fw-normal text-nowrap">{}</th>'
                        '\n                <td class="pil-text">{}</td>\n                <td class="pil-text">{}</td>'
                        "\n              </tr>",
                        label,
                        before or DASH,
                        after or DASH,
                    )
                )
            parts.append("\n          </tbody>\n        </table>")
        parts.append("\n    </li>")
    parts.append("\n</ol>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is format_html's output or a literal)
