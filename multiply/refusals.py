"""What a service raises when its rules refuse a request, and the one way a view turns that into
a message and a redirect.

Each app names its own kind (RegistrationRefused, InvitationRefused, ApplicationRefused,
VisitRefused) so that a caller catches only the refusals it expects; they share this base so
that the message and the code are read the same way everywhere.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect


class Refused(Exception):
    """A request the rules do not allow. `message` is shown to the person as it is; `code`
    names the rule for tests and callers that react to one in particular."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


def refusal_or_success(
    request,
    action: Callable[[], object],
    *,
    success: str,
    then: str,
    **then_kwargs,
) -> HttpResponseRedirect:
    """Run a service call for a POST: a refusal becomes an error message, anything else the
    success message; both go back to the page `then` names (a URL name and its arguments)."""
    try:
        action()
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return redirect(then, **then_kwargs)
