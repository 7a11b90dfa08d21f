"""The API's JSON parser: DRF's, with a nesting limit.

Python's decoder recurses once per nesting level: a body nested a few thousand levels deep raises
RecursionError, which DRF's parser does not catch (a 500). No input of this API nests more than a
few levels, so anything deeper than MAX_DEPTH is refused as a parse error (400, code parse_error).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests deeper than `limit` (iteratively: the check itself never recurses)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层级过深。")) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("JSON 嵌套层级过深。"))
        return data
