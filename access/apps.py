from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access"
    verbose_name = _("Access")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from .audit import audit_register

        audit_register()
