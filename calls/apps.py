from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    """Calls for applications and selection (docs/DESIGN.md rule 8)."""

    name = "calls"
    # Mentorships have an app of their own (issue 12); an existing msgid, so no new translation.
    verbose_name = _("Calls for applications")

    def ready(self):
        # The peer-learning plan shows the calls, and notifications renders our messages,
        # without either importing this app.
        from . import messages, plan

        plan.register()
        messages.register()
