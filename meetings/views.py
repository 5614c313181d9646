from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from access import rules
from exchanges.languages import programme_speak
from exchanges.selectors import programme_list

from .models import Attendance, ConsortiumMeeting


@require_GET
def consortium_meetings(request, slug):
    """A programme's consortium meetings in order, with who was absent (docs/DESIGN.md rule 6)."""
    programme = get_object_or_404(programme_list(), slug=slug)
    programme_speak(request, programme)
    absences = Attendance.objects.filter(
        status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    ).select_related("partner")
    meetings = (
        ConsortiumMeeting.objects.filter(programme=programme)
        .prefetch_related(Prefetch("attendances", queryset=absences, to_attr="absences"))
        .order_by("number")
    )
    return render(
        request,
        "meetings/consortium_list.html",
        {
            "programme": programme,
            "meetings": meetings,
            "reads_minutes": rules.may_read_consortium(request.user, programme.pk),
        },
    )
