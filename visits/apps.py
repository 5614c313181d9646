from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """Peer visits and their feedback reports (DESIGN.md rule 7), and feedback on meetings."""

    name = "visits"
    verbose_name = _("Peer visits and feedback")
