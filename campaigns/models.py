from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    """An e-mail a coordinator writes to a chosen group of people (a segment), sent through the
    outbox: each recipient's message is a notifications.Message row pointing here, which is
    where the delivery counts come from."""

    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("programme"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.programme} #{self.pk}"
