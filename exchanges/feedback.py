"""Feedback on exchange meetings: the short form the day-after e-mail (notices.py) links to.

Only the people who took part may answer, once the meeting has been held; the questions are the
meeting's own (exchanges.questions: the typical three unless its coordinator chose others), and
one answer per attendee is kept (sending the form again changes it). Coordinators
read the answers without names (selectors.meeting_feedback_summary).

The published summary PDF is re-rendered by reports when an answer is saved: reports watches
MeetingFeedback, because exchanges does not import reports (docs/DESIGN.md, "Domain").
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from multiply.refusals import Refused

from .models import ExchangeMeeting, MeetingFeedback, MeetingStatus
from .questions import AnswerRefused, answers_check, answers_save, feedback_questions
from .selectors import FEEDBACK_STATUSES


class FeedbackRefused(Refused):
    """An answer the rules refuse; `message` says why, for the person who sent it."""


def meeting_feedback_refusal(
    *, meeting: ExchangeMeeting, contact, now: dt.datetime | None = None
) -> str | None:
    """Why this person may not answer the meeting's feedback form, or None if they may: only
    its attendees (confirmed or marked attended), once it has been held."""
    now = now or timezone.now()
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        return _("This meeting did not take place: there is nothing to give feedback on.")
    attended = (
        contact is not None
        and meeting.registrations.filter(contact=contact, status__in=FEEDBACK_STATUSES).exists()
    )
    if not attended:
        return _("Only the people who took part in this meeting can give feedback on it.")
    held = meeting.status == MeetingStatus.HELD and meeting.start <= now
    if not (held or meeting.end <= now):
        return _("The feedback form opens when the meeting is over.")
    return None


@transaction.atomic
def meeting_feedback_save(
    *,
    meeting: ExchangeMeeting,
    contact,
    answers: dict,
    now: dt.datetime | None = None,
) -> MeetingFeedback:
    """An attendee's answers {question id: value} to the meeting's feedback questions, checked
    against them (a required one must be answered, a choice must be offered); sending the form
    again replaces the one answer."""
    refusal = meeting_feedback_refusal(meeting=meeting, contact=contact, now=now)
    if refusal:
        raise FeedbackRefused(refusal)
    try:
        checked = answers_check(feedback_questions(meeting=meeting), answers)
    except AnswerRefused as error:
        raise FeedbackRefused(str(error)) from None
    feedback, _created = MeetingFeedback.objects.get_or_create(meeting=meeting, contact=contact)
    answers_save(owner=feedback, answers=checked)
    # Saved again after its answers, so that reports' refresh of the summary (post_save) reads
    # them, and updated_at says when the answer last changed.
    feedback.save()
    return feedback
