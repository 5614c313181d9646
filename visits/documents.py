"""The PDFs of this app, built by the reports pipeline (registered in VisitsConfig.ready()):
a visit's feedback report and a round's results summary."""

from django.utils import timezone
from django.utils.text import slugify

from .models import FeedbackReport, ReportStatus, ReviewRound, Visit
from .selectors import results_summary, round_themes


def _reference_pk(document, prefix: str) -> int:
    kind, _sep, pk = document.reference.partition(":")
    if kind != prefix or not pk.isdigit():
        raise ValueError(f"document {document.pk}: reference {document.reference!r}")
    return int(pk)


def feedback_report(document) -> tuple[str, dict, str]:
    """reference "visit:<pk>": the submitted report, in the document's (the host's) language."""
    visit = Visit.objects.select_related("round__programme", "host").get(
        pk=_reference_pk(document, "visit")
    )
    report = FeedbackReport.objects.get(visit=visit, status=ReportStatus.SUBMITTED)
    findings = {f.theme_id: f for f in report.findings.all()}
    context = {
        "visit": visit,
        "round": visit.round,
        "report": report,
        "group": [seat.reviewer.host for seat in visit.seats.select_related("reviewer__host")],
        "findings": [(theme, findings.get(theme.pk)) for theme in round_themes(visit.round)],
        "today": timezone.localdate(),
    }
    name = slugify(visit.host.name)[:40] or "host"
    return (
        "reports/visit_feedback_report.html",
        context,
        f"feedback-report-{name}-{visit.pk}-{document.language}.pdf",
    )


def results_summary_document(document) -> tuple[str, dict, str]:
    """reference "round:<pk>": observations per theme across the round, names only by consent."""
    review_round = ReviewRound.objects.select_related("programme").get(
        pk=_reference_pk(document, "round")
    )
    context = {**results_summary(review_round=review_round), "today": timezone.localdate()}
    name = slugify(review_round.name)[:40] or "round"
    return (
        "reports/visit_results_summary.html",
        context,
        f"results-summary-{name}-{document.language}.pdf",
    )
