"""Who sits on whose interview group (docs/DESIGN.md rule 7; seed 004: "a group drawn from two other
municipalities").

The rules, for a round of n participants:
- every participant hosts one visit, and its interview group is two *other* participants;
- each municipality sits on about as many groups as the others (at most one apart). With groups
  of two and one visit each, that means exactly two groups for everyone;
- from five participants on, no pair reviews each other. Below five it cannot be avoided: n
  visits need 2n seats, and n municipalities form only n(n-1)/2 pairs, fewer than 2n when n is
  3 or 4. (With four, two pairs at least must review each other; with three, all of them.)

The proposal is a circulant design: in a fixed order, municipality i is visited by i+1 and i+2.
Everyone then sits on exactly two groups, and i+1, i+2 never come back as i-1, i-2 once n >= 5.
"""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .models import InterviewerSeat, ReviewRound, Visit
from .services import PhaseClosed

GROUP_SIZE = 2
# From this many participants on, no pair needs to review each other (see the module docstring).
NO_MUTUAL_FROM = 5


class AssignmentInvalid(Exception):
    """An assignment breaks the rules; `errors` says how, one sentence each."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Participant:
    """What the assignment needs of a visit: its id and its host's name (for the messages)."""

    id: int
    name: str


def assignment_propose(
    *, participants: Sequence[Participant], seed: int | None = None
) -> dict[int, list[int]]:
    """A valid assignment {visit id: [the visit ids whose hosts form its group]}.

    The order is the given one, or shuffled by `seed` for a different but reproducible draw.
    """
    order = list(participants)
    if len(order) <= GROUP_SIZE:
        raise AssignmentInvalid(
            [
                _("A round needs at least three municipalities: each group is two others.")
                if order
                else _("The round has no participants yet.")
            ]
        )
    if seed is not None:
        random.Random(seed).shuffle(order)
    n = len(order)
    return {
        order[i].id: [order[(i + offset) % n].id for offset in range(1, GROUP_SIZE + 1)]
        for i in range(n)
    }


def assignment_errors(
    *, participants: Sequence[Participant], groups: Mapping[int, Sequence[int]]
) -> list[str]:
    """Every way `groups` breaks the rules, as messages for the coordinator; [] when valid."""
    names = {p.id: p.name for p in participants}
    errors: list[str] = []
    if len(names) <= GROUP_SIZE:
        return [_("A round needs at least three municipalities: each group is two others.")]
    load: Counter[int] = Counter()
    for visit_id, name in names.items():
        members = list(groups.get(visit_id) or [])
        errors += _group_errors(name, visit_id, members, names)
        load.update(member for member in set(members) if member in names and member != visit_id)
    for visit_id in groups:
        if visit_id not in names:
            errors.append(_("A group is given for a visit that is not in this round."))
    errors += _balance_errors(load, names)
    if len(names) >= NO_MUTUAL_FROM:
        errors += _mutual_errors(groups, names)
    return errors


def _group_errors(name: str, visit_id: int, members: list[int], names: dict) -> list[str]:
    errors = []
    if len(members) != GROUP_SIZE:
        errors.append(
            _("The interview group of %(host)s has %(count)s municipalities; it needs two.")
            % {"host": name, "count": len(members)}
        )
    if visit_id in members:
        errors.append(
            _("%(host)s cannot sit on its own interview group: choose two other municipalities.")
            % {"host": name}
        )
    for member, count in Counter(members).items():
        if member not in names:
            errors.append(
                _("The interview group of %(host)s names a municipality that is not in the round.")
                % {"host": name}
            )
        elif count > 1 and member != visit_id:
            errors.append(
                _("The interview group of %(host)s names %(member)s twice.")
                % {"host": name, "member": names[member]}
            )
    return errors


def _balance_errors(load: Counter, names: dict) -> list[str]:
    counts = {visit_id: load.get(visit_id, 0) for visit_id in names}
    most, least = max(counts.values()), min(counts.values())
    if most - least <= 1:
        return []
    busiest = sorted(names[v] for v, c in counts.items() if c == most)
    idlest = sorted(names[v] for v, c in counts.items() if c == least)
    return [
        _(
            "The groups are uneven: %(busy)s on %(most)s groups, %(idle)s on %(least)s. Every "
            "municipality should sit on about as many groups as the others (at most one apart)."
        )
        % {
            "busy": ", ".join(busiest),
            "most": most,
            "idle": ", ".join(idlest),
            "least": least,
        }
    ]


def _mutual_errors(groups: Mapping[int, Sequence[int]], names: dict) -> list[str]:
    errors = []
    for visit_id, members in groups.items():
        for member in set(members):
            both = member in names and visit_id in names and visit_id < member
            if both and visit_id in (groups.get(member) or []):
                errors.append(
                    _(
                        "%(first)s and %(second)s would review each other: with five or "
                        "more municipalities, no pair needs to."
                    )
                    % {"first": names[visit_id], "second": names[member]}
                )
    return sorted(errors)


def round_participants(*, review_round: ReviewRound) -> list[Participant]:
    visits = (
        Visit.objects.filter(round=review_round).select_related("host").order_by("host__name", "pk")
    )
    return [Participant(id=v.pk, name=v.host.name) for v in visits]


def round_assignment(*, review_round: ReviewRound) -> dict[int, list[int]]:
    """The round's current assignment, as assignment_errors takes it."""
    groups: dict[int, list[int]] = {}
    seats = InterviewerSeat.objects.filter(visit__round=review_round).order_by(
        "reviewer__host__name"
    )
    for visit_id, reviewer_id in seats.values_list("visit_id", "reviewer_id"):
        groups.setdefault(visit_id, []).append(reviewer_id)
    return groups


def assignment_save(
    *, review_round: ReviewRound, groups: Mapping[int, Sequence[int]], today=None
) -> None:
    """Replace the round's interview groups with `groups`, if they keep the rules and the visits
    have not begun (groups are formed while organising, DIGEST phase 1; a municipality that
    drops out can still be replaced while preparing)."""
    today = today or review_round.today()
    if today >= review_round.visit_start:
        raise PhaseClosed(
            _("The visits have begun (%(date)s): the interview groups can no longer change.")
            % {"date": review_round.visit_start.isoformat()}
        )
    participants = round_participants(review_round=review_round)
    errors = assignment_errors(participants=participants, groups=groups)
    if errors:
        raise AssignmentInvalid(errors)
    with transaction.atomic():
        ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        InterviewerSeat.objects.filter(visit__round=review_round).delete()
        InterviewerSeat.objects.bulk_create(
            InterviewerSeat(visit_id=visit_id, reviewer_id=member)
            for visit_id, members in groups.items()
            for member in members
        )
