"""Sections for the calls app: calls for applications and the municipalities they selected
(docs/DESIGN.md rule 8)."""

from calls.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    Question,
    QuestionKind,
)
from cities.models import City, Contact
from exchanges.models import Membership, Programme, Role

from .exchanges import programme_city
from .fields import aware, aware_or_none, tr, trs
from .files import Section, Shape

CALL_TEXTS = "title text eligibility selection_criteria webinar_title"


def first_contact(city: City) -> Contact | None:
    """The contact who speaks for a city in the demo: the first by name."""
    return Contact.objects.filter(city=city).order_by("last_name", "first_name").first()


def call_load(values: dict) -> None:
    """A published call keyed by slug, its questions numbered in order, and its selection."""
    tz = values["timezone"]
    call, _ = Call.objects.update_or_create(
        slug=values["slug"],
        defaults={
            "programme": Programme.objects.get(slug=values["programme"]),
            "opens_at": aware(values["opens"], tz),
            "closes_at": aware(values["closes"], tz),
            "timezone": tz,
            "places_min": values.get("places_min"),
            "places_max": values.get("places_max"),
            "webinar_start": aware_or_none(values.get("webinar_start"), tz),
            "webinar_end": aware_or_none(values.get("webinar_end"), tz),
            "slides_url": values.get("slides_url", ""),
            "slides_size": values.get("slides_size"),
            "recording_url": values.get("recording_url", ""),
            "is_published": True,
            **trs(values, CALL_TEXTS),
        },
    )
    for order, question in enumerate(values.get("questions", []), start=1):
        _question_load(call, order, question)
    if "selection" in values:
        _selection_load(call, values["selection"])


def _question_load(call: Call, order: int, values: dict) -> None:
    Question.objects.update_or_create(
        call=call,
        order=order,
        defaults={
            "kind": values["kind"],
            "required": values["required"],
            "max_file_size_mb": values.get("max_file_size_mb"),
            "allowed_extensions": values.get("allowed_extensions", ""),
            **tr("text", values["text"]),
            **tr("choices", values.get("choices", {"en": ""})),
        },
    )


def _selection_load(call: Call, values: dict) -> None:
    """The municipalities the call selected, each with its application, its membership in the
    programme and its answers (by question number)."""
    tz = call.timezone
    submitted_at = aware(values["submitted"], tz)
    questions = {question.order: question for question in call.questions.all()}
    for name in values["cities"]:
        city = programme_city(call.programme, name)
        application = _application_load(call, city, submitted_at, aware(values["decided"], tz))
        for number, value in values.get("answers", {}).get(name, {}).items():
            Answer.objects.update_or_create(
                application=application, question=questions[int(number)], defaults={"value": value}
            )


def _application_load(call: Call, city: City, submitted_at, decided_at) -> Application:
    contact = first_contact(city)
    membership = Membership.objects.filter(network__programme=call.programme, city=city).first()
    application, _ = Application.objects.update_or_create(
        call=call,
        city=city,
        defaults={
            "country": city.country,
            "contact_name": contact.full_name if contact else city.name,
            "contact_email": contact.email if contact else "",
            "contact_phone": contact.phone if contact else "",
            "contact_position": contact.position if contact else "",
            "language": "fi",
            "eligibility_confirmed_at": submitted_at,
            "status": ApplicationStatus.SELECTED,
            "role": membership.role if membership else Role.ENGAGED,
            "membership": membership,
            "decided_at": decided_at,
        },
    )
    # auto_now_add ignores a given value: the day it came in is set afterwards.
    Application.objects.filter(pk=application.pk).update(submitted_at=submitted_at)
    return application


QUESTION = Shape(
    required="kind required text",
    optional="max_file_size_mb allowed_extensions",
    texts="text choices",
    choices={"kind": QuestionKind.values},
)
SELECTION = Shape(
    required="submitted decided cities", optional="answers", datetimes="submitted decided"
)

SECTIONS = {
    "calls": Section(
        Shape(
            required="slug programme timezone opens closes title",
            optional="places_min places_max slides_url slides_size recording_url",
            texts=CALL_TEXTS,
            datetimes="opens closes webinar_start webinar_end",
            nested={"questions": QUESTION, "selection": SELECTION},
        ),
        call_load,
    ),
}
