"""A meeting's agenda: its sessions, each with a time, a place (a room or an online link), its
speakers and what it is for."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .meetings import ExchangeMeeting, MeetingMaterial


class Session(models.Model):
    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("meeting"),
    )
    # Stored in UTC like every time; shown and entered in the meeting's own zone.
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Only confirmed participants and coordinators see it."),
    )
    speakers = models.ManyToManyField(
        "cities.Contact", blank=True, related_name="sessions", verbose_name=_("speakers")
    )
    other_speakers = models.CharField(
        _("other speakers"),
        max_length=300,
        blank=True,
        help_text=_("Speakers who are not contacts in the portal, as they should be printed."),
    )
    target_group = models.ForeignKey(
        "cities.TargetGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("target group"),
    )
    materials = models.ManyToManyField(
        MeetingMaterial, blank=True, related_name="sessions", verbose_name=_("materials")
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["meeting", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="session_end_not_before_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("A session cannot end before it starts.")
        meeting = self.meeting if self.meeting_id else None
        if meeting and self.start and not (meeting.start <= self.start <= meeting.end):
            errors["start"] = _("A session takes place during its meeting.")
        if meeting and self.end and not (meeting.start <= self.end <= meeting.end):
            errors["end"] = _("A session takes place during its meeting.")
        if errors:
            raise ValidationError(errors)

    @property
    def local_start(self):
        """The wall-clock time in the meeting's zone (ExchangeMeeting.local_start says why)."""
        return self.start.astimezone(self.meeting.tz).replace(tzinfo=None)

    @property
    def local_end(self):
        return self.end.astimezone(self.meeting.tz).replace(tzinfo=None)
