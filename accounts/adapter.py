from allauth.account.adapter import DefaultAccountAdapter

from .services import contact_link_account


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        """A verified e-mail that belongs to a contact links the account to that contact."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            contact_link_account(user=email_address.user, email=email_address.email)
        return confirmed
