"""Whose data is whose: the one answer the export and the erasure share (issue 15, items 2-3).

A person is an account, the contacts linked to it, or a contact with no account (a
coordinator answering a request); their e-mail is every address of the account and of those
contacts, and a message is theirs when it was sent to one of those addresses.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from cities.models import Contact


@dataclass(frozen=True)
class Person:
    user: object | None
    contacts: tuple[Contact, ...]
    emails: frozenset[str]  # lower-cased

    @property
    def contact_ids(self) -> list[int]:
        return [contact.pk for contact in self.contacts]


def person_of(*, user=None, contact: Contact | None = None) -> Person:
    """The person behind an account or a contact: an account brings its contacts, a contact
    linked to an account brings the account."""
    if user is None and contact is not None and contact.user_id:
        user = contact.user
    contacts = list(Contact.objects.filter(user=user)) if user is not None else []
    if contact is not None and contact.pk not in {c.pk for c in contacts}:
        contacts.append(contact)
    emails = {c.email.lower() for c in contacts}
    if user is not None:
        emails.add(user.email.lower())
        emails.update(
            address.lower()
            for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
    return Person(user=user, contacts=tuple(contacts), emails=frozenset(emails))
