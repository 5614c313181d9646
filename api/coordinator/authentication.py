"""How a request to the coordinator API says who it is: `Authorization: Bearer <secret>` (or
`Token <secret>`, as pretix and DRF's own token scheme write it) with a personal token
(api.coordinator.tokens). Nothing else is accepted there: no session, so no CSRF to think of."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .tokens import TokenRejected, token_authenticate

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """A personal token: (its owner, the token), or 401 with the reason. A request without an
    Authorization header of this kind is anonymous, which the views answer 401 too."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: give the token after “Bearer ”.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        try:
            token = token_authenticate(secret)
        except TokenRejected as rejected:
            raise exceptions.AuthenticationFailed(rejected.message) from None
        return token.user, token

    def authenticate_header(self, request):
        # Its presence turns DRF's answer to a missing or bad token into a 401 (not a 403).
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme for it (drf-spectacular finds it by the target class)."""

    target_class = ApiTokenAuthentication
    name = "coordinatorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A personal API token, made by a coordinator on their profile page "
                    "(/me/); it reaches what its owner's roles reach."
                )
            ),
        }
