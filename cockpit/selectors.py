"""The coordinator's cockpit: what needs them now, in one programme (issue 11, section 3).

Every list is read through access.rules, so a national coordinator's cockpit is their network's,
and each is one query whatever the size of the programme: the page costs the same for one
network as for six.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from access import rules
from calls.models import DECIDED, Call
from exchanges.models import (
    SEAT_HOLDING,
    ExchangeMeeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Programme,
)
from exchanges.services import plan_deviations
from meetings.models import ActionItem
from notifications.models import Message
from visits.models import ReportStatus, Visit

UPCOMING = 12  # meetings shown ahead; the admin's list has the rest
RECENT = dt.timedelta(days=365)  # ended meetings still worth finishing the records of
DELAYED_AFTER = dt.timedelta(minutes=30)  # a message still not sent after this is shown
STUCK_SHOWN = 10  # messages listed in the cockpit; the admin's list has them all


def cockpit_programmes(*, user) -> QuerySet[Programme]:
    """The programmes the person coordinates, in whole or by a network."""
    return rules.visible(user, Programme.objects.all()).order_by("-start_date", "name")


def programme_cockpit(*, user, programme: Programme, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "networks": _networks(user, programme),
        "upcoming": _upcoming(user, programme, now),
        "unfinished": _unfinished(user, programme, now),
        "action_items": _action_items(user, programme, now.date()),
        "calls": _calls(user, programme, now),
        "visits": _visits(user, programme, timezone.localdate(now)),
        "stuck_messages": stuck_messages(user=user, programme=programme, now=now),
    }


def stuck_messages(*, user, programme: Programme, now: dt.datetime | None = None):
    """The programme's messages that need a person (issue 14, item 1): failed for good, or
    still refused by the mail server after DELAYED_AFTER; oldest first. The outbox keeps trying
    a delayed one for a day by itself; the cockpit says so before anyone has to ask."""
    now = now or timezone.now()
    return (
        # A message whose body retention removed (privacy.retention) has nothing left to send.
        rules.visible(user, Message.objects.filter(programme=programme, body_removed_at=None))
        .filter(
            Q(status=Message.Status.FAILED)
            | Q(
                status=Message.Status.QUEUED,
                attempts__gt=0,
                created_at__lte=now - DELAYED_AFTER,
            )
        )
        .only(
            "recipient_email",
            "recipient_name",
            "subject",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "created_at",
        )
        .order_by("created_at", "pk")
    )


def _networks(user, programme: Programme) -> list[dict]:
    """Each network with its rule-1 deviations (docs/DESIGN.md rule 1), from three queries."""
    networks = list(rules.visible(user, programme.networks.select_related("country", "programme")))
    memberships, meetings = defaultdict(list), defaultdict(list)
    ids = [network.pk for network in networks]
    for membership in Membership.objects.filter(network__in=ids).select_related("city"):
        memberships[membership.network_id].append(membership)
    exchanges = ExchangeMeeting.objects.filter(
        network__in=ids, kind=MeetingKind.NATIONAL_EXCHANGE
    ).select_related("host_city")
    for meeting in exchanges:
        meetings[meeting.network_id].append(meeting)
    return [
        {
            "network": network,
            "deviations": plan_deviations(
                network=network,
                memberships=sorted(memberships[network.pk], key=lambda m: m.city.name),
                meetings=meetings[network.pk],
            ),
        }
        for network in networks
    ]


def _counted(meetings: QuerySet[ExchangeMeeting]) -> QuerySet[ExchangeMeeting]:
    """Seats and the invitation funnel, counted in the same query as the meetings."""
    registrations = "registrations"
    return meetings.annotate(
        taken=Count(registrations, filter=Q(registrations__status__in=SEAT_HOLDING), distinct=True),
        waiting=Count(registrations, filter=Q(registrations__status="waiting"), distinct=True),
        pending=Count(registrations, filter=Q(registrations__status="pending"), distinct=True),
        unmarked=Count(registrations, filter=Q(registrations__status="confirmed"), distinct=True),
        invited=Count("invitations", distinct=True),
        opened=Count("invitations", filter=Q(invitations__opened_at__isnull=False), distinct=True),
        registered=Count(
            "invitations", filter=Q(invitations__registered_at__isnull=False), distinct=True
        ),
        declined=Count(
            "invitations", filter=Q(invitations__declined_at__isnull=False), distinct=True
        ),
        answers=Count("feedback", distinct=True),
    )


def _upcoming(user, programme: Programme, now) -> list[ExchangeMeeting]:
    meetings = ExchangeMeeting.objects.filter(programme=programme, end__gte=now).exclude(
        status=MeetingStatus.CANCELLED
    )
    scoped = rules.visible(user, meetings.select_related("network__country", "host_city"))
    return list(_counted(scoped).order_by("start", "pk")[:UPCOMING])


def _unfinished(user, programme: Programme, now) -> list[ExchangeMeeting]:
    """Meetings that have ended with people registered but no attendance or feedback recorded."""
    meetings = ExchangeMeeting.objects.filter(
        programme=programme, end__lt=now, end__gte=now - RECENT
    ).exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
    counted = _counted(rules.visible(user, meetings.select_related("network__country")))
    needs_records = Q(unmarked__gt=0) | Q(answers=0)
    return list(counted.filter(taken__gt=0).filter(needs_records).order_by("-end"))


def _action_items(user, programme: Programme, today: dt.date) -> list[ActionItem]:
    """Open action items, overdue first, then by due date."""
    items = ActionItem.objects.filter(
        meeting__programme=programme, status=ActionItem.Status.OPEN
    ).select_related("owner", "meeting")
    items = list(rules.visible(user, items).order_by("due_date", "pk"))
    for item in items:
        item.overdue = item.due_date is not None and item.due_date < today
    return sorted(items, key=lambda item: (not item.overdue, item.due_date or dt.date.max))


def _calls(user, programme: Programme, now) -> list[Call]:
    """Calls open now, or closed with applications still waiting for a decision."""
    calls = rules.visible(user, Call.objects.filter(programme=programme))
    counted = calls.annotate(
        received=Count("applications", distinct=True),
        undecided=Count("applications", filter=~Q(applications__status__in=DECIDED)),
    )
    return list(
        counted.filter(Q(closes_at__gte=now, opens_at__lte=now) | Q(undecided__gt=0)).order_by(
            "closes_at"
        )
    )


def _visits(user, programme: Programme, today: dt.date) -> list[dict]:
    """Each visit of the programme's rounds, its phase today and what is late (docs/DESIGN.md
    rule 7): background material once preparing is over, the report once its window is over, the
    host's comment once the comments window is over."""
    visits = rules.visible(
        user,
        Visit.objects.filter(round__programme=programme)
        .select_related("round", "host", "report")
        .annotate(material_count=Count("materials")),
    )
    return [_visit_state(visit, today) for visit in visits.order_by("round", "host__name")]


def _visit_state(visit: Visit, today: dt.date) -> dict:
    review_round = visit.round
    phase = next((row for row in review_round.phases(today) if row["is_open"]), None)
    report = getattr(visit, "report", None)
    submitted = report is not None and report.status == ReportStatus.SUBMITTED
    late = []
    if today > review_round.preparing_end and not visit.material_count:
        late.append("material")
    if today > review_round.report_end and not submitted:
        late.append("report")
    if today > review_round.comments_end and submitted and not report.host_commented_at:
        late.append("comment")
    return {"visit": visit, "phase": phase["label"] if phase else None, "late": late}
