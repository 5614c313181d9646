"""Invitations: who is invited (docs/DESIGN.md rules 2 and 3), the e-mail, the personal link."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from exchanges import registrations
from exchanges.invitations import invitation_recipients, invitations_send
from exchanges.models import Invitation, MeetingKind, MeetingWording, Role
from notifications.models import Message, MessageTemplate

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A network with a pioneer, an engaged and a mentor city, two target groups, two themes,
    and a city of another network of the same programme."""
    decision = factories.TargetGroupFactory(slug="decision-makers")
    planning = factories.TargetGroupFactory(slug="planning-staff")
    network = factories.NetworkFactory()
    programme = network.programme
    cities = {}
    for role in (Role.PIONEER, Role.ENGAGED, Role.MENTOR):
        cities[role] = factories.MembershipFactory(network=network, role=role).city
    other_network = factories.NetworkFactory(
        programme=programme, country=factories.CountryFactory(code="SE")
    )
    cities["other"] = factories.MembershipFactory(network=other_network).city
    contacts = {}
    for key, city in cities.items():
        for group in (decision, planning):
            contact = factories.ContactFactory(city=city, last_name=f"{key}-{group.slug}")
            contact.target_groups.add(group)
            contacts[(key, group.slug)] = contact
    targeted = factories.ThemeFactory(programme=programme, name="Political leadership")
    targeted.target_groups.add(decision)
    open_theme = factories.ThemeFactory(programme=programme, name="Open", open_to_all=True)
    return {
        "network": network,
        "programme": programme,
        "contacts": contacts,
        "targeted": targeted,
        "open": open_theme,
    }


def names(queryset):
    return {contact.last_name for contact in queryset}


@pytest.mark.parametrize(
    ("scope", "theme", "expected"),
    [
        (
            "network",
            None,
            {
                "pioneer-decision-makers",
                "pioneer-planning-staff",
                "engaged-decision-makers",
                "engaged-planning-staff",
            },
        ),
        ("network", "targeted", {"pioneer-decision-makers", "engaged-decision-makers"}),
        (
            "network",
            "open",
            {
                "pioneer-decision-makers",
                "pioneer-planning-staff",
                "engaged-decision-makers",
                "engaged-planning-staff",
            },
        ),
        ("engaged_only", None, {"engaged-decision-makers", "engaged-planning-staff"}),
        ("engaged_only", "targeted", {"engaged-decision-makers"}),
        ("engaged_only", "open", {"engaged-decision-makers", "engaged-planning-staff"}),
        (
            "conference",
            None,
            {
                f"{key}-{group}"
                for key in ("pioneer", "engaged", "mentor", "other")
                for group in ("decision-makers", "planning-staff")
            },
        ),
        (
            "conference",
            "targeted",
            {f"{key}-decision-makers" for key in ("pioneer", "engaged", "mentor", "other")},
        ),
        (
            "conference",
            "open",
            {
                f"{key}-{group}"
                for key in ("pioneer", "engaged", "mentor", "other")
                for group in ("decision-makers", "planning-staff")
            },
        ),
    ],
)
def test_recipients_follow_rules_2_and_3(world, scope, theme, expected):
    kwargs = {"theme": world[theme] if theme else None}
    if scope == "conference":
        kwargs.update(
            network=None, programme=world["programme"], kind=MeetingKind.INTERNATIONAL_CONFERENCE
        )
    else:
        kwargs.update(network=world["network"], engaged_only=scope == "engaged_only")
    meeting = factories.MeetingFactory(**kwargs)

    assert names(invitation_recipients(meeting=meeting)) == expected


def test_inactive_contacts_are_never_invited(world):
    contact = world["contacts"][("pioneer", "decision-makers")]
    contact.is_active = False
    contact.save()
    meeting = factories.MeetingFactory(network=world["network"])
    assert contact not in invitation_recipients(meeting=meeting)


def test_each_contact_gets_one_personal_invitation_in_their_language(
    world, django_capture_on_commit_callbacks
):
    meeting = factories.MeetingFactory(
        network=world["network"], title_en="National exchange", title_pl="Krajowe spotkanie"
    )
    polish = world["contacts"][("pioneer", "decision-makers")]
    polish.language = "pl"
    polish.save()
    english = world["contacts"][("engaged", "decision-makers")]

    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations_send(meeting_id=meeting.pk, contact_ids=[polish.pk, english.pk])

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    polish_mail = next(m for to, m in by_recipient.items() if polish.email in to)
    english_mail = next(m for to, m in by_recipient.items() if english.email in to)
    assert "Krajowe spotkanie" in polish_mail.subject
    assert "National exchange" in english_mail.subject
    for contact, message in ((polish, polish_mail), (english, english_mail)):
        invitation = Invitation.objects.get(meeting=meeting, contact=contact)
        assert invitation.token in message.body
        assert contact.full_name in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        link = f"{settings.SITE_URL}/invitations/{invitation.token}/"
        assert f'<a href="{link}">' in html  # the personal link, clickable
        assert contact.full_name in html
        attachment = next(a for a in message.attachments if a[0] == "meeting.ics")
        event = Calendar.from_ical(attachment[1]).walk("VEVENT")[0]
        assert str(event["uid"]) == f"meeting-{meeting.pk}@multiply"
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_re_inviting_sends_only_to_contacts_not_yet_invited(world):
    meeting = factories.MeetingFactory(network=world["network"])
    everyone = list(invitation_recipients(meeting=meeting).values_list("pk", flat=True))

    assert invitations_send(meeting_id=meeting.pk, contact_ids=everyone[:2]) == 2
    assert invitations_send(meeting_id=meeting.pk, contact_ids=everyone) == len(everyone) - 2
    assert invitations_send(meeting_id=meeting.pk, contact_ids=everyone) == 0
    assert Invitation.objects.count() == Message.objects.count() == len(everyone)


def test_the_coordinators_own_wording_is_used_per_language(world):
    meeting = factories.MeetingFactory(network=world["network"])
    MeetingWording.objects.create(
        meeting=meeting,
        kind="invitation",
        language="en",
        subject="Join us in Bydgoszcz",
        introduction="We would love to see you.",
    )
    contact = world["contacts"][("pioneer", "decision-makers")]

    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])

    message = Message.objects.get()
    assert message.subject == "Join us in Bydgoszcz"
    assert "We would love to see you." in message.body_text


def test_the_programmes_own_invitation_text_is_sent_filled_in_per_person(world):
    meeting = factories.MeetingFactory(network=world["network"], title_en="Exchange in Płock")
    MessageTemplate.objects.create(
        programme=meeting.programme,
        kind="invitation",
        language="en",
        subject="{{ meeting_title }}: you are invited",
        body="Hello {{ recipient_name }}, come to {{ meeting_where }}: {{ invitation_url }}",
    )
    contact = world["contacts"][("pioneer", "decision-makers")]

    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])

    message = Message.objects.get()
    invitation = Invitation.objects.get()
    assert message.subject == "Exchange in Płock: you are invited"
    assert message.body_text.startswith(f"Hello {contact.full_name}, come to ")
    assert message.body_text.endswith(f"/invitations/{invitation.token}/")


def test_the_personal_link_records_the_visit_and_prefills_the_signup(client, world):
    meeting = factories.MeetingFactory(network=world["network"])
    contact = world["contacts"][("engaged", "decision-makers")]
    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])
    invitation = Invitation.objects.get()

    response = client.get(f"/invitations/{invitation.token}/")

    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert f"email={contact.email.replace('@', '%40')}" in response.text
    assert client.get("/invitations/not-a-token/").status_code == 404


def test_signing_up_through_the_invitation_needs_no_second_verification(client, world):
    meeting = factories.MeetingFactory(network=world["network"], capacity=10)
    contact = world["contacts"][("engaged", "decision-makers")]
    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])
    invitation = Invitation.objects.get()
    client.get(f"/invitations/{invitation.token}/")
    mail.outbox.clear()

    password = "a sturdy passphrase 2026"
    client.post(
        "/accounts/signup/",
        {
            "email": contact.email,
            "password1": password,
            "password2": password,
            "privacy_consent": "on",
        },
    )

    contact.refresh_from_db()
    assert contact.user is not None
    assert not any("confirm-email" in message.body for message in mail.outbox)
    assert client.get("/me/meetings/").status_code == 200  # signed in at once
    client.post(f"/meetings/{meeting.pk}/register/", {"privacy_consent": "on"})
    invitation.refresh_from_db()
    assert invitation.registered_at is not None


def test_declining_is_recorded(client, world):
    meeting = factories.MeetingFactory(network=world["network"])
    contact = world["contacts"][("engaged", "decision-makers")]
    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])
    invitation = Invitation.objects.get()

    response = client.post(f"/invitations/{invitation.token}/", follow=True)

    assert "you declined" in response.text
    invitation.refresh_from_db()
    assert invitation.declined_at is not None


def test_registering_marks_the_invitation_registered(world):
    meeting = factories.MeetingFactory(network=world["network"])
    contact = world["contacts"][("engaged", "decision-makers")]
    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])
    registrations.registration_create(meeting_id=meeting.pk, contact=contact, privacy_consent=True)
    assert Invitation.objects.get().registered_at is not None


# The coordinator's side, in the admin.


def invite_url(meeting):
    return reverse("admin:exchanges_exchangemeeting_invite", args=[meeting.pk])


def test_the_invite_page_previews_recipients_and_the_draft(admin_client, world):
    meeting = factories.MeetingFactory(network=world["network"], theme=world["targeted"])
    response = admin_client.get(invite_url(meeting))
    assert response.status_code == 200
    assert "2 recipients" in response.text
    assert "pioneer-decision-makers" in response.text
    assert "Invitation: " in response.text  # the draft's subject
    assert not Invitation.objects.exists()


def test_the_coordinator_removes_and_adds_contacts_then_sends(
    admin_client, world, django_capture_on_commit_callbacks
):
    meeting = factories.MeetingFactory(network=world["network"], theme=world["targeted"])
    keep = world["contacts"][("pioneer", "decision-makers")]
    extra = world["contacts"][("other", "planning-staff")]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            invite_url(meeting),
            {"contacts": [keep.pk], "extra_emails": extra.email.upper(), "send": "1"},
        )

    assert response.status_code == 302
    assert set(Invitation.objects.values_list("contact_id", flat=True)) == {keep.pk, extra.pk}
    assert len(mail.outbox) == 2


def test_an_unknown_address_is_refused_and_nothing_is_sent(admin_client, world):
    meeting = factories.MeetingFactory(network=world["network"])
    response = admin_client.post(
        invite_url(meeting), {"extra_emails": "nobody@nowhere.example", "send": "1"}
    )
    assert response.status_code == 200
    assert "No active contact has these addresses: nobody@nowhere.example" in response.text
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_a_cancelled_meeting_cannot_be_invited_to(admin_client, world):
    meeting = factories.MeetingFactory(network=world["network"], status="cancelled")
    contact = world["contacts"][("pioneer", "decision-makers")]
    admin_client.post(invite_url(meeting), {"contacts": [contact.pk], "send": "1"})
    assert not Invitation.objects.exists()


def test_the_invitation_list_shows_the_delivery_state(admin_client, world):
    meeting = factories.MeetingFactory(network=world["network"])
    contact = world["contacts"][("pioneer", "decision-makers")]
    invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])
    response = admin_client.get(reverse("admin:exchanges_invitation_changelist"))
    assert re.search(r"(queued|sent)", response.text)
