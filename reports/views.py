from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from exchanges.models import ExchangeMeeting, Registration, RegistrationStatus
from exchanges.selectors import programme_list
from meetings.models import ConsortiumMeeting

from .models import Document
from .services import document_latest, document_request


def _language(request) -> str:
    """?lang=pl|sv|fi; English by default. An unknown language is not there (404)."""
    language = request.GET.get("lang", "en")
    if language not in dict(settings.LANGUAGES):
        raise Http404
    return language


def _serve_or_prepare(request, *, public: bool, **subject):
    """The newest ready file, straight from storage; never a render on the request path.
    With none yet, a render is queued (once) and the page says so and refreshes itself."""
    document = document_latest(**subject)
    if document is None:
        document_request(**subject)
        response = render(request, "reports/preparing.html", {"subject": subject}, status=202)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    etag = f'"{document.data_hash}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=document.file.name.rsplit("/", 1)[-1])
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    return response


@require_GET
def plan_download(request, slug):
    programme = get_object_or_404(programme_list(), slug=slug)
    return _serve_or_prepare(
        request,
        public=True,
        kind=Document.Kind.PLAN,
        programme=programme,
        language=_language(request),
    )


@login_required
@require_GET
def minutes_download(request, slug, number):
    """For consortium members: people given the permission to view consortium meetings."""
    if not request.user.has_perm("meetings.view_consortiummeeting"):
        raise PermissionDenied
    programme = get_object_or_404(programme_list(), slug=slug)
    meeting = get_object_or_404(ConsortiumMeeting, programme=programme, number=number)
    return _serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.MINUTES,
        programme=programme,
        consortium_meeting=meeting,
        language=_language(request),
    )


@login_required
@require_GET
def participants_download(request, pk):
    """The host's signature list, for coordinators."""
    if not request.user.has_perm("exchanges.view_registration"):
        raise PermissionDenied
    meeting = get_object_or_404(ExchangeMeeting.objects.select_related("programme"), pk=pk)
    return _serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.PARTICIPANTS,
        programme=meeting.programme,
        meeting=meeting,
        language=_language(request),
    )


@login_required
@require_GET
def certificate_download(request, pk):
    """An attendee's own certificate, once marked as attended; anyone else's is not there."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting__programme", "contact"),
        pk=pk,
        contact__user=request.user,
        status=RegistrationStatus.ATTENDED,
    )
    language = request.GET.get("lang") or registration.contact.language or get_language()
    if language not in dict(settings.LANGUAGES):
        raise Http404
    return _serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.CERTIFICATE,
        programme=registration.meeting.programme,
        meeting=registration.meeting,
        registration=registration,
        language=language,
    )
