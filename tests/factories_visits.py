"""Factories for peer visits and meeting feedback (visits app); built on tests.factories."""

import datetime as dt
import zoneinfo

import factory
from django.utils import timezone

from visits.assignment import Participant, assignment_propose
from visits.models import (
    PHASES,
    FeedbackReport,
    Finding,
    InterviewerSeat,
    ReportStatus,
    ReviewRound,
    Visit,
)

from .factories import CityFactory, ContactFactory, ProgrammeFactory, ThemeFactory, UserFactory

HELSINKI = "Europe/Helsinki"


def helsinki_today() -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(HELSINKI)).date()


def windows(open_phase: str | None) -> dict[str, dt.date]:
    """Six consecutive ten-day windows, the `open_phase` one around today. None: the round has
    not begun (organising starts in ten days)."""
    today = helsinki_today()
    index = PHASES.index(open_phase) if open_phase else -1
    fields = {}
    for i, phase in enumerate(PHASES):
        start = today + dt.timedelta(days=(i - index) * 10 - 4)
        fields[f"{phase}_start"] = start
        fields[f"{phase}_end"] = start + dt.timedelta(days=9)
    return fields


def _window(field_name):
    return factory.LazyAttribute(lambda o: windows(o.phase)[field_name])


class RoundFactory(factory.django.DjangoModelFactory):
    """A round with two themes, in the `phase` given (organising by default)."""

    class Meta:
        model = ReviewRound
        skip_postgeneration_save = True

    class Params:
        phase = "organising"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    timezone = HELSINKI
    organising_start = _window("organising_start")
    organising_end = _window("organising_end")
    preparing_start = _window("preparing_start")
    preparing_end = _window("preparing_end")
    visit_start = _window("visit_start")
    visit_end = _window("visit_end")
    report_start = _window("report_start")
    report_end = _window("report_end")
    final_event_start = _window("final_event_start")
    final_event_end = _window("final_event_end")
    comments_start = _window("comments_start")
    comments_end = _window("comments_end")

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object
        if not create:
            return
        if extracted is None:
            extracted = [
                ThemeFactory(programme=obj.programme, name="Procurement", order=1),
                ThemeFactory(programme=obj.programme, name="Energy audits", order=2),
            ]
        obj.themes.set(extracted)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    round = factory.SubFactory(RoundFactory)
    host = factory.SubFactory(CityFactory)


def staff_of(city, *, language="en"):
    """A user whose contact row ties them to `city`."""
    user = UserFactory()
    ContactFactory(city=city, user=user, email=user.email, language=language)
    return user


def round_with_visits(count: int, *, phase: str = "organising", names=None) -> ReviewRound:
    """A round of `count` municipalities, grouped by the service's proposal."""
    review_round = RoundFactory(phase=phase)
    names = names or [f"Municipality {i:02d}" for i in range(count)]
    visits = [
        VisitFactory(round=review_round, host=CityFactory(name=name)) for name in names[:count]
    ]
    if count < 3:
        return review_round
    groups = assignment_propose(participants=[Participant(v.pk, v.host.name) for v in visits])
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(visit_id=visit_id, reviewer_id=member)
        for visit_id, members in groups.items()
        for member in members
    )
    return review_round


def submitted_report(visit: Visit, *, named=False, strengths="", development_areas=""):
    report = FeedbackReport.objects.create(
        visit=visit,
        summary="A good base.",
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
        host_agrees_to_be_named=named,
    )
    theme = visit.round.themes.order_by("order").first()
    Finding.objects.create(
        report=report, theme=theme, strengths=strengths, development_areas=development_areas
    )
    return report
