from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户")

    def ready(self):
        from accounts import security_log  # noqa: F401  (connects the authentication signal receivers)
        from accounts.services import invitable_agencies
        from agencies.choices import register_choice_source

        register_choice_source("invitable_agencies", invitable_agencies)
