import uuid

from django import template
from django.utils.html import format_html

from submissions.decorators import TOKEN_FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """The hidden one-time token of a create form (submissions.decorators.submit_once); a fresh
    one on every rendering, so a form shown again with its errors is a new submission."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, uuid.uuid4().hex)
