"""Administration of users: Django's user admin plus organisation, role and title."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import lockout
from accounts.models import ApiToken, Invitation, User

_ORGANISATION_FIELDS = ("full_name", "organisation", "role", "title", "phone", "is_responsible_person")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # User.clean() refuses a role whose organisation is of the wrong kind; the admin forms are
    # model forms, so that check runs here too.
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("机构与角色"), {"fields": _ORGANISATION_FIELDS}),
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
        cleared = lockout.unlock(list(queryset.values_list("username", flat=True)))
        self.message_user(
            request, _("已解除所选用户的登录锁定（清除 %(count)d 条失败记录）。") % {"count": cleared}, messages.SUCCESS
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
