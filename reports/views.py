import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from access import rules
from exchanges.languages import document_language
from exchanges.models import (
    ExchangeMeeting,
    MeetingFeedback,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
)
from exchanges.selectors import programme_list, taken_place
from meetings.models import ConsortiumMeeting
from multiply.exports import csv_response

from .certificates import certificate_issue
from .funder import attendance_rows, funder_report_list, funder_report_next_version
from .models import Document
from .plan import programmes_with_plan
from .selectors import attendance_changed_at, attendance_chart, attendance_report
from .services import document_latest, document_request


def serve_or_prepare(request, *, public: bool, **subject):
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
    """A programme with nothing for a plan to show has none: 404, and nothing is queued."""
    programme = get_object_or_404(programmes_with_plan(), slug=slug)
    return serve_or_prepare(
        request,
        public=True,
        kind=Document.Kind.PLAN,
        programme=programme,
        language=document_language(request, programme),
    )


@login_required
@require_GET
def minutes_download(request, slug, number):
    """For the consortium's partners and the programme's coordinators (access.rules)."""
    programme = get_object_or_404(programme_list(), slug=slug)
    if not rules.may_read_consortium(request.user, programme.pk):
        if rules.is_coordinator(request.user) and not rules.coordinates(request.user, programme):
            raise Http404  # to a coordinator, another programme's minutes are not there
        raise PermissionDenied
    meeting = get_object_or_404(ConsortiumMeeting, programme=programme, number=number)
    return serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.MINUTES,
        programme=programme,
        consortium_meeting=meeting,
        language=document_language(request, programme),
    )


@login_required
@require_GET
def participants_download(request, pk):
    """The host's signature list, for the meeting's coordinators."""
    if not rules.is_coordinator(request.user):
        raise PermissionDenied
    return _meeting_document(request, pk, Document.Kind.PARTICIPANTS)


@require_GET
def agenda_download(request, pk):
    """A published meeting's printable programme, for anyone (it prints no online link). A
    meeting without sessions has none: 404, and nothing is queued."""
    meetings = ExchangeMeeting.objects.filter(
        Exists(Session.objects.filter(meeting=OuterRef("pk"))), programme__is_published=True
    ).select_related("programme")
    meeting = get_object_or_404(meetings, pk=pk)
    return serve_or_prepare(
        request,
        public=True,
        kind=Document.Kind.AGENDA,
        programme=meeting.programme,
        meeting=meeting,
        language=document_language(request, meeting.programme),
    )


@login_required
@require_GET
def meeting_feedback_download(request, pk):
    """The summary of a meeting's feedback, for the coordinators of the meeting."""
    if not rules.may(request.user, "view", MeetingFeedback):
        raise PermissionDenied
    return _meeting_document(request, pk, Document.Kind.MEETING_FEEDBACK)


def _meeting_document(request, pk, kind):
    """A private document of a meeting the person coordinates; another one is not there."""
    meetings = rules.visible(request.user, ExchangeMeeting.objects.select_related("programme"))
    meeting = get_object_or_404(meetings, pk=pk)
    return serve_or_prepare(
        request,
        public=False,
        kind=kind,
        programme=meeting.programme,
        meeting=meeting,
        language=document_language(request, meeting.programme),
    )


@login_required
@require_GET
def certificate_download(request, pk):
    """An attendee's own certificate, once marked as attended at a meeting that has taken
    place; anyone else's is not there."""
    registration = get_object_or_404(
        Registration.objects.filter(taken_place(prefix="meeting__")).select_related(
            "meeting__programme", "contact"
        ),
        pk=pk,
        contact__user=request.user,
        status=RegistrationStatus.ATTENDED,
    )
    programme = registration.meeting.programme
    language = request.GET.get("lang") or programme.language_for(
        registration.contact.language or get_language()
    )
    if not programme.speaks(language):
        raise Http404
    certificate_issue(registration=registration)  # every certificate carries its code
    return serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.CERTIFICATE,
        programme=registration.meeting.programme,
        meeting=registration.meeting,
        registration=registration,
        language=language,
    )


# ---------------------------------------------------------------------------------------------
# Reporting for the funder (issue 5): a page, a CSV and a PDF of attendance over a period.

# Dates outside these years are typing mistakes, and beyond them date arithmetic overflows.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        # ISO whatever the language: a browser's date field reads and sends nothing else.
        super().__init__(format="%Y-%m-%d")


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class AttendanceReportForm(forms.Form):
    """The report's GET form. Both dates are optional: "to" is today by default and "from"
    twelve months before "to", so the bare page shows the last twelve months."""

    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.order_by("-start_date", "name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All programmes"),
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A coordinator reports on their own programmes; only a superuser on all at once.
        field = self.fields["programme"]
        field.queryset = rules.programmes_run(user).order_by("-start_date", "name")
        if not rules.scope(user).everything:
            field.required, field.empty_label = True, None

    def _clean_in_range(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                gettext_lazy("Choose a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                code="out_of_range",
            )
        return value

    def clean_date_from(self):
        return self._clean_in_range("date_from")

    def clean_date_to(self):
        return self._clean_in_range("date_to")

    def clean(self):
        cleaned = super().clean()
        if self.has_error("date_from") or self.has_error("date_to"):
            return cleaned
        end = cleaned.get("date_to") or timezone.localdate()
        start = cleaned.get("date_from") or _year_before(end) + dt.timedelta(days=1)
        if start > end:
            raise forms.ValidationError(
                gettext_lazy("The period cannot end before it starts: “from” comes after “to”."),
                code="period_reversed",
            )
        cleaned["date_from"], cleaned["date_to"] = start, end
        return cleaned

    def query(self) -> dict:
        """The chosen period and programme as query parameters, for the download links."""
        programme = self.cleaned_data["programme"]
        return {
            "programme": programme.slug if programme else "",
            "date_from": self.cleaned_data["date_from"].isoformat(),
            "date_to": self.cleaned_data["date_to"].isoformat(),
        }


def _require_coordinator(user) -> None:
    """The funder's report is a programme coordinator's (access.rules)."""
    if not rules.runs_a_programme(user):
        raise PermissionDenied


def _report_form(request) -> AttendanceReportForm:
    data = request.GET.copy()
    everything = rules.scope(request.user).everything
    chosen = data.get("programme")
    runs = rules.programmes_run(request.user)
    if chosen and not everything and not runs.filter(slug=chosen).exists():
        raise Http404  # another programme's report is not there, whether it exists or not
    if not chosen and not everything:
        # The bare page of a programme coordinator: their newest programme.
        first = rules.programmes_run(request.user).order_by("-start_date", "name").first()
        data["programme"] = first.slug if first else ""
    form = AttendanceReportForm(data=data, user=request.user)
    if form.is_valid():
        # Show the period actually reported, defaults included, in the form's fields.
        form.data = form.query()
    return form


def _report_page(request, form, *, pdf_error: str = "", status: int = 200):
    context = {"form": form, "pdf_error": pdf_error}
    if form.is_valid():
        options = form.cleaned_data
        report = attendance_report(
            programme=options["programme"], start=options["date_from"], end=options["date_to"]
        )
        language = get_language()
        pdf_query = {
            **form.query(),
            "lang": language if language in dict(settings.LANGUAGES) else "en",
        }
        context.update(
            report=report,
            chart=attendance_chart(report["countries"]),
            query=urlencode(form.query()),
            pdf_query=urlencode(pdf_query),
            **_versions(options),
        )
    else:
        status = 400
    response = render(request, "reports/attendance.html", context, status=status)
    response["Cache-Control"] = "private, no-cache"
    return response


def _versions(options: dict) -> dict:
    """The programme's published versions (reports.funder), and the number the next one of
    this period gets."""
    if options["programme"] is None:
        return {"versions": [], "next_version": None}
    versions = funder_report_list(programme=options["programme"])
    start, end = options["date_from"], options["date_to"]
    return {
        "versions": versions,
        "next_version": funder_report_next_version(versions, start=start, end=end),
    }


@login_required
@require_GET
def attendance_page(request):
    _require_coordinator(request.user)
    return _report_page(request, _report_form(request))


def attendance_file(request, extension: str, respond) -> HttpResponse:
    """The live report of the chosen period as a file: `respond(filename, report)` writes it
    (a CSV here, a workbook in reports.funder_views), from the same figures as the page."""
    _require_coordinator(request.user)
    form = _report_form(request)
    if not form.is_valid():
        return _report_page(request, form)
    options = form.cleaned_data
    report = attendance_report(
        programme=options["programme"], start=options["date_from"], end=options["date_to"]
    )
    scope = options["programme"].slug if options["programme"] else "all-programmes"
    period = f"{options['date_from']:%Y%m%d}-{options['date_to']:%Y%m%d}"
    return respond(f"attendance-{scope}-{period}.{extension}", report)


@login_required
@require_GET
def attendance_csv(request):
    """One file, one section per table: a funder's spreadsheet opens it in one go. UTF-8 with
    a byte-order mark, or Excel reads Łódź as mojibake."""
    return attendance_file(
        request, "csv", lambda filename, report: csv_response(filename, attendance_rows(report))
    )


@login_required
@require_GET
def attendance_pdf(request):
    """The report as a published document of its programme, served from storage like every
    PDF. A report is per programme: without one, the page says so."""
    _require_coordinator(request.user)
    form = _report_form(request)
    if not form.is_valid():
        return _report_page(request, form)
    options = form.cleaned_data
    if options["programme"] is None:
        return _report_page(
            request,
            form,
            pdf_error=_("The PDF report is made per programme: choose a programme first."),
            status=400,
        )
    subject = {
        "kind": Document.Kind.FUNDER_REPORT,
        "programme": options["programme"],
        "period_start": options["date_from"],
        "period_end": options["date_to"],
        "language": document_language(request, options["programme"]),
    }
    if document_latest(**subject) is not None:
        _refresh_if_stale(subject)
    return serve_or_prepare(request, public=False, **subject)


def _refresh_if_stale(subject: dict) -> None:
    """Attendance is marked after the meetings, so a published report goes out of date. When
    the data changed after the last render was asked for, ask for one more; the old file stays
    online meanwhile. One request per change: a failed render is not retried on every click."""
    changed = attendance_changed_at(
        programme=subject["programme"], start=subject["period_start"], end=subject["period_end"]
    )
    if changed is None:
        return
    # reference="": a published version's PDF of the same period is not this report's render.
    if not Document.objects.filter(**subject, reference="", created_at__gte=changed).exists():
        document_request(**subject)
