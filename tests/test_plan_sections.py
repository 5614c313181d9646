"""The peer-learning plan says what a programme has, and only that (reports.plan).

Three shapes of programme, built with factories: one with nothing to show yet (MAYORS in
ACTION), one with a call, a round of peer visits and mentors (Motiva's pilots), and one with
networks, national exchanges, themes, a conference and a consortium (MULTIPLY).
"""

import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from calls.models import Call
from exchanges.models import MeetingFormat, MeetingKind, MeetingStatus, Role
from meetings.models import Attendance
from reports.models import Document
from reports.plan import NoPlan, plan_sections, programmes_with_plan
from reports.services import document_render, document_request, html_for

from . import factories
from .factories_calls import CallFactory, MentorshipFactory
from .factories_visits import RoundFactory

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
PLAN = Document.Kind.PLAN
LANGUAGES = ["en", "pl", "sv", "fi"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_pages(programme, language="en") -> list[str]:
    """The plan as a reader reads it: each page's text, with lines run together."""
    document = document_render(
        document_id=document_request(kind=PLAN, programme=programme, language=language).pk
    )
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def contents(pages: list[str]) -> str:
    """The contents page (the second)."""
    assert pages[1].startswith("Contents")
    return pages[1]


def titles_in_order(text: str, titles: list[str]) -> bool:
    positions = [text.find(title) for title in titles]
    return -1 not in positions and positions == sorted(positions)


def helsinki(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HELSINKI)


# The phases of Motiva's second pilot (seed 004).
PILOT_WINDOWS = {
    "organising_start": dt.date(2021, 12, 1),
    "organising_end": dt.date(2021, 12, 31),
    "preparing_start": dt.date(2022, 1, 1),
    "preparing_end": dt.date(2022, 2, 28),
    "visit_start": dt.date(2022, 3, 1),
    "visit_end": dt.date(2022, 4, 30),
    "report_start": dt.date(2022, 5, 1),
    "report_end": dt.date(2022, 6, 30),
    "final_event_start": dt.date(2022, 6, 1),
    "final_event_end": dt.date(2022, 6, 30),
    "comments_start": dt.date(2022, 7, 1),
    "comments_end": dt.date(2022, 8, 31),
}


def mayors_like():
    """A description, a partner and six networks without a single city: nothing to plan."""
    programme = factories.ProgrammeFactory(
        slug="mayors-in-action",
        name="MAYORS in ACTION",
        peer_learning="Covenant Coordinators learn through tutoring and coaching.",
        description="Over 5,700 cities had joined the Covenant of Mayors.",
    )
    for code in ("BE", "HR", "GR", "IT", "PL", "ES"):
        factories.NetworkFactory(programme=programme, country=factories.CountryFactory(code=code))
    factories.PartnerFactory(programme=programme)
    return programme


def motiva_like():
    programme = factories.ProgrammeFactory(
        slug="pilot-2",
        name="Peer-learning pilot 2",
        engaged_label="participating municipality",
        mentor_label="mentor municipality",
        peer_learning="Each municipality is visited by a group from two others.",
    )
    network = factories.NetworkFactory(
        programme=programme, country=factories.CountryFactory(code="FI", name="Finland")
    )
    for name in ("Kerava", "Lohja"):
        factories.MembershipFactory(network=network, city__name=name, role=Role.ENGAGED)
    for name in ("Turku", "Oulu"):
        factories.MembershipFactory(network=network, city__name=name, role=Role.MENTOR)
    cities = {m.city.name: m.city for m in network.memberships.select_related("city")}
    CallFactory(
        programme=programme,
        title="Call open: peer learning to speed up energy-efficiency work",
        opens_at=helsinki(2021, 11, 1, 0, 0),
        closes_at=helsinki(2021, 12, 4, 23, 59),
        places_min=5,
        places_max=6,
        eligibility="The municipality has joined the energy-efficiency agreement (KETS).",
        selection_criteria="Its management is committed.\nIt can host a virtual visit.",
        webinar_title="Info webinar on KETS peer learning",
        webinar_start=helsinki(2021, 11, 4, 10, 0),
        webinar_end=helsinki(2021, 11, 4, 11, 0),
        recording_url="https://example.org/recording",
    )
    RoundFactory(programme=programme, name="Peer visits 2022", **PILOT_WINDOWS)
    MentorshipFactory(programme=programme, mentor_city=cities["Turku"], mentee=cities["Kerava"])
    MentorshipFactory(programme=programme, mentor_city=cities["Oulu"], mentee=cities["Lohja"])
    return programme


def multiply_like():
    programme = factories.ProgrammeFactory(
        slug="multiply",
        name="MULTIPLY",
        pioneer_label="forerunner city",
        engaged_label="committed city",
        peer_learning="Forerunner cities share their knowledge with committed cities.",
    )
    group = factories.TargetGroupFactory(name="Local decision makers")
    theme = factories.ThemeFactory(programme=programme, name="Political leadership")
    factories.TopicFactory(theme=theme, name="Finding funding")
    theme.target_groups.add(group)
    for code, country, host, committed in (
        ("PL", "Poland", "Bydgoszcz", "Ostrołęka"),
        ("AT", "Austria", "Perchtoldsdorf", "Baden"),
    ):
        network = factories.NetworkFactory(
            programme=programme, country=factories.CountryFactory(code=code, name=country)
        )
        city = factories.MembershipFactory(network=network, city__name=host, role=Role.PIONEER)
        factories.MembershipFactory(network=network, city__name=committed)
        factories.MeetingFactory(network=network, host_city=city.city, theme=theme, number=1)
    factories.MeetingFactory(
        network=None,
        programme=programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
        title="The Big European Exchange Conference",
        status=MeetingStatus.MOVED_ONLINE,
        format=MeetingFormat.ONLINE,
    )
    meeting = factories.ConsortiumMeetingFactory(
        programme=programme, planned_place="Graz", held_online=True
    )
    factories.AttendanceFactory(
        meeting=meeting, partner__name="Legambiente", status=Attendance.Status.ABSENT
    )
    factories.PartnerFactory(programme=programme, name="Deutsche Umwelthilfe")
    return programme


# --- whether there is a plan at all -----------------------------------------------------------


def test_a_programme_with_nothing_to_plan_offers_no_plan_and_its_url_is_not_found(client, media):
    mayors = mayors_like()

    page = client.get(mayors.get_absolute_url())
    assert page.status_code == 200
    assert reverse("reports:plan", args=[mayors.slug]) not in page.text
    assert "Peer-learning plan" not in page.text
    for language in LANGUAGES:
        response = client.get(reverse("reports:plan", args=[mayors.slug]), {"lang": language})
        assert response.status_code == 404
    assert not Document.objects.exists()  # nothing queued, nothing rendered


def test_a_programme_with_a_plan_links_it_in_each_of_its_languages_only(client, media):
    pilot = motiva_like()
    pilot.languages = ["fi", "sv", "en"]
    pilot.save()

    page = client.get(pilot.get_absolute_url())

    url = reverse("reports:plan", args=[pilot.slug])
    links = re.findall(rf'href="{re.escape(url)}\?lang=(\w+)"', page.text)
    assert links == ["fi", "sv", "en"]
    assert client.get(url, {"lang": "fi"}).status_code == 202  # queued: being prepared
    assert client.get(url, {"lang": "pl"}).status_code == 404  # not one of its languages
    assert Document.objects.filter(language="pl").count() == 0


@pytest.mark.parametrize(
    "content",
    [
        lambda p: factories.MembershipFactory(network=p.networks.first()),
        lambda p: factories.ThemeFactory(programme=p),
        lambda p: factories.ConsortiumMeetingFactory(programme=p),
        lambda p: factories.MeetingFactory(network=None, programme=p, kind=MeetingKind.WEBINAR),
        lambda p: CallFactory(programme=p),
        lambda p: RoundFactory(programme=p, themes=[]),
        lambda p: MentorshipFactory(programme=p),
    ],
    ids=["member", "theme", "consortium", "meeting", "call", "round", "mentorship"],
)
def test_any_one_kind_of_content_makes_a_plan(content):
    programme = mayors_like()
    assert not programmes_with_plan().filter(pk=programme.pk).exists()
    content(programme)
    assert programmes_with_plan().filter(pk=programme.pk).exists()
    assert plan_sections(programme=programme)


def test_an_unpublished_call_makes_no_plan(media):
    programme = mayors_like()
    CallFactory(programme=programme, is_published=False)
    assert not programmes_with_plan().filter(pk=programme.pk).exists()
    with pytest.raises(NoPlan):
        plan_sections(programme=programme)


def test_a_render_asked_for_an_empty_programme_fails_without_a_file(media, monkeypatch):
    """The admin's "render again" or a queued render that outlived the data: no empty PDF."""
    from reports import services

    monkeypatch.setattr(services, "pdf_from_html", lambda html: pytest.fail("rendered"))
    document = document_request(kind=PLAN, programme=mayors_like(), language="en")
    document = document_render(document_id=document.pk)
    assert document.status == Document.Status.FAILED
    assert "nothing for a peer-learning plan to show" in document.error
    assert not document.file


def test_the_admin_does_not_render_again_the_plan_of_a_programme_with_nothing_to_show(
    admin_client, media
):
    empty = Document.objects.create(kind=PLAN, programme=mayors_like(), language="en")
    empty.status = Document.Status.FAILED
    empty.save()
    planned = Document.objects.create(kind=PLAN, programme=motiva_like(), language="en")
    planned.status = Document.Status.FAILED
    planned.save()

    response = admin_client.post(
        reverse("admin:reports_document_changelist"),
        {"action": "render_again", "_selected_action": [empty.pk, planned.pk]},
        follow=True,
    )

    assert "1 document queued." in response.text
    assert Document.objects.filter(programme=empty.programme).count() == 1
    assert Document.objects.filter(programme=planned.programme).count() == 2


def test_a_programme_left_with_nothing_to_show_is_not_rendered_again(
    client, media, django_capture_on_commit_callbacks
):
    programme = mayors_like()
    membership = factories.MembershipFactory(network=programme.networks.first())
    pdf_pages(programme)

    with django_capture_on_commit_callbacks(execute=True):
        membership.delete()

    assert Document.objects.filter(programme=programme).count() == 1  # no new render
    assert client.get(reverse("reports:plan", args=[programme.slug])).status_code == 404


# --- what a plan holds --------------------------------------------------------------------------


def test_a_motiva_like_plan_has_its_call_its_phases_and_its_mentors(media):
    pages = pdf_pages(motiva_like())
    text = " ".join(pages)

    assert titles_in_order(
        contents(pages),
        [
            "What peer learning is, and why",
            "Call for applications",
            "Participating municipalities",
            "Mentorships",
            "Peer visits",
            "Themes",
        ],
    )
    # The call: its window, the places sought, who may apply, the criteria, the webinar.
    assert "Call open: peer learning to speed up energy-efficiency work" in text
    assert "1 November 2021, 00:00 – 4 December 2021, 23:59 (Europe/Helsinki)" in text
    assert "5–6 municipalities sought" in text
    assert "The municipality has joined the energy-efficiency agreement (KETS)." in text
    assert "Its management is committed." in text and "It can host a virtual visit." in text
    assert "Info webinar on KETS peer learning" in text
    assert "4 November 2021, 10:00–11:00" in text
    assert "Video recording" in text
    # The phases of the peer visits with their windows.
    assert "Peer visits 2022" in text
    assert "Organising the participants 1 December 2021 31 December 2021" in text
    assert "The visits 1 March 2022 30 April 2022" in text
    assert "Comments on the results summary 1 July 2022 31 August 2022" in text
    # The municipalities by role, and who mentors whom.
    assert "Participating municipality Kerava, Lohja" in text
    assert "Mentor municipality Oulu, Turku" in text
    assert "Kerava Turku Mentoring" in text and "Lohja Oulu Mentoring" in text
    # Nothing of MULTIPLY's shape, and nothing empty.
    for absent in (
        "national exchanges",
        "National networks",
        "International conference",
        "Consortium meetings",
        "Contacts",
        "yet",
        "No ",
    ):
        assert absent not in text, absent
    assert len(pages) <= 8


def test_an_open_call_says_where_to_apply(settings, media):
    settings.SITE_URL = "https://portal.example"
    call = CallFactory(programme=mayors_like(), slug="pilot-3-call")

    text = " ".join(pdf_pages(call.programme))

    assert "Apply https://portal.example/calls/pilot-3-call/" in text
    assert "Any municipality may apply." in text


def test_the_finnish_plan_of_a_pilot_speaks_finnish(media):
    text = " ".join(pdf_pages(motiva_like(), language="fi"))
    for finnish in ("Sisällys", "Haku", "Hakuaika", "Vertaisvierailut", "Mentorointi"):
        assert finnish in text, finnish
    assert "Osallistujien organisointi 1. joulukuuta 2021 31. joulukuuta 2021" in text


def test_a_multiply_like_plan_keeps_its_sections(media):
    pages = pdf_pages(multiply_like())
    text = " ".join(pages)

    assert titles_in_order(
        contents(pages),
        [
            "What peer learning is, and why",
            "National networks",
            "Schedules of the national exchanges",
            "Themes, topics and target groups",
            "International conference",
            "Consortium meetings",
            "Contacts",
        ],
    )
    for shown in (
        "Poland",
        "Austria",
        "Forerunner city Bydgoszcz",
        "Committed city Ostrołęka",
        "Perchtoldsdorf",
        "Finding funding",
        "Local decision makers",
        "The Big European Exchange Conference",
        "Moved online",
        "Graz",
        "Legambiente",
        "Deutsche Umwelthilfe",
    ):
        assert shown in text, shown
    for absent in (
        "Call for applications",
        "Peer visits",
        "Mentorships",
        "Participating municipalities",
    ):
        assert absent not in text, absent


def test_an_empty_section_is_left_out_not_printed_as_none_yet(media):
    programme = factories.ProgrammeFactory(slug="lean", name="Lean programme")
    poland = factories.NetworkFactory(
        programme=programme, country=factories.CountryFactory(code="PL", name="Poland")
    )
    factories.NetworkFactory(
        programme=programme, country=factories.CountryFactory(code="SE", name="Sweden")
    )
    host = factories.MembershipFactory(network=poland, city__name="Sztum", role=Role.PIONEER)
    factories.MembershipFactory(network=poland, city__name="Piastów")
    factories.MeetingFactory(network=poland, host_city=host.city, number=1)

    pages = pdf_pages(programme)
    text = " ".join(pages)

    assert "National networks" in text and "Schedules of the national exchanges" in text
    assert "Sztum" in text
    assert "Sweden" not in text  # a network without cities is not listed
    for absent in (
        "What peer learning is",
        "Themes",
        "International conference",
        "Consortium meetings",
        "Contacts",
        "yet",
        "No international",
        "recorded",
    ):
        assert absent not in text, absent
    assert len(pages) == 4  # cover, contents, networks, schedules


def test_themes_without_topics_are_listed_under_a_heading_that_promises_none(media):
    programme = mayors_like()
    for name in ("Procurement", "Energy audits"):
        factories.ThemeFactory(programme=programme, name=name)

    text = " ".join(pdf_pages(programme))

    assert "Themes" in text and "Procurement" in text and "Energy audits" in text
    assert "Topics" not in text and "Decided by the network" not in text


# --- what a plan costs --------------------------------------------------------------------------


def _programme_with(count: int):
    """`count` items of every section a plan can have (one conference: there is at most one)."""
    programme = factories.ProgrammeFactory(slug="everything", peer_learning="Cities learn.")
    codes = ("PL", "SE", "DE")
    for index in range(count):
        network = factories.NetworkFactory(
            programme=programme, country=factories.CountryFactory(code=codes[index])
        )
        member = factories.MembershipFactory(network=network, role=Role.PIONEER)
        mentor = factories.MembershipFactory(network=network, role=Role.MENTOR)
        theme = factories.ThemeFactory(programme=programme)
        factories.TopicFactory(theme=theme)
        theme.target_groups.add(factories.TargetGroupFactory())
        factories.MeetingFactory(network=network, host_city=member.city, theme=theme)
        factories.MeetingFactory(network=None, programme=programme, kind=MeetingKind.WORKSHOP)
        meeting = factories.ConsortiumMeetingFactory(programme=programme)
        factories.AttendanceFactory(meeting=meeting, status=Attendance.Status.ABSENT)
        CallFactory(programme=programme, webinar_start=helsinki(2021, 11, 4, 10, 0))
        RoundFactory(programme=programme, themes=[theme])
        MentorshipFactory(programme=programme, mentor_city=mentor.city, mentee=member.city)
    factories.MeetingFactory(
        network=None, programme=programme, kind=MeetingKind.INTERNATIONAL_CONFERENCE
    )
    return programme


@pytest.mark.parametrize("count", [1, 3])
def test_a_plan_costs_the_same_queries_whatever_its_size(count, django_assert_num_queries):
    programme = _programme_with(count)
    document = Document(kind=PLAN, programme=programme, language="en")

    # networks 2, exchanges 2, themes 3, conference 1, meetings 1, consortium 2, partners 1,
    # calls 1, mentorships 1, rounds 1
    with django_assert_num_queries(15):
        html, _name = html_for(document)

    assert html.count('<h2 id="') == 12  # the contents and the eleven sections
    assert Call.objects.filter(programme=programme).count() == count


@pytest.mark.parametrize("count", [1, 3])
def test_whether_a_programme_has_a_plan_is_one_query(count, django_assert_num_queries):
    _programme_with(count)
    with django_assert_num_queries(1):
        assert len(programmes_with_plan()) == 1
