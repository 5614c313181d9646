"""Mentorships: the pairs' rules, the proposer for a new cohort, and who sees the mentor."""

import datetime as dt
from collections import Counter

import pytest
from django.db import IntegrityError
from django.template import Context, Template
from django.test import RequestFactory

from exchanges.models import Role
from mentorships.models import Mentorship
from mentorships.services import mentorships_accept, mentorships_propose, pair_balanced

from . import factories
from .factories_calls import MentorshipContactFactory, MentorshipFactory
from .test_calls_views import assert_page

pytestmark = pytest.mark.django_db


def cities(country_code: str, *names: str):
    country = factories.CountryFactory(code=country_code)
    return [factories.CityFactory(name=name, country=country) for name in names]


def loads(pairs) -> Counter:
    return Counter(pair.mentor.pk for pair in pairs)


# --- the pair's rules -----------------------------------------------------------------------


def test_a_mentor_is_a_city_or_a_partner_never_both():
    partner = factories.PartnerFactory()
    with pytest.raises(IntegrityError):
        MentorshipFactory(programme=partner.programme, mentor_partner=partner)


def test_a_mentorship_needs_a_mentor():
    with pytest.raises(IntegrityError):
        MentorshipFactory(mentor_city=None)


def test_a_partner_organisation_can_mentor():
    partner = factories.PartnerFactory(name="Covenant Coordinator")
    mentorship = MentorshipFactory(
        programme=partner.programme, mentor_city=None, mentor_partner=partner
    )
    assert mentorship.mentor == partner


def test_a_mentorship_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        MentorshipFactory(start_date=dt.date(2022, 2, 3), end_date=dt.date(2022, 2, 2))


# --- the proposer ---------------------------------------------------------------------------


@pytest.mark.parametrize(("mentors", "mentees"), [(6, 3), (3, 3), (2, 7), (4, 10), (1, 5)])
def test_every_mentee_gets_one_mentor_and_loads_differ_by_one_at_most(mentors, mentees):
    mentor_cities = cities("FI", *[f"Mentor {i}" for i in range(mentors)])
    mentee_cities = cities("FI", *[f"Mentee {i}" for i in range(mentees)])

    pairs = pair_balanced(mentors=mentor_cities, mentees=mentee_cities)

    assert sorted(pair.mentee.pk for pair in pairs) == sorted(c.pk for c in mentee_cities)
    counts = [loads(pairs).get(m.pk, 0) for m in mentor_cities]
    assert max(counts) - min(counts) <= 1


def test_same_country_pairs_are_preferred():
    fi_mentors = cities("FI", "Turku", "Oulu")
    se_mentors = cities("SE", "Växjö")
    fi_mentees = cities("FI", "Kerava", "Lohja")
    se_mentees = cities("SE", "Lund")

    pairs = pair_balanced(mentors=fi_mentors + se_mentors, mentees=fi_mentees + se_mentees)

    assert all(pair.same_country for pair in pairs)


def test_the_extra_place_goes_where_it_keeps_a_mentee_in_its_own_country():
    # Three mentees, two mentors: one mentor takes two. Giving the extra place to the Finnish
    # mentor pairs everyone at home; a greedy "least loaded first" would not.
    mentors = cities("FI", "Turku") + cities("SE", "Växjö")
    mentees = cities("FI", "Kerava", "Lohja") + cities("SE", "Lund")

    pairs = pair_balanced(mentors=mentors, mentees=mentees)

    assert all(pair.same_country for pair in pairs)
    assert sorted(loads(pairs).values()) == [1, 2]


def test_when_balance_forbids_it_a_mentee_crosses_the_border():
    mentors = cities("FI", "Turku") + cities("SE", "Växjö")
    mentees = cities("FI", "Kerava", "Lohja")

    pairs = pair_balanced(mentors=mentors, mentees=mentees)

    assert sorted(loads(pairs).values()) == [1, 1]
    assert sum(pair.same_country for pair in pairs) == 1


def motiva():
    finland = factories.CountryFactory(code="FI")
    pilot_1 = factories.NetworkFactory(country=finland, programme__slug="pilot-1")
    pilot_2 = factories.NetworkFactory(country=finland, programme__slug="pilot-2")
    mentors = [
        factories.MembershipFactory(network=pilot_1, city__name=name).city
        for name in ("Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma")
    ]
    for city in mentors:  # the first pilot's cities are mentors in the second
        factories.MembershipFactory(network=pilot_2, city=city, role=Role.MENTOR)
    mentees = [
        factories.MembershipFactory(network=pilot_2, city__name=name).city
        for name in ("Kerava", "Lohja", "Kuhmo")
    ]
    return pilot_1.programme, pilot_2.programme, mentors, mentees


def test_the_proposal_pairs_the_new_cohorts_cities_with_the_previous_ones():
    pilot_1, pilot_2, mentors, mentees = motiva()

    pairs = mentorships_propose(programme=pilot_2, previous=pilot_1)

    assert {pair.mentee for pair in pairs} == set(mentees)
    assert {pair.mentor for pair in pairs} <= set(mentors)
    assert max(loads(pairs).values()) == 1
    assert not Mentorship.objects.exists()  # nothing until the coordinator accepts


def test_accepting_creates_the_pairs_once_and_a_new_proposal_skips_them():
    pilot_1, pilot_2, mentors, mentees = motiva()
    contacts = {city.pk: factories.ContactFactory(city=city) for city in mentors}
    proposal = mentorships_propose(programme=pilot_2, previous=pilot_1)
    pairs = [(pair.mentor.pk, pair.mentee.pk) for pair in proposal]

    created = mentorships_accept(programme=pilot_2, pairs=pairs, start_date=dt.date(2022, 2, 3))
    again = mentorships_accept(programme=pilot_2, pairs=pairs, start_date=dt.date(2022, 2, 3))

    assert len(created) == 3 and again == []
    assert Mentorship.objects.count() == 3
    for mentorship in created:  # the mentor's contact person is filled in
        assert mentorship.mentor_contact == contacts[mentorship.mentor_city_id]
    assert mentorships_propose(programme=pilot_2, previous=pilot_1) == []


def test_the_admin_shows_the_proposal_and_creates_it_on_accept(admin_client):
    pilot_1, pilot_2, _mentors, _mentees = motiva()
    form = {
        "programme": pilot_2.pk,
        "previous": pilot_1.pk,
        "kind": "mentoring",
        "start_date": "2022-02-03",
        "end_date": "2022-06-30",
    }
    proposal = admin_client.post("/admin/mentorships/mentorship/propose/", form)
    assert proposal.text.count('class="proposed-pair"') == 3
    assert not Mentorship.objects.exists()
    pairs = [
        line.split('value="')[1].split('"')[0]
        for line in proposal.text.splitlines()
        if 'name="pair"' in line
    ]

    response = admin_client.post(
        "/admin/mentorships/mentorship/propose/",
        {**form, "pair": pairs, "accept": "1"},
        follow=True,
    )

    assert "3 mentorships were created." in response.text
    assert Mentorship.objects.filter(end_date=dt.date(2022, 6, 30)).count() == 3


def test_an_outdated_proposal_is_not_accepted(admin_client):
    pilot_1, pilot_2, mentors, mentees = motiva()
    form = {"programme": pilot_2.pk, "previous": pilot_1.pk, "kind": "mentoring",
            "start_date": "2022-02-03"}  # fmt: skip
    stale = [f"{mentors[0].pk}:{mentees[0].pk}"]

    response = admin_client.post(
        "/admin/mentorships/mentorship/propose/", {**form, "pair": stale, "accept": "1"}
    )

    assert "The cohorts changed since the proposal was made" in response.text
    assert not Mentorship.objects.exists()


# --- who sees what --------------------------------------------------------------------------


def staff_of(city):
    user = factories.UserFactory()
    factories.ContactFactory(city=city, user=user, email=user.email)
    return user


def test_a_mentees_staff_see_their_mentors_contact_person(client):
    mentorship = MentorshipFactory(mentee__name="Kerava", mentor_city__name="Hyvinkää")
    person = factories.ContactFactory(
        city=mentorship.mentor_city, first_name="Liisa", last_name="Mentor", phone="+358 40 1"
    )
    mentorship.mentor_contact = person
    mentorship.save()
    MentorshipContactFactory(mentorship=mentorship, note="Planned the visit together.")
    client.force_login(staff_of(mentorship.mentee))

    response = client.get("/me/mentorship/")

    assert "Liisa Mentor" in response.text and person.email in response.text
    assert "Planned the visit together." in response.text
    assert_page(response)


def test_other_cities_staff_do_not_see_the_mentors_contact(client):
    mentorship = MentorshipFactory()
    mentorship.mentor_contact = factories.ContactFactory(city=mentorship.mentor_city)
    mentorship.save()
    client.force_login(staff_of(factories.CityFactory()))

    response = client.get("/me/mentorship/")

    assert mentorship.mentor_contact.email not in response.text
    assert "Your city has no mentor." in response.text


def test_a_partner_mentors_named_contact_is_shown(client):
    partner = factories.PartnerFactory(name="Energy agency")
    mentorship = MentorshipFactory(
        programme=partner.programme,
        mentor_city=None,
        mentor_partner=partner,
        contact_name="Covenant Coordinator Anna",
        contact_email="anna@agency.example",
    )
    client.force_login(staff_of(mentorship.mentee))
    response = client.get("/me/mentorship/")
    assert "Energy agency" in response.text and "anna@agency.example" in response.text


@pytest.mark.parametrize("count", [1, 30])
def test_my_mentorship_costs_the_same_queries_for_1_and_30_pairs(
    client, django_assert_num_queries, count
):
    mentee = factories.CityFactory()
    for _ in range(count):
        MentorshipContactFactory(mentorship=MentorshipFactory(mentee=mentee))
    client.force_login(staff_of(mentee))
    with django_assert_num_queries(6):  # session, user, contact, pairs, their log entries, roles
        client.get("/me/mentorship/")


def render_programme_section(programme, user=None):
    request = RequestFactory().get("/")
    template = Template('{% include "calls/_programme_mentorships.html" %}')
    return template.render(Context({"programme": programme, "request": request, "user": user}))


def test_the_programme_section_lists_its_pairs_and_says_so_when_there_are_none():
    mentorship = MentorshipFactory(mentee__name="Kuhmo", mentor_city__name="Oulu")
    html = render_programme_section(mentorship.programme)
    assert "Kuhmo" in html and "Oulu" in html and "Mentoring" in html
    assert mentorship.mentor_contact_id is None  # the public section shows no contact details
    empty = render_programme_section(factories.ProgrammeFactory())
    assert "This programme has no mentorship pairs yet." in empty


@pytest.mark.parametrize("count", [1, 30])
def test_the_programme_section_costs_the_same_queries_for_1_and_30_pairs(
    django_assert_num_queries, count
):
    programme = factories.ProgrammeFactory()
    for _ in range(count):
        MentorshipFactory(programme=programme)
    with django_assert_num_queries(2):  # the pairs, the programme's calls
        render_programme_section(programme)
