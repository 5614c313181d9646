from .models import Contact


def contact_for_user(user, *, active_only: bool = False) -> Contact | None:
    """The contact row a signed-in person speaks for, which ties them to a city; None for
    anonymous visitors and for accounts a coordinator has not linked yet."""
    if not user.is_authenticated:
        return None
    contacts = Contact.objects.filter(user=user).select_related("city__country")
    if active_only:
        contacts = contacts.filter(is_active=True)
    return contacts.first()
