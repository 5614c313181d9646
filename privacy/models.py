"""What the portal tells people about their data, and what it removed (issue 15, items 1-4).

A privacy notice is versioned: a published version is never changed again, so "the version
accepted" that every consent records stays the text the person read. A coordinator edits a
draft (in every language, django-modeltranslation) and publishes it; the newest published
version of a programme is its current notice, and the portal's own (no programme) stands for
any programme that has none.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PrivacyNotice(models.Model):
    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="privacy_notices",
        verbose_name=_("programme"),
        help_text=_("Leave empty for the portal's own notice, which covers sign-up and accounts."),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["programme__name", "-version"]
        constraints = [
            # NULL programmes are distinct in a plain unique constraint: the portal's versions
            # need one of their own.
            models.UniqueConstraint(
                fields=["programme", "version"],
                condition=Q(programme__isnull=False),
                name="privacy_notice_version_unique_per_programme",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(programme__isnull=True),
                name="privacy_notice_version_unique_for_portal",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="privacy_notice_version_positive"
            ),
        ]

    def __str__(self):
        owner = self.programme.name if self.programme_id else _("Portal")
        return _("%(owner)s privacy notice, version %(version)s") % {
            "owner": owner,
            "version": self.version,
        }

    def get_absolute_url(self) -> str:
        if self.programme_id:
            return reverse(
                "privacy:programme_version",
                kwargs={"slug": self.programme.slug, "version": self.version},
            )
        return reverse("privacy:portal_version", kwargs={"version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RemovalRecord(models.Model):
    """What was erased or removed, when and why, with counts only: the record of an erasure
    must not keep what it erased (issue 15, items 3 and 4)."""

    class Reason(models.TextChoices):
        SELF = "self", _("the person deleted their account")
        REQUEST = "request", _("a coordinator erased a contact on request")
        RETENTION = "retention", _("retention period over")

    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # {"accounts": 1, "contacts": 1, "message_bodies": 4, "files": 0, ...}
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        verbose_name = _("record of removed data")
        verbose_name_plural = _("records of removed data")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["self", "request", "retention"]),
                name="removal_record_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.at:%Y-%m-%d %H:%M})"
