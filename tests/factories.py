"""factory_boy factories for the whole domain; tests build exactly the data they talk about."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from cities.models import City, Contact, Country, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    MeetingKind,
    MeetingMaterial,
    MeetingWording,
    Membership,
    MessageKind,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
)
from meetings.models import ActionItem, Attendance, ConsortiumMeeting, Partner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Nowak{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object
        if create:
            obj.save()

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # noqa: N805
        """UserFactory(verified=True): the account confirmed its address, as signing up does."""
        if create and extracted:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CoordinatorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["PL", "SE", "DE", "HU", "IT", "AT", "FI", "BE", "HR", "GR", "ES"])
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")
    timezone = "Europe/Warsaw"


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Target group {n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    country = factory.SubFactory(CountryFactory, code="PL")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    city = factory.SubFactory(CityFactory)
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Kowalski{n}")
    email = factory.Sequence(lambda n: f"contact{n}@city.example")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    start_date = dt.date(2019, 1, 1)
    end_date = dt.date(2022, 6, 30)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalNetwork

    programme = factory.SubFactory(ProgrammeFactory)
    country = factory.SubFactory(CountryFactory, code="PL")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory, country=factory.SelfAttribute("..network.country"))
    role = Role.ENGAGED


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")


def _in_days(days: int) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A national exchange a month from now, in its network's country."""

    class Meta:
        model = ExchangeMeeting

    network = factory.SubFactory(NetworkFactory)
    programme = factory.SelfAttribute("network.programme")
    kind = MeetingKind.NATIONAL_EXCHANGE
    title = factory.Sequence(lambda n: f"National exchange {n}")
    start = factory.LazyFunction(lambda: _in_days(30))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=6))
    timezone = "Europe/Warsaw"
    venue = "City hall"


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingMaterial

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Slides {n}")
    url = "https://example.org/slides.pdf"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    country = factory.SubFactory(CountryFactory, code="DE")


class ConsortiumMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMeeting

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = factory.LazyAttribute(
        lambda o: dt.date(2019, 1, 1) + dt.timedelta(days=30 * o.number)
    )
    end_date = factory.SelfAttribute("start_date")
    held_place = "Radolfzell"
    summary = "Partners met."


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(ConsortiumMeetingFactory)
    partner = factory.SubFactory(
        PartnerFactory, programme=factory.SelfAttribute("..meeting.programme")
    )


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(ConsortiumMeetingFactory)
    owner = factory.SubFactory(
        PartnerFactory, programme=factory.SelfAttribute("..meeting.programme")
    )
    title = factory.Sequence(lambda n: f"Action {n}")


class MeetingWordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingWording

    meeting = factory.SubFactory(MeetingFactory)
    kind = MessageKind.INVITATION
    language = "en"
    subject = "You are invited"


# --- Added for the permission matrix (tests/test_access.py): one factory per admin's model ----


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed seat of a contact of the meeting's country."""

    class Meta:
        model = "exchanges.Registration"

    meeting = factory.SubFactory(MeetingFactory)
    contact = factory.SubFactory(
        ContactFactory, city__country=factory.SelfAttribute("...meeting.network.country")
    )
    status = "confirmed"
    privacy_consent_at = factory.SelfAttribute("meeting.start")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exchanges.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    contact = factory.SubFactory(
        ContactFactory, city__country=factory.SelfAttribute("...meeting.network.country")
    )


class MessageFactory(factory.django.DjangoModelFactory):
    """An e-mail of the outbox about a meeting, failed (so that it may be sent again)."""

    class Meta:
        model = "notifications.Message"

    key = factory.Sequence(lambda n: f"test:{n}")
    kind = "test"
    meeting = factory.SubFactory(MeetingFactory)
    programme = factory.LazyAttribute(lambda o: o.meeting.programme if o.meeting else None)
    recipient_email = factory.Sequence(lambda n: f"recipient{n}@city.example")
    language = "en"
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body_text = "Hello"
    status = "failed"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A queued participant list of a meeting."""

    class Meta:
        model = "reports.Document"

    kind = "participant_list"
    meeting = factory.SubFactory(MeetingFactory)
    programme = factory.SelfAttribute("meeting.programme")
    language = "en"


class RoleFactory(factory.django.DjangoModelFactory):
    """A programme coordinator's role (pass kind and network for a national coordinator)."""

    class Meta:
        model = "access.Role"

    user = factory.SubFactory(UserFactory)
    kind = "programme_coordinator"
    programme = factory.SubFactory(ProgrammeFactory)


class MeetingFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exchanges.MeetingFeedback"

    meeting = factory.SubFactory(MeetingFactory)
    contact = factory.SubFactory(
        ContactFactory, city__country=factory.SelfAttribute("...meeting.network.country")
    )


class BackgroundMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "visits.BackgroundMaterial"

    visit = factory.SubFactory("tests.factories_visits.VisitFactory")
    title = factory.Sequence(lambda n: f"Energy plan {n}")
    file = factory.django.FileField(filename="plan.pdf", data=b"%PDF-1.4\n")


class FeedbackReportFactory(factory.django.DjangoModelFactory):
    """A draft report of a visit's interview group."""

    class Meta:
        model = "visits.FeedbackReport"

    visit = factory.SubFactory("tests.factories_visits.VisitFactory")
    summary = "A good base."


# --- Issue 13: questions, agenda ------------------------------------------------------------


class QuestionFactory(factory.django.DjangoModelFactory):
    """An optional short-text question of a meeting's registration form."""

    class Meta:
        model = "exchanges.Question"

    meeting = factory.SubFactory(MeetingFactory)
    purpose = "registration"
    kind = "text"
    label = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n)


class QuestionChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exchanges.QuestionChoice"

    question = factory.SubFactory(QuestionFactory, kind="single")
    label = factory.Sequence(lambda n: f"Choice {n}")
    order = factory.Sequence(lambda n: n)


class SessionFactory(factory.django.DjangoModelFactory):
    """The first hour of its meeting."""

    class Meta:
        model = "exchanges.Session"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.SelfAttribute("meeting.start")
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    room = "Room A"
