"""Reads: who may see which visit, and the data the pages and PDFs show.

Access to a visit (docs/DESIGN.md rule 7, issue 7): the host's staff, the staff of the interview
group's municipalities, and coordinators. Nobody else, not even the other participants of the
round: for them a visit is simply not there (404).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from access import rules
from cities.models import Contact
from cities.selectors import contact_for_user
from exchanges.models import Theme

from .models import (
    BackgroundMaterial,
    FeedbackReport,
    Finding,
    InterviewerSeat,
    ReportStatus,
    ReviewRound,
    SelfAssessment,
    Visit,
)


def is_coordinator(user, obj=None) -> bool:
    """Coordinators of peer visits (of this round or visit, when given): as the access rules
    say."""
    return rules.may(user, "view", Visit) if obj is None else rules.coordinates(user, obj)


def user_contact(user) -> Contact | None:
    """The signed-in person's active contact row, which ties them to a municipality."""
    return contact_for_user(user, active_only=True)


def visits_visible_to(user, contact: Contact | None = None) -> QuerySet[Visit]:
    """The visits a user may open: all for coordinators; else those its city hosts or sits on
    the interview group of."""
    visits = Visit.objects.select_related("round__programme", "host", "responsible")
    coordinated = rules.visible(user, Visit.objects.all()).values("pk")
    if contact is None:
        return visits.filter(pk__in=coordinated)
    ids = InterviewerSeat.objects.filter(reviewer__host_id=contact.city_id).values("visit_id")
    return visits.filter(Q(host_id=contact.city_id) | Q(pk__in=ids) | Q(pk__in=coordinated))


@dataclass
class VisitAccess:
    """What one user is to one visit. A coordinator who is also city staff has both."""

    is_host: bool = False
    is_member: bool = False
    is_coordinator: bool = False
    group: list = field(default_factory=list)


def visit_access(*, user, visit: Visit, contact: Contact | None) -> VisitAccess:
    group = list(
        InterviewerSeat.objects.filter(visit=visit)
        .select_related("reviewer__host")
        .order_by("reviewer__host__name")
    )
    city_id = contact.city_id if contact else None
    return VisitAccess(
        is_host=city_id is not None and city_id == visit.host_id,
        is_member=city_id is not None and any(s.reviewer.host_id == city_id for s in group),
        is_coordinator=is_coordinator(user, visit),
        group=[seat.reviewer.host for seat in group],
    )


def round_themes(review_round: ReviewRound) -> list[Theme]:
    return list(review_round.themes.order_by("order", "name"))


def rounds_visible_to(user, contact: Contact | None) -> QuerySet[ReviewRound]:
    """Coordinators see the rounds they coordinate; city staff the rounds their municipality
    takes part in."""
    rounds = ReviewRound.objects.select_related("programme")
    coordinated = rules.visible(user, ReviewRound.objects.all()).values("pk")
    if contact is None:
        return rounds.filter(pk__in=coordinated)
    taking_part = ReviewRound.objects.filter(visits__host_id=contact.city_id).values("pk")
    return rounds.filter(Q(pk__in=coordinated) | Q(pk__in=taking_part))


def my_visits(*, contact: Contact | None) -> dict:
    """The visits a municipality hosts and those it reviews, for the "my peer visits" page."""
    if contact is None:
        return {"hosting": [], "reviewing": []}
    visits = (
        Visit.objects.select_related("round__programme", "host")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=InterviewerSeat.objects.select_related("reviewer__host").order_by(
                    "reviewer__host__name"
                ),
            )
        )
        .order_by("-round__organising_start", "host__name")
    )
    hosting = list(visits.filter(host_id=contact.city_id))
    reviewing = list(visits.filter(seats__reviewer__host_id=contact.city_id))
    return {"hosting": hosting, "reviewing": reviewing}


def round_visits(*, user, review_round: ReviewRound) -> list[Visit]:
    """The visits of a round that the user coordinates (a national coordinator: those hosted in
    their network), with their interview groups and report states."""
    return list(
        rules.visible(user, Visit.objects.filter(round=review_round))
        .select_related("host", "responsible", "report")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=InterviewerSeat.objects.select_related("reviewer__host").order_by(
                    "reviewer__host__name"
                ),
            )
        )
        .order_by("host__name")
    )


def visit_detail(*, visit: Visit) -> dict:
    """A visit's self-assessment, material, schedule and report, in a fixed number of queries."""
    themes = round_themes(visit.round)
    assessments = {a.theme_id: a for a in SelfAssessment.objects.filter(visit=visit)}
    report = visit_report(visit)
    findings = {}
    if report is not None:
        findings = {f.theme_id: f for f in report.findings.all()}
    return {
        "themes": themes,
        "assessments": [(theme, assessments.get(theme.pk)) for theme in themes],
        "has_assessment": any(a.text for a in assessments.values()),
        "materials": list(BackgroundMaterial.objects.filter(visit=visit)),
        "interviews": list(visit.interviews.all()),
        "report": report,
        "findings": [(theme, findings.get(theme.pk)) for theme in themes],
    }


def visit_report(visit: Visit):
    try:
        return visit.report
    except Visit.report.RelatedObjectDoesNotExist:
        return None


def _shuffle_key(review_round_id: int, finding_id: int) -> str:
    # Observations are listed in an order that follows no municipality: neither names nor
    # the order of the reports can be read back from positions.
    return hashlib.sha256(f"{review_round_id}:{finding_id}".encode()).hexdigest()


def results_summary(*, review_round: ReviewRound) -> dict:
    """The round's submitted reports, per theme: strengths and development areas, each named
    only when its host agreed (docs/DESIGN.md rule 7: never scored, ranked or compared)."""
    themes = round_themes(review_round)
    findings = (
        Finding.objects.filter(
            report__visit__round=review_round, report__status=ReportStatus.SUBMITTED
        )
        .select_related("report__visit__host")
        .order_by("pk")
    )
    per_theme = defaultdict(lambda: {"strengths": [], "development_areas": []})
    for finding in sorted(findings, key=lambda f: _shuffle_key(review_round.pk, f.pk)):
        report = finding.report
        named = report.visit.host.name if report.host_agrees_to_be_named else ""
        for kind in ("strengths", "development_areas"):
            text = getattr(finding, kind).strip()
            if text:
                per_theme[finding.theme_id][kind].append({"text": text, "host": named})
    submitted = Visit.objects.filter(
        round=review_round, report__status=ReportStatus.SUBMITTED
    ).count()
    return {
        "round": review_round,
        "themes": [
            {"theme": theme, **per_theme.get(theme.pk, {"strengths": [], "development_areas": []})}
            for theme in themes
        ],
        "reports": submitted,
        "visits": Visit.objects.filter(round=review_round).count(),
    }


def round_comments(*, review_round: ReviewRound) -> list:
    """The hosts' comments on the summary, for coordinators."""
    return list(
        FeedbackReport.objects.filter(visit__round=review_round)
        .exclude(host_comment="")
        .select_related("visit__host")
        .order_by("visit__host__name")
    )
