"""The view scaffold every app's "form → one service → redirect" page is built on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pil_tracker.services import call_service


def form_service_view(
    request: HttpRequest,
    *,
    form_class: type,
    service: Callable[..., Any],
    success_message: str,
    success_url: str,
    template: str,
    service_kwargs: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows `form_class`; a valid POST calls `service(user=…, **service_kwargs, **cleaned_data)`
    through call_service and redirects to `success_url` with `success_message`. A refusal comes
    back on the form, nothing changed. The caller has already fetched and authorised the object."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            result = call_service(form, service, user=request.user, **(service_kwargs or {}), **form.cleaned_data)
            if result is not None:
                messages.success(request, success_message)
                return redirect(success_url)
    else:
        form = form_class(**form_kwargs)
    return render(request, template, {"form": form, **(context or {})})
