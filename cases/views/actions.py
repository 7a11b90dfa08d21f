"""The forms that act on a case and its recommendations, and the recommendation pages.

Every view: fetch the object through the scoping selector (out of scope → 404, exactly like a
missing id), refuse a user in scope who may not act (403), validate with a form, call one service
through `call_service` (a refusal becomes a form error or a message and changes nothing), then
redirect with a success message. State changes are POST-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import services, timeline
from cases.documents import DOCX_CONTENT_TYPE, recommendation_document, recommendation_filename
from cases.forms import actions as forms
from cases.models import Attachment, Case, Recommendation
from cases.selectors import (
    attachments_visible_to,
    can_approve,
    can_edit_case,
    can_file_with_superior,
    cases_visible_to,
    recommendations_visible_to,
    reporter_identity_in,
)
from deadlines.models import DeadlineRule
from deadlines.selectors import case_close_cancels, case_close_keeps, case_deadlines
from pil_tracker.files import private_file_response
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from storage.services import files_atomic
from submissions.decorators import submit_once

Status = Recommendation.Status

# Tabs (pane ids) of the case detail page that an action lands on.
TAB_RECOMMENDATIONS = "pane-recommendations"
TAB_INVESTIGATIONS = "pane-investigation"  # investigations, consultations and files share a tab
TAB_CONSULTATIONS = TAB_INVESTIGATIONS
TAB_ATTACHMENTS = TAB_INVESTIGATIONS
TAB_TIMELINE = "pane-timeline"
TAB_LITIGATION = "pane-litigation"  # filled by the litigation app (litigation/views.py)


# --- Fetching and authorising ----------------------------------------------------------------


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(cases_visible_to(request.user).select_related("procuratorate"), pk=pk)


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(
        recommendations_visible_to(request.user).select_related("case__procuratorate", "agency"), pk=pk
    )


def case_url(case: Case, tab: str = "") -> str:
    url = reverse("case_detail", args=[case.pk])
    return f"{url}#{tab}" if tab else url


def recommendation_url(recommendation: Recommendation) -> str:
    return reverse("recommendation_detail", args=[recommendation.pk])


def _refusal(request: HttpRequest, case: Case, allowed: bool, back: str) -> HttpResponse | None:
    """None when the user may act; a redirect with the reason when the case is closed; else 403.

    Procuratorate staff who can read a closed case learn why nothing can be done any more; anyone
    else in scope who may not act (a colleague who is not on the case, agency staff) gets 403.
    """
    if allowed:
        return None
    if case.is_closed and request.user.is_procuratorate_staff:
        messages.error(request, _("案件已终结，不能再修改。"))
        return redirect(back)
    raise PermissionDenied


def _editor_refusal(request: HttpRequest, case: Case, back: str | None = None) -> HttpResponse | None:
    return _refusal(request, case, can_edit_case(request.user, case), back or case_url(case))


def _approver_refusal(request: HttpRequest, recommendation: Recommendation) -> HttpResponse | None:
    case = recommendation.case
    return _refusal(request, case, can_approve(request.user, case), recommendation_url(recommendation))


def _errors_as_messages(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


# --- The generic "form → one service → redirect" ----------------------------------------------


def _form_action(
    request: HttpRequest,
    *,
    form_class: type,
    service: Callable[..., Any],
    service_kwargs: dict[str, Any],
    success_message: str,
    success_url: str,
    title: str,
    submit_label: str,
    cancel_url: str,
    context: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    template: str = "cases/actions/form.html",
    danger: bool = False,
) -> HttpResponse:
    return form_service_view(
        request,
        form_class=form_class,
        form_kwargs=form_kwargs,
        service=service,
        service_kwargs=service_kwargs,
        success_message=success_message,
        success_url=success_url,
        template=template,
        context={
            "title": title,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "danger": danger,
            **(context or {}),
        },
    )


def _button_action(
    request: HttpRequest,
    *,
    service: Callable[..., Any],
    service_kwargs: dict[str, Any],
    success_message: str,
    back: str,
    form_class: type = forms.NoteForm,
) -> HttpResponse:
    """A button with at most a note (POST-only): a refusal comes back as a message."""
    form = form_class(request.POST)
    if form.is_valid() and call_service(form, service, user=request.user, **service_kwargs, **form.cleaned_data):
        messages.success(request, success_message)
    else:
        _errors_as_messages(request, form)
    return redirect(back)


# --- Case: consultation, investigation, files, closing, lawsuit ------------------------------


@login_required
@require_POST
def case_consultation_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    return _button_action(
        request,
        service=services.case_start_consultation,
        service_kwargs={"case": case},
        success_message=_("已进入磋商阶段。"),
        back=case_url(case, TAB_CONSULTATIONS),
    )


@login_required
@require_POST
def case_consultation_end(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    return _button_action(
        request,
        service=services.case_end_consultation,
        service_kwargs={"case": case},
        success_message=_("磋商已结束，案件回到调查阶段。"),
        back=case_url(case, TAB_CONSULTATIONS),
    )


class _Rollback(Exception):
    """Undo everything saved in the current request's transaction (the stored files too, when it
    is a storage.services.files_atomic block)."""


def _attach_files(form, *, user, case: Case, saved: list[Attachment], **links) -> None:
    """Save every uploaded file of `form` through attachment_add; raise _Rollback at the first refusal."""
    for upload in form.cleaned_data["file"]:
        attachment = call_service(
            form,
            services.attachment_add,
            user=user,
            case=case,
            upload=upload,
            description=form.cleaned_data.get("description", ""),
            **links,
        )
        if attachment is None:
            form.add_error("file", _("文件“%(name)s”未通过检查，本次提交的内容均未保存。") % {"name": upload.name})
            raise _Rollback
        saved.append(attachment)


@login_required
@submit_once
def investigation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an investigation with its evidence files, all or nothing."""
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    if request.method == "POST":
        form = forms.InvestigationForm(request.POST, request.FILES)
        if form.is_valid():
            saved: list[Attachment] = []
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "description")}
            try:
                with files_atomic():
                    record = call_service(form, services.investigation_record, user=request.user, case=case, **data)
                    if record is None:
                        raise _Rollback
                    _attach_files(form, user=request.user, case=case, saved=saved, investigation=record)
            except _Rollback:
                pass
            else:
                messages.success(request, _("调查记录已保存。"))
                return redirect(case_url(case, TAB_INVESTIGATIONS))
    else:
        form = forms.InvestigationForm()
    return render(
        request,
        "cases/actions/form.html",
        {
            "form": form,
            "case": case,
            "title": _("记录调查"),
            "submit_label": _("保存调查记录"),
            "cancel_url": case_url(case, TAB_INVESTIGATIONS),
        },
    )


@login_required
@submit_once
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    return _form_action(
        request,
        form_class=forms.ConsultationForm,
        form_kwargs={"case": case, "user": request.user},
        service=services.consultation_record,
        service_kwargs={"case": case},
        success_message=_("磋商记录已保存。"),
        success_url=case_url(case, TAB_CONSULTATIONS),
        title=_("记录磋商"),
        submit_label=_("保存磋商记录"),
        cancel_url=case_url(case, TAB_CONSULTATIONS),
        context={"case": case},
    )


@login_required
@submit_once
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    if request.method == "POST":
        form = forms.AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            saved: list[Attachment] = []
            try:
                with files_atomic():
                    _attach_files(form, user=request.user, case=case, saved=saved)
            except _Rollback:
                pass
            else:
                messages.success(request, _("已上传 %(count)d 个文件。") % {"count": len(saved)})
                return redirect(case_url(case, TAB_ATTACHMENTS))
    else:
        form = forms.AttachmentForm()
    return render(
        request,
        "cases/actions/form.html",
        {
            "form": form,
            "case": case,
            "title": _("上传附件"),
            "submit_label": _("上传"),
            "cancel_url": case_url(case, TAB_ATTACHMENTS),
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to someone who may see it, as a download, never rendered inline."""
    attachment = get_object_or_404(attachments_visible_to(request.user), pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an evidence file of an open case: GET asks (which file, from which case), POST removes."""
    attachment = get_object_or_404(
        attachments_visible_to(request.user).select_related("case__procuratorate", "uploaded_by"), pk=pk
    )
    case = attachment.case
    back = case_url(case, TAB_ATTACHMENTS)
    if refusal := _editor_refusal(request, case, back):
        return refusal
    if request.method == "POST":
        return _button_action(
            request,
            service=services.attachment_remove,
            service_kwargs={"attachment": attachment},
            success_message=_("附件“%(name)s”已删除。") % {"name": attachment.original_name},
            back=back,
            form_class=forms.ConfirmForm,
        )
    return render(
        request,
        "cases/actions/attachment_remove.html",
        {"attachment": attachment, "case": case, "title": _("删除附件"), "cancel_url": back},
    )


@login_required
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case: the page lists the open deadlines the closing cancels and those that stay
    open (the filing with the higher procuratorate), and the closing must be confirmed."""
    case = _case(request, pk)
    allowed = can_edit_case(request.user, case) or can_approve(request.user, case)
    if refusal := _refusal(request, case, allowed, case_url(case)):
        return refusal
    cancels = list(case_close_cancels(case))
    return _form_action(
        request,
        form_class=forms.CloseForm,
        form_kwargs={"cancels": len(cancels)},
        service=services.case_close,
        service_kwargs={"case": case},
        success_message=_("案件已终结。"),
        success_url=case_url(case),
        title=_("终结案件"),
        submit_label=_("终结案件"),
        cancel_url=case_url(case),
        context={
            "case": case,
            "form_intro": "cases/actions/_close_deadlines.html",
            "close_cancels": cancels,
            "close_keeps": list(case_close_keeps(case)),
        },
        danger=True,
    )


# --- Recommendation: drafting ------------------------------------------------------------------


def _posted_item_texts(data) -> list[str]:
    """The item rows as typed, without validating: to redisplay them with one more row."""
    try:
        total = int(data.get("items-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    texts = []
    for i in range(min(total, forms.ItemFormSet.max_num)):
        if data.get(f"items-{i}-DELETE"):
            continue
        texts.append(data.get(f"items-{i}-text", ""))
    return texts


def _recommendation_form(request: HttpRequest, *, case: Case, recommendation: Recommendation | None) -> HttpResponse:
    """Create (recommendation None) or edit a draft: the contents and the numbered items."""
    instance = Recommendation.objects.get(pk=recommendation.pk) if recommendation else Recommendation(case=case)
    form_kwargs = {"case": case, "user": request.user, "instance": instance}
    if request.method == "POST" and "add_item" in request.POST:
        # Without JavaScript: redisplay what was typed, with one more empty row.
        form = forms.RecommendationForm(initial=request.POST.dict(), **form_kwargs)
        formset = forms.ItemFormSet(
            initial=[{"text": t} for t in [*_posted_item_texts(request.POST), ""]], prefix="items"
        )
    elif request.method == "POST":
        form = forms.RecommendationForm(request.POST, **form_kwargs)
        formset = forms.ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            if recommendation is None:
                result = call_service(
                    form,
                    services.recommendation_create,
                    user=request.user,
                    case=case,
                    items=formset.texts(),
                    **form.content(),
                )
                message = _("检察建议草稿已保存。")
            else:
                result = call_service(
                    form,
                    services.recommendation_update,
                    user=request.user,
                    recommendation=recommendation,
                    items=formset.texts(),
                    version=form.cleaned_data.get("version"),
                    **form.content(),
                )
                message = _("检察建议已修改。")
            if result is not None:
                messages.success(request, message)
                return redirect(recommendation_url(result))
    else:
        initial_items = [{"text": i.text} for i in recommendation.items.order_by("number")] if recommendation else []
        form = forms.RecommendationForm(**form_kwargs)
        formset = forms.ItemFormSet(initial=initial_items, prefix="items")
    return render(
        request,
        "cases/actions/recommendation_form.html",
        {
            "form": form,
            "formset": formset,
            "case": case,
            "recommendation": recommendation,
            "title": _("起草检察建议") if recommendation is None else _("修改检察建议"),
            "cancel_url": recommendation_url(recommendation) if recommendation else case_url(case, TAB_RECOMMENDATIONS),
        },
    )


@login_required
@submit_once
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case, case_url(case, TAB_RECOMMENDATIONS)):
        return refusal
    return _recommendation_form(request, case=case, recommendation=None)


@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if refusal := _editor_refusal(request, recommendation.case, recommendation_url(recommendation)):
        return refusal
    if request.method == "GET" and recommendation.status != Status.DRAFT:
        # The text is frozen once submitted (until returned) and for good once issued.
        messages.error(
            request,
            _("当前状态为“%(status)s”，不能修改。") % {"status": recommendation.get_status_display()},
        )
        return redirect(recommendation_url(recommendation))
    return _recommendation_form(request, case=recommendation.case, recommendation=recommendation)


# --- Recommendation: the page and the document -------------------------------------------------


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    case = recommendation.case
    user = request.user
    # Procuratorate staff see the internal record (approval, history, files); an agency sees the
    # document addressed to it and nothing else (docs/domain.md, Who sees what).
    internal = cases_visible_to(user).filter(pk=case.pk).exists()
    context = {
        "recommendation": recommendation,
        "case": case,
        "items": recommendation.items.select_related("evaluated_by").order_by("number"),
        "internal": internal,
        "can_edit": can_edit_case(user, case),
        "can_approve": can_approve(user, case),
        "can_file": can_file_with_superior(user, case),
    }
    # The deadlines of this recommendation; an agency sees only those it must meet itself.
    deadlines = case_deadlines(case).filter(recommendation=recommendation)
    if not internal:
        deadlines = deadlines.filter(rule__obligor=DeadlineRule.Obligor.AGENCY)
    context["deadlines"] = list(deadlines)
    if internal:
        events = list(recommendation.events.select_related("actor").order_by("at", "id"))
        for event in events:
            event.text = timeline.event_text(event)
        context["events"] = events
        context["attachments"] = attachments_visible_to(user).filter(recommendation=recommendation)
        context["decided_by"] = recommendation.decided_by
    return render(request, "cases/recommendation_detail.html", context)


@login_required
def recommendation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    response = HttpResponse(recommendation_document(recommendation), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, recommendation_filename(recommendation))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Recommendation: approval and the steps after it -------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a recommendation after drafting: who may take it, its form and its service.

    `approver` steps are for a supervisor (can_approve), the others for the case's handlers; a
    `button` step is a POST-only button (a refusal comes back as a message), the others a page."""

    form_class: type
    service: Callable[..., Any]
    success_message: str
    title: str = ""
    submit_label: str = ""
    approver: bool = False
    danger: bool = False
    button: bool = False
    # A duty that survives the case's closing (the filing with the higher procuratorate): those on
    # the case may still take the step once it is closed (cases.selectors.can_file_with_superior).
    after_close: bool = False
    # Extra context for the step's page, computed from the recommendation.
    context: Callable[[Recommendation], dict[str, Any]] | None = None


# URL /recommendations/<pk>/<name>/, URL name recommendation_<name> (cases/urls_actions.py).
RECOMMENDATION_STEPS: dict[str, Step] = {
    "submit": Step(forms.ConfirmForm, services.recommendation_submit, _("已提请审批。"), button=True),
    "approve": Step(
        forms.ApproveForm,
        services.recommendation_approve,
        _("已审批同意。"),
        _("审批检察建议"),
        _("同意"),
        approver=True,
    ),
    "return": Step(
        forms.ReturnForm,
        services.recommendation_return,
        _("已退回修改。"),
        _("退回检察建议"),
        _("退回修改"),
        approver=True,
        danger=True,
    ),
    "withdraw": Step(
        forms.WithdrawForm,
        services.recommendation_withdraw,
        _("检察建议已撤回。"),
        _("撤回检察建议"),
        _("撤回"),
        danger=True,
    ),
    "issue": Step(
        forms.IssueForm,
        services.recommendation_issue,
        _("检察建议已签发，文号已生成。"),
        _("签发检察建议"),
        _("签发"),
        # Warned before issuing: the text goes to the agency, and the reporter stays confidential.
        context=lambda recommendation: {"reporter_identity": reporter_identity_in(recommendation)},
    ),
    "serve": Step(
        forms.ServeForm,
        services.recommendation_serve,
        _("已记录送达，回复期限自送达次日起计算。"),
        _("记录送达"),
        _("保存送达情况"),
    ),
    "file": Step(
        forms.FileWithSuperiorForm,
        services.recommendation_file_with_superior,
        _("已记录报上级检察院备案。"),
        _("报上级检察院备案"),
        _("保存备案日期"),
        after_close=True,
    ),
    "reply": Step(
        forms.ReplyForm,
        services.recommendation_record_reply,
        _("已记录行政机关的书面回复。"),
        _("记录书面回复"),
        _("保存书面回复"),
    ),
}


@login_required
def recommendation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Every step of RECOMMENDATION_STEPS: the same fetch, check, form and service call."""
    spec = RECOMMENDATION_STEPS[step]
    if spec.button and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    recommendation = _recommendation(request, pk)
    back = recommendation_url(recommendation)
    if spec.approver:
        refusal = _approver_refusal(request, recommendation)
    elif spec.after_close:
        refusal = _refusal(
            request, recommendation.case, can_file_with_superior(request.user, recommendation.case), back
        )
    else:
        refusal = _editor_refusal(request, recommendation.case, back)
    if refusal:
        return refusal
    if spec.button:
        return _button_action(
            request,
            service=spec.service,
            service_kwargs={"recommendation": recommendation},
            success_message=spec.success_message,
            back=back,
            form_class=spec.form_class,
        )
    return _form_action(
        request,
        form_class=spec.form_class,
        service=spec.service,
        service_kwargs={"recommendation": recommendation},
        success_message=spec.success_message,
        success_url=back,
        title=spec.title,
        submit_label=spec.submit_label,
        cancel_url=back,
        context={
            "case": recommendation.case,
            "recommendation": recommendation,
            **(spec.context(recommendation) if spec.context else {}),
        },
        danger=spec.danger,
    )


@login_required
def recommendation_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """Evaluate every item of a replied recommendation on one page, all or nothing."""
    recommendation = _recommendation(request, pk)
    back = recommendation_url(recommendation)
    if refusal := _editor_refusal(request, recommendation.case, back):
        return refusal
    if recommendation.status != Status.REPLIED:
        messages.error(request, _("收到书面回复后才能评估整改情况。"))
        return redirect(back)
    items = list(recommendation.items.order_by("number"))
    evaluation_forms = forms.evaluation_forms(items, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(f.is_valid() for f in evaluation_forms):
        changed = [f for f in evaluation_forms if f.is_change]
        if not changed:
            messages.info(request, _("没有需要保存的评估。"))
            return redirect(back)
        try:
            with transaction.atomic():
                results = [
                    call_service(
                        f,
                        services.item_evaluate,
                        user=request.user,
                        item=f.item,
                        evaluation=f.cleaned_data["evaluation"],
                        note=f.cleaned_data["note"],
                    )
                    for f in changed
                ]
                if any(r is None for r in results):
                    raise _Rollback
        except _Rollback:
            pass
        else:
            messages.success(request, _("已保存 %(count)d 项建议事项的整改评估。") % {"count": len(changed)})
            return redirect(case_url(recommendation.case, TAB_RECOMMENDATIONS))
    return render(
        request,
        "cases/actions/evaluate.html",
        {
            "recommendation": recommendation,
            "case": recommendation.case,
            "rows": list(zip(items, evaluation_forms, strict=True)),
            "title": _("评估整改情况"),
            "cancel_url": back,
        },
    )
