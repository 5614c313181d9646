"""Personal API tokens: made by a coordinator in their profile, revoked by them or a superuser,
and checked on every request to the coordinator API (issue 16, item 2; api/models.py)."""

import datetime as dt
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import rules
from api.models import PREFIX_LENGTH, ApiToken

SECRET_BYTES = 32  # 43 characters of URL-safe base64
# Longer than any secret token_create makes: a header this long is refused without hashing.
SECRET_MAX_LENGTH = 100
# A token's last use is written at most this often: a script polling every second would
# otherwise write a row per request.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that may not be made or revoked, with the reason to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TokenRejected(Exception):
    """A secret that opens nothing, with the reason the API answers (401)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token of a coordinator, and its secret, which is never stored: the caller shows
    it once. Only a coordinator (by role, access.rules) has one, since all it opens is their
    scope (docs/DESIGN.md, "Access")."""
    if not rules.is_coordinator(user):
        raise TokenRefused(_("Only coordinators have API tokens."))
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenRefused(_("A token cannot expire before it is made."))
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=_hash(secret),
        expires_at=expires_at,
    )
    return token, secret


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token for good: its owner or a superuser may. Revoking it again keeps the time it
    was first revoked (one conditional UPDATE, so two clicks at once record one time)."""
    if by.pk != token.user_id and not rules.scope(by).everything:
        raise TokenRefused(_("This is another person's token."))
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> ApiToken:
    """The token a request's secret opens, with its owner (`token.user`), or TokenRejected with
    the reason. The secret is looked up by its hash: the database compares hashes, so how long
    a comparison takes says nothing about the secret (no timing attack on the stored value)."""
    if not secret or len(secret) > SECRET_MAX_LENGTH:
        raise TokenRejected(_("Invalid token."))
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret)).first()
    if token is None:
        raise TokenRejected(_("Invalid token."))
    if token.is_revoked:
        raise TokenRejected(_("This token has been revoked."))
    if token.is_expired:
        raise TokenRejected(_("This token has expired."))
    if not token.user.is_active:
        raise TokenRejected(_("The token's account is inactive."))
    _record_use(token)
    return token


def _record_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
