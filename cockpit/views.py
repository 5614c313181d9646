from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from access import rules
from exchanges.models import ExchangeMeeting, Registration

from . import selectors


def _coordinators_only(user) -> None:
    if not rules.is_coordinator(user):
        raise PermissionDenied


def meeting_to_work_on(request, pk) -> ExchangeMeeting:
    """A meeting whose registrations the person changes (check-in, registering someone):
    coordinators only (403); a meeting outside their scope is not there (404); and they must be
    allowed to change registrations."""
    _coordinators_only(request.user)
    meetings = rules.visible(request.user, ExchangeMeeting.objects.select_related("programme"))
    meeting = get_object_or_404(meetings, pk=pk)
    if not rules.may(request.user, "change", Registration):
        raise PermissionDenied
    return meeting


@login_required
@require_GET
def index(request):
    """The programmes the person coordinates; with only one, its cockpit at once."""
    _coordinators_only(request.user)
    programmes = list(selectors.cockpit_programmes(user=request.user))
    if len(programmes) == 1:
        return redirect("cockpit:programme", slug=programmes[0].slug)
    return render(request, "cockpit/index.html", {"programmes": programmes})


@login_required
@require_GET
def programme(request, slug):
    _coordinators_only(request.user)
    programme = get_object_or_404(selectors.cockpit_programmes(user=request.user), slug=slug)
    context = {
        "programme": programme,
        **selectors.programme_cockpit(user=request.user, programme=programme),
    }
    return render(request, "cockpit/programme.html", context)
