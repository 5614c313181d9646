from collections import OrderedDict

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    DID_NOT_TAKE_PLACE,
    SEAT_HOLDING,
    ExchangeMeeting,
    FeedbackAnswer,
    MeetingKind,
    Membership,
    NationalNetwork,
    Programme,
    Question,
    QuestionPurpose,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
    Role,
)
from .questions import answers_summary, meeting_questions

# The order in which a programme page lists a network's cities.
ROLE_ORDER = [Role.PIONEER, Role.SPECIAL_AWARD, Role.ENGAGED, Role.MENTOR]


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True).order_by("-start_date", "name")


def public_meetings() -> QuerySet[ExchangeMeeting]:
    """The meetings of published programmes: what the calendar filters and pages through."""
    return ExchangeMeeting.objects.filter(programme__is_published=True)


def calendar_rows(ids: list[int]) -> QuerySet[ExchangeMeeting]:
    """A calendar page's meetings with the columns its row shows (exchanges/_meeting_row.html)
    and no others: a meeting's and its relations' long texts in every language, read for each
    row, had cost more than all the rest of the query."""
    programmes = Programme.objects.only("slug", "name")
    return (
        ExchangeMeeting.objects.filter(pk__in=ids)
        .select_related("network__country", "host_city", "theme")
        .only(*CALENDAR_ROW_FIELDS)
        .prefetch_related(Prefetch("programme", queryset=programmes))
    )


# What _meeting_row.html shows, and the keys that reach the related rows' names.
CALENDAR_ROW_FIELDS = [
    "title",
    "kind",
    "format",
    "status",
    "start",
    "end",
    "timezone",
    "programme",
    "network__country__name",
    "host_city__name",
    "theme__name",
]


def meeting_calendar() -> QuerySet[ExchangeMeeting]:
    """Public meetings with what a calendar row shows, for the public API (its pages are
    exchanges.calendar_pages.CalendarPaginator's) and the programme page."""
    return public_meetings().select_related(
        "programme", "network__country", "host_city__country", "theme"
    )


def meeting_detail_queryset() -> QuerySet[ExchangeMeeting]:
    return (
        ExchangeMeeting.objects.filter(programme__is_published=True)
        .select_related("programme", "network__country", "host_city__country", "theme")
        .prefetch_related("topics", "theme__target_groups", "materials")
    )


def programme_networks(*, programme: Programme) -> list[dict]:
    """Each national network with its cities grouped by role, in the programme's own words."""
    networks = (
        NationalNetwork.objects.filter(programme=programme)
        .select_related("country")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("city").order_by("city__name"),
            )
        )
        .order_by("country__name")
    )
    result = []
    for network in networks:
        groups = OrderedDict((role, []) for role in ROLE_ORDER)
        for membership in network.memberships.all():
            groups[membership.role].append(membership.city)
        result.append(
            {
                "network": network,
                "groups": [
                    {"role": role, "label": programme.role_label(role), "cities": cities}
                    for role, cities in groups.items()
                    if cities
                ],
            }
        )
    return result


def programme_conference(*, programme: Programme) -> ExchangeMeeting | None:
    return (
        ExchangeMeeting.objects.filter(
            programme=programme, kind=MeetingKind.INTERNATIONAL_CONFERENCE
        )
        .select_related("host_city", "theme")
        .first()
    )


def meeting_participants(*, meeting: ExchangeMeeting) -> QuerySet[Registration]:
    """The confirmed participants who agreed to be listed to the other participants."""
    return (
        meeting.registrations.filter(status__in=SEAT_HOLDING, listed_consent_at__isnull=False)
        .exclude(status=RegistrationStatus.OFFERED)
        .select_related("contact__city__country")
        .order_by("contact__city__name", "contact__last_name")
    )


def taken_place(*, prefix: str = "", now=None) -> Q:
    """The meetings that have taken place by `now`: started, neither cancelled nor postponed.

    Attendance, certificates and the funder's figures exist only for these (issue 11, section
    5: records that cannot contradict reality). `prefix` reaches the meeting through a relation
    ("meeting__"). ExchangeMeeting.has_taken_place says the same of one meeting in Python.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}start__lte": now}) & ~Q(**{f"{prefix}status__in": DID_NOT_TAKE_PLACE})


def meeting_seats_left(*, meeting: ExchangeMeeting) -> int | None:
    if meeting.capacity is None:
        return None
    taken = meeting.registrations.filter(status__in=SEAT_HOLDING).count()
    return max(meeting.capacity - taken, 0)


def contact_registrations(*, contact) -> list[Registration]:
    return list(
        Registration.objects.filter(contact=contact)
        .select_related("meeting__programme", "meeting__host_city", "meeting__network__country")
        .order_by("meeting__start")
    )


def confirmed_meetings(*, user) -> QuerySet[ExchangeMeeting]:
    return (
        ExchangeMeeting.objects.filter(
            registrations__contact__user=user,
            registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED],
        )
        .select_related("host_city")
        .order_by("start")
    )


def participants_for_export(*, meetings) -> QuerySet[Registration]:
    """Everyone with or waiting for a seat at these meetings, with their answers to the
    registration form, for the coordinators' CSV and XLSX: four queries however many."""
    answers = RegistrationAnswer.objects.select_related("question").prefetch_related("choices")
    return (
        Registration.objects.filter(meeting__in=meetings)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("meeting", "contact__city__country")
        .prefetch_related("contact__target_groups", Prefetch("answers", queryset=answers))
        .order_by("meeting__start", "status", "contact__last_name")
    )


def meetings_for_export(*, meetings) -> list[ExchangeMeeting]:
    """The meetings of an export in date order, each with its registration questions in the
    form's order (`registration_questions`): one column each. Two queries."""
    questions = Question.objects.filter(purpose=QuestionPurpose.REGISTRATION).order_by(
        "order", "pk"
    )
    return list(
        ExchangeMeeting.objects.filter(pk__in=meetings.values("pk"))
        .prefetch_related(
            Prefetch("questions", queryset=questions, to_attr="registration_questions")
        )
        .order_by("start", "pk")
    )


# --- Meeting feedback ------------------------------------------------------------------------

FEEDBACK_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED]


def meeting_feedback_summary(*, meeting: ExchangeMeeting) -> dict:
    """Per question of the meeting's feedback form, counts per choice and the free texts,
    without names: what coordinators read (exchanges.questions.answers_summary)."""
    questions = meeting_questions(meeting=meeting, purpose=QuestionPurpose.FEEDBACK)
    answers = (
        FeedbackAnswer.objects.filter(feedback__meeting=meeting)
        .prefetch_related("choices")
        .order_by("feedback__created_at", "pk")
    )
    return {
        "meeting": meeting,
        "answers": meeting.feedback.count(),
        "attendees": meeting.registrations.filter(status__in=FEEDBACK_STATUSES).count(),
        "questions": answers_summary(questions=questions, answers=answers),
    }
