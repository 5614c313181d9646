"""The messages of peer visits, each a kind a coordinator can rewrite (issue 14, item 5): the
invitation of everyone interviewed to the closing feedback session, and the news to the host
that its feedback report is ready.

Registered from VisitsConfig.ready(); the values are computed here, in the recipient's language
(call these inside translation.override(language)).
"""

import zoneinfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from notifications.kinds import Kind, kind_register

from .models import Interview, Visit

VISIT_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The recipient's name"),
    "host_name": gettext_lazy("The host municipality"),
    "round_name": gettext_lazy("The peer-review round"),
}
SESSION_PLACEHOLDERS = {
    **VISIT_PLACEHOLDERS,
    "session_when": gettext_lazy("When the feedback session is, in the round's time zone"),
    "session_place": gettext_lazy("Where it is held: a room or an online link (may be empty)"),
}
REPORT_PLACEHOLDERS = {
    **VISIT_PLACEHOLDERS,
    "visit_url": gettext_lazy("The link to the visit's page, where the report is"),
}


def visit_values(visit: Visit) -> dict:
    return {"host_name": visit.host.name, "round_name": visit.round.name}


def session_values(visit: Visit) -> dict:
    """The session's time as the round's wall clock shows it, the zone named (as the pages)."""
    zone = visit.round.timezone
    session = visit.session_at.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return {
        **visit_values(visit),
        "session_when": f"{date_format(session, 'DATETIME_FORMAT')} ({zone})",
        "session_place": visit.session_place,
    }


def report_values(visit: Visit) -> dict:
    return {**visit_values(visit), "visit_url": f"{settings.SITE_URL}{visit.get_absolute_url()}"}


def _session_sample(programme):
    """Someone interviewed in the programme's latest visit that has a feedback session."""
    interview = (
        Interview.objects.filter(visit__round__programme=programme, visit__session_at__isnull=False)
        .exclude(email="")
        .select_related("visit__round", "visit__host")
        .order_by("-visit__session_at", "pk")
        .first()
    )
    if interview is None:
        return None
    return {**session_values(interview.visit), "recipient_name": interview.interviewee}


def _report_sample(programme):
    """The person responsible for the programme's latest visit."""
    visit = (
        Visit.objects.filter(round__programme=programme, responsible__isnull=False)
        .select_related("round", "host", "responsible")
        .order_by("-created_at")
        .first()
    )
    if visit is None:
        return None
    return {**report_values(visit), "recipient_name": visit.responsible.full_name}


def register() -> None:
    group = gettext_lazy("Peer visits")
    kind_register(
        Kind(
            code="visit_session",
            label=gettext_lazy("Invitation to a visit's feedback session"),
            group=group,
            placeholders=SESSION_PLACEHOLDERS,
            sample=_session_sample,
        )
    )
    kind_register(
        Kind(
            code="visit_report",
            label=gettext_lazy("A visit's feedback report is ready"),
            group=group,
            placeholders=REPORT_PLACEHOLDERS,
            sample=_report_sample,
        )
    )
