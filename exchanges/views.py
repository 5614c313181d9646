from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .filters import MeetingFilter
from .models import ExchangeMeeting, MeetingKind, Topic


@require_GET
def home(request):
    programmes = selectors.programme_list().annotate(
        network_count=Count("networks", distinct=True),
        meeting_count=Count("meetings", distinct=True),
    )
    return render(request, "exchanges/home.html", {"programmes": programmes})


@require_GET
def programme_detail(request, slug):
    programme = get_object_or_404(selectors.programme_list(), slug=slug)
    themes = programme.themes.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "name")), "target_groups"
    ).order_by("order", "name")
    upcoming = selectors.meeting_calendar().filter(programme=programme, end__gte=timezone.now())
    context = {
        "programme": programme,
        "networks": selectors.programme_networks(programme=programme),
        "themes": themes,
        "conference": selectors.programme_conference(programme=programme),
        "upcoming": upcoming[:5],
        "meeting_count": programme.meetings.count(),
    }
    return render(request, "exchanges/programme_detail.html", context)


@require_GET
def meeting_list(request):
    meeting_filter = MeetingFilter(request.GET, queryset=selectors.meeting_calendar())
    meetings = meeting_filter.qs if meeting_filter.is_valid() else ExchangeMeeting.objects.none()
    page = Paginator(meetings, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": meeting_filter,
        "page": page,
        "query": query.urlencode(),
        "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, "exchanges/meeting_list.html", context)


@require_GET
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    target_groups = meeting.theme.target_groups.all() if meeting.theme else []
    return render(
        request,
        "exchanges/meeting_detail.html",
        {
            "meeting": meeting,
            "target_groups": target_groups,
            "is_conference": meeting.kind == MeetingKind.INTERNATIONAL_CONFERENCE,
        },
    )


@require_GET
def material_download(request, pk, material_pk):
    """Materials are public, but served through the app so no storage URL is ever exposed."""
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    material = get_object_or_404(meeting.materials, pk=material_pk)
    if material.url:
        return redirect(material.url)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])
