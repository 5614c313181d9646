"""Changing a meeting: every way of changing one goes through meeting_update.

What follows a change is a rule of its own, not of the screen that made it: a new time, place
or status tells everyone registered (docs/DESIGN.md rule 5), any other change only when the
coordinator chooses to tell them (issue 14, item 7), and a raised capacity gives the new seats to
the people waiting (exchanges.registrations).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import ExchangeMeeting
from .notices import meeting_record_change
from .registrations import meeting_fill_free_seats


@dataclass(frozen=True)
class MeetingUpdated:
    told: int  # registered people sent a change notice
    promoted: int  # people given a seat from the waiting list


@transaction.atomic
def meeting_update(
    *, meeting: ExchangeMeeting, changed_fields: Iterable[str], announce: bool = False
) -> MeetingUpdated:
    """Save a meeting already validated (the admin's form does) and do what its changes call
    for: a moved time or place, a move online, a postponement or a cancellation raises the
    calendar SEQUENCE and tells everyone registered (docs/DESIGN.md rule 5); another change
    (a title, a description) tells them only if `announce`; seats freed by a raised (or
    removed) capacity go to the people waiting, decided under the meeting's lock."""
    changed = set(changed_fields)
    meeting.save()
    told = meeting_record_change(meeting=meeting, changed_fields=changed, announce=announce)
    promoted = meeting_fill_free_seats(meeting_id=meeting.pk) if "capacity" in changed else []
    return MeetingUpdated(told=told, promoted=len(promoted))
