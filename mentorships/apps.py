from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    """Mentorship pairs, their contact log and the pair proposer (docs/DESIGN.md rule 9)."""

    name = "mentorships"
    verbose_name = _("Mentorships")

    def ready(self):
        # The peer-learning plan shows the mentors without reports importing this app.
        from . import plan

        plan.register()
