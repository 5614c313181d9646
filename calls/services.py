"""Calls for applications: who may apply, until when, and what selection does
(docs/DESIGN.md rule 8).

Refusals raise ApplicationRefused before anything is written: a late or ineligible application
leaves no row and no file behind.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from access import rules
from accounts.services import verified_email
from cities.models import City, Contact, Country
from exchanges.models import Membership, NationalNetwork, Role
from multiply.refusals import Refused
from notifications.services import message_queue

from .messages import decision_kind, decision_values, received_values
from .models import (
    DECIDED,
    Answer,
    Application,
    ApplicationStatus,
    Call,
    QuestionKind,
)


class ApplicationRefused(Refused):
    """An application the rules do not allow; the message is shown to the person as it is."""


@dataclass(frozen=True)
class ApplicantData:
    """What an applicant fills in besides the answers (cleaned by calls.forms)."""

    city: City | None
    new_city_name: str
    country: Country
    contact_name: str
    contact_email: str
    contact_phone: str = ""
    contact_position: str = ""
    language: str = "en"
    eligibility_confirmed: bool = False


def call_closed_reason(*, call: Call, now=None) -> str | None:
    """Why the call takes no application now, or None while it is open (opening and closing
    instants included)."""
    now = now or timezone.now()
    if now < call.opens_at:
        return _("The call opens on %(date)s.") % {"date": _local(call, call.opens_at)}
    if call.has_closed(now):
        return _("The call closed on %(date)s. Applications can no longer be sent or changed.") % {
            "date": _local(call, call.closes_at)
        }
    return None


def _local(call: Call, moment) -> str:
    local = moment.astimezone(call.tz)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({call.timezone})"


def _refuse_unless_open(call: Call, now) -> None:
    reason = call_closed_reason(call=call, now=now)
    if reason:
        raise ApplicationRefused(reason, "closed")


def cities_to_apply_for(*, user, call: Call):
    """The municipalities this account may apply for (issue 15, item 5).

    A coordinator of the call's programme may apply for any city of its countries (on a city's
    behalf, by telephone); anyone else only for the cities whose contact they are, by a link
    made from a verified address (accounts.services.contact_link_account). Without one, an
    account applies under the municipality's name, and a coordinator confirms which city it is
    when deciding: a stranger can no longer take a real city's one application.
    """
    cities = City.objects.select_related("country").order_by("country__name", "name")
    countries = call.programme.networks.values("country_id")
    if countries.exists():
        cities = cities.filter(country_id__in=countries)
    if rules.coordinates(user, call):
        return cities
    return cities.filter(contacts__user=user, contacts__is_active=True).distinct()


def _refuse_unless_speaking_for(call: Call, user, data: ApplicantData) -> None:
    if (
        data.city is not None
        and not cities_to_apply_for(user=user, call=call).filter(pk=data.city.pk).exists()
    ):
        raise ApplicationRefused(
            _(
                "Only a contact of %(city)s or a coordinator may apply for it. Name your "
                "municipality instead: the coordinators will confirm it."
            )
            % {"city": data.city.name},
            "not_city_contact",
        )


def _refuse_unless_eligible(call: Call, data: ApplicantData) -> None:
    if call.eligibility and not data.eligibility_confirmed:
        raise ApplicationRefused(
            _("Only municipalities that meet the eligibility condition may apply: %(condition)s")
            % {"condition": call.eligibility},
            "not_eligible",
        )


@transaction.atomic
def application_submit(
    *,
    call_id: int,
    user,
    data: ApplicantData,
    answers: dict[int, object],
    now=None,
) -> Application:
    """Create the user's application to a call, or change it while the call is open.

    `answers` maps question ids to a text value, an uploaded file, or None (a file question left
    as it was). The deadline is checked under the call's row lock, before anything is written;
    each saved version sends the contact person a copy of the answers.
    """
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=call_id)
    _refuse_unless_open(call, now)
    _refuse_unless_speaking_for(call, user, data)
    _refuse_unless_eligible(call, data)
    application = Application.objects.select_for_update().filter(call=call, applicant=user).first()
    if application is not None and application.is_decided:
        raise ApplicationRefused(_("Your application has already been decided."), "decided")
    if data.city is not None:
        other = Application.objects.filter(call=call, city=data.city)
        if application is not None:
            other = other.exclude(pk=application.pk)
        if other.exists():
            raise ApplicationRefused(
                _("%(city)s has already applied to this call.") % {"city": data.city.name},
                "duplicate_city",
            )
    is_new = application is None
    application = application or Application(call=call, applicant=user)
    _fill(application, data, now)
    if not is_new:
        application.revision += 1
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same account applied in a parallel request
        raise ApplicationRefused(_("You have already applied to this call."), "duplicate") from None
    _save_answers(application, answers)
    _notify_received(application, is_new=is_new)
    return application


def _fill(application: Application, data: ApplicantData, now) -> None:
    application.city = data.city
    application.new_city_name = "" if data.city else data.new_city_name.strip()
    application.country = data.city.country if data.city else data.country
    application.contact_name = data.contact_name.strip()
    application.contact_email = data.contact_email.strip()
    application.contact_phone = data.contact_phone.strip()
    application.contact_position = data.contact_position.strip()
    application.language = data.language
    if data.eligibility_confirmed:
        application.eligibility_confirmed_at = application.eligibility_confirmed_at or now


def _save_answers(application: Application, answers: dict[int, object]) -> None:
    questions = {q.pk: q for q in application.call.questions.all()}
    existing = {a.question_id: a for a in application.answers.all()}
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        answer = existing.get(question_id) or Answer(application=application, question=question)
        if question.kind == QuestionKind.FILE:
            if value is None:
                continue  # no new file: the one sent before stays
            old = answer.file.name if answer.file else None
            answer.file.save(value.name, value, save=False)
            if old:
                # The replaced file goes once the new one is committed, never before.
                transaction.on_commit(
                    lambda name=old, storage=answer.file.storage: storage.delete(name)
                )
        else:
            answer.value = "" if value is None else str(value).strip()
        answer.save()


def _notify_received(application: Application, *, is_new: bool) -> None:
    """The copy of what was sent goes to the applicant's own verified address, never to the
    contact address typed in the form, which could be anyone's (issue 14, item 4)."""
    applicant = application.applicant
    email = verified_email(applicant)
    if email is None:  # an account without a verified address cannot sign in; nothing to copy
        return
    with translation.override(application.language):
        values = received_values(application)
    message_queue(
        key=f"call-application:{application.pk}:{application.revision}",
        kind="call_application_received" if is_new else "call_application_updated",
        email=email,
        name=applicant.get_full_name() or application.contact_name,
        language=application.language,
        values=values,
        programme=application.call.programme,
        requested_by=application.applicant,
    )


def _answer_rows(application: Application) -> list[Answer]:
    """Every question of the call with its answer (an unsaved empty one where none was given)."""
    answers = {a.question_id: a for a in application.answers.select_related("question")}
    return [
        answers.get(question.pk) or Answer(application=application, question=question)
        for question in application.call.questions.all()
    ]


# --- Decisions ------------------------------------------------------------------------------


def _lock(application_id: int) -> Application:
    # Only the application's own row is locked: its city may be empty (an outer join).
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "city", "country")
        .get(pk=application_id)
    )


@transaction.atomic
def application_shortlist(*, application_id: int) -> bool:
    """Put a submitted application on the shortlist; True when it changed."""
    application = _lock(application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        return False
    application.status = ApplicationStatus.SHORTLISTED
    application.save(update_fields=["status", "updated_at"])
    return True


@transaction.atomic
def application_select(*, application_id: int, role: str, now=None) -> bool:
    """Select a municipality: it joins the programme's network for its country with `role`.

    Creates what is missing - the city when the application names a new municipality, the
    network for the call's programme in that country, the membership, a contact for the contact
    person - and queues one decision e-mail. A decided application is left alone, so running
    the selection twice does everything once. True when this call selected it.
    """
    if role not in Role.values:
        raise ApplicationRefused(_("Choose a valid role."), "role")
    application = _lock(application_id)
    if application.status in DECIDED:
        return False
    city = _city_for(application)
    network, _created = NationalNetwork.objects.get_or_create(
        programme=application.call.programme, country=city.country
    )
    if (
        role == Role.SPECIAL_AWARD
        and network.memberships.filter(role=Role.SPECIAL_AWARD).exclude(city=city).exists()
    ):
        raise ApplicationRefused(
            _("%(network)s already has a special-award city.") % {"network": network},
            "special_award",
        )
    membership, created = Membership.objects.get_or_create(
        network=network,
        city=city,
        defaults={"role": role, "joined_on": (now or timezone.now()).date()},
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    _contact_for(application, city)
    application.city = city
    application.new_city_name = ""
    application.status = ApplicationStatus.SELECTED
    application.role = role
    application.membership = membership
    application.decided_at = now or timezone.now()
    application.save()
    _notify_decision(application)
    return True


@transaction.atomic
def application_reject(*, application_id: int, now=None) -> bool:
    """Decide against an application and tell the applicant once. True when it changed."""
    application = _lock(application_id)
    if application.status in DECIDED:
        return False
    application.status = ApplicationStatus.REJECTED
    application.decided_at = now or timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    _notify_decision(application)
    return True


def _city_for(application: Application) -> City:
    if application.city_id:
        return application.city
    # A coordinator may have added the municipality since: match its name, whatever the case.
    existing = (
        City.objects.filter(country=application.country)
        .annotate(lower=Lower("name"))
        .filter(lower=application.new_city_name.lower())
        .first()
    )
    return existing or City.objects.create(
        country=application.country, name=application.new_city_name
    )


def _contact_for(application: Application, city: City) -> None:
    """The contact person becomes a contact of the city, linked to the applicant's account, so
    they can register for meetings and see their mentor. An existing address is left alone."""
    email = application.contact_email
    # Empty once the contact person was erased (privacy.erasure): there is nobody to add.
    if not email or Contact.objects.filter(email__iexact=email).exists():
        return
    first, _sep, last = application.contact_name.partition(" ")
    user = application.applicant
    Contact.objects.create(
        city=city,
        first_name=first[:100],
        last_name=last[:100],
        email=email,
        phone=application.contact_phone,
        position=application.contact_position,
        language=application.language,
        user=user if user is not None and not Contact.objects.filter(user=user).exists() else None,
    )


def _notify_decision(application: Application) -> None:
    if not application.contact_email:  # the contact person was erased: nobody to tell
        return
    # One decision per application, ever: the key makes a second message impossible.
    with translation.override(application.language):
        values = decision_values(application)
    message_queue(
        key=f"call-decision:{application.pk}",
        kind=decision_kind(application),
        email=application.contact_email,
        name=application.contact_name,
        language=application.language,
        values=values,
        programme=application.call.programme,
    )


def answers_for(application: Application) -> list[Answer]:
    """The application's answers in the order of the questions, unanswered ones included."""
    return _answer_rows(application)
