from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # In ready(): these modules import models, which exist only once the registry is.
        from allauth.account.signals import user_signed_up

        from . import messages
        from .adapter import link_contact_on_signup

        user_signed_up.connect(link_contact_on_signup, dispatch_uid="link-contact-on-signup")
        messages.register()  # allauth's e-mails, as kinds of message (issue 14)
        messages.register_links()  # who speaks for a city (issue 15)
