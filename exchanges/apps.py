from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from django.db.models.signals import post_migrate

        from . import messages, versions

        post_migrate.connect(versions.install_after_migrate, sender=self)
        messages.register()  # the kinds of message a coordinator can rewrite
