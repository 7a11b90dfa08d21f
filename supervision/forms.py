"""The liaison's form: shapes and types the input; supervision/services.py decides the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.forms import DateInput, MultipleFileField
from supervision.models import SupervisionAction
from supervision.services import NOTE_MAX_LENGTH


class SupervisionActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("督办方式"), choices=SupervisionAction.Kind.choices)
    taken_on = forms.DateField(label=_("督办日期"), widget=DateInput())
    note = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=NOTE_MAX_LENGTH)
    files = MultipleFileField(label=_("材料"), required=False)
