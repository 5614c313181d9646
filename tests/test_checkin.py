"""Check-in at the door with QR codes (issue 13, item 6): the rules, the pages, the codes."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from access.models import Role, RoleKind
from exchanges import checkin, registrations
from exchanges.checkin import CheckInRefused
from exchanges.models import MeetingStatus, Registration, RegistrationStatus
from exchanges.models import Role as CityRole
from reports import builders

from . import factories

pytestmark = pytest.mark.django_db


def soon(**fields):
    """A meeting starting in half an hour: check-in is open."""
    now = timezone.now().replace(microsecond=0)
    fields.setdefault("start", now + dt.timedelta(minutes=30))
    fields.setdefault("end", fields["start"] + dt.timedelta(hours=5))
    fields.setdefault("timezone", "Europe/Warsaw")
    return factories.MeetingFactory(**fields)


def seat(meeting, status=RegistrationStatus.CONFIRMED, **contact):
    membership = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED)
    person = factories.ContactFactory(city=membership.city, **contact)
    extra = {"waiting_number": 1} if status == RegistrationStatus.WAITING else {}
    return Registration.objects.create(
        meeting=meeting,
        contact=person,
        status=status,
        privacy_consent_at=timezone.now(),
        **extra,
    )


def coordinator_of(meeting, *, national=True, password=None):
    user = factories.UserFactory()
    if national:
        Role.objects.create(
            user=user,
            kind=RoleKind.NATIONAL_COORDINATOR,
            programme=meeting.programme,
            network=meeting.network,
        )
    else:
        Role.objects.create(
            user=user, kind=RoleKind.PROGRAMME_COORDINATOR, programme=meeting.programme
        )
    return user


def unchanged(registration) -> tuple:
    registration.refresh_from_db()
    return registration.status, registration.checked_in_at, registration.checked_in_by_id


@pytest.fixture
def meeting():
    return soon()


@pytest.fixture
def door(meeting):
    return coordinator_of(meeting)


# --- The rules ---------------------------------------------------------------------------------


def test_it_checks_a_seat_holder_in_by_code_as_attended(meeting, door):
    registration = seat(meeting)

    result = checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)

    assert result.already is False
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.checked_in_at == result.checked_in_at
    assert registration.checked_in_by == door


def test_a_second_check_in_changes_nothing_and_says_when(meeting, door):
    registration = seat(meeting)
    first = checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)
    before = unchanged(registration)
    other = coordinator_of(meeting)

    second = checkin.registration_check_in(meeting_id=meeting.pk, by=other, code=registration.code)

    assert second.already is True
    assert second.checked_in_at == first.checked_in_at
    assert unchanged(registration) == before


@pytest.mark.parametrize(
    "code",
    ["", "   ", "not-a-code-of-ours-at-all", "x" * 500, "'; DROP TABLE x; --", "\x00abcdefgh"],
)
def test_a_forged_code_is_refused(meeting, door, code):
    registration = seat(meeting)
    before = unchanged(registration)

    with pytest.raises(CheckInRefused, match="not a code of this portal"):
        checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=code)
    assert unchanged(registration) == before


def test_a_code_of_another_meeting_names_that_meeting(meeting, door):
    elsewhere = soon(network=meeting.network, title="Exchange in Gdynia")
    registration = seat(elsewhere)
    before = unchanged(registration)

    with pytest.raises(CheckInRefused, match="another meeting: Exchange in Gdynia"):
        checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)
    assert unchanged(registration) == before


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (RegistrationStatus.WAITING, "on the waiting list"),
        (RegistrationStatus.PENDING, "awaiting approval"),
        (RegistrationStatus.CANCELLED, "cancelled"),
        (RegistrationStatus.REJECTED, "not accepted"),
    ],
)
def test_a_registration_without_a_seat_is_refused_saying_which(meeting, door, status, said):
    registration = seat(meeting, status=status)
    before = unchanged(registration)

    with pytest.raises(CheckInRefused, match=f"holds no seat.*{said}"):
        checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)
    assert unchanged(registration) == before


def test_check_in_opens_an_hour_before_the_start_in_the_meetings_zone(door):
    start = dt.datetime(2030, 3, 5, 9, 0, tzinfo=dt.UTC)  # 10:00 in Warsaw
    meeting = soon(start=start)
    registration = seat(meeting)
    before = unchanged(registration)

    with pytest.raises(CheckInRefused, match="opens on 5 March 2030, 09:00") as refused:
        checkin.registration_check_in(
            meeting_id=meeting.pk,
            by=door,
            code=registration.code,
            now=start - dt.timedelta(hours=1, minutes=1),
        )
    assert refused.value.code == "window"
    assert unchanged(registration) == before
    result = checkin.registration_check_in(
        meeting_id=meeting.pk, by=door, code=registration.code, now=start - dt.timedelta(hours=1)
    )
    assert result.already is False


def test_check_in_closes_hours_after_the_end(meeting, door):
    registration = seat(meeting)
    late = meeting.end + checkin.CHECK_IN_CLOSES_AFTER + dt.timedelta(minutes=1)

    with pytest.raises(CheckInRefused, match="Check-in closed"):
        checkin.registration_check_in(
            meeting_id=meeting.pk, by=door, code=registration.code, now=late
        )
    assert unchanged(registration)[1] is None


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
def test_a_cancelled_or_postponed_meeting_checks_nobody_in(door, status):
    meeting = soon(status=status)
    registration = seat(meeting)

    with pytest.raises(CheckInRefused, match=str(status.label)):
        checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)
    assert unchanged(registration)[1] is None


def test_a_checked_in_person_gets_a_certificate_once_the_meeting_has_started(meeting, door):
    registration = seat(meeting)
    checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=registration.code)
    registration.refresh_from_db()
    document = type("Doc", (), {"registration": registration})()

    with pytest.raises(builders.NoCertificate):  # not yet started: 30 minutes to go
        builders._certificate(document)
    meeting.start = timezone.now() - dt.timedelta(minutes=5)
    meeting.save()
    registration.refresh_from_db()
    template, context, _name = builders._certificate(document)
    assert context["contact"] == registration.contact


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (DATABASE_URL)"
)
def test_two_phones_scanning_at_once_record_one_check_in():
    meeting = soon()
    registration = seat(meeting)
    phones = [coordinator_of(meeting) for _ in range(4)]
    barrier = threading.Barrier(len(phones))
    results, errors = [], []

    def scan(user):
        try:
            barrier.wait()
            results.append(
                checkin.registration_check_in(
                    meeting_id=meeting.pk, by=user, code=registration.code
                )
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(user,)) for user in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(result.already for result in results) == [False, True, True, True]
    registration.refresh_from_db()
    first = next(result for result in results if not result.already)
    assert registration.checked_in_at == first.checked_in_at
    assert {result.checked_in_at for result in results} == {first.checked_in_at}


# --- Walk-ins ----------------------------------------------------------------------------------


def test_a_new_walk_in_is_created_attended_and_checked_in_beyond_capacity(door):
    meeting = soon(capacity=1)
    seat(meeting)
    city = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED).city

    registration = checkin.walk_in_register(
        meeting_id=meeting.pk,
        by=door,
        first_name="Ola",
        last_name="Wiśniewska",
        email="ola@tczew.example",
        city=city,
        consent=True,
    )

    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.checked_in_by == door
    assert registration.registered_by == door
    assert registration.contact.city == city
    assert meeting.registrations.filter(status__in=["confirmed", "attended"]).count() == 2


def test_a_walk_in_of_an_existing_contact_turns_their_waiting_place_into_attendance(meeting, door):
    waiting = seat(meeting, status=RegistrationStatus.WAITING)

    registration = checkin.walk_in_register(
        meeting_id=meeting.pk, by=door, contact=waiting.contact, consent=True
    )

    assert registration.pk == waiting.pk
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.waiting_number is None
    assert registration.checked_in_at is not None


def test_a_walk_in_who_holds_a_seat_is_refused_check_them_in_instead(meeting, door):
    registration = seat(meeting)
    before = unchanged(registration)

    with pytest.raises(CheckInRefused, match="already holds a seat: check them in instead"):
        checkin.walk_in_register(
            meeting_id=meeting.pk, by=door, contact=registration.contact, consent=True
        )
    assert unchanged(registration) == before


def test_a_walk_in_from_a_city_outside_the_network_is_refused_and_nobody_is_created(meeting, door):
    stranger = factories.CityFactory(name="Malmö")

    with pytest.raises(CheckInRefused, match="Malmö does not take part"):
        checkin.walk_in_register(
            meeting_id=meeting.pk,
            by=door,
            first_name="Sven",
            last_name="Berg",
            email="sven@malmo.example",
            city=stranger,
            consent=True,
        )
    assert not meeting.registrations.exists()
    assert not factories.Contact.objects.filter(email="sven@malmo.example").exists()


def test_a_walk_in_needs_consent_and_the_window(door):
    meeting = soon(start=timezone.now() + dt.timedelta(days=3))
    contact = factories.ContactFactory()

    with pytest.raises(CheckInRefused, match="Check-in opens"):
        checkin.walk_in_register(meeting_id=meeting.pk, by=door, contact=contact, consent=True)
    open_meeting = soon()
    with pytest.raises(CheckInRefused, match="privacy notice"):
        checkin.walk_in_register(
            meeting_id=open_meeting.pk, by=door, contact=contact, consent=False
        )
    assert not Registration.objects.exists()


# --- The QR codes ----------------------------------------------------------------------------


def test_the_qr_image_is_there_for_a_seat_and_nowhere_else(client, meeting):
    registration = seat(meeting)
    waiting = seat(meeting, status=RegistrationStatus.WAITING)

    png = client.get(f"/check-in-codes/{registration.code}.png")
    svg = client.get(f"/check-in-codes/{registration.code}.svg")

    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert svg.status_code == 200
    assert b"<svg" in svg.content
    assert client.get("/check-in-codes/nonsense-code-123.png").status_code == 404
    assert client.get(f"/check-in-codes/{waiting.code}.png").status_code == 404


def test_my_meetings_shows_the_qr_code_of_an_upcoming_seat(client, meeting):
    registration = seat(meeting)
    user = factories.UserFactory(email=registration.contact.email)
    registration.contact.user = user
    registration.contact.save()
    waiting = seat(soon(network=meeting.network), status=RegistrationStatus.WAITING)
    waiting.contact = registration.contact
    waiting.save()
    client.force_login(user)

    page = client.get("/me/meetings/").text

    assert f'src="/check-in-codes/{registration.code}.svg"' in page
    assert registration.code in page
    assert 'alt="QR code to check in"' in page
    assert waiting.code not in page


def test_the_confirmation_email_carries_the_qr_image_and_the_code(
    settings, meeting, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://multiply.example"
    factories.SessionFactory(meeting=meeting)
    membership = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED)
    contact = factories.ContactFactory(city=membership.city)

    with django_capture_on_commit_callbacks(execute=True):
        registration = registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        )

    message = mail.outbox[-1]
    html = message.alternatives[0].content
    image = f"https://multiply.example/check-in-codes/{registration.code}.png"
    # The HTML is made from the text (notifications.rendering.html_from_text): the QR image
    # is a link to it, no longer an <img> of a template of its own.
    assert f'href="{image}"' in html
    assert registration.code in message.body
    assert image in message.body
    assert f"https://multiply.example/meetings/{meeting.pk}/#agenda" in message.body
    try:
        pdf = reverse("reports:agenda", kwargs={"pk": meeting.pk})
    except NoReverseMatch:  # the programme PDF is being built beside this work
        pdf = None
    if pdf:
        assert f"https://multiply.example{pdf}" in html


def test_a_waiting_list_email_has_no_qr_code(settings, django_capture_on_commit_callbacks):
    meeting = soon(capacity=0)
    membership = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED)
    contact = factories.ContactFactory(city=membership.city)

    with django_capture_on_commit_callbacks(execute=True):
        registration = registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        )

    assert registration.status == RegistrationStatus.WAITING
    assert registration.code not in mail.outbox[-1].body
    assert "#agenda" not in mail.outbox[-1].body


# --- The coordinator's pages -----------------------------------------------------------------


def page_url(meeting, tail=""):
    return f"/manage/meetings/{meeting.pk}/check-in/{tail}"


def test_the_check_in_page_reads_the_counts_and_the_people(client, meeting, door):
    first = seat(meeting, first_name="Marta")
    seat(meeting, first_name="Piotr")
    checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=first.code)
    client.force_login(door)

    response = client.get(page_url(meeting))

    assert response.status_code == 200
    assert "1 of 2 checked in" in response.text
    assert "Start camera" in response.text
    assert 'name="code"' in response.text
    assert "vendor/jsqr/jsQR.js" in response.text


def test_a_typed_code_checks_in_with_a_message_and_json_for_the_scanner(client, meeting, door):
    registration = seat(meeting, first_name="Marta", last_name="Lis")
    client.force_login(door)

    response = client.post(page_url(meeting, "scan/"), {"code": registration.code}, follow=True)
    assert "Marta Lis" in response.text
    assert "is checked in" in response.text

    again = client.post(
        page_url(meeting, "scan/"), {"code": registration.code}, HTTP_ACCEPT="application/json"
    )
    assert again.status_code == 200
    assert again.json()["state"] == "already"
    assert "already checked in at" in again.json()["message"]
    assert again.json()["count"] == "1 of 1 checked in"

    forged = client.post(
        page_url(meeting, "scan/"), {"code": "forged"}, HTTP_ACCEPT="application/json"
    )
    assert forged.status_code == 400
    assert forged.json() == {
        "state": "refused",
        "message": "This is not a code of this portal.",
        "count": "1 of 1 checked in",
    }


@pytest.mark.parametrize("data", [{}, {"code": ""}, {"code": "x" * 1000}, {"code": ["a", "b"]}])
def test_bad_input_to_the_scan_is_a_message_never_a_500(client, meeting, door, data):
    client.force_login(door)

    response = client.post(page_url(meeting, "scan/"), data, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json()["state"] == "refused"


def test_a_nul_byte_in_the_scan_is_refused_before_the_view(client, meeting, door):
    client.force_login(door)  # multiply.hardening: no view meets a NUL byte

    response = client.post(page_url(meeting, "scan/"), {"code": "\x00"})

    assert response.status_code == 400
    assert not meeting.registrations.filter(checked_in_at__isnull=False).exists()


def test_the_search_checks_a_person_in_by_the_button(client, meeting, door):
    registration = seat(meeting, first_name="Zofia", last_name="Krawczyk")
    seat(meeting, first_name="Adam", last_name="Nowicki")
    client.force_login(door)

    listed = client.get(page_url(meeting), {"q": "zofia"}).text
    assert "Zofia Krawczyk" in listed
    assert "Adam Nowicki" not in listed

    response = client.post(page_url(meeting, f"{registration.pk}/"), {"q": "zofia"}, follow=False)
    assert response.status_code == 302
    assert response["Location"].endswith("?q=zofia")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED


def test_another_meetings_registration_id_is_refused(client, meeting, door):
    other = seat(soon(network=meeting.network))
    client.force_login(door)

    response = client.post(page_url(meeting, f"{other.pk}/"), follow=True)
    huge = client.post(page_url(meeting, "99999999999999999999/"), follow=True)

    assert "not registered for this meeting" in response.text
    assert unchanged(other)[1] is None
    assert huge.status_code == 200


def test_the_walk_in_page_registers_a_new_person(client, meeting, door):
    city = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED).city
    client.force_login(door)

    assert client.get(page_url(meeting, "walk-in/")).status_code == 200
    response = client.post(
        page_url(meeting, "walk-in/"),
        {
            "first_name": "Ola",
            "last_name": "Nowak",
            "email": "ola@kartuzy.example",
            "city": city.pk,
            "consent": "on",
        },
        follow=True,
    )

    assert "Ola Nowak" in response.text
    assert "is registered and checked in" in response.text
    assert meeting.registrations.get().status == RegistrationStatus.ATTENDED


def test_the_walk_in_page_finds_and_checks_in_an_existing_contact(client, meeting, door):
    city = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED).city
    contact = factories.ContactFactory(city=city, first_name="Ewa", last_name="Zielińska")
    client.force_login(door)

    found = client.get(page_url(meeting, "walk-in/"), {"q": "Zielińska"}).text
    assert "Ewa Zielińska" in found
    refused = client.post(page_url(meeting, "walk-in/"), {"contact": contact.pk}, follow=True)
    assert "privacy notice" in refused.text
    assert not meeting.registrations.exists()

    client.post(page_url(meeting, "walk-in/"), {"contact": contact.pk, "consent": "on"})
    assert meeting.registrations.get(contact=contact).checked_in_at is not None


def test_the_walk_in_page_refuses_bad_input_without_a_500(client, meeting, door):
    client.force_login(door)

    for data in [{"contact": "abc"}, {"contact": "9" * 30}, {"email": "x"}, {}]:
        response = client.post(page_url(meeting, "walk-in/"), data)
        assert response.status_code in (302, 400)
    assert not meeting.registrations.exists()


def test_a_swedish_coordinator_gets_404_for_a_polish_meetings_check_in(client, meeting):
    swedish = factories.NetworkFactory(programme=meeting.programme, country__code="SE")
    user = factories.UserFactory()
    Role.objects.create(
        user=user, kind=RoleKind.NATIONAL_COORDINATOR, programme=meeting.programme, network=swedish
    )
    registration = seat(meeting)
    client.force_login(user)

    assert client.get(page_url(meeting)).status_code == 404
    assert client.post(page_url(meeting, "scan/"), {"code": registration.code}).status_code == 404
    assert client.post(page_url(meeting, f"{registration.pk}/")).status_code == 404
    assert client.get(page_url(meeting, "walk-in/")).status_code == 404
    assert unchanged(registration)[1] is None


def test_city_staff_get_403_and_strangers_the_sign_in(client, meeting):
    registration = seat(meeting)
    staff = factories.UserFactory(email=registration.contact.email)
    registration.contact.user = staff
    registration.contact.save()

    assert client.get(page_url(meeting)).status_code == 302
    client.force_login(staff)
    assert client.get(page_url(meeting)).status_code == 403
    assert client.post(page_url(meeting, "scan/"), {"code": registration.code}).status_code == 403
    assert client.get(page_url(meeting, "walk-in/")).status_code == 403
    assert unchanged(registration)[1] is None


def test_posts_need_the_csrf_token(meeting, door):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    registration = seat(meeting)
    client.force_login(door)

    assert client.post(page_url(meeting, "scan/"), {"code": registration.code}).status_code == 403
    assert unchanged(registration)[1] is None


def test_the_cockpit_links_to_the_check_in_of_upcoming_meetings(client, meeting):
    user = coordinator_of(meeting, national=False)
    client.force_login(user)

    page = client.get(f"/manage/{meeting.programme.slug}/").text

    assert f'href="/manage/meetings/{meeting.pk}/check-in/"' in page


@pytest.mark.parametrize("people", [1, 3])
def test_the_check_in_page_costs_the_same_queries_for_1_and_3_people(
    client, meeting, door, people, django_assert_num_queries
):
    for _ in range(people):
        checkin.registration_check_in(meeting_id=meeting.pk, by=door, code=seat(meeting).code)
    client.force_login(door)
    client.get("/")  # the session is warm
    # session, user, roles, meeting, counts, page count, page rows, latest
    with django_assert_num_queries(8):
        response = client.get(page_url(meeting))
    assert response.text.count("Checked in at") == people


@pytest.mark.parametrize("people", [1, 3])
def test_the_search_costs_the_same_queries_for_1_and_3_matches(
    client, meeting, door, people, django_assert_num_queries
):
    for _ in range(people):
        seat(meeting, first_name="Halina")
    seat(meeting, first_name="Bogdan")
    client.force_login(door)
    client.get("/")
    with django_assert_num_queries(8):
        response = client.get(page_url(meeting), {"q": "halina"})
    assert response.text.count("Check in Halina") == people
