"""Headers every response of the portal carries besides those of Django's SecurityMiddleware and
django-csp's Content-Security-Policy (issue 15, item 9)."""

from django.conf import settings

HEADER = "Permissions-Policy"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value, `camera=(self), geolocation=()`: a feature with no origins is off in
    the page and in every frame it holds."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header: a script that found
    its way into a page still cannot turn on the microphone or ask where the person is. A view
    that sets the header itself keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(HEADER, self.header)
        return response
