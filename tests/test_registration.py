"""Registration rules: who may register, seats, the waiting list, offers, refusals."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from exchanges import registrations
from exchanges.models import MeetingKind, MeetingStatus, Registration, RegistrationStatus, Role
from exchanges.registrations import RegistrationRefused
from notifications.models import Message

from . import factories

pytestmark = pytest.mark.django_db


def member(network, role=Role.ENGAGED, **contact):
    membership = factories.MembershipFactory(network=network, role=role)
    return factories.ContactFactory(city=membership.city, **contact)


def register(meeting, contact, **kwargs):
    kwargs.setdefault("privacy_consent", True)
    return registrations.registration_create(meeting_id=meeting.pk, contact=contact, **kwargs)


@pytest.fixture
def meeting():
    return factories.MeetingFactory(capacity=2)


def test_it_confirms_while_seats_are_free_then_queues_in_order(meeting):
    people = [member(meeting.network) for _ in range(4)]

    results = [register(meeting, person) for person in people]

    assert [r.status for r in results] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [r.waiting_number for r in results[2:]] == [1, 2]
    assert registrations.waiting_position(registration=results[3]) == 2


def test_it_records_consent_with_the_time(meeting):
    registration = register(meeting, member(meeting.network), listed=True, note=" vegan ")
    assert registration.privacy_consent_at is not None
    assert registration.listed_consent_at is not None
    assert registration.note == "vegan"
    unlisted = register(meeting, member(meeting.network))
    assert unlisted.listed_consent_at is None


def test_a_cancelled_seat_goes_at_once_to_the_first_person_waiting(meeting):
    first, second, third, fourth = (register(meeting, member(meeting.network)) for _ in range(4))

    registrations.registration_cancel(registration_id=first.pk)

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED
    assert fourth.status == RegistrationStatus.WAITING
    assert Message.objects.filter(
        kind="registration_promoted", recipient_email=third.contact.email
    ).exists()


def test_with_offers_the_first_person_waiting_must_accept_in_time(meeting):
    meeting.offer_hours = 24
    meeting.save()
    first, _, third, fourth = (register(meeting, member(meeting.network)) for _ in range(4))

    registrations.registration_cancel(registration_id=first.pk)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.OFFERED
    assert third.offer_expires_at > timezone.now() + dt.timedelta(hours=23)

    # A newcomer does not take the offered seat.
    assert register(meeting, member(meeting.network)).status == RegistrationStatus.WAITING

    registrations.registration_accept_offer(registration_id=third.pk)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED


def test_an_expired_offer_passes_to_the_next_person(meeting):
    meeting.offer_hours = 1
    meeting.save()
    first, _, third, fourth = (register(meeting, member(meeting.network)) for _ in range(4))
    registrations.registration_cancel(registration_id=first.pk)

    later = timezone.now() + dt.timedelta(hours=2)
    assert registrations.offers_expire(now=later) == 1
    assert registrations.offers_expire() == 0  # the new offer is not yet due

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == RegistrationStatus.CANCELLED
    assert fourth.status == RegistrationStatus.OFFERED
    with pytest.raises(RegistrationRefused, match="no seat on offer"):
        registrations.registration_accept_offer(registration_id=third.pk)


def test_an_offer_cannot_be_accepted_after_it_expired(meeting):
    meeting.offer_hours = 1
    meeting.save()
    first, _, third = (register(meeting, member(meeting.network)) for _ in range(3))
    registrations.registration_cancel(registration_id=first.pk)
    Registration.objects.filter(pk=third.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(RegistrationRefused, match="expired"):
        registrations.registration_accept_offer(registration_id=third.pk)


def test_raising_the_capacity_fills_the_new_seats_from_the_waiting_list(meeting):
    rows = [register(meeting, member(meeting.network)) for _ in range(5)]
    meeting.capacity = 4
    meeting.save()

    promoted = registrations.meeting_fill_free_seats(meeting_id=meeting.pk)

    assert [r.pk for r in promoted] == [rows[2].pk, rows[3].pk]


def test_a_coordinator_can_promote_one_person_out_of_turn_only_into_a_free_seat(meeting):
    rows = [register(meeting, member(meeting.network)) for _ in range(4)]
    with pytest.raises(RegistrationRefused, match="full"):
        registrations.registration_promote(registration_id=rows[3].pk)
    meeting.capacity = 3
    meeting.save()
    registrations.registration_promote(registration_id=rows[3].pk)
    rows[3].refresh_from_db()
    assert rows[3].status == RegistrationStatus.CONFIRMED


def test_a_meeting_without_capacity_never_fills():
    meeting = factories.MeetingFactory(capacity=None)
    assert all(register(meeting, member(meeting.network)).status == "confirmed" for _ in range(5))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda m: setattr(m, "status", MeetingStatus.CANCELLED), "has been cancelled"),
        (lambda m: setattr(m, "status", MeetingStatus.HELD), "already taken place"),
        (
            lambda m: setattr(m, "registration_deadline", timezone.now() - dt.timedelta(hours=1)),
            "Registration closed on",
        ),
    ],
)
def test_registration_is_closed_for_cancelled_held_or_past_deadline_meetings(
    meeting, setup, message
):
    setup(meeting)
    meeting.save()
    with pytest.raises(RegistrationRefused, match=message):
        register(meeting, member(meeting.network))
    assert not Registration.objects.exists()


def test_registration_opens_when_the_coordinator_said_and_not_before(meeting):
    contact = member(meeting.network)
    opens = timezone.now() + dt.timedelta(days=2)
    meeting.registration_opens = opens
    meeting.save()

    with pytest.raises(RegistrationRefused, match="Registration opens on"):
        register(meeting, contact)
    assert not Registration.objects.exists()

    with time_machine.travel(opens + dt.timedelta(minutes=1), tick=False):
        assert register(meeting, contact).status == RegistrationStatus.CONFIRMED


def test_a_city_outside_the_network_is_refused_and_nothing_is_written(meeting):
    outsider = factories.ContactFactory()
    with pytest.raises(RegistrationRefused, match="does not take part"):
        register(meeting, outsider)
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_an_engaged_only_meeting_refuses_pioneer_cities(meeting):
    meeting.engaged_only = True
    meeting.save()
    with pytest.raises(RegistrationRefused, match="engaged cities only"):
        register(meeting, member(meeting.network, role=Role.PIONEER))
    assert register(meeting, member(meeting.network, role=Role.ENGAGED)).status == "confirmed"


def test_the_international_conference_takes_any_city_of_the_programme():
    network = factories.NetworkFactory()
    other_network = factories.NetworkFactory(
        programme=network.programme, country=factories.CountryFactory(code="SE")
    )
    conference = factories.MeetingFactory(
        network=None, programme=network.programme, kind=MeetingKind.INTERNATIONAL_CONFERENCE
    )
    assert register(conference, member(other_network)).status == "confirmed"
    with pytest.raises(RegistrationRefused):
        register(conference, factories.ContactFactory())


def test_a_full_meeting_without_a_waiting_list_refuses(meeting):
    meeting.waiting_list_enabled = False
    meeting.save()
    register(meeting, member(meeting.network))
    register(meeting, member(meeting.network))
    with pytest.raises(RegistrationRefused, match="full and has no waiting list"):
        register(meeting, member(meeting.network))
    assert meeting.registrations.count() == 2


def test_registering_twice_is_refused_but_after_cancelling_one_may_come_back(meeting):
    contact = member(meeting.network)
    first = register(meeting, contact)
    with pytest.raises(RegistrationRefused, match="already registered"):
        register(meeting, contact)
    registrations.registration_cancel(registration_id=first.pk)
    again = register(meeting, contact)
    assert again.pk == first.pk
    assert again.status == RegistrationStatus.CONFIRMED


def test_consent_to_the_privacy_notice_is_required(meeting):
    with pytest.raises(RegistrationRefused, match="privacy notice"):
        register(meeting, member(meeting.network), privacy_consent=False)
    assert not Registration.objects.exists()


def test_an_account_without_a_contact_is_refused(meeting):
    with pytest.raises(RegistrationRefused, match="not linked to a city"):
        registrations.registration_create(meeting_id=meeting.pk, contact=None, privacy_consent=True)


def test_each_change_sends_one_email_in_the_contacts_language(
    meeting, django_capture_on_commit_callbacks
):
    contact = member(meeting.network, language="pl")
    with django_capture_on_commit_callbacks(execute=True):
        register(meeting, contact)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [f"{contact.full_name} <{contact.email}>"]
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert message.language == "pl"
    assert "text/html" in mail.outbox[0].alternatives[0].mimetype


def test_attendance_is_marked_only_for_people_who_held_a_seat(meeting):
    confirmed, _, waiting = (register(meeting, member(meeting.network)) for _ in range(3))
    marked = registrations.registrations_mark(
        registration_ids=[confirmed.pk, waiting.pk],
        status=RegistrationStatus.ATTENDED,
        now=meeting.start,
    )
    assert marked.count == 1
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == RegistrationStatus.ATTENDED
    assert waiting.status == RegistrationStatus.WAITING


def test_the_beat_task_expires_offers(meeting):
    from exchanges.tasks import expire_offers

    meeting.offer_hours = 1
    meeting.save()
    first, _, third = (register(meeting, member(meeting.network)) for _ in range(3))
    registrations.registration_cancel(registration_id=first.pk)
    Registration.objects.filter(pk=third.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert expire_offers.delay().get() == 1
    third.refresh_from_db()
    assert third.status == RegistrationStatus.CANCELLED
