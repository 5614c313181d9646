"""Published versions of the funder's report (issue 13, item 8).

A coordinator publishes the attendance report of a period as a version: its figures are frozen
then, as JSON (`FunderReport.data`), and every page, spreadsheet and PDF of the version is made
from that snapshot alone, so a registration marked later changes the live report and the next
version, never one the funder already has. Versions are numbered 1, 2, ... per programme and
period, decided under the programme's row lock (as seats are, docs/DESIGN.md "Capacity").
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exchanges.models import Programme

from .models import Document, FunderReport
from .selectors import attendance_chart, attendance_report

# A version's PDF is the FUNDER_REPORT document with this reference (reports.builders).
REFERENCE = "funder-report:"


def funder_report_publish(
    *, programme: Programme, start: dt.date, end: dt.date, by, note: str = ""
) -> FunderReport:
    """Freeze the report of the programme over the period, now, as its next version. The figures
    are read under the programme's lock, so two coordinators publishing at once get two numbers,
    each with the figures of its own moment. Meeting titles are frozen in the portal's language
    (English): the funder reads one language, whoever pressed the button."""
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        with translation.override(settings.LANGUAGE_CODE):
            report = attendance_report(programme=programme, start=start, end=end)
        period = FunderReport.objects.filter(
            programme=programme, period_start=start, period_end=end
        )
        latest = period.aggregate(latest=Max("version"))["latest"] or 0
        return FunderReport.objects.create(
            programme=programme,
            period_start=start,
            period_end=end,
            version=latest + 1,
            published_at=timezone.now(),
            published_by=by,
            data=attendance_snapshot(report),
            note=note,
        )


def funder_report_list(*, programme: Programme) -> list[FunderReport]:
    """The programme's published versions, newest period and version first. One query."""
    return list(
        FunderReport.objects.filter(programme=programme)
        .select_related("published_by")
        .defer("data")
        .order_by("-period_end", "-period_start", "-version")
    )


def funder_report_next_version(versions: list[FunderReport], *, start: dt.date, end: dt.date):
    """The number the next version of this period will most likely get (the lock decides)."""
    same = [v.version for v in versions if (v.period_start, v.period_end) == (start, end)]
    return max(same, default=0) + 1


# --- The snapshot ------------------------------------------------------------------------------


def attendance_snapshot(report: dict) -> dict:
    """attendance_report's output as JSON: dates as ISO strings, the programme by its name then
    (a renamed programme does not rename a report already sent)."""
    programme = report["programme"]
    return {
        "programme": (
            {"pk": programme.pk, "slug": programme.slug, "name": programme.name}
            if programme
            else None
        ),
        "start": report["start"].isoformat(),
        "end": report["end"].isoformat(),
        "meetings": [{**row, "date": row["date"].isoformat()} for row in report["meetings"]],
        "cities": [dict(row) for row in report["cities"]],
        "countries": [dict(row) for row in report["countries"]],
        "totals": dict(report["totals"]),
    }


def snapshot_report(data: dict) -> dict:
    """A snapshot in attendance_report's shape again (dates as dates), for the templates and
    the spreadsheets; the programme is its frozen name and slug."""
    return {
        **data,
        "start": dt.date.fromisoformat(data["start"]),
        "end": dt.date.fromisoformat(data["end"]),
        "meetings": [
            {**row, "date": dt.date.fromisoformat(row["date"])} for row in data["meetings"]
        ],
    }


def funder_report_context(report: FunderReport) -> dict:
    """What the version's page and PDF show: the frozen figures, dated by their publication."""
    frozen = snapshot_report(report.data)
    return {
        "report": frozen,
        "chart": attendance_chart(frozen["countries"]),
        "programme": frozen["programme"],
        "version": report,
        "today": timezone.localdate(report.published_at),
    }


# --- Spreadsheets --------------------------------------------------------------------------------


def _sections(report: dict, *, version: FunderReport | None = None) -> list[tuple[str, list]]:
    """The report's tables, each with its title; a table's first row is its header."""
    programme = report["programme"]
    about = [
        [_("Programme"), programme["name"] if programme else _("All programmes")],
        [_("From"), report["start"]],
        [_("To"), report["end"]],
    ]
    if version is not None:
        about += _version_rows(version)
    return [
        (_("Attendance report"), about),
        (_("Totals"), _totals_table(report["totals"])),
        (_("Attendance per meeting"), _meeting_table(report["meetings"])),
        (_("Attendance per city"), _city_table(report["cities"])),
        (_("Attendance per country"), _country_table(report["countries"])),
    ]


def _totals_table(totals: dict) -> list[list]:
    return [
        [_("Meetings"), totals["meetings"]],
        [_("Registered"), totals["registered"]],
        [_("Attended"), totals["attended"]],
        [_("No-shows"), totals["no_shows"]],
        [_("Not marked"), totals["not_marked"]],
        [_("Distinct staff trained"), totals["staff_trained"]],
        [_("Cities"), totals["cities"]],
        [_("Countries"), totals["countries"]],
    ]


def _version_rows(version: FunderReport) -> list[list]:
    published = timezone.localtime(version.published_at).replace(microsecond=0, tzinfo=None)
    rows = [
        [_("Version"), version.version],
        [_("Published"), published],
        [_("Published by"), str(version.published_by) if version.published_by else ""],
    ]
    return rows + ([[_("Note"), version.note]] if version.note else [])


def _meeting_table(meetings: list[dict]) -> list[list]:
    header = [
        _("Meeting"),
        _("Date"),
        _("Host city"),
        _("Country"),
        _("Attended"),
        _("No-shows"),
        _("Not marked"),
        _("Registered"),
    ]
    fields = ("title", "date", "host", "country", "attended", "no_shows", "not_marked")
    fields += ("registered",)
    return [header, *([row[field] for field in fields] for row in meetings)]


def _city_table(cities: list[dict]) -> list[list]:
    header = [_("City"), _("Country"), _("Attended"), _("Distinct people")]
    return [header, *([r["city"], r["country"], r["participations"], r["people"]] for r in cities)]


def _country_table(countries: list[dict]) -> list[list]:
    header = [_("Country"), _("Cities"), _("Attended"), _("Distinct people")]
    fields = ("country", "cities", "participations", "people")
    return [header, *([row[field] for field in fields] for row in countries)]


def _rows(sections: list[tuple[str, list]]) -> list[list]:
    """One file, one section per table, a blank row between: a funder's spreadsheet opens the
    CSV in one go."""
    rows: list[list] = []
    for title, table in sections:
        rows += [*([[]] if rows else []), [title], *table]
    return rows


def _sheets(sections: list[tuple[str, list]]) -> dict[str, list[list]]:
    """One sheet per table; the period and the totals share the first, as figure and value."""
    (_about_title, about), (_totals_title, totals), *tables = sections
    return {_("Summary"): [[_("Figure"), _("Value")], *about, *totals], **dict(tables)}


def funder_report_rows(report: FunderReport) -> list[list]:
    """The version's CSV rows, from its snapshot only."""
    return _rows(_sections(snapshot_report(report.data), version=report))


def funder_report_sheets(report: FunderReport) -> dict[str, list[list]]:
    """The version's workbook, from its snapshot only."""
    return _sheets(_sections(snapshot_report(report.data), version=report))


def attendance_rows(report: dict) -> list[list]:
    """The live report's CSV rows, through the same snapshot a version keeps."""
    return _rows(_sections(snapshot_report(attendance_snapshot(report))))


def attendance_sheets(report: dict) -> dict[str, list[list]]:
    return _sheets(_sections(snapshot_report(attendance_snapshot(report))))


def funder_report_filename(report: FunderReport, extension: str) -> str:
    period = f"{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
    return f"attendance-{report.programme.slug}-{period}-v{report.version}.{extension}"


# --- The PDF -------------------------------------------------------------------------------------


def funder_report_document(report: FunderReport, *, language: str) -> dict:
    """The subject of the version's PDF in a language (reports.services.document_request)."""
    return {
        "kind": Document.Kind.FUNDER_REPORT,
        "programme": report.programme,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "reference": f"{REFERENCE}{report.pk}",
        "language": language,
    }


def funder_report_build(document: Document) -> tuple[str, dict, str] | None:
    """The template, context and file name of a version's PDF (reports.builders), or None when
    the document is the live report of its period."""
    if not document.reference.startswith(REFERENCE):
        return None
    report = FunderReport.objects.select_related("programme", "published_by").get(
        pk=int(document.reference.removeprefix(REFERENCE)), programme=document.programme
    )
    context = {**funder_report_context(report), "print": True}
    filename = funder_report_filename(report, "pdf").replace(".pdf", f"-{document.language}.pdf")
    return "reports/funder_report.html", context, filename
