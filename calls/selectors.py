"""Reads shared by the pages, the admin and the programme page's list of calls."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from access import rules

from .models import Answer, Application, Call, Question


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
