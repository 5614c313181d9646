"""The demo data: what a coordinator checks after `manage.py load_demo`."""

import datetime as dt
import io
import re
import zoneinfo
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from accounts.models import User
from cities.models import City, Contact, Country, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
)
from meetings.models import ActionItem, Attendance, ConsortiumMeeting, Partner

ADMIN_EMAIL = "admin@multiply.example"
CURRENT = "exchange-2027"  # the invented current cycle (demo/data/current.toml)
SYNTHETIC = {"title_en__startswith": "Synthetic exchange"}


def load_demo(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo():
    return load_demo()


def snapshot() -> dict[str, set]:
    """Every row's primary key, per table, including the many-to-many tables."""
    models = [
        Country, TargetGroup, City, Contact, Contact.target_groups.through, Programme,
        NationalNetwork, Membership, Theme, Theme.target_groups.through, Topic, ExchangeMeeting,
        ExchangeMeeting.topics.through, MeetingMaterial, Partner, ConsortiumMeeting, Attendance,
        ActionItem, User,
    ]  # fmt: skip
    return {model._meta.label: set(model.objects.values_list("pk", flat=True)) for model in models}


def multiply_meeting(**lookup) -> ExchangeMeeting:
    return ExchangeMeeting.objects.get(programme__slug="multiply", **lookup)


def multiply_networks():
    return NationalNetwork.objects.filter(programme__slug="multiply").select_related("country")


class TestTheLoadedDemo(TestCase):
    """Read-only checks share one load (setUpTestData), so the file runs in seconds."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_the_seven_consortium_meetings_are_those_of_the_source(self):
        rows = ConsortiumMeeting.objects.filter(programme__slug="multiply").order_by("number")
        got = [
            (m.number, m.start_date, m.end_date, m.planned_place, m.held_place, m.held_online)
            for m in rows
        ]
        assert got == [
            (1, dt.date(2019, 1, 24), dt.date(2019, 1, 25), "Radolfzell", "Radolfzell", False),
            (2, dt.date(2019, 9, 30), dt.date(2019, 10, 1), "Kraków", "Kraków", False),
            (3, dt.date(2020, 3, 13), dt.date(2020, 3, 13), "Graz", "", True),
            (4, dt.date(2020, 10, 14), dt.date(2020, 10, 15), "", "", True),
            (5, dt.date(2021, 5, 21), dt.date(2021, 5, 21), "", "", True),
            (6, dt.date(2022, 3, 6), dt.date(2022, 3, 6), "", "", True),
            (7, dt.date(2022, 5, 31), dt.date(2022, 5, 31), "Helsingborg", "Helsingborg", False),
        ]
        graz = rows.get(number=3)
        assert graz.is_relocated
        for meeting in rows:
            meeting.full_clean()

    def test_helsingborg_was_combined_with_urban_future_and_legambiente_was_absent(self):
        helsingborg = ConsortiumMeeting.objects.get(programme__slug="multiply", number=7)

        statuses = {a.partner.name: a.status for a in helsingborg.attendances.all()}

        assert helsingborg.linked_event == "Urban Future"
        assert len(statuses) == Partner.objects.filter(programme__slug="multiply").count() == 8
        assert statuses.pop("Legambiente") == Attendance.Status.ABSENT
        assert set(statuses.values()) == {Attendance.Status.PRESENT}

    def test_every_partner_attended_the_online_meetings_online(self):
        online = Attendance.objects.filter(
            meeting__programme__slug="multiply", meeting__held_online=True
        )
        assert online.count() == 4 * 8
        assert set(online.values_list("status", flat=True)) == {Attendance.Status.ONLINE}

    def test_the_summaries_are_in_english_and_the_original_polish(self):
        first = ConsortiumMeeting.objects.get(programme__slug="multiply", number=1)
        assert "Radolfzell" in first.summary_pl
        assert first.summary_en.startswith("The partners got to know each other")
        with translation.override("pl"):
            assert first.summary.startswith("1. spotkanie w Radolfzell (24-25.01.2019)")

    def test_one_action_item_is_still_open_and_done_ones_have_a_closing_date(self):
        items = ActionItem.objects.filter(meeting__programme__slug="multiply")
        assert items.filter(status=ActionItem.Status.OPEN, closed_on=None).count() == 1
        assert not items.exclude(status=ActionItem.Status.OPEN).filter(closed_on=None).exists()

    def test_polands_cities_have_their_real_roles(self):
        poland = NationalNetwork.objects.get(programme__slug="multiply", country__code="PL")

        roles = dict(poland.memberships.values_list("city__name", "role"))

        assert roles == {
            "Bydgoszcz": Role.PIONEER,
            "Sztum": Role.PIONEER,
            "Piastów": Role.SPECIAL_AWARD,
            "Grodzisk Mazowiecki": Role.ENGAGED,
            "Mińsk Mazowiecki": Role.ENGAGED,
            "Ostrołęka": Role.ENGAGED,
            "Siemianowice Śląskie": Role.ENGAGED,
        }

    def test_multiply_has_18_forerunners_with_6_special_award_cities_and_24_committed(self):
        roles = Counter(
            Membership.objects.filter(network__programme__slug="multiply").values_list(
                "role", flat=True
            )
        )
        assert roles == {Role.PIONEER: 12, Role.SPECIAL_AWARD: 6, Role.ENGAGED: 24}
        assert multiply_networks().count() == 6

    def test_the_programme_names_the_roles_in_its_own_words(self):
        multiply = Programme.objects.get(slug="multiply")
        assert multiply.role_label(Role.PIONEER) == "forerunner city"
        with translation.override("pl"):
            assert multiply.role_label(Role.PIONEER) == "miasto prekursor"
            assert multiply.role_label(Role.ENGAGED) == "miasto zaangażowane"
        with translation.override("sv"):
            assert multiply.role_label(Role.ENGAGED) == "nätverkskommun"
            assert multiply.role_label(Role.SPECIAL_AWARD) == "stad med hederspris"

    def test_each_multiply_network_has_six_valid_national_exchanges(self):
        for network in multiply_networks():
            meetings = network.meetings.filter(kind=MeetingKind.NATIONAL_EXCHANGE).order_by(
                "number"
            )
            assert [m.number for m in meetings] == [1, 2, 3, 4, 5, 6], network
            for meeting in meetings:
                meeting.full_clean()  # the host is a member of the network, among other rules
                assert meeting.theme is not None and meeting.topics.exists()
                assert meeting.status in (MeetingStatus.HELD, MeetingStatus.MOVED_ONLINE)
                assert meeting.timezone == network.country.timezone
            assert "integrated energy plans" in meetings.last().description_en

    def test_each_network_plan_follows_rule_1(self):
        """Forerunners host two meetings each; the special-award city and one committed city one."""
        for network in multiply_networks():
            roles = dict(network.memberships.values_list("city_id", "role"))
            hosts = Counter(network.meetings.values_list("host_city_id", flat=True))
            by_role = Counter((roles[city], count) for city, count in hosts.items())
            assert by_role == {
                (Role.PIONEER, 2): 2,
                (Role.SPECIAL_AWARD, 1): 1,
                (Role.ENGAGED, 1): 1,
            }, network

    def test_the_first_exchanges_of_poland_and_austria_are_real(self):
        warsaw = multiply_meeting(network__country__code="PL", number=1)
        assert warsaw.venue == "Warsaw"
        assert warsaw.host_city.name == "Piastów"
        assert warsaw.local_start.date() == dt.date(2020, 2, 26)
        assert warsaw.start.tzinfo is not None
        assert warsaw.start.astimezone(warsaw.tz).utcoffset() == dt.timedelta(hours=1)  # CET
        austria = multiply_meeting(network__country__code="AT", number=1)
        assert austria.host_city.name == "Perchtoldsdorf"
        assert (austria.local_start.year, austria.local_start.month) == (2020, 2)

    def test_the_swedish_committed_city_meeting_is_for_committed_cities_only(self):
        sweden = NationalNetwork.objects.get(programme__slug="multiply", country__code="SE")
        only = sweden.meetings.get(engaged_only=True)
        assert sweden.memberships.get(city=only.host_city).role == Role.ENGAGED
        assert only.title_sv.startswith("Nationellt nätverksutbyte")

    def test_the_big_european_exchange_conference_was_held_online(self):
        conference = ExchangeMeeting.objects.get(
            programme__slug="multiply", kind=MeetingKind.INTERNATIONAL_CONFERENCE
        )
        assert conference.title_en == "The Big European Exchange Conference"
        assert conference.network is None
        assert conference.format == MeetingFormat.ONLINE
        assert conference.status == MeetingStatus.MOVED_ONLINE
        assert (conference.start.year, conference.start.month) in {(2020, 11), (2020, 12)}
        assert conference.theme.name_en == "European exchange"
        assert "COVID-19" in conference.status_note_pl
        conference.full_clean()

    def test_polish_swedish_and_finnish_wording_is_there(self):
        theme = Theme.objects.get(programme__slug="multiply", name_en="Political leadership")
        assert theme.name_sv == "Politiskt ledarskap"
        with translation.override("sv"):
            assert theme.name == "Politiskt ledarskap"
        decision_makers = TargetGroup.objects.get(slug="decision-makers")
        assert decision_makers.name_sv == "beslutsfattare, förtroendevalda, politiker"
        assert decision_makers.name_pl == "lokalni decydenci"
        multiply = Programme.objects.get(slug="multiply")
        assert multiply.peer_learning_pl.startswith("Peer-to-peer learning polega")
        assert "nätverksutbytet" in multiply.description_sv
        pilot = Programme.objects.get(slug="motiva-pilot-2")
        assert "vertaisoppimispilottiin" in pilot.description_fi
        assert "ei ole pisteyttää ja vertailla kuntia" in pilot.peer_learning_fi

    def test_open_and_european_exchange_themes_invite_everyone(self):
        themes = Theme.objects.filter(programme__slug="multiply")
        open_ones = themes.filter(open_to_all=True).values_list("name_en", flat=True)
        assert set(open_ones) == {"Open", "European exchange"}
        assert set(themes.get(name_en="Open").target_groups.values_list("slug", flat=True)) == {
            "all"
        }

    def test_motiva_pilots_have_their_municipalities(self):
        pilot_1 = NationalNetwork.objects.get(programme__slug="motiva-pilot-1")
        pilot_2 = NationalNetwork.objects.get(programme__slug="motiva-pilot-2")
        first = {"Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma"}
        assert set(pilot_1.memberships.values_list("city__name", flat=True)) == first
        roles = dict(pilot_2.memberships.values_list("city__name", "role"))
        assert roles == dict.fromkeys(first, Role.MENTOR) | {
            "Kerava": Role.ENGAGED,
            "Lohja": Role.ENGAGED,
            "Kuhmo": Role.ENGAGED,
        }
        assert Theme.objects.filter(programme__slug="motiva-pilot-2").count() == 7

    def test_motivas_info_webinar_and_kick_off(self):
        helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
        webinar = ExchangeMeeting.objects.get(programme__slug="motiva-pilot-2", kind="webinar")
        assert webinar.start == dt.datetime(2021, 11, 4, 10, tzinfo=helsinki)
        assert webinar.end == dt.datetime(2021, 11, 4, 11, tzinfo=helsinki)
        slides = webinar.materials.get()
        assert slides.title == "Infotilaisuus KETS-vertaisoppimisesta 4.11.2021"
        assert slides.url.startswith("https://www.motiva.fi/")
        slides.full_clean()
        kick_off = ExchangeMeeting.objects.get(programme__slug="motiva-pilot-2", kind="workshop")
        assert kick_off.local_start.date() == dt.date(2022, 2, 3)
        assert kick_off.format == MeetingFormat.ONLINE

    def test_contacts_speak_their_countrys_language(self):
        for city in City.objects.filter(networks__programme__slug="multiply"):
            assert 2 <= city.contacts.count() <= 3, city
        languages = {"PL": {"pl"}, "SE": {"sv"}, "FI": {"fi"}, "DE": {"en"}}
        for code, expected in languages.items():
            got = set(
                Contact.objects.filter(city__country__code=code).values_list("language", flat=True)
            )
            assert got == expected, code
        assert not Contact.objects.filter(target_groups=None).exists()
        assert not Contact.objects.exclude(email__endswith=".example").exists()

    def test_the_rule_1_checker_finds_no_deviation_in_multiply(self):
        services = pytest.importorskip("exchanges.services")
        network_plan_check = getattr(services, "network_plan_check", None)
        if network_plan_check is None:
            pytest.skip("exchanges.services has no network_plan_check yet")
        for network in multiply_networks():
            assert network_plan_check(network=network) == [], network


@pytest.mark.django_db
def test_loading_twice_keeps_the_same_rows(demo):
    before = snapshot()

    load_demo()

    assert snapshot() == before
    historical = ExchangeMeeting.objects.exclude(programme__slug=CURRENT)
    assert historical.count() == 6 * 6 + 1 + 2


def synthetic_rows() -> dict[str, int]:
    """What `--scale` makes besides the meetings: all of it named "Synthetic ..."."""
    return {
        "programmes": Programme.objects.filter(slug="synthetic").count(),
        "countries": Country.objects.filter(name_en__startswith="Synthetic ").count(),
        "cities": City.objects.filter(name__startswith="Synthetic ").count(),
        "networks": NationalNetwork.objects.filter(programme__slug="synthetic").count(),
        "themes": Theme.objects.filter(programme__slug="synthetic").count(),
    }


@pytest.mark.django_db
def test_scale_adds_exactly_that_many_synthetic_meetings():
    load_demo()
    before = ExchangeMeeting.objects.count()

    load_demo(scale=50)
    load_demo(scale=50)

    synthetic = ExchangeMeeting.objects.filter(programme__slug="synthetic")
    assert synthetic.count() == 50
    assert ExchangeMeeting.objects.count() == before + 50
    assert synthetic.filter(**SYNTHETIC).count() == 50  # recognisable by its title too
    assert not synthetic.filter(kind=MeetingKind.INTERNATIONAL_CONFERENCE).exists()
    assert not synthetic.filter(kind=MeetingKind.NATIONAL_EXCHANGE).exists()
    for meeting in synthetic.select_related("network", "theme"):
        meeting.full_clean()  # among other rules: the host is a member of the network
        assert meeting.network.programme.slug == "synthetic"
        assert meeting.host_city.name.startswith("Synthetic city ")
        assert meeting.theme.programme.slug == "synthetic"
        assert {topic.theme_id for topic in meeting.topics.all()} <= {meeting.theme_id}
    # The public calendar and the API list them: the benchmarks measure those.
    assert Programme.objects.get(slug="synthetic").is_published
    # Benchmark data never disturbs the networks' real plans (docs/DESIGN.md rule 1).
    from exchanges.services import network_plan_check

    for network in NationalNetwork.objects.filter(programme__slug="multiply"):
        assert network_plan_check(network=network) == []


@pytest.mark.django_db
def test_scale_leaves_the_real_programmes_exactly_as_the_demo_has_them():
    load_demo()
    real = Counter(ExchangeMeeting.objects.values_list("programme__slug", flat=True))
    memberships = Membership.objects.count()

    load_demo(scale=40)

    scaled = Counter(ExchangeMeeting.objects.values_list("programme__slug", flat=True))
    assert scaled.pop("synthetic") == 40
    assert scaled == real
    assert scaled["multiply"] == real["multiply"] > 0
    assert not City.objects.filter(
        name__startswith="Synthetic ", country__networks__programme__slug="multiply"
    ).exists()
    synthetic_memberships = Membership.objects.filter(network__programme__slug="synthetic")
    assert Membership.objects.count() == memberships + synthetic_memberships.count()


@pytest.mark.django_db
def test_scale_can_shrink_and_loading_without_scale_leaves_synthetic_meetings_alone():
    load_demo()
    assert synthetic_rows() == dict.fromkeys(synthetic_rows(), 0)  # not in the plain demo
    plain = snapshot()
    load_demo(scale=30)
    load_demo(scale=10)
    assert ExchangeMeeting.objects.filter(programme__slug="synthetic").count() == 10
    load_demo()
    assert ExchangeMeeting.objects.filter(programme__slug="synthetic").count() == 10
    load_demo(scale=0)
    assert not ExchangeMeeting.objects.filter(**SYNTHETIC).exists()
    # Everything --scale made is gone, and nothing else.
    assert synthetic_rows() == dict.fromkeys(synthetic_rows(), 0)
    assert snapshot() == plain


@pytest.mark.django_db
def test_scale_removes_synthetic_meetings_an_older_load_put_into_multiply():
    load_demo()
    real = ExchangeMeeting.objects.filter(programme__slug="multiply").count()
    start = multiply_meeting(kind=MeetingKind.INTERNATIONAL_CONFERENCE).start
    ExchangeMeeting.objects.create(
        programme=Programme.objects.get(slug="multiply"),
        kind=MeetingKind.WORKSHOP,
        title="Synthetic exchange 1: Energy",
        start=start,
        end=start,
    )

    load_demo(scale=5)

    assert ExchangeMeeting.objects.filter(programme__slug="multiply").count() == real


def printed_logins(output: str) -> tuple[str, list[str]]:
    """The password and the e-mail addresses `load_demo` prints."""
    password = re.search(r"\(password (\S+)\):", output).group(1)
    return password, re.findall(r"^  (\S+@\S+)  ", output, flags=re.MULTILINE)


@pytest.mark.django_db
def test_every_printed_login_signs_in_through_the_sign_in_page(client, demo):
    password, emails = printed_logins(demo)
    landings = {}
    for email in emails:
        response = client.post("/accounts/login/", {"login": email, "password": password})
        landings[email] = response["Location"]
        client.post("/accounts/logout/")

    assert landings == {
        ADMIN_EMAIL: "/admin/",
        "katarzyna.wisniewska@minsk-mazowiecki.example": "/me/meetings/",
        "magdalena.kaminska@ostroleka.example": "/me/meetings/",
        "poland@pnec.example": "/admin/",
        "partner@pnec.example": "/",
    }
    assert User.objects.get(email=ADMIN_EMAIL).is_superuser


@pytest.mark.django_db
def test_the_printed_address_is_the_site_being_served(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert "Sign in at http://127.0.0.1:8123/accounts/login/" in load_demo()


@pytest.mark.django_db
def test_it_never_resets_an_existing_accounts_password():
    User.objects.create_superuser(email=ADMIN_EMAIL, password="the coordinator's own")

    output = load_demo()

    assert User.objects.get(email=ADMIN_EMAIL).check_password("the coordinator's own")
    assert "password left unchanged" in output


@pytest.mark.django_db
def test_production_gets_no_demo_logins(settings):
    settings.DEMO_ACCOUNTS = False

    output = load_demo()

    assert "No demo logins" in output
    assert not User.objects.exists()
