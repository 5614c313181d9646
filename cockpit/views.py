from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from access import rules
from exchanges import content_gaps
from exchanges.models import ExchangeMeeting, Registration
from notifications import outbox
from notifications.models import Message

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
    context = selectors.programme_cockpit(user=request.user, programme=programme)
    # One query for the rows shown and one more for the count only when there are more.
    stuck = list(context.pop("stuck_messages")[: selectors.STUCK_SHOWN + 1])
    context.update(
        programme=programme,
        stuck_messages=stuck[: selectors.STUCK_SHOWN],
        stuck_more=len(stuck) > selectors.STUCK_SHOWN,
        may_resend=rules.may(request.user, "change", Message),
    )
    return render(request, "cockpit/programme.html", context)


@login_required
@require_GET
def translations(request, slug):
    """The programme's texts still missing in its languages: there a reader sees the English
    text instead, so the coordinator sees the list and the link to each object's admin page."""
    _coordinators_only(request.user)
    programme = get_object_or_404(selectors.cockpit_programmes(user=request.user), slug=slug)
    gaps = content_gaps.programme_gaps(user=request.user, programme=programme)
    names = dict(settings.LANGUAGES)
    by_language = [
        {
            "code": code,
            "name": names[code],
            "gaps": [(gap, gap.missing[code]) for gap in gaps if code in gap.missing],
        }
        for code in programme.language_codes
    ]
    return render(
        request,
        "cockpit/translations.html",
        {"programme": programme, "gap_languages": by_language, "gap_count": len(gaps)},
    )


@login_required
@require_POST
def messages_resend(request, slug):
    """Send every failed or long-delayed message of the programme again, with one button."""
    _coordinators_only(request.user)
    programme = get_object_or_404(selectors.cockpit_programmes(user=request.user), slug=slug)
    if not rules.may(request.user, "change", Message):
        raise PermissionDenied
    stuck = selectors.stuck_messages(user=request.user, programme=programme)
    count = outbox.messages_resend(message_ids=stuck.values_list("pk", flat=True))
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d message is being sent again.",
                "%(count)d messages are being sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("There was nothing left to send again."))
    return redirect("cockpit:programme", slug=programme.slug)
