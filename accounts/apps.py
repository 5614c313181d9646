from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from allauth.account.signals import user_signed_up

        from .adapter import link_contact_on_signup

        user_signed_up.connect(link_contact_on_signup, dispatch_uid="link-contact-on-signup")
