"""`submit_once`: the create views' guard against a second submission of the same form."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from submissions.models import Submission
from submissions.services import submission_claim, submission_release

TOKEN_FIELD = "submission_token"  # noqa: S105 - a form field name, not a secret
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")


def submit_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a create view at most once per form token (the hidden field `{% submission_token %}`).

    A POST with a token runs the view in one transaction that first claims the token for the user.
    If the view redirects (it created something), the claim keeps the redirect's URL; any other
    answer (the form back with errors, a refusal) releases the claim. A later POST of the same
    token — Back and resubmit, or a second click whose twin is still running (it waits on the
    claim's unique index) — does not run the view: it is sent to that URL with a message. A POST
    without a token (an old page, a test client) runs the view as before."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not TOKEN_PATTERN.fullmatch(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            claim, first = submission_claim(user=request.user, kind=Submission.Kind.FORM, key=token)
            if not first:
                messages.info(request, _("该表单已提交过，已为您打开当时创建的记录。"))
                return redirect(claim.url)
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                claim.url = response["Location"]
                claim.save(update_fields=["url"])
            else:
                submission_release(submission=claim)
        return response

    return wrapped
