"""A meeting's feedback summary PDF goes out of date with every answer (exchanges.feedback).

Reports watches the answers, because exchanges does not import reports (docs/DESIGN.md,
"Domain"): saving one asks for a new render of every language already published, debounced,
so a burst of answers makes one render. Connected from ReportsConfig.ready().
"""

from django.db.models.signals import post_save

from exchanges.models import MeetingFeedback

from .models import Document
from .services import published_refresh


def meeting_feedback_refresh(*, meeting) -> int:
    """Re-render the meeting's published summaries."""
    return published_refresh(
        kind=Document.Kind.MEETING_FEEDBACK, programme=meeting.programme, meeting=meeting
    )


def _answer_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata writes rows as they are, without their consequences
        meeting_feedback_refresh(meeting=instance.meeting)


def connect_signals() -> None:
    post_save.connect(_answer_saved, sender=MeetingFeedback, dispatch_uid="meeting-feedback-save")
