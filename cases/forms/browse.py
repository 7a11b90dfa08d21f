"""Forms of the browse pages: leads (register, edit, decline, open a case) and case editing.

The forms only validate input and offer choices; the services decide whether the action is
allowed and do the writing (a form is never saved). Choices always come from the selectors, so a
user can only pick what they may name.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.models import Organisation
from agencies.widgets import AgencySelect, AgencySelectMultiple
from cases.models import Case, Domain, Lead
from cases.selectors import agencies_for_choice, handlers_for_choice

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AGENCIES_HELP = _("输入机关名称或所在地区搜索，可选择多个。")
# Co-handlers: a short list (the procuratorate's procurators), searched in the page; the one chosen
# as handler is not offered (agency-select.js) and is refused by clean().
CO_HANDLERS = forms.SelectMultiple(attrs={"data-local-search": "", "data-exclude-value-of": "id_handler"})


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget of `form` the Bootstrap class that fits it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()


def _domains(current: Domain | None = None):
    """Active domains, plus the one already chosen (a domain may have been retired since)."""
    q = Q(is_active=True)
    if current is not None:
        q |= Q(pk=current.pk)
    return Domain.objects.filter(q)


class BootstrapModelForm(forms.ModelForm):
    """A model form used for validation only: views pass `cleaned_data` to a service."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class LeadForm(BootstrapModelForm):
    """Register or edit a lead (线索) at the user's own procuratorate."""

    class Meta:
        model = Lead
        fields = [
            "title",
            "summary",
            "source",
            "source_detail",
            "reporter_name",
            "reporter_contact",
            "received_on",
            "domain",
            "agency",
        ]
        widgets = {
            "received_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "agency": AgencySelect(source="agencies"),
        }

    def __init__(self, *args, user: User, lead: Lead | None = None, **kwargs) -> None:
        if lead is not None:
            kwargs.setdefault("initial", model_to_dict(lead, fields=self._meta.fields))
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(lead.domain if lead else None)
        agencies = agencies_for_choice(user)
        if lead is not None and lead.agency_id:
            agencies = Organisation.objects.filter(Q(pk__in=agencies.values("pk")) | Q(pk=lead.agency_id))
        self.fields["agency"].queryset = agencies
        self.fields["reporter_name"].help_text = _("举报人身份保密，仅本院办案人员可见。")
        if lead is None:
            self.fields["received_on"].initial = timezone.localdate()


class LeadDeclineForm(forms.Form):
    reason = forms.CharField(label=_("不予立案理由"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class LeadOpenCaseForm(BootstrapModelForm):
    """Open a case (立案) from a lead; the case number is assigned by the service."""

    class Meta:
        model = Case
        fields = ["case_type", "title", "summary", "domain", "agencies", "handler", "co_handlers", "opened_on"]
        widgets = {
            "opened_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "agencies": AgencySelectMultiple(source="agencies"),
            "co_handlers": CO_HANDLERS,
        }

    def __init__(self, *args, user: User, lead: Lead, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": lead.title,
                "summary": lead.summary,
                "domain": lead.domain_id,
                "agencies": [lead.agency_id] if lead.agency_id else [],
                "handler": user.pk,
                "opened_on": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(lead.domain)
        self.fields["agencies"].queryset = agencies_for_choice(user)
        self.fields["handler"].queryset = handlers_for_choice(lead.procuratorate)
        self.fields["co_handlers"].queryset = handlers_for_choice(lead.procuratorate)
        self.fields["agencies"].help_text = AGENCIES_HELP

    def clean(self):
        data = super().clean()
        handler = data.get("handler")
        if handler is not None and handler in (data.get("co_handlers") or []):
            self.add_error("co_handlers", _("承办人不能同时是协办人。"))
        return data


class CaseForm(BootstrapModelForm):
    """Edit the descriptive fields of a case; status changes have their own actions."""

    class Meta:
        model = Case
        fields = ["title", "summary", "domain", "agencies", "co_handlers", "internal_notes"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "internal_notes": forms.Textarea(attrs={"rows": 4}),
            "agencies": AgencySelectMultiple(source="agencies"),
            "co_handlers": CO_HANDLERS,
        }

    # Optimistic locking (issue 16): the case's version when the form was loaded; case_update
    # refuses the save if someone saved the case since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, user: User, case: Case, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": case.version,
                "title": case.title,
                "summary": case.summary,
                "domain": case.domain_id,
                "agencies": [a.pk for a in case.agencies.all()],
                "co_handlers": [u.pk for u in case.co_handlers.all()],
                "internal_notes": case.internal_notes,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(case.domain)
        # Agencies already on the case stay selectable even if one has since been deactivated.
        self.fields["agencies"].queryset = Organisation.objects.filter(
            Q(pk__in=agencies_for_choice(user).values("pk")) | Q(pk__in=case.agencies.values("pk"))
        ).order_by("tree_path", "name")
        self.fields["co_handlers"].queryset = handlers_for_choice(case.procuratorate).exclude(pk=case.handler_id)
        self.fields["internal_notes"].help_text = _("仅检察院内部可见，行政机关看不到。")
        self.fields["agencies"].help_text = AGENCIES_HELP
