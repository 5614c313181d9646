"""Records that cannot contradict reality (issue 11, section 5): each rule, met as a coordinator."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.invitations import InvitationRefused, invitations_seats_warning, invitations_send
from exchanges.meetings import meeting_update
from exchanges.models import (
    ExchangeMeeting,
    Invitation,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Registration,
    RegistrationStatus,
    Role,
)
from exchanges.registrations import registration_delete, registrations_mark
from meetings.models import ConsortiumMeeting
from notifications.models import Message
from reports.models import Document
from reports.selectors import attendance_report
from reports.services import document_render, document_request

from . import factories
from .test_admin import meeting_form

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def registration(meeting, status=RegistrationStatus.CONFIRMED, **fields) -> Registration:
    """A row as the registration service leaves it (the tests here are about what follows)."""
    return Registration.objects.create(
        meeting=meeting,
        contact=fields.pop("contact", None) or factories.ContactFactory(),
        status=status,
        privacy_consent_at=timezone.now(),
        **fields,
    )


def started_meeting(**fields):
    start = timezone.now() - HOUR
    return factories.MeetingFactory(start=start, end=start + 6 * HOUR, **fields)


# Attendance from the meeting's start only


def test_attendance_is_not_recorded_for_a_meeting_that_has_not_started():
    today = started_meeting(title="Exchange today")
    coming = factories.MeetingFactory(title="Exchange next month")
    present, early = registration(today), registration(coming)

    marked = registrations_mark(
        registration_ids=[present.pk, early.pk], status=RegistrationStatus.ATTENDED
    )

    assert (marked.count, marked.refused, marked.refused_meetings) == (
        1,
        1,
        ["Exchange next month"],
    )
    early.refresh_from_db()
    assert early.status == RegistrationStatus.CONFIRMED


def test_attendance_is_not_recorded_for_a_cancelled_meeting():
    cancelled = started_meeting(status=MeetingStatus.CANCELLED)
    row = registration(cancelled)

    marked = registrations_mark(registration_ids=[row.pk], status=RegistrationStatus.NO_SHOW)

    assert (marked.count, marked.refused) == (0, 1)


def test_the_bulk_action_names_the_meetings_whose_rows_it_refused(admin_client):
    present = registration(started_meeting(title="Exchange today"))
    early = registration(factories.MeetingFactory(title="Exchange next month"))

    response = admin_client.post(
        admin_url(Registration, "changelist"),
        {"action": "mark_no_show", "_selected_action": [present.pk, early.pk]},
        follow=True,
    )

    assert "1 registration marked as “no-show”" in response.text
    assert (
        "Not marked: 1 registration of a meeting that has not started yet, or was cancelled or "
        "postponed (Exchange next month). Attendance is recorded from the start of the meeting."
    ) in response.text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_no_certificate_for_attendance_of_a_meeting_not_yet_started(client, media):
    user = factories.UserFactory()
    contact = factories.ContactFactory(user=user)
    # Marked "attended" before the service refused that, or the meeting was moved later.
    early = registration(factories.MeetingFactory(), RegistrationStatus.ATTENDED, contact=contact)
    client.force_login(user)

    response = client.get(reverse("reports:certificate", args=[early.pk]))

    assert response.status_code == 404
    assert not Document.objects.exists()
    page = client.get(reverse("exchanges:my_meetings"))
    assert "Certificate (PDF)" not in page.text


def test_the_certificate_builder_refuses_a_meeting_not_yet_started(media):
    early = registration(factories.MeetingFactory(), RegistrationStatus.ATTENDED)
    document = document_request(
        kind=Document.Kind.CERTIFICATE,
        programme=early.meeting.programme,
        meeting=early.meeting,
        registration=early,
        language="en",
    )

    rendered = document_render(document_id=document.pk)

    assert rendered.status == Document.Status.FAILED
    assert "NoCertificate" in rendered.error


def test_the_funder_report_counts_only_meetings_that_took_place():
    held = started_meeting(title="Held")
    registration(held, RegistrationStatus.ATTENDED)
    for meeting in (
        factories.MeetingFactory(title="Next month"),
        started_meeting(title="Postponed", status=MeetingStatus.POSTPONED),
    ):
        registration(meeting, RegistrationStatus.ATTENDED)
    today = timezone.localdate()

    report = attendance_report(start=today - dt.timedelta(days=1), end=today + dt.timedelta(60))

    assert [row["title"] for row in report["meetings"]] == ["Held"]
    assert (report["totals"]["attended"], report["totals"]["staff_trained"]) == (1, 1)


# Consortium meetings: planned first, held later


def consortium_meeting_form(programme, start: dt.date, **changes) -> dict:
    inlines = {}
    for prefix in ("attendances", "action_items"):
        inlines.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data = {
        "programme": programme.pk,
        "number": "1",
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "planned_place": "Graz",
        "_save": "Save",
    }
    return {**data, **inlines, **changes}


def test_a_future_consortium_meeting_is_saved_with_only_its_planned_place(admin_client):
    programme = factories.ProgrammeFactory()
    next_month = timezone.localdate() + dt.timedelta(days=30)

    response = admin_client.post(
        admin_url(ConsortiumMeeting, "add"), consortium_meeting_form(programme, next_month)
    )

    assert response.status_code == 302
    assert ConsortiumMeeting.objects.get().planned_place == "Graz"


def test_a_past_consortium_meeting_must_say_where_it_was_held(admin_client):
    programme = factories.ProgrammeFactory()
    last_month = timezone.localdate() - dt.timedelta(days=30)

    response = admin_client.post(
        admin_url(ConsortiumMeeting, "add"), consortium_meeting_form(programme, last_month)
    )

    assert "The meeting has ended: say where it was held, or tick “held online”." in response.text
    assert not ConsortiumMeeting.objects.exists()


def test_the_consortium_meeting_list_shows_where_a_future_meeting_is_planned(admin_client):
    next_month = timezone.localdate() + dt.timedelta(days=30)
    factories.ConsortiumMeetingFactory(start_date=next_month, planned_place="Graz", held_place="")

    response = admin_client.get(admin_url(ConsortiumMeeting, "changelist"))

    assert "planned: Graz" in response.text


# Changing a meeting: one service, whichever screen changes it


def registered_and_waiting(meeting, confirmed=1, waiting=1) -> list[Registration]:
    rows = [registration(meeting) for _ in range(confirmed)]
    for number in range(1, waiting + 1):
        rows.append(registration(meeting, RegistrationStatus.WAITING, waiting_number=number))
    return rows


def test_cancelling_a_meeting_through_the_service_tells_everyone_registered():
    meeting = factories.MeetingFactory(capacity=1)
    registered_and_waiting(meeting)
    meeting.status = MeetingStatus.CANCELLED

    updated = meeting_update(meeting=meeting, changed_fields=["status"])

    assert (updated.told, updated.promoted) == (2, 0)
    assert Message.objects.filter(kind="meeting_cancelled").count() == 2
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 1)


def test_raising_the_capacity_through_the_service_seats_the_first_person_waiting():
    meeting = factories.MeetingFactory(capacity=1)
    _confirmed, waiting = registered_and_waiting(meeting)
    meeting.capacity = 2

    updated = meeting_update(meeting=meeting, changed_fields=["capacity"])

    assert (updated.told, updated.promoted) == (0, 1)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_meeting_moved_in_the_admin_tells_everyone_registered(admin_client):
    meeting = factories.MeetingFactory(number=1)
    registered_and_waiting(meeting, confirmed=2, waiting=0)

    response = admin_client.post(
        admin_url(ExchangeMeeting, "change", meeting.pk),
        meeting_form(meeting.network, venue="Town library", waiting_list_enabled="on"),
        follow=True,
    )

    assert "2 registered people are being told of the change." in response.text
    assert Message.objects.filter(kind="meeting_changed").count() == 2


# Invitations only for what people can register for


def invitable(count=2, **meeting_fields):
    """A meeting of a published programme, open for registration, and contacts to invite."""
    meeting = factories.MeetingFactory(**meeting_fields)
    city = factories.MembershipFactory(network=meeting.network, role=Role.PIONEER).city
    contacts = [factories.ContactFactory(city=city) for _ in range(count)]
    return meeting, contacts


def invite_url(meeting) -> str:
    return reverse("admin:exchanges_exchangemeeting_invite", args=[meeting.pk])


def unpublish(meeting) -> None:
    meeting.programme.is_published = False
    meeting.programme.save()


def test_the_service_refuses_invitations_to_a_meeting_of_an_unpublished_programme():
    meeting, contacts = invitable(network__programme__name="MULTIPLY 2027")
    unpublish(meeting)

    with pytest.raises(InvitationRefused) as refused:
        invitations_send(meeting_id=meeting.pk, contact_ids=[c.pk for c in contacts])

    assert "the programme “MULTIPLY 2027” is not published" in refused.value.message
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_the_service_refuses_invitations_before_registration_opens():
    meeting, contacts = invitable(registration_opens=timezone.now() + dt.timedelta(days=7))

    with pytest.raises(InvitationRefused) as refused:
        invitations_send(meeting_id=meeting.pk, contact_ids=[c.pk for c in contacts])

    assert refused.value.message.startswith(
        "No invitations can be sent, since nobody can register: Registration opens on "
    )
    assert not Invitation.objects.exists()


def test_the_preview_says_why_an_unpublished_programme_cannot_be_invited_to(admin_client):
    meeting, _contacts = invitable(network__programme__name="MULTIPLY 2027")
    unpublish(meeting)

    response = admin_client.get(invite_url(meeting))

    assert "the programme “MULTIPLY 2027” is not published" in response.text
    assert 'name="send"' not in response.text


def test_sending_anyway_is_refused_with_the_reason(admin_client):
    meeting, contacts = invitable(registration_opens=timezone.now() + dt.timedelta(days=7))

    response = admin_client.post(invite_url(meeting), {"contacts": [contacts[0].pk], "send": "1"})

    assert response.status_code == 200
    assert "nobody can register: Registration opens on" in response.text
    assert not Invitation.objects.exists()


# Inviting more people than seats


def test_the_preview_shows_more_people_invited_than_seats(admin_client):
    meeting, _contacts = invitable(count=4, capacity=3)
    registration(meeting)

    response = admin_client.get(invite_url(meeting))

    assert (
        "4 people will be invited to 3 seats (1 already registered): some will join the "
        "waiting list."
    ) in response.text


def test_the_preview_says_nothing_of_seats_when_they_suffice(admin_client):
    meeting, _contacts = invitable(count=2, capacity=3)

    response = admin_client.get(invite_url(meeting))

    assert "will be invited to" not in response.text


def test_without_a_waiting_list_the_preview_says_some_will_find_it_full():
    meeting, _contacts = invitable(count=1, capacity=2, waiting_list_enabled=False)
    registration(meeting)
    registration(meeting)

    warning = invitations_seats_warning(meeting=meeting, count=1)

    assert warning == (
        "1 person will be invited to 2 seats (2 already registered): they will find the "
        "meeting full, which has no waiting list."
    )


# Deleting a registration in the admin passes the seat on


def full_meeting_with_one_waiting():
    meeting = factories.MeetingFactory(capacity=1)
    return registered_and_waiting(meeting)


def test_deleting_a_registration_on_its_page_gives_the_seat_to_the_person_waiting(admin_client):
    confirmed, waiting = full_meeting_with_one_waiting()

    response = admin_client.post(
        admin_url(Registration, "delete", confirmed.pk), {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert not Registration.objects.filter(pk=confirmed.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_delete_selected_gives_the_seats_to_the_people_waiting(admin_client):
    confirmed, waiting = full_meeting_with_one_waiting()
    cancelled = registration(confirmed.meeting, RegistrationStatus.CANCELLED)

    admin_client.post(
        admin_url(Registration, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [confirmed.pk, cancelled.pk],
            "post": "yes",
        },
    )

    assert set(Registration.objects.values_list("pk", flat=True)) == {waiting.pk}
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_the_person_whose_registration_is_deleted_is_told_it_is_cancelled():
    confirmed, _waiting = full_meeting_with_one_waiting()

    registration_delete(registration_id=confirmed.pk)

    assert Message.objects.filter(
        kind="registration_cancelled", recipient_email=confirmed.contact.email
    ).exists()


# A city of one country in another country's network


def countries():
    return (
        factories.CountryFactory(code="PL", name="Poland"),
        factories.CountryFactory(code="DE", name="Germany"),
    )


def test_adding_a_city_of_another_country_to_a_network_warns_naming_both(admin_client):
    poland, germany = countries()
    network = factories.NetworkFactory(country=poland, name="Polish network")
    frankfurt = factories.CityFactory(name="Frankfurt (Oder)", country=germany)

    response = admin_client.post(
        admin_url(Membership, "add"),
        {"network": network.pk, "city": frankfurt.pk, "role": Role.ENGAGED, "_save": "Save"},
        follow=True,
    )

    assert Membership.objects.filter(network=network, city=frankfurt).exists()
    assert (
        "Frankfurt (Oder) is in Germany, not in Poland like the rest of Polish network. A "
        "neighbouring city may take part; otherwise choose the network of Germany."
    ) in response.text


def test_adding_a_city_of_the_networks_own_country_does_not_warn(admin_client):
    poland, _germany = countries()
    network = factories.NetworkFactory(country=poland)
    sztum = factories.CityFactory(name="Sztum", country=poland)

    response = admin_client.post(
        admin_url(Membership, "add"),
        {"network": network.pk, "city": sztum.pk, "role": Role.ENGAGED, "_save": "Save"},
        follow=True,
    )

    assert "not in Poland like the rest of" not in response.text


def network_form(network, **changes) -> dict:
    data = {
        "programme": network.programme_id,
        "country": network.country_id,
        "name_en": network.name,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    return {**data, **changes}


def test_a_city_of_another_country_added_on_the_network_page_warns(admin_client):
    poland, germany = countries()
    network = factories.NetworkFactory(country=poland, name="Polish network")
    factories.MembershipFactory(network=network, city__name="Sztum")  # saved before: no warning
    frankfurt = factories.CityFactory(name="Frankfurt (Oder)", country=germany)
    existing = network.memberships.get()
    rows = {
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": existing.pk,
        "memberships-0-network": network.pk,
        "memberships-0-city": existing.city_id,
        "memberships-0-role": existing.role,
        "memberships-1-network": network.pk,
        "memberships-1-city": frankfurt.pk,
        "memberships-1-role": Role.ENGAGED,
    }

    response = admin_client.post(
        admin_url(NationalNetwork, "change", network.pk),
        network_form(network, **rows),
        follow=True,
    )

    assert network.memberships.count() == 2
    assert response.text.count("like the rest of Polish network") == 1
    assert "Frankfurt (Oder) is in Germany, not in Poland" in response.text
