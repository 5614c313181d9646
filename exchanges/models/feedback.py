"""Feedback on meetings: an attendee's answers to the short form sent after a meeting."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .meetings import ExchangeMeeting


class Usefulness(models.TextChoices):
    """How useful a meeting was: words, not numbers (a meeting's feedback, never a city's)."""

    VERY = "very", _("very useful")
    QUITE = "quite", _("quite useful")
    LITTLE = "little", _("of little use")
    NOT = "not", _("not useful")


class MeetingFeedback(models.Model):
    """An attendee's answers to the form sent the day after a meeting: the meeting's feedback
    questions (exchanges.models.questions), one FeedbackAnswer each. Coordinators read them
    without names."""

    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("meeting"),
    )
    contact = models.ForeignKey(
        "cities.Contact",
        on_delete=models.CASCADE,
        related_name="meeting_feedback",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Moved from visits (issue 12) with its table and its rows.
        db_table = "visits_meetingfeedback"
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                name="feedback_one_per_attendee",
                violation_error_message=_("This person has already answered."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.pk}"
