from django.db.models import Q, QuerySet

from .models import ActionItem, ConsortiumMeeting


def action_items_for_meeting(*, meeting: ConsortiumMeeting) -> QuerySet[ActionItem]:
    """The items agreed at this meeting, and those from earlier meetings still open at it.

    An item agreed earlier is carried to every later meeting until it is closed; the meeting at
    which it was closed still shows it, so the minutes record that it was done.
    """
    carried = Q(
        meeting__programme_id=meeting.programme_id,
        meeting__number__lt=meeting.number,
    ) & (Q(closed_on__isnull=True) | Q(closed_on__gte=meeting.start_date))
    return (
        ActionItem.objects.filter(Q(meeting=meeting) | carried)
        .select_related("owner", "meeting")
        .order_by("meeting__number", "due_date", "pk")
    )
