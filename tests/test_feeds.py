"""A programme's feeds (issue 16, item 3): the iCalendar feed a calendar app subscribes to, and the
Atom feeds of its new meetings and open calls. Public data only, in the language asked for."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from icalendar import Calendar

from exchanges.models import ExchangeMeeting, MeetingFormat, MeetingKind, MeetingStatus

from . import factories
from .factories_calls import CallFactory

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def programme():
    """A programme with networks in Poland and Sweden, a meeting in each, a past one and a
    cancelled one in Poland, and its conference, which belongs to no network."""
    programme = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    factories.MeetingFactory(network=poland, title="Exchange in Toruń")
    factories.MeetingFactory(network=sweden, title="Exchange in Växjö")
    factories.MeetingFactory(
        network=poland, title="Exchange in Gdynia", start=timezone.now() - dt.timedelta(days=90)
    )
    factories.MeetingFactory(
        network=poland, title="Exchange in Lublin", status=MeetingStatus.CANCELLED
    )
    factories.MeetingFactory(
        network=None,
        programme=programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
        title="Conference in Brussels",
    )
    return programme


def subscribe(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def feed(client, url, **query) -> ET.Element:
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_titles(root: ET.Element) -> list[str]:
    return [
        entry.findtext("atom:title", namespaces=ATOM) for entry in root.iterfind("atom:entry", ATOM)
    ]


# --- The iCalendar feed ------------------------------------------------------------------------


def test_a_calendar_app_finds_every_meeting_of_the_programme_exactly_once(client, programme):
    other = factories.MeetingFactory(title="Another programme's exchange")
    hidden = factories.MeetingFactory(
        network__programme__is_published=False, title="An unpublished programme's exchange"
    )

    events = subscribe(client, "/programmes/multiply/calendar.ics")

    uids = [str(event["uid"]) for event in events]
    expected = {f"meeting-{pk}@multiply" for pk in programme.meetings.values_list("pk", flat=True)}
    assert len(uids) == len(expected) == 5
    assert set(uids) == expected
    assert f"meeting-{other.pk}@multiply" not in uids
    assert f"meeting-{hidden.pk}@multiply" not in uids


def test_a_meeting_keeps_its_uid_and_sequence_in_every_calendar(client, programme):
    meeting = programme.meetings.get(title="Exchange in Toruń")
    ExchangeMeeting.objects.filter(pk=meeting.pk).update(sequence=4)

    in_feed = {str(e["uid"]): e for e in subscribe(client, "/programmes/multiply/calendar.ics")}
    [single] = subscribe(client, f"/meetings/{meeting.pk}.ics")

    assert in_feed[str(single["uid"])]["sequence"] == single["sequence"] == 4
    assert str(in_feed[str(single["uid"])]["summary"]) == "Exchange in Toruń"


def test_a_cancelled_meeting_stays_in_the_calendar_marked_cancelled(client, programme):
    events = subscribe(client, "/programmes/multiply/calendar.ics")
    status = {str(event["summary"]): str(event["status"]) for event in events}
    assert status["Exchange in Lublin"] == "CANCELLED"
    assert status["Exchange in Toruń"] == "CONFIRMED"


def test_one_networks_calendar_holds_only_that_networks_meetings(client, programme):
    swedish = subscribe(client, "/programmes/multiply/calendar.ics", network="SE")
    polish = subscribe(client, "/programmes/multiply/calendar.ics", network="pl")

    assert [str(event["summary"]) for event in swedish] == ["Exchange in Växjö"]
    assert {str(event["summary"]) for event in polish} == {
        "Exchange in Toruń",
        "Exchange in Gdynia",
        "Exchange in Lublin",
    }


def test_the_calendar_never_carries_an_online_link(client):
    factories.MeetingFactory(
        network__programme__slug="multiply",
        format=MeetingFormat.ONLINE,
        online_url="https://meet.example/secret-room",
    )
    response = client.get("/programmes/multiply/calendar.ics")
    assert b"secret-room" not in response.content
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert "Online" in str(event["location"])


def test_the_calendar_is_in_the_language_asked_for_with_english_where_untranslated(client):
    network = factories.NetworkFactory(programme__slug="multiply")
    factories.MeetingFactory(network=network, title_en="Exchange", title_pl="Spotkanie")
    factories.MeetingFactory(network=network, title_en="Webinar")

    events = subscribe(client, "/programmes/multiply/calendar.ics", lang="pl")

    assert {str(event["summary"]) for event in events} == {"Spotkanie", "Webinar"}


def test_calendar_apps_may_keep_the_feed_for_a_few_minutes(client, programme):
    response = client.get("/programmes/multiply/calendar.ics")
    assert response["Cache-Control"] == "public, max-age=600"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"network": "DE"}, "no national network “DE”"),
        ({"lang": "xx"}, "Unknown language “xx”"),
        ({"netwrok": "PL"}, "Unknown parameter: netwrok"),
        ({"network": ["PL", "SE"]}, "Give network only once"),
    ],
)
def test_a_bad_parameter_is_refused_with_the_reason(client, programme, query, reason):
    response = client.get("/programmes/multiply/calendar.ics", query)
    assert response.status_code == 400
    assert reason in response.text


def test_an_unpublished_programme_has_no_feeds(client):
    factories.ProgrammeFactory(slug="draft", is_published=False)
    for name in ("calendar.ics", "meetings.atom", "calls.atom"):
        assert client.get(f"/programmes/draft/{name}").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_calendar_takes_two_queries_however_many_meetings(
    client, django_assert_num_queries, count
):
    network = factories.NetworkFactory(programme__slug="multiply")
    factories.MeetingFactory.create_batch(count, network=network)
    with django_assert_num_queries(2):  # the programme, its meetings with their host cities
        events = subscribe(client, "/programmes/multiply/calendar.ics")
    assert len(events) == count
    with django_assert_num_queries(3):  # and the network
        subscribe(client, "/programmes/multiply/calendar.ics", network="PL")


# --- The Atom feeds --------------------------------------------------------------------------


def test_the_new_meetings_feed_lists_the_programmes_meetings_newest_first(client, programme):
    factories.MeetingFactory(title="Another programme's exchange")
    for days, title in enumerate(["Exchange in Växjö", "Exchange in Toruń"]):
        programme.meetings.filter(title=title).update(
            created_at=timezone.now() + dt.timedelta(days=days + 1)
        )

    root = feed(client, "/programmes/multiply/meetings.atom")

    titles = entry_titles(root)
    assert titles[:2] == ["Exchange in Toruń", "Exchange in Växjö"]
    assert len(titles) == 5
    assert root.findtext("atom:title", namespaces=ATOM) == "MULTIPLY: new meetings"
    torun = programme.meetings.get(title="Exchange in Toruń")
    first = root.find("atom:entry", ATOM)
    link = first.find("atom:link", ATOM).get("href")
    assert link == f"http://testserver/meetings/{torun.pk}/"


def test_the_new_meetings_feed_is_in_the_language_asked_for(client):
    network = factories.NetworkFactory(programme__slug="multiply")
    factories.MeetingFactory(network=network, title_en="Exchange", title_pl="Spotkanie")

    root = feed(client, "/programmes/multiply/meetings.atom", lang="pl")

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "pl"
    assert entry_titles(root) == ["Spotkanie"]


def test_the_calls_feed_lists_only_the_programmes_open_calls(client, programme):
    now = timezone.now()
    CallFactory(programme=programme, title="Second pilot")
    CallFactory(
        programme=programme,
        title="Third pilot",
        opens_at=now + dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
    )
    CallFactory(
        programme=programme,
        title="First pilot",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
    )
    CallFactory(programme=programme, title="Draft call", is_published=False)
    CallFactory(title="Another programme's call")

    root = feed(client, "/programmes/multiply/calls.atom")

    assert entry_titles(root) == ["Second pilot"]
    assert root.findtext("atom:title", namespaces=ATOM) == "MULTIPLY: open calls"


def test_the_two_feeds_of_a_programme_have_their_own_ids(client, programme):
    meetings = feed(client, "/programmes/multiply/meetings.atom")
    calls = feed(client, "/programmes/multiply/calls.atom")
    assert meetings.findtext("atom:id", namespaces=ATOM).endswith("/multiply/meetings.atom")
    assert calls.findtext("atom:id", namespaces=ATOM).endswith("/multiply/calls.atom")


def test_a_bad_parameter_to_a_feed_is_refused_with_the_reason(client, programme):
    response = client.get("/programmes/multiply/meetings.atom", {"lang": "xx"})
    assert response.status_code == 400
    assert "Unknown language “xx”" in response.text
    assert client.get("/programmes/multiply/calls.atom", {"page": "2"}).status_code == 400


@pytest.mark.parametrize("count", [1, 3])
def test_each_atom_feed_takes_two_queries_however_many_entries(
    client, django_assert_num_queries, count
):
    network = factories.NetworkFactory(programme__slug="multiply")
    factories.MeetingFactory.create_batch(count, network=network)
    CallFactory.create_batch(count, programme=network.programme)

    with django_assert_num_queries(2):
        meetings = feed(client, "/programmes/multiply/meetings.atom")
    with django_assert_num_queries(2):
        calls = feed(client, "/programmes/multiply/calls.atom")

    assert len(entry_titles(meetings)) == len(entry_titles(calls)) == count


# --- The programme page points to them -------------------------------------------------------


def test_the_programme_page_announces_its_feeds_to_browsers_and_readers(client, programme):
    page = client.get("/programmes/multiply/").text

    alternates = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', page)
    assert alternates == [
        ("application/atom+xml", "/programmes/multiply/meetings.atom"),
        ("application/atom+xml", "/programmes/multiply/calls.atom"),
        ("text/calendar", "/programmes/multiply/calendar.ics"),
    ]
    assert 'href="/programmes/multiply/calendar.ics?network=SE"' in page
