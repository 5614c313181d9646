"""Sections for the meetings app: consortium partners, consortium meetings and action items."""

from cities.models import Country
from exchanges.models import Programme
from meetings.models import ActionItem, Attendance, ConsortiumMeeting, Partner

from .fields import tr
from .files import Section, Shape


def partner_load(values: dict, *, order: int) -> None:
    """A consortium partner keyed by name in its programme, in the order of the file."""
    Partner.objects.update_or_create(
        programme=Programme.objects.get(slug=values["programme"]),
        name=values["name"],
        defaults={
            "short_name": values.get("short_name", ""),
            "country": Country.objects.get(code=values["country"]),
            "order": order,
            "is_coordinator": values.get("coordinator", False),
            "website": values.get("website", ""),
        },
    )


def consortium_meeting_load(values: dict) -> None:
    """A consortium meeting keyed by its number (docs/DESIGN.md rule 6), with an attendance row for
    every partner: absent if listed in ``absent``, else online or present as the meeting was."""
    programme = Programme.objects.get(slug=values["programme"])
    online = values.get("held_online", False)
    meeting, _ = ConsortiumMeeting.objects.update_or_create(
        programme=programme,
        number=values["number"],
        defaults={
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "planned_place": values.get("planned_place", ""),
            "held_place": values.get("held_place", ""),
            "held_online": online,
            "linked_event_url": values.get("linked_event_url", ""),
            **tr("summary", values["summary"]),
            # No linked event clears an earlier one.
            **tr("linked_event", values.get("linked_event", {"en": ""})),
        },
    )
    if meeting.is_held:  # a meeting still to come has no attendance yet
        _attendance_load(meeting, set(values.get("absent", [])), online=online)


def _attendance_load(meeting: ConsortiumMeeting, absent: set[str], *, online: bool) -> None:
    partners = list(meeting.programme.partners.all())
    unknown = absent - {partner.name for partner in partners}
    if unknown:
        raise ValueError(f"absent: no partner named {sorted(unknown)[0]!r}")
    present = Attendance.Status.ONLINE if online else Attendance.Status.PRESENT
    for partner in partners:
        status = Attendance.Status.ABSENT if partner.name in absent else present
        Attendance.objects.update_or_create(
            meeting=meeting, partner=partner, defaults={"status": status}
        )


def action_item_load(values: dict) -> None:
    """An action item keyed by title at its meeting; done once it has ``closed_on``."""
    programme = Programme.objects.get(slug=values["programme"])
    closed_on = values.get("closed_on")
    ActionItem.objects.update_or_create(
        meeting=ConsortiumMeeting.objects.get(programme=programme, number=values["meeting"]),
        title=values["title"],
        defaults={
            "owner": programme.partners.get(name=values["owner"]),
            "due_date": values["due"],
            "closed_on": closed_on,
            "status": ActionItem.Status.DONE if closed_on else ActionItem.Status.OPEN,
        },
    )


SECTIONS = {
    "partners": Section(
        Shape(required="programme name country", optional="short_name coordinator website"),
        partner_load,
        ordered=True,
    ),
    "consortium_meetings": Section(
        Shape(
            required="programme number start_date end_date summary",
            optional="planned_place held_place held_online linked_event_url absent",
            texts="summary linked_event",
            dates="start_date end_date",
        ),
        consortium_meeting_load,
    ),
    "action_items": Section(
        Shape(required="programme meeting title owner due", dates="due closed_on"),
        action_item_load,
    ),
}
