"""A meeting's agenda, read for its page and its printed programme (issue 13, item 5).

Sessions are stored in UTC and read in the meeting's own zone (Session.local_start), so that a
day of the agenda is a day where the meeting is held, wherever the reader or the server is.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch

from cities.models import Contact

from .models import ExchangeMeeting, MeetingMaterial, Session


@dataclass(frozen=True)
class AgendaDay:
    day: dt.date  # in the meeting's zone
    sessions: list[Session]


def meeting_agenda(*, meeting: ExchangeMeeting) -> list[Session]:
    """The meeting's sessions in time order, with their target group, speakers (and each
    speaker's city) and materials: three queries however many sessions there are, one when
    there are none."""
    speakers = Contact.objects.select_related("city").order_by("last_name", "first_name")
    materials = MeetingMaterial.objects.order_by("order", "title")
    # Through the meeting's manager, each session knows its meeting without a query.
    return list(
        meeting.sessions.select_related("target_group")
        .prefetch_related(
            Prefetch("speakers", queryset=speakers), Prefetch("materials", queryset=materials)
        )
        .order_by("start", "pk")
    )


def agenda_days(*, sessions: list[Session]) -> list[AgendaDay]:
    """The sessions grouped by the local day they start on, in time order."""
    by_day = groupby(sessions, key=lambda session: session.local_start.date())
    return [AgendaDay(day=day, sessions=list(group)) for day, group in by_day]


def meeting_agenda_days(*, meeting: ExchangeMeeting) -> list[AgendaDay]:
    """The agenda as the meeting page and the programme PDF show it; empty without sessions."""
    return agenda_days(sessions=meeting_agenda(meeting=meeting))
