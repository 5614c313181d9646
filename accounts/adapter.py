from allauth.account.adapter import DefaultAccountAdapter

from .services import contact_link_account


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        """A verified e-mail that belongs to a contact links the account to that contact."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            contact_link_account(user=email_address.user, email=email_address.email)
        return confirmed


def link_contact_on_signup(sender, request, user, **kwargs):
    """A sign-up whose address is already verified (it came through an invitation link) links
    the contact at once; other sign-ups link when their address is confirmed."""
    from allauth.account.models import EmailAddress

    for address in EmailAddress.objects.filter(user=user, verified=True):
        contact_link_account(user=user, email=address.email)
