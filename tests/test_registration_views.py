"""Registration through the pages, and who may reach what (pretix-style permission matrix)."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import Registration, RegistrationStatus, Role
from notifications.models import Message

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return factories.MeetingFactory(capacity=1, online_url="https://meet.example/room-42")


def city_staff(network, role=Role.ENGAGED):
    membership = factories.MembershipFactory(network=network, role=role)
    user = factories.UserFactory()
    factories.ContactFactory(city=membership.city, user=user, email=user.email)
    return user


def outsider():
    user = factories.UserFactory()
    factories.ContactFactory(user=user, email=user.email)
    return user


CONSENT = {"privacy_consent": "on", "listed": "on", "note": "Vegetarian"}


def test_a_signed_in_contact_registers_from_the_meeting_page(client, meeting):
    client.force_login(city_staff(meeting.network))

    page = client.get(f"/meetings/{meeting.pk}/")
    assert f'action="/meetings/{meeting.pk}/register/"' in page.text
    response = client.post(f"/meetings/{meeting.pk}/register/", CONSENT, follow=True)

    assert "You are registered." in response.text
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert "meet.example/room-42" in response.text  # the link, now that the seat is theirs


def test_without_consent_the_form_says_so_and_nothing_is_written(client, meeting):
    client.force_login(city_staff(meeting.network))
    response = client.post(f"/meetings/{meeting.pk}/register/", {"note": "x"})
    assert response.status_code == 400
    assert "Please accept the privacy notice to register." in response.text
    assert not Registration.objects.exists()


def test_a_full_meeting_puts_the_next_person_on_the_waiting_list_and_says_where(client, meeting):
    client.force_login(city_staff(meeting.network))
    client.post(f"/meetings/{meeting.pk}/register/", CONSENT)
    client.force_login(city_staff(meeting.network))

    response = client.post(f"/meetings/{meeting.pk}/register/", CONSENT, follow=True)

    assert "you are number 1 on the waiting list" in response.text
    assert "meet.example/room-42" not in response.text


def test_a_refusal_is_a_clear_message_and_writes_nothing(client, meeting):
    client.force_login(outsider())
    response = client.post(f"/meetings/{meeting.pk}/register/", CONSENT, follow=True)
    assert "does not take part in this meeting" in response.text
    assert not Registration.objects.exists()


def test_the_online_link_is_hidden_from_the_public_and_other_cities(client, meeting):
    assert "room-42" not in client.get(f"/meetings/{meeting.pk}/").text
    client.force_login(outsider())
    assert "room-42" not in client.get(f"/meetings/{meeting.pk}/").text


def test_coordinators_see_the_online_link(admin_client, meeting):
    assert "room-42" in admin_client.get(f"/meetings/{meeting.pk}/").text


def test_listed_participants_are_shown_to_other_confirmed_participants_only(client, meeting):
    meeting.capacity = 5
    meeting.save()
    listed = city_staff(meeting.network)
    client.force_login(listed)
    client.post(f"/meetings/{meeting.pk}/register/", CONSENT)
    unlisted = city_staff(meeting.network)
    client.force_login(unlisted)
    client.post(f"/meetings/{meeting.pk}/register/", {"privacy_consent": "on"})

    page = client.get(f"/meetings/{meeting.pk}/").text
    assert listed.contact.full_name in page
    assert unlisted.contact.full_name not in page
    client.logout()
    assert listed.contact.full_name not in client.get(f"/meetings/{meeting.pk}/").text


def test_cancelling_asks_first_then_cancels_with_one_post(client, meeting):
    user = city_staff(meeting.network)
    client.force_login(user)
    client.post(f"/meetings/{meeting.pk}/register/", CONSENT)
    registration = Registration.objects.get()

    confirm = client.get(f"/me/registrations/{registration.pk}/cancel/")
    assert "Cancel your registration?" in confirm.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    response = client.post(f"/me/registrations/{registration.pk}/cancel/", follow=True)
    assert "Your registration has been cancelled." in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_registering_and_cancelling_over_and_over_is_stopped_and_changes_nothing(
    client, meeting, settings
):
    settings.MAIL_LIMIT_PER_ACCOUNT = 4
    user = city_staff(meeting.network)
    client.force_login(user)
    for _round in range(2):  # each registration and each cancellation is an e-mail
        client.post(f"/meetings/{meeting.pk}/register/", CONSENT)
        registration = Registration.objects.get()
        client.post(f"/me/registrations/{registration.pk}/cancel/")

    response = client.post(f"/meetings/{meeting.pk}/register/", CONSENT, follow=True)

    assert "You have caused many e-mails within the last hour" in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert Message.objects.filter(requested_by=user).count() == 4


def test_my_meetings_lists_upcoming_and_past_registrations_with_their_status(client):
    user = None
    upcoming = factories.MeetingFactory(title="Coming soon")
    past = factories.MeetingFactory(
        network=upcoming.network,
        title="Long ago",
        start=timezone.now() - dt.timedelta(days=100),
    )
    user = city_staff(upcoming.network)
    for meeting, status in ((upcoming, "waiting"), (past, "attended")):
        Registration.objects.create(
            meeting=meeting,
            contact=user.contact,
            status=status,
            waiting_number=1 if status == "waiting" else None,
            privacy_consent_at=timezone.now(),
        )
    client.force_login(user)

    response = client.get("/me/meetings/")

    text = response.text
    assert text.index("Upcoming") < text.index("Coming soon") < text.index("Past")
    assert text.index("Past") < text.index("Long ago")
    assert "On the waiting list" in text and "Attended" in text


def test_my_meetings_explains_an_account_without_a_city(client):
    client.force_login(factories.UserFactory())
    assert "not linked to a city yet" in client.get("/me/meetings/").text


def _registration_of(user, meeting):
    return Registration.objects.create(
        meeting=meeting,
        contact=user.contact,
        status=RegistrationStatus.CONFIRMED,
        privacy_consent_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"register": 302, "cancel": 302, "accept": 302, "mine": 302, "ics": 200}),
        ("eligible", {"register": 302, "cancel": 200, "accept": 302, "mine": 200, "ics": 200}),
        ("outsider", {"register": 302, "cancel": 404, "accept": 404, "mine": 200, "ics": 200}),
        ("coordinator", {"register": 302, "cancel": 404, "accept": 404, "mine": 200, "ics": 200}),
    ],
)
def test_permission_matrix(client, meeting, persona, expected):
    owner = city_staff(meeting.network)
    registration = _registration_of(owner, meeting)
    users = {
        "anonymous": None,
        "eligible": owner,
        "outsider": outsider(),
        "coordinator": factories.CoordinatorFactory(),
    }
    if users[persona]:
        client.force_login(users[persona])

    status = {
        "register": client.post(f"/meetings/{meeting.pk}/register/", CONSENT).status_code,
        "cancel": client.get(f"/me/registrations/{registration.pk}/cancel/").status_code,
        "accept": client.post(f"/me/registrations/{registration.pk}/accept/").status_code,
        "mine": client.get("/me/meetings/").status_code,
        "ics": client.get(f"/meetings/{meeting.pk}.ics").status_code,
    }

    assert status == expected
    if persona == "anonymous":
        response = client.get(f"/me/registrations/{registration.pk}/cancel/")
        assert response["Location"].startswith("/accounts/login/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # nobody else changed it
    assert Registration.objects.count() == 1  # refusals and duplicates wrote nothing


def test_the_personal_feed_is_found_only_by_its_secret_token(client, meeting):
    user = city_staff(meeting.network)
    _registration_of(user, meeting)

    feed = client.get(f"/calendar/{user.calendar_token}.ics")
    assert feed.status_code == 200
    assert meeting.title in feed.content.decode()
    assert client.get("/calendar/not-the-token.ics").status_code == 404

    old = user.calendar_token
    client.force_login(user)
    client.post("/me/calendar-token/reset/")
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_every_registration_form_post_needs_a_csrf_token(meeting):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(city_staff(meeting.network))
    assert client.post(f"/meetings/{meeting.pk}/register/", CONSENT).status_code == 403
    assert not Registration.objects.exists()
