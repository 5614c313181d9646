from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    """Calls for applications, selection, and mentorships (DESIGN.md rules 8 and 9)."""

    name = "calls"
    verbose_name = _("Calls and mentorships")

    def ready(self):
        # The peer-learning plan shows calls and mentors without reports importing this app.
        from . import plan

        plan.register()
