"""Forms for invitations and the password change; the rules live in accounts/services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from agencies.widgets import AgencySelect


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")


class InvitationForm(_Styled):
    organisation = forms.ModelChoiceField(
        label=_("行政机关"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, is_active=True, merged_into__isnull=True
        ).order_by("tree_path", "name"),
        widget=AgencySelect(source="invitable_agencies"),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("填写后，邀请链接也会发送到该邮箱。"))
    is_responsible_person = forms.BooleanField(label=_("机关负责人（可以正式提交整改反馈）"), required=False)


class InvitationAcceptForm(_Styled):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (the old password, then the new one twice against AUTH_PASSWORD_VALIDATORS),
    styled; the view saves through accounts.services.password_change, not form.save()."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
