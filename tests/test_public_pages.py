"""Every public page: status, what a visitor reads, filters, empty states, constant queries."""

import datetime as dt

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import MeetingFormat, MeetingKind, MeetingStatus, Role
from meetings.models import Attendance

from . import factories

pytestmark = pytest.mark.django_db


def parse_strict(content: bytes):
    """Parse as HTML5 and fail on any parse error, so broken markup cannot slip through."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(content)


def assert_one_h1(response):
    document = parse_strict(response.content)
    assert len(document.findall(".//h1")) == 1
    return document


def test_it_lists_the_published_programmes_on_the_home_page(client):
    factories.ProgrammeFactory(name="MULTIPLY")
    factories.ProgrammeFactory(name="Hidden draft", is_published=False)

    response = client.get("/")

    assert response.status_code == 200
    assert "MULTIPLY" in response.text
    assert "Hidden draft" not in response.text
    assert_one_h1(response)


def test_it_says_so_when_no_programme_is_published(client):
    response = client.get("/")
    assert "No programme has been published yet." in response.text


def test_the_programme_page_groups_network_cities_by_role_in_the_programmes_words(client):
    programme = factories.ProgrammeFactory(
        slug="multiply", pioneer_label="forerunner city", engaged_label="committed city"
    )
    network = factories.NetworkFactory(programme=programme)
    factories.MembershipFactory(network=network, city__name="Bydgoszcz", role=Role.PIONEER)
    factories.MembershipFactory(network=network, city__name="Ostrołęka", role=Role.ENGAGED)

    response = client.get("/programmes/multiply/")

    assert response.status_code == 200
    text = response.text
    assert "Forerunner city" in text and "Committed city" in text
    assert text.index("Forerunner city") < text.index("Bydgoszcz") < text.index("Committed city")
    assert text.index("Committed city") < text.index("Ostrołęka")
    assert_one_h1(response)


def test_the_programme_page_shows_themes_topics_target_groups_and_the_conference(client):
    programme = factories.ProgrammeFactory(slug="multiply")
    theme = factories.ThemeFactory(programme=programme, name="Political leadership")
    factories.TopicFactory(theme=theme, name="finding funding")
    theme.target_groups.add(factories.TargetGroupFactory(name="decision makers"))
    factories.MeetingFactory(
        network=None,
        programme=programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
        title="The Big European Exchange Conference",
        status=MeetingStatus.MOVED_ONLINE,
        format=MeetingFormat.ONLINE,
    )

    response = client.get("/programmes/multiply/")

    for text in ("Political leadership", "finding funding", "decision makers"):
        assert text in response.text
    assert "The Big European Exchange Conference" in response.text
    assert "Moved online" in response.text
    assert "Peer-learning plan" in response.text


def test_an_unknown_or_unpublished_programme_is_not_found(client):
    factories.ProgrammeFactory(slug="draft", is_published=False)
    assert client.get("/programmes/nope/").status_code == 404
    assert client.get("/programmes/draft/").status_code == 404


def test_the_calendar_lists_upcoming_meetings_first_then_past_ones_latest_first(client):
    now = timezone.now()
    past_old = factories.MeetingFactory(title="Past old", start=now - dt.timedelta(days=400))
    past_recent = factories.MeetingFactory(title="Past recent", start=now - dt.timedelta(days=10))
    soon = factories.MeetingFactory(title="Soon", start=now + dt.timedelta(days=3))
    later = factories.MeetingFactory(title="Later", start=now + dt.timedelta(days=90))

    response = client.get("/meetings/")

    assert response.status_code == 200
    order = [m.pk for m in response.context["page"].object_list]
    assert order == [soon.pk, later.pk, past_recent.pk, past_old.pk]
    assert_one_h1(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=warsaw", {"Warsaw kick-off"}),
        ("kind=webinar", {"Webinar on funding"}),
        ("format=online", {"Webinar on funding"}),
        ("status=cancelled", {"Cancelled one"}),
        ("country=SE", {"Swedish exchange"}),
        ("programme=other", {"Swedish exchange"}),
        ("when=past", {"Cancelled one"}),
        ("target_group=decision-makers", {"Warsaw kick-off"}),
    ],
)
def test_the_calendar_filters(client, query, expected):
    now = timezone.now()
    group = factories.TargetGroupFactory(slug="decision-makers")
    theme = factories.ThemeFactory()
    theme.target_groups.add(group)
    poland = factories.NetworkFactory(programme=theme.programme)
    factories.MeetingFactory(network=poland, title="Warsaw kick-off", venue="Warsaw", theme=theme)
    factories.MeetingFactory(
        network=poland,
        title="Webinar on funding",
        kind=MeetingKind.WEBINAR,
        format=MeetingFormat.ONLINE,
    )
    factories.MeetingFactory(
        network=poland,
        title="Cancelled one",
        status=MeetingStatus.CANCELLED,
        start=now - dt.timedelta(days=20),
    )
    sweden = factories.NetworkFactory(
        programme__slug="other", country=factories.CountryFactory(code="SE")
    )
    factories.MeetingFactory(network=sweden, title="Swedish exchange")

    response = client.get(f"/meetings/?{query}")

    assert response.status_code == 200
    assert {m.title for m in response.context["page"].object_list} == expected


def test_the_calendar_filters_by_date_range(client):
    start = timezone.make_aware(dt.datetime(2030, 5, 10, 10))
    factories.MeetingFactory(title="In May", start=start)
    factories.MeetingFactory(title="In July", start=start + dt.timedelta(days=60))

    response = client.get("/meetings/?date_from=2030-05-01&date_to=2030-05-31")

    assert [m.title for m in response.context["page"].object_list] == ["In May"]


def test_a_bad_filter_value_gives_a_message_not_an_error(client):
    factories.MeetingFactory()

    response = client.get("/meetings/?date_from=not-a-date&kind=nonsense&page=abc")

    assert response.status_code == 200
    assert "Some filters could not be applied" in response.text
    assert response.context["page"].count == 0


def test_the_calendar_has_an_empty_state_and_a_way_back(client):
    assert "No meetings have been announced yet." in client.get("/meetings/").text
    factories.MeetingFactory(title="Something")
    response = client.get("/meetings/?q=nothing-matches")
    assert "No meeting matches these filters." in response.text
    assert 'href="/meetings/"' in response.text


def test_the_calendar_paginates_and_keeps_the_filters(client, settings):
    settings.PAGINATE_BY = 2
    for _ in range(5):
        factories.MeetingFactory(kind=MeetingKind.WORKSHOP)

    first = client.get("/meetings/?kind=workshop")
    after = first.context["page"].next_cursor
    assert f"?kind=workshop&amp;after={after}" in first.text
    response = client.get(f"/meetings/?kind=workshop&after={after}")

    assert len(response.context["page"].object_list) == 2
    assert "5 meetings" in response.text
    assert 'rel="prev"' in response.text and 'rel="next"' in response.text


def test_the_meeting_page_shows_local_time_host_theme_and_materials(client):
    membership = factories.MembershipFactory(city__name="Piastów", role=Role.SPECIAL_AWARD)
    theme = factories.ThemeFactory(programme=membership.network.programme, name="Open")
    topic = factories.TopicFactory(theme=theme, name="integrated energy plans")
    meeting = factories.MeetingFactory(
        network=membership.network,
        host_city=membership.city,
        theme=theme,
        timezone="Europe/Warsaw",
        start=dt.datetime(2030, 2, 26, 9, 0, tzinfo=dt.UTC),  # 10:00 in Warsaw
        online_url="https://meet.example/secret-room",
    )
    meeting.topics.add(topic)
    factories.MaterialFactory(meeting=meeting, title="Slides of the day")

    response = client.get(f"/meetings/{meeting.pk}/")

    assert response.status_code == 200
    text = response.text
    assert "10:00" in text and "Europe/Warsaw" in text
    assert "Piastów" in text and "Open" in text and "integrated energy plans" in text
    assert "Slides of the day" in text
    assert "secret-room" not in text
    assert_one_h1(response)


@pytest.mark.parametrize(
    ("status", "notice"),
    [
        (MeetingStatus.CANCELLED, "This meeting has been cancelled."),
        (MeetingStatus.MOVED_ONLINE, "This meeting has been moved online."),
        (MeetingStatus.POSTPONED, "This meeting has been postponed."),
    ],
)
def test_a_disrupted_meeting_says_so_prominently(client, status, notice):
    meeting = factories.MeetingFactory(status=status, status_note="Because of COVID-19.")
    response = client.get(f"/meetings/{meeting.pk}/")
    assert notice in response.text
    assert "Because of COVID-19." in response.text


def test_a_meeting_of_an_unpublished_programme_is_not_found(client):
    meeting = factories.MeetingFactory(network__programme__is_published=False)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/meetings/999999/").status_code == 404


def test_a_linked_material_redirects_and_a_foreign_one_is_not_found(client):
    material = factories.MaterialFactory(url="https://example.org/slides.pdf")
    other = factories.MaterialFactory()

    response = client.get(f"/meetings/{material.meeting_id}/materials/{material.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/slides.pdf"
    assert client.get(f"/meetings/{material.meeting_id}/materials/{other.pk}/").status_code == 404


def test_an_uploaded_material_is_served_as_a_download(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    material = factories.MaterialFactory(url="", file=ContentFile(b"%PDF-1.4 slides", "slides.pdf"))

    response = client.get(f"/meetings/{material.meeting_id}/materials/{material.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    assert "attachment" in response["Content-Disposition"]


def test_the_consortium_page_lists_meetings_in_order_with_places_and_absences(client):
    programme = factories.ProgrammeFactory(slug="multiply")
    factories.ConsortiumMeetingFactory(
        programme=programme, number=1, start_date=dt.date(2019, 1, 24), held_place="Radolfzell"
    )
    graz = factories.ConsortiumMeetingFactory(
        programme=programme,
        number=3,
        start_date=dt.date(2020, 3, 13),
        planned_place="Graz",
        held_place="",
        held_online=True,
    )
    helsingborg = factories.ConsortiumMeetingFactory(
        programme=programme,
        number=7,
        start_date=dt.date(2022, 5, 31),
        held_place="Helsingborg",
        linked_event="Urban Future",
    )
    factories.AttendanceFactory(
        meeting=helsingborg, partner__name="Legambiente", status=Attendance.Status.ABSENT
    )
    factories.AttendanceFactory(meeting=helsingborg, partner__name="Deutsche Umwelthilfe")
    assert graz.is_relocated

    response = client.get("/programmes/multiply/consortium/")

    assert response.status_code == 200
    text = response.text
    assert text.index("Radolfzell") < text.index("Graz") < text.index("Helsingborg")
    assert "Urban Future" in text and "Legambiente" in text
    assert "Deutsche Umwelthilfe" not in text  # present partners are not listed as absent
    assert_one_h1(response)


def test_the_consortium_page_has_an_empty_state(client):
    factories.ProgrammeFactory(slug="multiply")
    response = client.get("/programmes/multiply/consortium/")
    assert "No consortium meetings have been recorded yet." in response.text


def test_the_language_switcher_works_without_javascript(client):
    factories.ProgrammeFactory(slug="multiply")
    response = client.post(
        reverse("set_language"), {"language": "pl", "next": "/programmes/multiply/"}
    )
    assert response.status_code == 302
    response = client.get("/programmes/multiply/")
    assert response.text.startswith("<!DOCTYPE html>")
    assert '<html lang="pl">' in response.text


def test_content_falls_back_to_english_where_no_translation_exists(client):
    programme = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    factories.ThemeFactory(programme=programme, name_en="Open", name_sv="Öppet")

    swedish = client.get("/programmes/multiply/", HTTP_ACCEPT_LANGUAGE="sv")
    polish = client.get("/programmes/multiply/", HTTP_ACCEPT_LANGUAGE="pl")

    assert "Öppet" in swedish.text
    assert ">Open<" in polish.text


# Constant queries: every list page costs the same with 1 and with 30 items.


def _calendar_meetings(count):
    theme = factories.ThemeFactory()
    theme.target_groups.add(factories.TargetGroupFactory())
    membership = factories.MembershipFactory(network__programme=theme.programme)
    for _ in range(count):
        factories.MeetingFactory(network=membership.network, host_city=membership.city, theme=theme)


def _programmes(count):
    for _ in range(count):
        factories.MeetingFactory()


def _programme_page(count):
    programme = factories.ProgrammeFactory(slug="multiply")
    for index in range(count):
        code = chr(65 + index // 26) + chr(65 + index % 26)
        network = factories.NetworkFactory(
            programme=programme, country=factories.CountryFactory(code=code)
        )
        factories.MembershipFactory(network=network, role=Role.PIONEER)
        theme = factories.ThemeFactory(programme=programme)
        factories.TopicFactory(theme=theme)
        theme.target_groups.add(factories.TargetGroupFactory())


def _consortium(count):
    programme = factories.ProgrammeFactory(slug="multiply")
    for number in range(1, count + 1):
        meeting = factories.ConsortiumMeetingFactory(programme=programme, number=number)
        factories.AttendanceFactory(meeting=meeting, status=Attendance.Status.ABSENT)


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("url", "build", "queries"),
    [
        # The calendar's version, two keyset queries, the rows and their programmes, two
        # bounded counts, four filter choices (exchanges.calendar_pages).
        ("/meetings/", _calendar_meetings, 11),
        ("/", _programmes, 1),
        ("/programmes/multiply/", _programme_page, 12),
        ("/programmes/multiply/consortium/", _consortium, 3),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, url, build, queries, count
):
    build(count)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_calendar_serves_repeat_visits_from_the_cache_until_a_meeting_changes(
    client, django_assert_num_queries
):
    meeting = factories.MeetingFactory(title="First title")
    client.get("/meetings/")

    with django_assert_num_queries(1):  # the cache's data version (exchanges.versions)
        assert "First title" in client.get("/meetings/").text

    meeting.title = "Second title"
    meeting.save()
    assert "Second title" in client.get("/meetings/").text


def test_the_cache_keeps_languages_and_filters_apart(client):
    factories.MeetingFactory(title="Webinar", kind=MeetingKind.WEBINAR)
    factories.MeetingFactory(title="Workshop", kind=MeetingKind.WORKSHOP)

    assert "Workshop" not in client.get("/meetings/?kind=webinar").text
    assert "Webinar" not in client.get("/meetings/?kind=workshop").text
    english = client.get("/meetings/?kind=webinar", HTTP_ACCEPT_LANGUAGE="en")
    swedish = client.get("/meetings/?kind=webinar", HTTP_ACCEPT_LANGUAGE="sv")
    assert english.text.count('<html lang="en">') == 1
    assert swedish.text.count('<html lang="sv">') == 1
    assert "page" not in english.context  # served from the cache
    assert "page" in swedish.context  # another language: rendered afresh


def test_a_meeting_reads_in_its_own_time_zone_whatever_the_servers(client, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    meeting = factories.MeetingFactory(
        timezone="Europe/Helsinki",
        start=dt.datetime(2030, 2, 3, 8, 0, tzinfo=dt.UTC),  # 10:00 in Helsinki, 09:00 in Brussels
    )
    factories.MaterialFactory(meeting=meeting)
    text = client.get(f"/meetings/{meeting.pk}/").text
    assert "3 February 2030, 10:00" in text and ", 09:00" not in text
    assert "3 February 2030" in client.get("/meetings/").text
