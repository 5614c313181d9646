"""The calendar's pages (exchanges.calendar_pages): its order across pages in both directions,
constant queries however deep the page, a capped count, and a cache that no write can
leave stale."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from exchanges import calendar_pages
from exchanges.models import ExchangeMeeting, MeetingKind

from . import factories

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'href="\?([^"]*)" rel="next"')
PREVIOUS = re.compile(r'href="\?([^"]*)" rel="prev"')


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["page"].object_list]


def link(pattern, response) -> str | None:
    found = pattern.search(response.text)
    return found and found.group(1).replace("&amp;", "&")


@pytest.fixture
def calendar(settings):
    """Seven meetings: one running now, three to come (two starting at the same moment) and
    three past, in the order a visitor must read them."""
    settings.PAGINATE_BY = 2
    now = timezone.now()
    network = factories.NetworkFactory()

    def meeting(title, start, hours=3):
        return factories.MeetingFactory(
            network=network,
            kind=MeetingKind.WORKSHOP,
            title=title,
            start=start,
            end=start + dt.timedelta(hours=hours),
        )

    meeting("Running since yesterday", now - dt.timedelta(days=1), hours=48)
    meeting("Next week A", now + dt.timedelta(days=7))
    meeting("Next week B", now + dt.timedelta(days=7))
    meeting("Next month", now + dt.timedelta(days=30))
    meeting("Last week", now - dt.timedelta(days=7))
    meeting("Last month", now - dt.timedelta(days=30))
    meeting("Last year", now - dt.timedelta(days=365))
    return [
        "Running since yesterday",
        "Next week A",
        "Next week B",
        "Next month",
        "Last week",
        "Last month",
        "Last year",
    ]


def test_next_links_walk_every_meeting_once_in_the_calendars_order(client, calendar):
    seen, query = [], "kind=workshop"
    for _ in range(10):
        response = client.get(f"/meetings/?{query}")
        assert "7 meetings" in response.text
        seen += titles(response)
        query = link(NEXT, response)
        if query is None:
            break
        assert "kind=workshop" in query  # the filter stays on every page

    assert seen == calendar


def test_previous_links_walk_back_to_a_full_first_page(client, calendar):
    response = client.get("/meetings/")
    while (query := link(NEXT, response)) is not None:
        response = client.get(f"/meetings/?{query}")
    assert titles(response) == ["Last year"]

    pages = []
    while (query := link(PREVIOUS, response)) is not None:
        response = client.get(f"/meetings/?{query}")
        pages.append(titles(response))

    assert pages == [calendar[4:6], calendar[2:4], calendar[0:2]]
    assert link(PREVIOUS, response) is None  # the first page has no way further back


@pytest.mark.parametrize("cursor", ["nonsense", "u", "u1.x", "p99999999999999999999.1", "x1.1"])
def test_a_cursor_we_did_not_write_shows_the_first_page(client, calendar, cursor):
    for name in ("after", "before"):
        response = client.get(f"/meetings/?{name}={cursor}")
        assert response.status_code == 200
        assert titles(response) == calendar[:2]


def test_a_cursor_past_the_end_shows_the_first_page_not_an_empty_calendar(client, calendar):
    last = ExchangeMeeting.objects.order_by("start").first()
    cursor = calendar_pages.Cursor(calendar_pages.PAST, last.start, last.pk).encode()
    response = client.get(f"/meetings/?after={cursor}")
    assert titles(response) == calendar[:2]


def test_a_deep_page_costs_the_queries_of_the_first(client, settings, django_assert_num_queries):
    settings.PAGINATE_BY = 2
    network = factories.NetworkFactory()
    now = timezone.now()
    for days in range(-20, 20):
        factories.MeetingFactory(
            network=network, kind=MeetingKind.WEBINAR, start=now + dt.timedelta(days=days, hours=1)
        )
    first = client.get("/meetings/")
    response = first
    for _ in range(15):  # deep among the past meetings
        response = client.get(f"/meetings/?{link(NEXT, response)}")
    deep = link(NEXT, response)

    queries = {}
    for label, url in (("first", "/meetings/?x=1"), ("deep", f"/meetings/?{deep}&x=1")):
        with django_assert_num_queries(10) as context:
            client.get(url)
        queries[label] = len(context)
    assert queries["first"] == queries["deep"]


def test_the_count_stops_at_its_limit(client, calendar, monkeypatch):
    monkeypatch.setattr(calendar_pages, "COUNT_LIMIT", 5)
    monkeypatch.setattr(calendar_pages.CalendarPage, "count_limit", 5)
    assert "More than 5 meetings" in client.get("/meetings/").text
    assert "4 meetings" in client.get("/meetings/?when=upcoming").text


def test_a_bulk_change_shows_at_once_though_the_page_is_cached(client, calendar):
    assert "Next month" in client.get("/meetings/?after=" + cursor_for("Next week A")).text
    client.get("/meetings/")  # cached now

    # No save(), no signal: what a bulk import or another process's write does.
    ExchangeMeeting.objects.filter(title_en="Running since yesterday").update(
        title_en="Renamed in bulk"
    )
    assert "Renamed in bulk" in client.get("/meetings/").text

    ExchangeMeeting.objects.filter(title_en="Next week A").delete()
    response = client.get("/meetings/")
    assert titles(response) == ["Renamed in bulk", "Next week B"]
    assert "6 meetings" in response.text


def cursor_for(title: str) -> str:
    meeting = ExchangeMeeting.objects.get(title_en=title)
    return calendar_pages.Cursor.of(meeting.start, meeting.end, meeting.pk, timezone.now()).encode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=0001-01-01", 7),
        ("date_to=9999-12-31", 7),
        ("date_from=9999-12-31", 0),
        ("date_to=0001-01-01", 0),
    ],
)
def test_the_first_and_last_days_a_date_can_name_filter_without_an_error(
    client, calendar, query, expected
):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    assert response.context["page"].count == expected


def test_a_date_range_finds_a_meeting_running_through_it(client, calendar):
    today = timezone.localdate()
    response = client.get(f"/meetings/?date_from={today}&date_to={today}")
    assert titles(response) == ["Running since yesterday"]
