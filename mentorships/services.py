"""Mentorship pairs for a new cohort, proposed from the previous one (docs/DESIGN.md rule 9).

Motiva's first-pilot municipalities mentor the second pilot: the proposer gives every mentee of
the new programme one mentor from the previous programme, spreads the mentees so that no mentor
has more than one mentee more than another, and pairs cities of the same country wherever the
balance allows. Nothing is written until the coordinator accepts the proposal.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cities.models import City, Contact
from exchanges.models import Membership, Programme, Role

from .models import Mentorship, MentorshipKind


@dataclass(frozen=True)
class ProposedPair:
    mentor: City
    mentee: City

    @property
    def same_country(self) -> bool:
        return self.mentor.country_id == self.mentee.country_id


def cohort_mentors(*, previous: Programme) -> list[City]:
    """Every city of the previous programme's networks, whatever its role there."""
    ids = Membership.objects.filter(network__programme=previous).values("city_id")
    return list(City.objects.filter(pk__in=ids).select_related("country").order_by("name", "pk"))


def cohort_mentees(*, programme: Programme, exclude: list[City]) -> list[City]:
    """The new programme's cities that still need a mentor: not mentors themselves, not in the
    previous cohort, and not yet paired in this programme."""
    ids = (
        Membership.objects.filter(network__programme=programme)
        .exclude(role=Role.MENTOR)
        .values("city_id")
    )
    paired = Mentorship.objects.filter(programme=programme).values("mentee_id")
    return list(
        City.objects.filter(pk__in=ids)
        .exclude(pk__in=paired)
        .exclude(pk__in=[city.pk for city in exclude])
        .select_related("country")
        .order_by("name", "pk")
    )


def mentorships_propose(*, programme: Programme, previous: Programme) -> list[ProposedPair]:
    """Propose one mentor for each mentee; see the module docstring for the rules."""
    if programme.pk == previous.pk:
        raise ValidationError(_("The previous cohort must be another programme."))
    mentors = cohort_mentors(previous=previous)
    mentees = cohort_mentees(programme=programme, exclude=mentors)
    if not mentees:
        return []
    if not mentors:
        raise ValidationError(_("The previous cohort has no municipalities to act as mentors."))
    return pair_balanced(mentors=mentors, mentees=mentees)


def pair_balanced(*, mentors: list[City], mentees: list[City]) -> list[ProposedPair]:
    """Each mentee one mentor; loads differ by at most one; same-country pairs maximised.

    With n mentees and m mentors every mentor takes n // m mentees and n % m of them one more,
    so the balance holds by construction. Same-country pairs only depend on which mentors get
    the extra places: each is given where it lets one more mentee stay in its own country, which
    is optimal because every extra place gains at most one such pair. The rest fill the places
    left, least-loaded mentor first. Ties go by name, so a proposal is repeatable.
    """
    base, extra = divmod(len(mentees), len(mentors))
    capacity = {mentor.pk: base for mentor in mentors}
    by_country = defaultdict(list)
    for mentor in mentors:
        by_country[mentor.country_id].append(mentor)
    demand = defaultdict(int)
    for mentee in mentees:
        demand[mentee.country_id] += 1
    extra = _give_extra_places(capacity, by_country, demand, extra)
    # Extra places nobody in the mentor's country needs go to the first mentors by name.
    for mentor in mentors:
        if extra == 0:
            break
        if capacity[mentor.pk] == base:
            capacity[mentor.pk] += 1
            extra -= 1
    return _assign(mentors, mentees, capacity, by_country)


def _give_extra_places(capacity, by_country, demand, extra: int) -> int:
    while extra:
        gaps = {
            country: demand[country] - sum(capacity[m.pk] for m in mentors)
            for country, mentors in by_country.items()
        }
        country = max(
            (c for c, gap in gaps.items() if gap > 0 and _has_base_mentor(capacity, by_country[c])),
            key=lambda c: gaps[c],
            default=None,
        )
        if country is None:
            return extra
        mentor = next(m for m in by_country[country] if capacity[m.pk] == min(capacity.values()))
        capacity[mentor.pk] += 1
        extra -= 1
    return 0


def _has_base_mentor(capacity, mentors) -> bool:
    lowest = min(capacity.values())
    return any(capacity[m.pk] == lowest for m in mentors)


def _assign(mentors, mentees, capacity, by_country) -> list[ProposedPair]:
    load = {mentor.pk: 0 for mentor in mentors}
    chosen: dict[int, City] = {}

    def least_loaded(candidates):
        free = [m for m in candidates if load[m.pk] < capacity[m.pk]]
        return min(free, key=lambda m: (load[m.pk], m.name, m.pk), default=None)

    for mentee in mentees:  # same country first
        mentor = least_loaded(by_country.get(mentee.country_id, []))
        if mentor is not None:
            chosen[mentee.pk] = mentor
            load[mentor.pk] += 1
    for mentee in mentees:  # then anyone with a place left
        if mentee.pk not in chosen:
            mentor = least_loaded(mentors)
            chosen[mentee.pk] = mentor
            load[mentor.pk] += 1
    return [ProposedPair(mentor=chosen[mentee.pk], mentee=mentee) for mentee in mentees]


@transaction.atomic
def mentorships_accept(
    *,
    programme: Programme,
    pairs: list[tuple[int, int]],
    kind: str = MentorshipKind.MENTORING,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> list[Mentorship]:
    """Create the accepted pairs (mentor city id, mentee city id); pairs that exist are kept.

    The mentor's contact person is its first active contact, which the coordinator can change.
    """
    created = []
    for mentor_id, mentee_id in pairs:
        mentorship, was_created = Mentorship.objects.get_or_create(
            programme=programme,
            mentor_city_id=mentor_id,
            mentee_id=mentee_id,
            defaults={
                "kind": kind,
                "start_date": start_date,
                "end_date": end_date,
                "mentor_contact": Contact.objects.filter(city_id=mentor_id, is_active=True)
                .order_by("last_name", "first_name", "pk")
                .first(),
            },
        )
        if was_created:
            created.append(mentorship)
    return created
