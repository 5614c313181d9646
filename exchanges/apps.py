from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from . import messages
        from .caching import connect_signals

        connect_signals()
        messages.register()  # the kinds of message a coordinator can rewrite
