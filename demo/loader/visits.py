"""The section for the visits app: a programme's round of peer visits (docs/DESIGN.md rule 7).

The round covers every theme of its programme; its hosts visit in alphabetical order, two a week
from ``first_visit_day``, and the interview groups are the assignment service's proposal for
that order, so that every load gives the same groups.
"""

import datetime as dt

from django.core.files import File

from cities.models import Contact
from exchanges.models import Programme
from visits.assignment import Participant, assignment_propose
from visits.models import (
    BackgroundMaterial,
    FeedbackReport,
    Finding,
    Interview,
    InterviewerSeat,
    Phase,
    ReportStatus,
    ReviewRound,
    SelfAssessment,
    Visit,
    VisitFormat,
)

from .exchanges import programme_city
from .fields import aware
from .files import DATA_DIR, Section, Shape


def review_round_load(values: dict) -> None:
    """The round keyed by name in its programme, a visit per host, and the report where given."""
    programme = Programme.objects.get(slug=values["programme"])
    review_round = _round_load(programme, values)
    visits = _visits_load(review_round, values)
    _groups_load(visits)
    report = values.get("report")
    for material in values.get("materials", []):
        _material_load(review_round, material)
    for index, visit in enumerate(visits):
        _arrangements_load(visit, _visit_day(values["first_visit_day"], index), values)
        for theme in review_round.themes.all():
            SelfAssessment.objects.update_or_create(
                visit=visit, theme=theme, defaults={"text": values["self_assessment"]}
            )
        if report and visit.host.name in report["hosts"]:
            _report_load(visit, report)


def _visit_day(first: dt.date, index: int) -> dt.date:
    """Two visits a week: every third day, with a day more after every second visit."""
    return first + dt.timedelta(days=3 * index + index // 2)


def _round_load(programme: Programme, values: dict) -> ReviewRound:
    fields = {"timezone": values["timezone"]}
    for phase, window in values["windows"].items():
        fields[f"{phase}_start"], fields[f"{phase}_end"] = window["start"], window["end"]
    review_round, _ = ReviewRound.objects.update_or_create(
        programme=programme, name=values["name"], defaults=fields
    )
    review_round.themes.set(programme.themes.all())
    return review_round


def _visits_load(review_round: ReviewRound, values: dict) -> list[Visit]:
    hosts = [programme_city(review_round.programme, name) for name in values["hosts"]]
    visits = []
    for city in sorted(hosts, key=lambda city: city.name):
        visit, _ = Visit.objects.update_or_create(
            round=review_round,
            host=city,
            defaults={
                "responsible": Contact.objects.filter(city=city).order_by("email").first(),
                "format": values["format"],
            },
        )
        visits.append(visit)
    return visits


def _groups_load(visits: list[Visit]) -> None:
    """The service's proposal, in alphabetical order: the same groups on every load."""
    groups = assignment_propose(
        participants=[Participant(id=visit.pk, name=visit.host.name) for visit in visits]
    )
    for visit_id, members in groups.items():
        InterviewerSeat.objects.filter(visit_id=visit_id).exclude(reviewer_id__in=members).delete()
        for member in members:
            InterviewerSeat.objects.get_or_create(visit_id=visit_id, reviewer_id=member)


def _arrangements_load(visit: Visit, day: dt.date, values: dict) -> None:
    """The visit's day, its feedback session and its interviews, each interviewee named by the
    role and the municipality."""
    tz = values["timezone"]
    visit.date = day
    visit.session_at = aware(dt.datetime.combine(day, values["session_time"]), tz)
    visit.session_place = values["session_place"]
    visit.save(update_fields=["date", "session_at", "session_place", "updated_at"])
    for interview in values["interviews"]:
        Interview.objects.update_or_create(
            visit=visit,
            starts_at=aware(dt.datetime.combine(day, interview["time"]), tz),
            defaults={
                "role": interview["role"],
                "interviewee": f"{interview['role']}, {visit.host.name}",
            },
        )


def _material_load(review_round: ReviewRound, values: dict) -> None:
    """Background material the host has sent (a file of demo/data/files/), stored once: later
    loads keep the stored file rather than piling up copies."""
    visit = review_round.visits.get(host__name=values["host"])
    if visit.materials.filter(title=values["title"]).exists():
        return
    path = DATA_DIR / "files" / values["file"]
    material = BackgroundMaterial(visit=visit, title=values["title"])
    with path.open("rb") as handle:
        material.file.save(path.name, File(handle), save=False)
    material.save()


def _report_load(visit: Visit, values: dict) -> None:
    """A submitted report: its summary and its findings, theme by theme (English names)."""
    report, _ = FeedbackReport.objects.update_or_create(
        visit=visit,
        defaults={
            "summary": values["summary"],
            "status": ReportStatus.SUBMITTED,
            "submitted_at": aware(values["submitted"], visit.round.timezone),
            "host_agrees_to_be_named": visit.host.name in values.get("named", []),
        },
    )
    for finding in values["findings"]:
        Finding.objects.update_or_create(
            report=report,
            theme=visit.round.themes.get(name_en=finding["theme"]),
            defaults={
                "strengths": finding["strengths"],
                "development_areas": finding["development_areas"],
            },
        )


WINDOW = Shape(required="start end", dates="start end")
WINDOWS = Shape(required=" ".join(Phase.values), nested=dict.fromkeys(Phase.values, WINDOW))
INTERVIEW = Shape(required="time role")
MATERIAL = Shape(required="host title file")
FINDING = Shape(required="theme strengths development_areas")
REPORT = Shape(
    required="hosts submitted summary findings",
    optional="named",
    datetimes="submitted",
    nested={"findings": FINDING},
)

SECTIONS = {
    "review_rounds": Section(
        Shape(
            required="programme name timezone windows hosts first_visit_day session_time "
            "session_place interviews self_assessment format",
            dates="first_visit_day",
            choices={"format": VisitFormat.values},
            nested={
                "windows": WINDOWS,
                "interviews": INTERVIEW,
                "materials": MATERIAL,
                "report": REPORT,
            },
        ),
        review_round_load,
    ),
}
