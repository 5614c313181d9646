"""The coordinators' registration tools in the admin: inline, CSV, sequence on change."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ExchangeMeeting, Registration, RegistrationStatus, Role

from . import factories

pytestmark = pytest.mark.django_db


def registered(meeting, status=RegistrationStatus.CONFIRMED, **contact):
    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    contact = factories.ContactFactory(city=membership.city, **contact)
    return Registration.objects.create(
        meeting=meeting,
        contact=contact,
        status=status,
        waiting_number=1 if status == RegistrationStatus.WAITING else None,
        privacy_consent_at=timezone.now(),
    )


def test_the_meeting_page_lists_its_registrations(admin_client):
    meeting = factories.MeetingFactory()
    registered(meeting, first_name="Eliza", last_name="Bujalska")
    url = reverse("admin:exchanges_exchangemeeting_change", args=[meeting.pk])
    assert "Eliza Bujalska" in admin_client.get(url).text


def test_the_participants_export_gives_name_city_country_groups_and_status(admin_client):
    meeting = factories.MeetingFactory(title="National exchange 1")
    group = factories.TargetGroupFactory(name="Decision makers")
    confirmed = registered(meeting, first_name="Łucja", last_name="Żak")
    confirmed.contact.target_groups.add(group)
    registered(meeting, status=RegistrationStatus.WAITING, first_name="Åsa", last_name="Öberg")
    registered(meeting, status=RegistrationStatus.CANCELLED, first_name="Gone", last_name="Away")

    response = admin_client.post(
        reverse("admin:exchanges_exchangemeeting_changelist"),
        {"action": "export_participants", "_selected_action": [meeting.pk]},
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["meeting", "name", "city", "country", "target groups", "status"]
    body = {row[1]: row for row in rows[1:]}
    assert set(body) == {"Łucja Żak", "Åsa Öberg"}
    city = confirmed.contact.city
    assert body["Łucja Żak"][2:] == [city.name, city.country.name, "Decision makers", "confirmed"]
    assert body["Åsa Öberg"][5] == "on the waiting list"


def test_changing_a_meetings_time_in_the_admin_raises_its_calendar_sequence(admin_client):
    meeting = factories.MeetingFactory(venue="Old hall")
    url = reverse("admin:exchanges_exchangemeeting_change", args=[meeting.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "title_en": meeting.title,
            "programme": meeting.programme_id,
            "network": meeting.network_id,
            "start_0": meeting.local_start.strftime("%Y-%m-%d"),
            "start_1": meeting.local_start.strftime("%H:%M:%S"),
            "end_0": meeting.local_end.strftime("%Y-%m-%d"),
            "end_1": meeting.local_end.strftime("%H:%M:%S"),
            "venue": "New hall",
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
            "registrations-TOTAL_FORMS": 0,
            "registrations-INITIAL_FORMS": 0,
            "wordings-TOTAL_FORMS": 0,
            "wordings-INITIAL_FORMS": 0,
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        }
    )
    data = {key: value for key, value in data.items() if key not in ("start", "end")}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = ExchangeMeeting.objects.get(pk=meeting.pk)
    assert meeting.venue == "New hall"
    assert meeting.sequence == 1
