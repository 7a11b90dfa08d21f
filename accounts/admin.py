"""Administration of users: Django's user admin plus organisation, role and title."""

from __future__ import annotations

import csv

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts import lockout, services
from accounts.models import ApiToken, Invitation, SecurityEvent, TwoFactorPolicy, User
from accounts.security_log import security_event

# What a user change is recorded for in the security log: who they are and what they may see.
_ROLE_AND_SCOPE_FIELDS = ("role", "organisation_id", "is_active", "is_staff", "is_superuser")

_ORGANISATION_FIELDS = ("full_name", "organisation", "role", "title", "phone", "is_responsible_person")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # User.clean() refuses a role whose organisation is of the wrong kind; the admin forms are
    # model forms, so that check runs here too.
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("机构与角色"), {"fields": _ORGANISATION_FIELDS}),
        (_("密码"), {"fields": ["must_change_password"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("机构与角色"), {"classes": ("wide",), "fields": _ORGANISATION_FIELDS}),
    )
    list_display = [
        "username",
        "full_name",
        "organisation",
        "role",
        "title",
        "is_responsible_person",
        "is_active",
        "is_staff",
        "must_change_password",
    ]
    list_filter = ["role", "organisation__kind", "is_responsible_person", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["organisation"]
    search_fields = ["username", "full_name", "email", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    ordering = ["username"]
    actions = ["unlock_login"]

    @admin.action(description=_("解除登录锁定"), permissions=["change"])
    def unlock_login(self, request, queryset):
        """Clears the selected users' failed logins from every address: their lock and slow-down end."""
        usernames = list(queryset.values_list("username", flat=True))
        cleared = lockout.unlock(usernames)
        for user in queryset:
            security_event(SecurityEvent.Kind.UNLOCK, request.user, request, target=user.username, cleared=cleared)
        self.message_user(
            request, _("已解除所选用户的登录锁定（清除 %(count)d 条失败记录）。") % {"count": cleared}, messages.SUCCESS
        )

    def user_change_password(self, request, id, form_url=""):
        """Django's password form for a user (the user page's 重置密码): a password set here is the
        administrator's, so the user must choose their own at the next request (unless it is the
        administrator's own). Recorded in the security log."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:  # the form was saved
                user = User.objects.get(pk=unquote(id))
                services.password_reset_by_administrator(user=user, administrator=request.user)
                security_event(
                    SecurityEvent.Kind.PASSWORD_RESET,
                    request.user,
                    request,
                    target=user.username,
                    must_change=user.must_change_password,
                    usable=user.has_usable_password(),
                )
        return response

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*_ROLE_AND_SCOPE_FIELDS).first() if change else {}
        super().save_model(request, obj, form, change)
        groups_changed = "groups" in form.changed_data or "user_permissions" in form.changed_data
        changes = {
            field: [before.get(field), getattr(obj, field)]
            for field in _ROLE_AND_SCOPE_FIELDS
            if before.get(field) != getattr(obj, field)
        }
        if changes or groups_changed:
            security_event(
                SecurityEvent.Kind.USER_CHANGED,
                request.user,
                request,
                target=obj.username,
                created=not change,
                changes=changes,
                permissions_changed=groups_changed,
            )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are issued by supervisors in the app; the admin shows and may revoke them."""

    list_display = ["email", "full_name", "organisation", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["organisation"]
    search_fields = ["email", "full_name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["invited_by", "created_at", "accepted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens are issued through the API; an administrator sees them and revokes (deletes) them."""

    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        security_event(SecurityEvent.Kind.TOKEN_REVOKED, request.user, request, token=obj.pk, owner=obj.user.username)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            security_event(
                SecurityEvent.Kind.TOKEN_REVOKED, request.user, request, token=token.pk, owner=token.user.username
            )
        super().delete_queryset(request, queryset)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log: administrators search, filter and export it; nobody edits or deletes it."""

    list_display = ["at", "kind", "username", "address", "path"]
    list_filter = ["kind", "at"]
    date_hierarchy = "at"
    search_fields = ["username", "address", "path"]
    readonly_fields = ["at", "kind", "user", "username", "address", "path", "details"]
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("导出所选事件（CSV）"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="security-events.csv"'
        response.write("\ufeff")  # a BOM, so spreadsheet programs read the Chinese text as UTF-8
        writer = csv.writer(response)
        writer.writerow(["time", "kind", "username", "address", "path", "details"])
        for event in queryset.order_by("at", "id"):
            writer.writerow(
                [event.at.isoformat(), event.kind, event.username, event.address or "", event.path, event.details]
            )
        return response


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    """Whether supervisors and administrators must use two-factor login (accounts.twofactor). A
    lost phone: delete the user's device under TOTP devices; they enrol again at the next login."""

    list_display = ("role", "required", "changed_at")
    list_editable = ("required",)
