"""Who a campaign reaches (issue 14, item 6): the people of its segment, read for one person.

Every segment is read through access.rules for the person who sends (`campaign_recipients`):
the rows of the segment they coordinate, and of those only the contacts they coordinate. A
national coordinator therefore reaches their networks' people only, whatever meeting, network,
call or round a form or a stored campaign names: out of scope is not there.

- a meeting: its registrants with the chosen statuses;
- a network: the contacts of its member cities with the chosen roles, narrowed to the chosen
  target groups (none chosen: every contact);
- a call: the contact persons of the applications in the chosen states (from the network's
  country when the campaign names a network), as the call's own messages reach them;
- a round: the contacts of its participating cities (of the network's cities when it names one).

Only active contacts are reached (an applicant whose address is an inactive contact's is not),
and each address once, whatever its case.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Lower

from access import rules
from calls.models import Application
from cities.models import Contact
from exchanges.models import Membership, Registration
from visits.models import Visit

from .models import Campaign, SegmentKind


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    city: str


def campaign_recipients(*, campaign: Campaign, user) -> list[Recipient]:
    """The people the campaign reaches when `user` sends it, each address once."""
    if campaign.segment == SegmentKind.CALL:
        return _unique(_applicants(campaign, lambda rows: rules.visible(user, rows)))
    contacts = _contacts(campaign, lambda rows: rules.visible(user, rows))
    return _unique(_from_contacts(contacts))


def segment_everyone(*, campaign: Campaign) -> list[Recipient]:
    """The whole segment, read for nobody in particular: for the demo loader, which writes the
    demo's state as nobody's doing. What a person may reach is `campaign_recipients`."""
    if campaign.segment == SegmentKind.CALL:
        return _unique(_applicants(campaign, lambda rows: rows))
    return _unique(_from_contacts(_contacts(campaign, lambda rows: rows)))


def _contacts(campaign: Campaign, scoped) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(is_active=True)
    if campaign.segment == SegmentKind.MEETING:
        registrations = Registration.objects.filter(
            meeting=campaign.meeting_id, status__in=campaign.registration_statuses
        )
        contacts = contacts.filter(pk__in=scoped(registrations).values("contact_id"))
    elif campaign.segment == SegmentKind.NETWORK:
        memberships = Membership.objects.filter(
            network=campaign.network_id, role__in=campaign.roles
        )
        contacts = contacts.filter(city__in=scoped(memberships).values("city_id"))
        groups = list(campaign.target_groups.values_list("pk", flat=True))
        if groups:
            in_groups = Contact.objects.filter(target_groups__in=groups).values("pk")
            contacts = contacts.filter(pk__in=in_groups)
    elif campaign.segment == SegmentKind.ROUND:
        visits = Visit.objects.filter(round=campaign.review_round_id)
        if campaign.network_id:
            network_cities = Membership.objects.filter(network=campaign.network_id)
            visits = visits.filter(host__in=network_cities.values("city_id"))
        contacts = contacts.filter(city__in=scoped(visits).values("host_id"))
    else:
        return Contact.objects.none()
    return scoped(contacts).select_related("city").order_by("city__name", "last_name", "pk")


def _from_contacts(contacts: QuerySet[Contact]):
    for contact in contacts:
        yield Recipient(contact.email, contact.full_name, contact.language, contact.city.name)


def _applicants(campaign: Campaign, scoped):
    applications = Application.objects.filter(
        call=campaign.call_id, status__in=campaign.application_states
    )
    if campaign.network_id:
        applications = applications.filter(country__networks=campaign.network_id)
    inactive = Contact.objects.filter(is_active=False).annotate(address=Lower("email"))
    applications = (
        applications.annotate(address=Lower("contact_email"))
        .exclude(address__in=inactive.values("address"))
        .exclude(address="")  # an erased contact person (privacy.erasure)
    )
    rows = scoped(applications).select_related("city").order_by("contact_name", "pk")
    for application in rows:
        yield Recipient(
            application.contact_email,
            application.contact_name,
            application.language,
            application.municipality_name,
        )


def _unique(recipients) -> list[Recipient]:
    """Each address once, whatever its case: the first one met (in the segment's order) wins."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        seen.setdefault(recipient.email.strip().lower(), recipient)
    return list(seen.values())
