from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """Peer visits and their feedback reports (docs/DESIGN.md rule 7)."""

    name = "visits"
    verbose_name = _("Peer visits and feedback")

    def ready(self):
        # The reports pipeline renders our PDFs, and the plan's peer-visit section, without
        # importing this app.
        from reports.builders import register_builder

        from . import documents, messages, plan

        register_builder("feedback_report", documents.feedback_report)
        register_builder("results_summary", documents.results_summary_document)
        plan.register()
        messages.register()
