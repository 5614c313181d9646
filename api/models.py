"""Personal API tokens (issue 16, item 2): a coordinator's key to the coordinator API.

The secret is shown once, when the token is made, and never stored: the row keeps its SHA-256
hash (to find the token a request carries) and its first characters (to tell tokens apart in
the profile, the admin and the audit trail). What a token may reach is its owner's scope,
read from their roles on every request (access.rules): it has no permissions of its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8
HASH_LENGTH = 64  # a SHA-256 digest in hex


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, in the person's words.")
    )
    prefix = models.CharField(_("begins with"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("hash of the secret"), max_length=HASH_LENGTH, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Written at most once a minute (api.coordinator.tokens.token_authenticate).
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="api_token_hash_unique"),
            # The prefix names a token in the audit trail: one token per prefix.
            models.UniqueConstraint(fields=["prefix"], name="api_token_prefix_unique"),
            models.CheckConstraint(
                condition=Exact(Length("key_hash"), HASH_LENGTH),
                name="api_token_hash_is_sha256",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
