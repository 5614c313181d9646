import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access.models import Role, RoleKind
from cities.models import Contact
from cities.selectors import contact_for_user
from exchanges.models import NationalNetwork
from multiply.refusals import Refused
from notifications.services import message_queue

from .models import LinkRequest, User, new_calendar_token

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


# --- Who speaks for a city (issue 15, item 5) -------------------------------------------------


class LinkRefused(Refused):
    """A request to link an account that the rules do not allow; said to the person as it is."""


def link_request_create(
    *, user: User, country, city=None, city_name: str = "", position: str = "", note: str = ""
) -> LinkRequest:
    """The person asks to be linked to their municipality; the coordinators of its country's
    networks are told (through the outbox) that there is someone to link."""
    if Contact.objects.filter(user=user).exists():
        raise LinkRefused(_("Your account is already linked to a city."), "linked")
    request = LinkRequest(
        user=user,
        country=country,
        city=city,
        city_name="" if city else city_name.strip(),
        position=position.strip(),
        note=note.strip(),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise LinkRefused(_("Your request is already waiting for a coordinator."), "open") from None
    _tell_coordinators(request)
    return request


def link_coordinators(country) -> list[tuple[object, User]]:
    """(programme, coordinator) for each network of the country: its national coordinators,
    else the programme's coordinators, who would otherwise not hear of it."""
    pairs = []
    networks = NationalNetwork.objects.filter(country=country).select_related("programme")
    for network in networks:
        roles = Role.objects.filter(network=network, kind=RoleKind.NATIONAL_COORDINATOR)
        if not roles.exists():
            roles = Role.objects.filter(
                programme=network.programme, kind=RoleKind.PROGRAMME_COORDINATOR
            )
        pairs += [(network.programme, role.user) for role in roles.select_related("user")]
    return list({(programme.pk, user.pk): (programme, user) for programme, user in pairs}.values())


def _tell_coordinators(request: LinkRequest) -> None:
    from .messages import link_request_values

    for programme, coordinator in link_coordinators(request.country):
        language = _language_of(coordinator)
        with translation.override(language):
            values = link_request_values(request)
        message_queue(
            key=f"link-request:{request.pk}:{programme.pk}:{coordinator.pk}",
            kind="link_request",
            email=coordinator.email,
            name=coordinator.get_full_name(),
            language=language,
            values=values,
            programme=programme,
        )


def _language_of(user: User) -> str:
    contact = contact_for_user(user)
    return contact.language if contact else settings.LANGUAGE_CODE


@transaction.atomic
def link_request_link(*, request_id: int, by: User) -> Contact:
    """Link the account to a contact of the request's city: the account's own contact row if
    the city has one with its address, else a new one made from the account."""
    # Only the request's own row is locked: its city may be empty (an outer join).
    request = (
        LinkRequest.objects.select_for_update(of=("self",))
        .select_related("user", "city")
        .get(pk=request_id)
    )
    if request.status != LinkRequest.Status.OPEN:
        raise LinkRefused(_("This request has already been decided."), "decided")
    if request.city is None:
        raise LinkRefused(
            _("Choose the municipality first (create it if it is new), then link the account."),
            "no_city",
        )
    user = request.user
    email = verified_email(user)
    if email is None:
        raise LinkRefused(_("The account has no verified e-mail address yet."), "unverified")
    contact = Contact.objects.filter(email__iexact=email).first()
    if contact is not None and (contact.city_id != request.city_id or contact.user_id):
        raise LinkRefused(
            _("%(email)s is already the address of another contact (%(contact)s).")
            % {"email": email, "contact": contact},
            "address_taken",
        )
    if contact is None:
        contact = Contact.objects.create(
            city=request.city,
            first_name=user.first_name or email.split("@")[0],
            last_name=user.last_name,
            email=email,
            position=request.position,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    contact.user = user
    contact.save(update_fields=["user"])
    request.status, request.decided_by, request.decided_at = (
        LinkRequest.Status.LINKED,
        by,
        timezone.now(),
    )
    request.save(update_fields=["status", "decided_by", "decided_at"])
    _tell_linked(request, contact)
    return contact


def _tell_linked(request: LinkRequest, contact: Contact) -> None:
    from .messages import linked_values

    with translation.override(contact.language):
        values = linked_values(contact)
    message_queue(
        key=f"account-linked:{request.pk}",
        kind="account_linked",
        email=contact.email,
        name=contact.full_name,
        language=contact.language,
        values=values,
    )


@transaction.atomic
def link_request_decline(*, request_id: int, by: User) -> LinkRequest:
    request = LinkRequest.objects.select_for_update().get(pk=request_id)
    if request.status != LinkRequest.Status.OPEN:
        raise LinkRefused(_("This request has already been decided."), "decided")
    request.status, request.decided_by, request.decided_at = (
        LinkRequest.Status.DECLINED,
        by,
        timezone.now(),
    )
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return request
