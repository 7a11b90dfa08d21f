from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the composition root that writes through the services
    of every app, so it sits above them all (docs/architecture.md). No models."""

    name = "demo"
    verbose_name = _("演示数据")
