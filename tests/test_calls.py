"""Calls for applications as services: the window, eligibility, editing, and selection."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from calls import services
from calls.models import Answer, Application, ApplicationStatus, Call, QuestionKind
from calls.services import ApplicantData, ApplicationRefused
from cities.models import City, Contact
from exchanges.models import Membership, NationalNetwork, Role
from notifications.models import Message

from . import factories
from .factories_calls import ApplicationFactory, CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def data_for(city, **overrides) -> ApplicantData:
    """What an applicant fills in: for `city`, or (None) for a municipality named, not chosen."""
    values = {
        "city": city,
        "new_city_name": "" if city else "Kerava",
        "country": city.country if city else factories.CountryFactory(code="FI"),
        "contact_name": "Aino Virtanen",
        "contact_email": "aino@kerava.example",
        "language": "fi",
        "eligibility_confirmed": True,
    }
    values.update(overrides)
    return ApplicantData(**values)


def speaker(city, **kwargs):
    """An account linked to a contact of `city`: it may apply for the city."""
    user = factories.UserFactory(**kwargs)
    factories.ContactFactory(city=city, user=user)
    return user


def motiva_call(**kwargs) -> Call:
    """Pilot 2's window: closes 4 Dec 2021 at 23:59 Helsinki time."""
    defaults = {
        "opens_at": dt.datetime(2021, 11, 1, tzinfo=HELSINKI),
        "closes_at": dt.datetime(2021, 12, 4, 23, 59, tzinfo=HELSINKI),
        "eligibility": "The municipality has joined the energy-efficiency agreement (KETS).",
    }
    return CallFactory(**{**defaults, **kwargs})


CLOSING = dt.datetime(2021, 12, 4, 23, 59, tzinfo=HELSINKI)


# --- the window -----------------------------------------------------------------------------


def test_one_second_before_closing_in_another_time_zone_the_call_is_open():
    call = motiva_call()
    # 16:58:59 in New York is 23:58:59 in Helsinki.
    now = (CLOSING - dt.timedelta(seconds=1)).astimezone(NEW_YORK)
    assert now.hour == 16

    assert services.call_closed_reason(call=call, now=now) is None
    application = services.application_submit(
        call_id=call.pk,
        user=factories.UserFactory(),
        data=data_for(None),
        answers={},
        now=now,
    )
    assert application.pk


def test_the_closing_minute_itself_still_accepts_an_application():
    call = motiva_call()
    assert services.call_closed_reason(call=call, now=CLOSING.astimezone(NEW_YORK)) is None


def test_one_second_after_closing_in_another_time_zone_it_is_refused_and_writes_nothing():
    call = motiva_call()
    now = (CLOSING + dt.timedelta(seconds=1)).astimezone(NEW_YORK)

    with pytest.raises(ApplicationRefused) as refusal:
        services.application_submit(
            call_id=call.pk,
            user=factories.UserFactory(),
            data=data_for(None),
            answers={},
            now=now,
        )

    assert refusal.value.code == "closed"
    assert "The call closed on" in refusal.value.message
    assert "(Europe/Helsinki)" in refusal.value.message
    assert not Application.objects.exists()
    assert not Message.objects.exists()


def test_before_opening_it_says_when_the_call_opens():
    call = motiva_call()
    reason = services.call_closed_reason(
        call=call, now=dt.datetime(2021, 10, 31, 23, 59, 59, tzinfo=HELSINKI)
    )
    assert reason.startswith("The call opens on")


def test_a_call_cannot_close_before_it_opens():
    call = CallFactory.build(
        opens_at=dt.datetime(2021, 12, 4, tzinfo=HELSINKI),
        closes_at=dt.datetime(2021, 11, 1, tzinfo=HELSINKI),
        timezone="Europe/Nowhere",
    )
    with pytest.raises(ValidationError) as error:
        call.full_clean(exclude=["programme"])
    assert "closes_at" in error.value.message_dict
    assert "timezone" in error.value.message_dict


# --- eligibility and editing ----------------------------------------------------------------


def test_an_application_without_the_eligibility_confirmation_is_refused():
    call = motiva_call(closes_at=dt.datetime(2099, 1, 1, tzinfo=HELSINKI))
    with pytest.raises(ApplicationRefused) as refusal:
        services.application_submit(
            call_id=call.pk,
            user=factories.UserFactory(),
            data=data_for(None, eligibility_confirmed=False),
            answers={},
        )
    assert refusal.value.code == "not_eligible"
    assert "energy-efficiency agreement (KETS)" in refusal.value.message
    assert not Application.objects.exists()


def test_the_applicant_changes_the_application_and_gets_a_fresh_copy_each_time(
    django_capture_on_commit_callbacks,
):
    call = CallFactory()
    question = QuestionFactory(call=call, text="Why do you apply?")
    city = factories.CityFactory(name="Kerava")
    user = speaker(city, verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.application_submit(
            call_id=call.pk, user=user, data=data_for(city), answers={question.pk: "To learn."}
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.application_submit(
            call_id=call.pk,
            user=user,
            data=data_for(city),
            answers={question.pk: "To learn and to share."},
        )

    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert Answer.objects.get().value == "To learn and to share."
    assert len(mail.outbox) == 2
    assert "To learn and to share." in mail.outbox[1].body
    assert "Kerava" in mail.outbox[1].body


def test_the_confirmation_goes_in_the_applicants_language(django_capture_on_commit_callbacks):
    call = CallFactory(title_en="Call for pilot 2", title_fi="Haku pilottiin 2")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            call_id=call.pk,
            user=factories.UserFactory(verified=True),
            data=data_for(None, language="fi"),
            answers={},
        )
    assert "Haku pilottiin 2" in mail.outbox[0].subject


def test_the_confirmation_gives_the_deadline_in_the_calls_time_zone(
    django_capture_on_commit_callbacks,
):
    call = motiva_call(
        opens_at=dt.datetime(2021, 11, 1, tzinfo=HELSINKI),
        closes_at=dt.datetime(2099, 12, 4, 23, 59, tzinfo=HELSINKI),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            call_id=call.pk,
            user=factories.UserFactory(verified=True),
            data=data_for(None, language="en"),
            answers={},
        )
    assert "You can change it until 4 December 2099, 23:59 (Europe/Helsinki)." in (
        mail.outbox[0].body
    )


def test_a_second_account_cannot_apply_for_a_municipality_that_has_applied():
    application = ApplicationFactory()
    with pytest.raises(ApplicationRefused) as refusal:
        services.application_submit(
            call_id=application.call_id,
            user=speaker(application.city),
            data=data_for(application.city),
            answers={},
        )
    assert refusal.value.code == "duplicate_city"


def test_a_new_file_replaces_the_old_one_only_after_commit(django_capture_on_commit_callbacks):
    call = CallFactory()
    question = QuestionFactory(call=call, kind=QuestionKind.FILE, allowed_extensions="pdf")
    city = factories.CityFactory()
    user = speaker(city)
    services.application_submit(
        call_id=call.pk,
        user=user,
        data=data_for(city),
        answers={question.pk: SimpleUploadedFile("plan.pdf", b"%PDF-1.4 one")},
    )
    old = Answer.objects.get().file
    old_name, storage = old.name, old.storage

    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            call_id=call.pk,
            user=user,
            data=data_for(city),
            answers={question.pk: SimpleUploadedFile("plan-v2.pdf", b"%PDF-1.4 two")},
        )

    answer = Answer.objects.get()
    assert answer.filename == "plan-v2.pdf"
    assert not storage.exists(old_name)
    with answer.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 two"


# --- selection ------------------------------------------------------------------------------


def test_selecting_a_new_municipality_creates_the_city_network_membership_and_contact(
    django_capture_on_commit_callbacks,
):
    finland = factories.CountryFactory(code="FI", timezone="Europe/Helsinki")
    user = factories.UserFactory()
    application = ApplicationFactory(
        applicant=user, city=None, new_city_name="Kuhmo", country=finland
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_select(application_id=application.pk, role=Role.ENGAGED)

    application.refresh_from_db()
    kuhmo = City.objects.get(name="Kuhmo", country=finland)
    network = NationalNetwork.objects.get(programme=application.call.programme, country=finland)
    membership = Membership.objects.get(network=network, city=kuhmo)
    assert membership.role == Role.ENGAGED
    assert application.status == ApplicationStatus.SELECTED
    assert application.city == kuhmo and application.membership == membership
    contact = Contact.objects.get(email=application.contact_email)
    assert contact.city == kuhmo and contact.user == user
    assert len(mail.outbox) == 1
    assert "You have been selected" in mail.outbox[0].subject


def test_selecting_twice_has_its_effects_once(django_capture_on_commit_callbacks):
    network = factories.NetworkFactory()
    application = ApplicationFactory(
        call__programme=network.programme, city__country=network.country
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_select(application_id=application.pk, role=Role.PIONEER)
        assert not services.application_select(application_id=application.pk, role=Role.ENGAGED)

    assert Membership.objects.get().role == Role.PIONEER
    assert NationalNetwork.objects.count() == 1
    assert Message.objects.filter(key=f"call-decision:{application.pk}").count() == 1
    assert len(mail.outbox) == 1


def test_a_rejected_application_cannot_be_selected_afterwards(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_reject(application_id=application.pk)
        assert not services.application_select(application_id=application.pk, role=Role.ENGAGED)
    assert not Membership.objects.exists()
    assert len(mail.outbox) == 1
    assert "The decision on your application" in mail.outbox[0].subject


def test_a_network_keeps_one_special_award_city():
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, role=Role.SPECIAL_AWARD)
    application = ApplicationFactory(
        call__programme=network.programme, city__country=network.country
    )
    with pytest.raises(ApplicationRefused):
        services.application_select(application_id=application.pk, role=Role.SPECIAL_AWARD)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_only_a_contact_of_the_city_or_a_coordinator_may_apply_for_it():
    call, city = CallFactory(), factories.CityFactory(name="Hollola")
    with pytest.raises(ApplicationRefused) as refusal:
        services.application_submit(
            call_id=call.pk, user=factories.UserFactory(), data=data_for(city), answers={}
        )
    assert refusal.value.code == "not_city_contact"
    assert not Application.objects.exists()

    services.application_submit(
        call_id=call.pk, user=speaker(city), data=data_for(city), answers={}
    )
    assert Application.objects.get().city == city


def test_a_decided_application_can_no_longer_be_changed():
    application = ApplicationFactory()
    services.application_reject(application_id=application.pk)
    factories.ContactFactory(city=application.city, user=application.applicant)
    with pytest.raises(ApplicationRefused) as refusal:
        services.application_submit(
            call_id=application.call_id,
            user=application.applicant,
            data=data_for(application.city),
            answers={},
        )
    assert refusal.value.code == "decided"
