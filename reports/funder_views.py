"""Published versions of the funder's report (issue 13, item 8), and the live report as XLSX.

The programme's coordinators (and superusers) publish and read them; a national coordinator or
city staff are refused (403), and another programme's version is not there (404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access import rules
from exchanges.languages import document_language
from multiply.exports import csv_response, xlsx_response

from .funder import (
    attendance_sheets,
    funder_report_context,
    funder_report_document,
    funder_report_filename,
    funder_report_publish,
    funder_report_rows,
    funder_report_sheets,
)
from .models import FunderReport
from .views import (
    AttendanceReportForm,
    _require_coordinator,
    attendance_file,
    serve_or_prepare,
)


class PublishForm(AttendanceReportForm):
    """The report's programme and period, sent back from its page, and a note for the funder."""

    note = forms.CharField(
        label=gettext_lazy("Note for this version (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("programme") and cleaned.get("programme") is None:
            raise forms.ValidationError(
                gettext_lazy("A version is published per programme: choose a programme first."),
                code="no_programme",
            )
        return cleaned


@login_required
@require_POST
def funder_report_publish_view(request):
    _require_coordinator(request.user)
    chosen = request.POST.get("programme")
    if chosen and not rules.programmes_run(request.user).filter(slug=chosen).exists():
        raise Http404  # another programme's report is not there, whether it exists or not
    form = PublishForm(data=request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "reports/funder_publish_refused.html", {"form": form}, status=400)
    options = form.cleaned_data
    report = funder_report_publish(
        programme=options["programme"],
        start=options["date_from"],
        end=options["date_to"],
        by=request.user,
        note=options["note"],
    )
    messages.success(
        request,
        _("Version %(version)s of this report is published: its figures will not change.")
        % {"version": report.version},
    )
    return redirect("reports:funder_report", pk=report.pk)


def _version(request, pk) -> FunderReport:
    """A version of a programme the person runs; another programme's is not there."""
    _require_coordinator(request.user)
    versions = FunderReport.objects.select_related("programme", "published_by")
    return get_object_or_404(rules.visible(request.user, versions), pk=pk)


@login_required
@require_GET
def funder_report_page(request, pk):
    report = _version(request, pk)
    context = {
        **funder_report_context(report),
        "pdf_language": report.programme.language_for(get_language()),
    }
    response = render(request, "reports/funder_version.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def funder_report_csv(request, pk):
    report = _version(request, pk)
    return csv_response(funder_report_filename(report, "csv"), funder_report_rows(report))


@login_required
@require_GET
def funder_report_xlsx(request, pk):
    report = _version(request, pk)
    return xlsx_response(funder_report_filename(report, "xlsx"), funder_report_sheets(report))


@login_required
@require_GET
def funder_report_pdf(request, pk):
    """Rendered once per language from the frozen figures; nothing makes it stale."""
    report = _version(request, pk)
    subject = funder_report_document(report, language=document_language(request, report.programme))
    return serve_or_prepare(request, public=False, **subject)


@login_required
@require_GET
def attendance_xlsx(request):
    """The live report as a workbook, a sheet per table (the CSV's sections)."""
    return attendance_file(
        request, "xlsx", lambda filename, report: xlsx_response(filename, attendance_sheets(report))
    )
