from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TypicalCasesConfig(AppConfig):
    name = "typical_cases"
    verbose_name = _("典型案例与人大监督")
