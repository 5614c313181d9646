"""Who sits on whose interview group: the proposal for 3, 6 and 40 municipalities, and the checks
on a group a coordinator edited (docs/DESIGN.md rule 7)."""

from collections import Counter

import pytest
from django.db import IntegrityError

from visits.assignment import (
    AssignmentInvalid,
    Participant,
    assignment_errors,
    assignment_propose,
    assignment_save,
    round_assignment,
)
from visits.models import InterviewerSeat
from visits.services import PhaseClosed

from . import factories
from .factories_visits import RoundFactory, VisitFactory


def participants(count: int) -> list[Participant]:
    return [Participant(id=i + 1, name=f"City {i + 1:02d}") for i in range(count)]


def mutual_pairs(groups) -> set[frozenset]:
    return {
        frozenset((host, member))
        for host, members in groups.items()
        for member in members
        if host in groups.get(member, [])
    }


@pytest.mark.parametrize("count", [3, 6, 40])
def test_the_proposal_gives_everyone_a_group_of_two_others_and_an_even_load(count):
    people = participants(count)

    groups = assignment_propose(participants=people)

    assert set(groups) == {p.id for p in people}  # every participant hosts one visit
    for host, members in groups.items():
        assert len(members) == len(set(members)) == 2
        assert host not in members  # never itself
    load = Counter(member for members in groups.values() for member in members)
    assert set(load) == {p.id for p in people}
    assert max(load.values()) - min(load.values()) <= 1
    assert assignment_errors(participants=people, groups=groups) == []


@pytest.mark.parametrize("count", [5, 6, 9, 40])
def test_from_five_municipalities_on_no_pair_reviews_each_other(count):
    assert mutual_pairs(assignment_propose(participants=participants(count))) == set()


def test_with_three_municipalities_every_pair_reviews_each_other_and_that_is_allowed():
    people = participants(3)
    groups = assignment_propose(participants=people)
    assert len(mutual_pairs(groups)) == 3
    assert assignment_errors(participants=people, groups=groups) == []


def test_a_seed_draws_another_valid_assignment_and_the_same_seed_the_same_one():
    people = participants(6)
    first = assignment_propose(participants=people, seed=1)
    assert first == assignment_propose(participants=people, seed=1)
    assert first != assignment_propose(participants=people)
    assert assignment_errors(participants=people, groups=first) == []


def test_fewer_than_three_municipalities_cannot_form_groups():
    with pytest.raises(AssignmentInvalid) as refused:
        assignment_propose(participants=participants(2))
    assert "at least three municipalities" in refused.value.errors[0]


def test_an_edited_assignment_is_checked_with_one_clear_message_per_problem():
    people = participants(6)
    groups = assignment_propose(participants=people)
    groups[1] = [1, 2]  # itself
    groups[2] = [3]  # too small
    groups[3] = [4, 4]  # the same twice

    errors = assignment_errors(participants=people, groups=groups)

    assert "City 01 cannot sit on its own interview group" in " ".join(errors)
    assert "The interview group of City 02 has 1 municipalities; it needs two." in errors
    assert "The interview group of City 03 names City 04 twice." in errors


def test_an_uneven_load_is_refused_and_names_who_sits_on_too_many_and_too_few():
    people = participants(6)
    groups = assignment_propose(participants=people)
    groups[4] = [5, 1]  # instead of [5, 6]: City 01 sits on three groups, City 06 on one

    errors = assignment_errors(participants=people, groups=groups)

    assert errors == [
        "The groups are uneven: City 01 on 3 groups, City 06 on 1. Every municipality "
        "should sit on about as many groups as the others (at most one apart)."
    ]


def test_an_edited_assignment_where_a_pair_reviews_each_other_is_refused_from_five_on():
    people = participants(6)
    # Everyone sits on two groups, and one pair reviews each other: 4 <-> 5.
    groups = {1: [2, 3], 2: [3, 6], 3: [5, 6], 4: [5, 1], 5: [4, 2], 6: [4, 1]}
    load = Counter(m for members in groups.values() for m in members)
    assert set(load.values()) == {2}

    errors = assignment_errors(participants=people, groups=groups)

    assert errors == [
        "City 04 and City 05 would review each other: with five or more municipalities, "
        "no pair needs to."
    ]


def test_a_municipality_outside_the_round_is_refused():
    people = participants(5)
    groups = assignment_propose(participants=people)
    groups[1] = [2, 99]
    errors = assignment_errors(participants=people, groups=groups)
    assert "The interview group of City 01 names a municipality that is not in the round." in errors


@pytest.mark.django_db
def test_saving_replaces_the_groups_and_a_refused_one_writes_nothing():
    review_round = RoundFactory(phase="organising")
    visits = [VisitFactory(round=review_round) for _ in range(5)]
    people = [Participant(v.pk, v.host.name) for v in visits]
    groups = assignment_propose(participants=people)

    assignment_save(review_round=review_round, groups=groups)
    assert round_assignment(review_round=review_round) == {
        k: sorted(v, key=lambda pk: next(p.name for p in people if p.id == pk))
        for k, v in groups.items()
    }

    bad = {**groups, visits[0].pk: [visits[0].pk, visits[1].pk]}
    with pytest.raises(AssignmentInvalid):
        assignment_save(review_round=review_round, groups=bad)
    assert InterviewerSeat.objects.count() == 10
    assert not InterviewerSeat.objects.filter(visit=visits[0], reviewer=visits[0]).exists()


@pytest.mark.django_db
def test_the_groups_no_longer_change_once_the_visits_have_begun():
    review_round = RoundFactory(phase="visit")
    visits = [VisitFactory(round=review_round) for _ in range(3)]
    groups = assignment_propose(participants=[Participant(v.pk, v.host.name) for v in visits])
    with pytest.raises(PhaseClosed, match="The visits have begun"):
        assignment_save(review_round=review_round, groups=groups)
    assert not InterviewerSeat.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_seat_on_ones_own_group():
    visit = VisitFactory(host=factories.CityFactory())
    with pytest.raises(IntegrityError):
        InterviewerSeat.objects.create(visit=visit, reviewer=visit)
