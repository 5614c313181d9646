from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Documents")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from . import meeting_feedback, plan_sections
        from .signals import connect_signals

        connect_signals()
        meeting_feedback.connect_signals()
        plan_sections.register()
