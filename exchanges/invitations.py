"""Invitations: who is invited to a meeting, and the sending of one personal e-mail each.

docs/DESIGN.md rule 2: the cities of the meeting's network are invited (only the engaged ones when
the meeting is limited to them; every city of the programme for its international conference).
Rule 3: of those cities, the contacts in the theme's target groups; every contact for the Open
and European-exchange themes.
"""

import html

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.models import Contact
from multiply.refusals import Refused
from notifications.kinds import message_render
from notifications.models import Message
from notifications.services import messages_enqueue

from .calendars import calendar_bytes
from .messages import invitation_values, wording_for
from .models import (
    SEAT_HOLDING,
    ExchangeMeeting,
    Invitation,
    MeetingKind,
    Membership,
    MessageKind,
    Role,
)
from .registrations import registration_closed_reason

# Roles invited to a network's meetings; mentors take part through their mentorships.
NETWORK_ROLES = [Role.PIONEER, Role.SPECIAL_AWARD, Role.ENGAGED]

# Rendered once per language, then filled in per person: a mail merge, not 5,000 renders.
NAME_SLOT = "[[recipient-name]]"
LINK_SLOT = "[[invitation-link]]"


def invitation_recipients(*, meeting: ExchangeMeeting) -> QuerySet[Contact]:
    """The contacts rules 2 and 3 invite to this meeting, whether invited yet or not."""
    memberships = Membership.objects.all()
    if meeting.kind == MeetingKind.INTERNATIONAL_CONFERENCE or meeting.network_id is None:
        memberships = memberships.filter(network__programme_id=meeting.programme_id)
    else:
        memberships = memberships.filter(network_id=meeting.network_id, role__in=NETWORK_ROLES)
    if meeting.engaged_only:
        memberships = memberships.filter(role=Role.ENGAGED)
    contacts = Contact.objects.filter(is_active=True, city_id__in=memberships.values("city_id"))
    theme = meeting.theme
    if theme is not None and not theme.open_to_all:
        contacts = contacts.filter(
            pk__in=Contact.objects.filter(target_groups__themes=theme).values("pk")
        )
    return contacts.select_related("city__country").order_by(
        "city__country__name", "city__name", "last_name", "first_name"
    )


def invitation_draft(*, meeting: ExchangeMeeting, language: str) -> tuple[str, str, str]:
    """The invitation as it will be rendered in one language, with the slots left in: the
    programme's own text of it if it has one, and the meeting's own subject and introduction
    (MeetingWording) if it has them."""
    wording = wording_for(meeting, MessageKind.INVITATION, language)
    with translation.override(language):
        values = invitation_values(meeting, wording, LINK_SLOT)
    subject, text, body_html = message_render(
        kind="invitation",
        language=language,
        values={**values, "recipient_name": NAME_SLOT},
        programme=meeting.programme,
    )
    if wording and wording.subject.strip():
        subject = " ".join(wording.subject.split())
    return subject, text, body_html


def _personalise(rendered: tuple[str, str, str], contact: Contact, link: str):
    """The draft with this person's name and link: in the HTML the link was plain text when
    the draft was made, so it becomes a link here."""
    subject, text, body_html = rendered
    name = contact.full_name
    subject = subject.replace(NAME_SLOT, name)
    text = text.replace(NAME_SLOT, name).replace(LINK_SLOT, link)
    body_html = body_html.replace(NAME_SLOT, html.escape(name)).replace(
        LINK_SLOT, format_html('<a href="{0}">{0}</a>', link)
    )
    return subject, text, body_html


def _language(meeting: ExchangeMeeting, contact: Contact) -> str:
    """The person's language if the programme speaks it, else the programme's first."""
    return meeting.programme.language_for(contact.language)


class InvitationRefused(Refused):
    """Invitations the rules do not allow; the message is shown to the coordinator as it is."""


def invitations_refusal(*, meeting: ExchangeMeeting, now=None) -> str | None:
    """Why nobody may be invited to this meeting at `now`, or None when they may.

    An invitation asks people to register: its link leads to the meeting's page and its form.
    For a meeting of an unpublished programme that page is not there (a 404), and for a meeting
    whose registration is not open the form is closed (issue 11, section 5).
    """
    if not meeting.programme.is_published:
        return _(
            "No invitations can be sent: the programme “%(programme)s” is not published, so "
            "the link in the invitation would lead nowhere. Publish the programme first."
        ) % {"programme": meeting.programme}
    closed = registration_closed_reason(meeting=meeting, now=now)
    if closed:
        return _("No invitations can be sent, since nobody can register: %(reason)s") % {
            "reason": closed
        }
    return None


def invitations_seats_warning(*, meeting: ExchangeMeeting, count: int) -> str | None:
    """The numbers, when more people are to be invited than there are free seats.

    Inviting more people than seats is allowed (not everyone registers), but the coordinator
    sees it before sending: if they all register, the last ones wait or find the meeting full
    (issue 11, section 5).
    """
    if meeting.capacity is None:
        return None
    registered = meeting.registrations.filter(status__in=SEAT_HOLDING).count()
    if count <= meeting.capacity - registered:
        return None
    numbers = {"count": count, "seats": meeting.capacity, "registered": registered}
    if meeting.waiting_list_enabled:
        message = ngettext(
            "%(count)s person will be invited to %(seats)s seats (%(registered)s already "
            "registered): they will join the waiting list.",
            "%(count)s people will be invited to %(seats)s seats (%(registered)s already "
            "registered): some will join the waiting list.",
            count,
        )
    else:
        message = ngettext(
            "%(count)s person will be invited to %(seats)s seats (%(registered)s already "
            "registered): they will find the meeting full, which has no waiting list.",
            "%(count)s people will be invited to %(seats)s seats (%(registered)s already "
            "registered): some will find the meeting full, which has no waiting list.",
            count,
        )
    return message % numbers


@transaction.atomic
def invitations_send(*, meeting_id: int, contact_ids: list[int], now=None) -> int:
    """Invite these contacts, skipping anyone already invited; returns how many were invited.

    Raises InvitationRefused, and writes nothing, for the reasons of invitations_refusal at
    `now` (the present unless told: the demo records invitations sent in its past). The
    invitations and their outbox rows are written in one transaction; the rows are handed
    to Celery after it commits. The meeting row is locked so that two coordinators sending at
    once cannot invite anyone twice (the database's unique constraint backs this too).
    """
    meeting = ExchangeMeeting.objects.select_for_update().get(pk=meeting_id)
    refusal = invitations_refusal(meeting=meeting, now=now)
    if refusal:
        raise InvitationRefused(refusal)
    already = meeting.invitations.values("contact_id")
    contacts = list(
        Contact.objects.filter(pk__in=contact_ids, is_active=True).exclude(pk__in=already)
    )
    invitations = Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, contact=contact) for contact in contacts]
    )
    created = Message.objects.bulk_create(_messages(meeting, invitations, contacts))
    ids = [message.pk for message in created]
    transaction.on_commit(lambda: messages_enqueue(ids))
    return len(invitations)


def _messages(meeting: ExchangeMeeting, invitations, contacts) -> list[Message]:
    """One personal e-mail per invitation, rendered once per language."""
    calendar = calendar_bytes([meeting], name=meeting.title, method="PUBLISH").decode()
    drafts = {}
    messages = []
    for invitation, contact in zip(invitations, contacts, strict=True):
        language = _language(meeting, contact)
        if language not in drafts:
            drafts[language] = invitation_draft(meeting=meeting, language=language)
        link = f"{settings.SITE_URL}{invitation.get_absolute_url()}"
        subject, text, body_html = _personalise(drafts[language], contact, link)
        messages.append(
            Message(
                key=f"invitation:{invitation.pk}",
                kind="invitation",
                meeting=meeting,
                programme_id=meeting.programme_id,
                recipient_email=contact.email,
                recipient_name=contact.full_name,
                language=language,
                subject=subject[:300],
                body_text=text,
                body_html=body_html,
                calendar=calendar,
            )
        )
    return messages


def invitation_open(*, invitation: Invitation) -> None:
    """The person followed their personal link (the first time counts)."""
    if invitation.opened_at is None:
        invitation.opened_at = timezone.now()
        invitation.save(update_fields=["opened_at"])


def invitation_decline(*, invitation: Invitation) -> None:
    if invitation.declined_at is None:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
