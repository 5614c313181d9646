import logging

from allauth.account.models import EmailAddress

from cities.models import Contact

from .models import User, new_calendar_token

logger = logging.getLogger(__name__)


def contact_link_account(*, user: User, email: str) -> Contact | None:
    """Link the account to the contact with this verified e-mail address, if there is one.

    Only a verified address links: otherwise anyone could sign up with a contact's address and
    speak for that city. A contact already linked to another account stays as it is.
    """
    contact = Contact.objects.filter(email__iexact=email).select_related("user").first()
    if contact is None:
        return None
    if contact.user_id and contact.user_id != user.pk:
        logger.warning("contact %s is already linked to user %s", contact.pk, contact.user_id)
        return None
    if contact.user_id is None:
        contact.user = user
        contact.save(update_fields=["user"])
    if not (user.first_name or user.last_name):
        user.first_name, user.last_name = contact.first_name, contact.last_name
        user.save(update_fields=["first_name", "last_name"])
    return contact


def calendar_token_reset(*, user: User) -> str:
    """A new secret for the person's calendar feed; every old feed URL stops working."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def verified_email(user: User) -> str | None:
    """The account's own address if it is verified, its primary one first; else None.

    Copies of what someone wrote go here and nowhere else: an address typed into a form is
    anybody's (issue 14, item 4).
    """
    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return address
