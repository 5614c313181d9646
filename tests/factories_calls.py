"""Factories for calls, applications and mentorships (calls app); built on tests.factories."""

import datetime as dt

import factory
from django.utils import timezone

from calls.models import Answer, Application, Call, Question, QuestionKind
from mentorships.models import Mentorship, MentorshipContact, MentorshipKind

from .factories import CityFactory, ProgrammeFactory, UserFactory


def _now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


class CallFactory(factory.django.DjangoModelFactory):
    """A call that opened ten days ago and closes in ten days, in Helsinki."""

    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Call {n}")
    text = "Municipalities may apply."
    opens_at = factory.LazyFunction(lambda: _now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: _now() + dt.timedelta(days=10))
    timezone = "Europe/Helsinki"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = QuestionKind.SHORT_TEXT
    text = factory.Sequence(lambda n: f"Question {n}?")
    required = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    country = factory.LazyAttribute(lambda o: o.city.country if o.city else None)
    contact_name = "Aino Virtanen"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@municipality.example")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.SubFactory(QuestionFactory, call=factory.SelfAttribute("..application.call"))
    value = "An answer"


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    programme = factory.SubFactory(ProgrammeFactory)
    kind = MentorshipKind.MENTORING
    mentor_city = factory.SubFactory(CityFactory)
    mentee = factory.SubFactory(CityFactory)
    start_date = dt.date(2022, 2, 3)


class MentorshipContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorshipContact

    mentorship = factory.SubFactory(MentorshipFactory)
    date = dt.date(2022, 3, 1)
    form = "online"
    note = "Talked about the visit."
