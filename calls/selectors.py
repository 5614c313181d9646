"""Reads shared by the pages, the admin and the programme page's mentorship section."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from access import rules
from cities.models import Contact
from exchanges.models import Programme

from .models import Answer, Application, Call, Mentorship, MentorshipContact, Question


def public_calls() -> QuerySet[Call]:
    return Call.objects.filter(is_published=True, programme__is_published=True).select_related(
        "programme"
    )


def call_list(*, now=None) -> dict[str, list[Call]]:
    """Open calls (closing soonest first), upcoming ones, and past ones (latest first)."""
    now = now or timezone.now()
    calls = list(public_calls().order_by("closes_at", "pk"))
    return {
        "open": [call for call in calls if call.opens_at <= now <= call.closes_at],
        "upcoming": [call for call in calls if call.opens_at > now],
        "past": [call for call in calls if call.closes_at < now][::-1],
    }


def call_detail_queryset() -> QuerySet[Call]:
    return public_calls().prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("order", "pk"))
    )


def user_applications(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("call__programme", "city")
        .order_by("-submitted_at", "-pk")
    )


def application_for(*, user, pk: int) -> Application | None:
    """The user's own application, or one they coordinate; None otherwise (the view answers
    404)."""
    queryset = Application.objects.select_related("call__programme", "city", "country")
    coordinated = rules.visible(user, queryset).filter(pk=pk).first()
    return coordinated or queryset.filter(applicant=user, pk=pk).first()


def answer_for(*, user, application_pk: int, answer_pk: int) -> Answer | None:
    application = application_for(user=user, pk=application_pk)
    if application is None:
        return None
    return application.answers.filter(pk=answer_pk).exclude(file="").first()


def applications_export(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("call__programme", "city", "country").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question"))
    )


def _mentorships() -> QuerySet[Mentorship]:
    return Mentorship.objects.select_related(
        "mentor_city__country",
        "mentor_partner__country",
        "mentee__country",
        "mentor_contact",
        "programme",
    )


def programme_mentorships(*, programme: Programme) -> list[Mentorship]:
    """The programme's pairs, for its public page: mentors and mentees, no contact details."""
    return list(_mentorships().filter(programme=programme).order_by("mentee__name", "pk"))


def contact_mentorships(*, contact: Contact | None) -> dict[str, list[Mentorship]]:
    """For a city's staff: the mentors of their city (with their contact person and the log),
    and the cities their city mentors."""
    if contact is None:
        return {"mentors": [], "mentees": []}
    rows = list(
        _mentorships()
        .filter(Q(mentee_id=contact.city_id) | Q(mentor_city_id=contact.city_id))
        .prefetch_related(
            Prefetch("contacts", queryset=MentorshipContact.objects.order_by("-date", "-pk"))
        )
        .order_by("-start_date", "pk")
    )
    return {
        "mentors": [row for row in rows if row.mentee_id == contact.city_id],
        "mentees": [row for row in rows if row.mentor_city_id == contact.city_id],
    }
