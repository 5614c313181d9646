from email.utils import make_msgid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_message_id() -> str:
    """A Message-ID made once, when the row is written: every attempt sends the same one, so
    that a mail client merges the copy that a crash after the SMTP server's acceptance sends."""
    return make_msgid(domain=settings.MESSAGE_ID_DOMAIN)


class Message(models.Model):
    """An e-mail in the outbox: a database row before it is a Celery message, so nothing is lost.

    `key` names the event that caused it (e.g. "invitation:12"): the same event never makes two
    messages, however often the code that causes it runs.

    queued -> sending (claimed by a worker) -> sent; a temporary SMTP error puts it back to queued
    with a later next_attempt_at, for a day (retry_until); a permanent one (the recipient's
    server refuses the address or the message, 5xx) fails it at once, the reason in last_error.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    meeting = models.ForeignKey(
        "exchanges.ExchangeMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("meeting"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("campaign"),
    )
    # The programme the message is of (a meeting's, a call's, a peer visit's, a campaign's), so
    # that its coordinators see it in the cockpit and the admin; none for account e-mail.
    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    # Who caused the message by filling in a form: their account's sending is rate-limited.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, default=new_message_id)
    recipient_email = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # A calendar file, rendered when the message was made: it carries that moment's SEQUENCE.
    calendar = models.TextField(_("calendar attachment"), blank=True)
    # A message written under a meeting's seat lock keeps only what it says (its values) and is
    # rendered by whoever sends it, after the lock is gone (notifications.services.message_build,
    # render=False); the values are emptied once it is rendered.
    values = models.JSONField(_("values"), default=dict, blank=True, editable=False)
    render_pending = models.BooleanField(_("waiting to be rendered"), default=False, editable=False)
    # When the body (text, HTML, calendar) was removed, at the end of its retention period or
    # with the recipient's data (privacy.retention, privacy.erasure); the envelope stays.
    body_removed_at = models.DateTimeField(_("body removed"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set at the first temporary failure: until then the message keeps being tried. A
    # coordinator's "send again" clears it, for another full day of attempts.
    retry_until = models.DateTimeField(_("tried until"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["requested_by", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="message_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(claimed_at__isnull=False),
                name="message_sending_is_claimed",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient_email}"


class MessageTemplate(models.Model):
    """A coordinator's own subject and text for one kind of message in one language.

    For a programme's messages; with no programme, portal-wide (account e-mail, which belongs to
    no programme). Without a row the default in files is used (notifications.kinds); deleting
    the row is the reset to the default. The text is checked when saved, never at send time.
    """

    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("message"), max_length=50)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), max_length=20000)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["programme__name", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "language"],
                condition=models.Q(programme__isnull=False),
                name="message_template_one_per_programme",
                violation_error_message=_(
                    "This programme already has its own text for this message and language."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(programme__isnull=True),
                name="message_template_one_portal_wide",
                violation_error_message=_(
                    "There is already a portal-wide text for this message and language."
                ),
            ),
        ]

    def __str__(self):
        # "Invitation to a meeting, Polski (MULTIPLY)", as the admin's history and messages say it.
        from .kinds import KINDS  # the registry is filled once the apps are ready

        kind = KINDS.get(self.kind)
        label = kind.label if kind else self.kind
        where = self.programme.name if self.programme_id else _("portal-wide")
        return f"{label}, {self.get_language_display()} ({where})"
