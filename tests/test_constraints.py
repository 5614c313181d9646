"""Every database constraint fires, and the rules clean() adds read clearly."""

import datetime as dt
from functools import partial
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from access.models import RoleKind
from accounts.models import LinkRequest
from calls.models import ApplicationStatus
from exchanges.models import MeetingKind, RegistrationStatus, Role
from meetings.models import ActionItem
from meetings.selectors import action_items_for_meeting
from notifications.models import Message, MessageTemplate
from privacy.models import PrivacyNotice, RemovalRecord
from reports.models import Document, FunderReport
from visits.models import PHASES, Finding, InterviewerSeat, ReportStatus, SelfAssessment

from . import factories, factories_calls, factories_visits
from .test_campaigns_constraints import CAMPAIGN_CASES

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def update(obj, **values):
    """Write straight to the row: no clean(), no field validation, only the database."""
    type(obj).objects.filter(pk=obj.pk).update(**values)


# Each case breaks exactly one constraint, named by its id; the database must refuse it.


def user_email_ci_unique():
    factories.UserFactory(email="anna@example.org")
    factories.UserFactory(email="Anna@Example.org")


def link_request_one_open_per_account():
    request = LinkRequest.objects.create(
        user=factories.UserFactory(), country=factories.CountryFactory(), city_name="Hollola"
    )
    LinkRequest.objects.create(user=request.user, country=request.country, city_name="Lahti")


def link_request_names_a_municipality():
    LinkRequest.objects.create(user=factories.UserFactory(), country=factories.CountryFactory())


def link_request_status_valid():
    request = LinkRequest.objects.create(
        user=factories.UserFactory(), country=factories.CountryFactory(), city_name="Hollola"
    )
    update(request, status="maybe")


def country_code_iso2():
    factories.CountryFactory(code="pl")


def city_unique_per_country():
    city = factories.CityFactory(name="Sztum")
    factories.CityFactory(name="Sztum", country=city.country)


def contact_email_ci_unique():
    factories.ContactFactory(email="jan@sztum.pl")
    factories.ContactFactory(email="JAN@sztum.pl")


def programme_end_after_start():
    update(factories.ProgrammeFactory(), end_date=dt.date(2018, 12, 31))


def network_one_per_country():
    network = factories.NetworkFactory()
    factories.NetworkFactory(programme=network.programme, country=network.country)


def membership_unique():
    membership = factories.MembershipFactory()
    factories.MembershipFactory(network=membership.network, city=membership.city)


def membership_role_valid():
    update(factories.MembershipFactory(), role="observer")


def membership_one_special_award():
    membership = factories.MembershipFactory(role=Role.SPECIAL_AWARD)
    factories.MembershipFactory(network=membership.network, role=Role.SPECIAL_AWARD)


def theme_unique_name():
    theme = factories.ThemeFactory(name="Open")
    factories.ThemeFactory(name="Open", programme=theme.programme)


def theme_unique_translated_name(language):
    # modeltranslation copies the unique name to each language's column.
    field = f"name_{language}"
    theme = factories.ThemeFactory(name="Open", **{field: "Otwarty"})
    factories.ThemeFactory(name="Other", programme=theme.programme, **{field: "Otwarty"})


def meeting_end_not_before_start():
    meeting = factories.MeetingFactory()
    update(meeting, end=meeting.start - HOUR)


def meeting_at_most_31_days():
    # The calendar's order relies on it (exchanges.calendar_pages).
    meeting = factories.MeetingFactory()
    update(meeting, end=meeting.start + dt.timedelta(days=31, seconds=1))


def meeting_capacity_not_negative():
    # PositiveIntegerField would refuse -1 in Python; update() sends it to the database.
    update(factories.MeetingFactory(), capacity=-1)


def meeting_deadline_before_end():
    meeting = factories.MeetingFactory()
    update(meeting, registration_deadline=meeting.end + HOUR)


def meeting_opens_before_deadline():
    meeting = factories.MeetingFactory(registration_deadline=None)
    update(
        meeting,
        registration_deadline=meeting.start - HOUR,
        registration_opens=meeting.start,
    )


def meeting_one_conference_per_programme():
    conference = factories.MeetingFactory(
        network=None,
        programme=factories.ProgrammeFactory(),
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
    )
    factories.MeetingFactory(
        network=None,
        programme=conference.programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
    )


def meeting_national_exchange_has_network():
    update(factories.MeetingFactory(), network=None)


def meeting_number_unique_in_network():
    meeting = factories.MeetingFactory(number=1)
    factories.MeetingFactory(network=meeting.network, number=1)


def meeting_kind_valid():
    update(factories.MeetingFactory(), kind="party")


def meeting_status_valid():
    update(factories.MeetingFactory(), status="forgotten")


def meeting_format_valid():
    update(factories.MeetingFactory(), format="telepathy")


def meeting_offer_hours_positive():
    update(factories.MeetingFactory(), offer_hours=0)


def material_file_xor_link():
    factories.MaterialFactory(file="materials/slides.pdf", url="https://example.org/slides")


def partner_unique_name():
    partner = factories.PartnerFactory(name="Deutsche Umwelthilfe")
    factories.PartnerFactory(name="Deutsche Umwelthilfe", programme=partner.programme)


def partner_one_coordinator():
    partner = factories.PartnerFactory(is_coordinator=True)
    factories.PartnerFactory(is_coordinator=True, programme=partner.programme)


def consortium_meeting_number_unique():
    meeting = factories.ConsortiumMeetingFactory(number=1)
    factories.ConsortiumMeetingFactory(number=1, programme=meeting.programme)


def consortium_meeting_number_positive():
    factories.ConsortiumMeetingFactory(number=0, start_date=dt.date(2019, 1, 1))


def consortium_meeting_end_not_before_start():
    meeting = factories.ConsortiumMeetingFactory()
    update(meeting, end_date=meeting.start_date - dt.timedelta(days=1))


def consortium_meeting_has_a_place():
    factories.ConsortiumMeetingFactory(planned_place="", held_place="", held_online=False)


def attendance_unique():
    attendance = factories.AttendanceFactory()
    factories.AttendanceFactory(meeting=attendance.meeting, partner=attendance.partner)


def attendance_status_valid():
    update(factories.AttendanceFactory(), status="asleep")


def action_item_closed_has_date():
    factories.ActionItemFactory(status=ActionItem.Status.DONE, closed_on=None)


# exchanges: registrations, invitations, wordings


def registration_one_per_person():
    registration = factories.RegistrationFactory()
    factories.RegistrationFactory(meeting=registration.meeting, contact=registration.contact)


def registration_waiting_number_unique():
    first = factories.RegistrationFactory(status=RegistrationStatus.WAITING, waiting_number=1)
    factories.RegistrationFactory(
        meeting=first.meeting, status=RegistrationStatus.WAITING, waiting_number=1
    )


def registration_status_valid():
    update(factories.RegistrationFactory(), status="lost")


def registration_waiting_has_number():
    factories.RegistrationFactory(status=RegistrationStatus.WAITING, waiting_number=None)


def registration_offer_has_expiry():
    factories.RegistrationFactory(status=RegistrationStatus.OFFERED, offer_expires_at=None)


def invitation_one_per_contact():
    invitation = factories.InvitationFactory()
    factories.InvitationFactory(meeting=invitation.meeting, contact=invitation.contact)


def wording_one_per_language():
    wording = factories.MeetingWordingFactory()
    factories.MeetingWordingFactory(
        meeting=wording.meeting, kind=wording.kind, language=wording.language
    )


# notifications: the outbox


def message_status_valid():
    update(factories.MessageFactory(), status="lost")


def message_sent_has_time():
    factories.MessageFactory(status=Message.Status.SENT, sent_at=None)


def message_sending_is_claimed():
    factories.MessageFactory(status=Message.Status.SENDING, claimed_at=None)


def message_template_one_per_programme():
    programme = factories.ProgrammeFactory()
    for _ in range(2):
        MessageTemplate.objects.create(
            programme=programme, kind="invitation", language="pl", subject="S", body="B"
        )


def message_template_one_portal_wide():
    for _ in range(2):
        MessageTemplate.objects.create(
            kind="account_password_reset_key", language="pl", subject="S", body="B"
        )


# reports: generated documents


def document_status_valid():
    update(factories.DocumentFactory(), status="lost")


def document_ready_has_file():
    factories.DocumentFactory(status=Document.Status.READY, file="", rendered_at=None)


# calls: calls, questions, applications, answers, mentorships


def call_closes_after_opening():
    call = factories_calls.CallFactory()
    update(call, closes_at=call.opens_at - HOUR)


def call_places_max_not_below_min():
    factories_calls.CallFactory(places_min=5, places_max=3)


def call_webinar_end_not_before_start():
    start = timezone.now()
    factories_calls.CallFactory(webinar_start=start, webinar_end=start - HOUR)


def question_kind_valid():
    update(factories_calls.QuestionFactory(), kind="essay")


def question_file_size_positive():
    # PositiveSmallIntegerField allows 0; the constraint asks for at least one megabyte.
    factories_calls.QuestionFactory(max_file_size_mb=0)


def application_city_or_new_name():
    factories_calls.ApplicationFactory(new_city_name="Uusikaupunki")


def application_one_per_account():
    application = factories_calls.ApplicationFactory()
    factories_calls.ApplicationFactory(call=application.call, applicant=application.applicant)


def application_one_per_city():
    application = factories_calls.ApplicationFactory()
    factories_calls.ApplicationFactory(call=application.call, city=application.city)


def application_status_valid():
    update(factories_calls.ApplicationFactory(), status="forgotten")


def application_selected_has_role():
    factories_calls.ApplicationFactory(status=ApplicationStatus.SELECTED, role="")


def answer_one_per_question():
    answer = factories_calls.AnswerFactory()
    factories_calls.AnswerFactory(application=answer.application, question=answer.question)


def mentorship_one_mentor():
    factories_calls.MentorshipFactory(mentor_city=None, mentor_partner=None)


def mentorship_end_not_before_start():
    mentorship = factories_calls.MentorshipFactory()
    update(mentorship, end_date=mentorship.start_date - dt.timedelta(days=1))


def mentorship_not_own_mentor():
    city = factories.CityFactory()
    factories_calls.MentorshipFactory(mentor_city=city, mentee=city)


def mentorship_kind_valid():
    update(factories_calls.MentorshipFactory(), kind="cheering")


def mentorship_unique_city_pair():
    mentorship = factories_calls.MentorshipFactory()
    factories_calls.MentorshipFactory(
        programme=mentorship.programme,
        mentor_city=mentorship.mentor_city,
        mentee=mentorship.mentee,
    )


def mentorship_unique_partner_pair():
    partner = factories.PartnerFactory()
    mentorship = factories_calls.MentorshipFactory(
        programme=partner.programme, mentor_city=None, mentor_partner=partner
    )
    factories_calls.MentorshipFactory(
        programme=partner.programme,
        mentor_city=None,
        mentor_partner=partner,
        mentee=mentorship.mentee,
    )


def mentorship_contact_form_valid():
    update(factories_calls.MentorshipContactFactory(), form="pigeon")


# visits: rounds, visits, interview groups, reports, meeting feedback


def round_unique_name():
    review_round = factories_visits.RoundFactory(themes=[])
    factories_visits.RoundFactory(
        programme=review_round.programme, name=review_round.name, themes=[]
    )


def round_phase_ends_after_start(phase):
    review_round = factories_visits.RoundFactory(themes=[])
    start = getattr(review_round, f"{phase}_start")
    update(review_round, **{f"{phase}_end": start - dt.timedelta(days=1)})


def round_phase_starts_after_previous(earlier, later):
    # Only the later start moves, to before the earlier one: its own window stays whole.
    review_round = factories_visits.RoundFactory(themes=[])
    start = getattr(review_round, f"{earlier}_start")
    update(review_round, **{f"{later}_start": start - dt.timedelta(days=1)})


def visit_one_per_host():
    visit = factories_visits.VisitFactory()
    factories_visits.VisitFactory(round=visit.round, host=visit.host)


def visit_format_valid():
    update(factories_visits.VisitFactory(), format="by_post")


def seat_unique():
    visit = factories_visits.VisitFactory()
    reviewer = factories_visits.VisitFactory(round=visit.round)
    InterviewerSeat.objects.create(visit=visit, reviewer=reviewer)
    InterviewerSeat.objects.create(visit=visit, reviewer=reviewer)


def seat_never_own_visit():
    visit = factories_visits.VisitFactory()
    InterviewerSeat.objects.create(visit=visit, reviewer=visit)


def self_assessment_per_theme():
    visit = factories_visits.VisitFactory()
    theme = visit.round.themes.first()
    SelfAssessment.objects.create(visit=visit, theme=theme)
    SelfAssessment.objects.create(visit=visit, theme=theme)


def report_status_valid():
    update(factories.FeedbackReportFactory(), status="lost")


def report_submitted_has_time():
    factories.FeedbackReportFactory(status=ReportStatus.SUBMITTED, submitted_at=None)


def finding_per_theme():
    report = factories.FeedbackReportFactory()
    theme = report.visit.round.themes.first()
    Finding.objects.create(report=report, theme=theme)
    Finding.objects.create(report=report, theme=theme)


def feedback_one_per_attendee():
    feedback = factories.MeetingFeedbackFactory()
    factories.MeetingFeedbackFactory(meeting=feedback.meeting, contact=feedback.contact)


# exchanges: questions, answers, the agenda, quotas and check-in (issue 13)


def meeting_city_quota_positive():
    update(factories.MeetingFactory(), city_quota=0)


def registration_checked_in_attended():
    factories.RegistrationFactory(status=RegistrationStatus.CONFIRMED, checked_in_at=timezone.now())


def meeting_question_kind_valid():
    factories.QuestionFactory(kind="essay")


def meeting_question_purpose_valid():
    factories.QuestionFactory(purpose="gossip")


def registration_answer_once():
    registration = factories.RegistrationFactory()
    question = factories.QuestionFactory(meeting=registration.meeting)
    registration.answers.create(question=question, text="one")
    registration.answers.create(question=question, text="two")


def feedback_answer_once():
    feedback = factories.MeetingFeedbackFactory()
    question = factories.QuestionFactory(meeting=feedback.meeting, purpose="feedback")
    feedback.answers.create(question=question, text="one")
    feedback.answers.create(question=question, text="two")


def _funder_report(**fields):
    values = {
        "programme": factories.ProgrammeFactory(),
        "period_start": dt.date(2027, 1, 1),
        "period_end": dt.date(2027, 6, 30),
        "version": 1,
        "published_at": timezone.now(),
        "data": {},
    }
    return FunderReport.objects.create(**(values | fields))


def funder_report_version_unique():
    first = _funder_report()
    _funder_report(programme=first.programme)


def funder_report_period_not_reversed():
    _funder_report(period_end=dt.date(2026, 12, 31))


def session_end_not_before_start():
    session = factories.SessionFactory()
    update(session, end=session.start - dt.timedelta(minutes=1))


# access: roles


def role_kind_valid():
    # Without a network, as every role but a national coordinator's: only the kind is wrong.
    update(factories.RoleFactory(), kind="observer")


def role_network_for_national_coordinators():
    factories.RoleFactory(kind=RoleKind.NATIONAL_COORDINATOR, network=None)


def role_unique_in_programme():
    role = factories.RoleFactory()
    factories.RoleFactory(user=role.user, kind=role.kind, programme=role.programme)


def role_unique_in_network():
    network = factories.NetworkFactory()
    role = factories.RoleFactory(
        kind=RoleKind.NATIONAL_COORDINATOR, programme=network.programme, network=network
    )
    factories.RoleFactory(
        user=role.user,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=network.programme,
        network=network,
    )


CASES = {
    case.__name__: case
    for case in [
        user_email_ci_unique,
        link_request_one_open_per_account,
        link_request_names_a_municipality,
        link_request_status_valid,
        country_code_iso2,
        city_unique_per_country,
        contact_email_ci_unique,
        programme_end_after_start,
        network_one_per_country,
        membership_unique,
        membership_role_valid,
        membership_one_special_award,
        theme_unique_name,
        meeting_end_not_before_start,
        meeting_at_most_31_days,
        meeting_capacity_not_negative,
        meeting_deadline_before_end,
        meeting_opens_before_deadline,
        meeting_one_conference_per_programme,
        meeting_national_exchange_has_network,
        meeting_number_unique_in_network,
        meeting_kind_valid,
        meeting_status_valid,
        meeting_format_valid,
        meeting_offer_hours_positive,
        material_file_xor_link,
        partner_unique_name,
        partner_one_coordinator,
        consortium_meeting_number_unique,
        consortium_meeting_number_positive,
        consortium_meeting_end_not_before_start,
        consortium_meeting_has_a_place,
        attendance_unique,
        attendance_status_valid,
        action_item_closed_has_date,
        registration_one_per_person,
        registration_waiting_number_unique,
        registration_status_valid,
        registration_waiting_has_number,
        registration_offer_has_expiry,
        invitation_one_per_contact,
        wording_one_per_language,
        message_status_valid,
        message_sent_has_time,
        message_sending_is_claimed,
        message_template_one_per_programme,
        message_template_one_portal_wide,
        document_status_valid,
        document_ready_has_file,
        call_closes_after_opening,
        call_places_max_not_below_min,
        call_webinar_end_not_before_start,
        question_kind_valid,
        question_file_size_positive,
        application_city_or_new_name,
        application_one_per_account,
        application_one_per_city,
        application_status_valid,
        application_selected_has_role,
        answer_one_per_question,
        mentorship_one_mentor,
        mentorship_end_not_before_start,
        mentorship_not_own_mentor,
        mentorship_kind_valid,
        mentorship_unique_city_pair,
        mentorship_unique_partner_pair,
        mentorship_contact_form_valid,
        round_unique_name,
        visit_one_per_host,
        visit_format_valid,
        seat_unique,
        seat_never_own_visit,
        self_assessment_per_theme,
        report_status_valid,
        report_submitted_has_time,
        finding_per_theme,
        feedback_one_per_attendee,
        meeting_city_quota_positive,
        registration_checked_in_attended,
        meeting_question_kind_valid,
        meeting_question_purpose_valid,
        registration_answer_once,
        feedback_answer_once,
        session_end_not_before_start,
        funder_report_version_unique,
        funder_report_period_not_reversed,
        role_kind_valid,
        role_network_for_national_coordinators,
        role_unique_in_programme,
        role_unique_in_network,
    ]
}
CASES.update(
    {
        f"theme_unique_name-{language}": partial(theme_unique_translated_name, language)
        for language, _name in settings.LANGUAGES
    }
)
# A round has a window per phase (visits.models._phase_constraints): one case per constraint.
CASES.update(
    {
        f"round_{phase}_ends_after_start": partial(round_phase_ends_after_start, phase)
        for phase in PHASES
    }
)
CASES.update(
    {
        f"round_{later}_starts_after_{earlier}": partial(
            round_phase_starts_after_previous, earlier, later
        )
        for earlier, later in zip(PHASES, PHASES[1:], strict=False)
    }
)
CASES.update(CAMPAIGN_CASES)


# A privacy notice's versions (issue 15, item 1): numbered from 1, once per programme and once
# for the portal's own (no programme).
def _notice(**fields):
    return PrivacyNotice.objects.create(title="Your data", body="What we keep.", **fields)


def privacy_notice_version_unique_per_programme():
    programme = factories.ProgrammeFactory()
    _notice(programme=programme, version=1)
    _notice(programme=programme, version=1)


def privacy_notice_version_unique_for_portal():
    _notice(version=7)
    _notice(version=7)


def privacy_notice_version_positive():
    _notice(programme=factories.ProgrammeFactory(), version=0)


def removal_record_reason_valid():
    RemovalRecord.objects.create(reason="forgotten")


CASES.update(
    {
        case.__name__: case
        for case in [
            privacy_notice_version_unique_per_programme,
            privacy_notice_version_unique_for_portal,
            privacy_notice_version_positive,
            removal_record_reason_valid,
        ]
    }
)


# Personal API tokens (issue 16, item 2): found by the hash of their secret, named by its prefix.
def _api_token(**fields):
    from api.models import ApiToken

    values = {"prefix": "abcd1234", "key_hash": "a" * 64, **fields}
    return ApiToken.objects.create(user=factories.CoordinatorFactory(), name="Website", **values)


def api_token_hash_unique():
    _api_token()
    _api_token(prefix="efgh5678")


def api_token_prefix_unique():
    _api_token()
    _api_token(key_hash="b" * 64)


def api_token_hash_is_sha256():
    _api_token(key_hash="secret")


def api_token_expires_after_creation():
    token = _api_token()
    update(token, expires_at=token.created_at - HOUR)


CASES.update(
    {
        case.__name__: case
        for case in [
            api_token_hash_unique,
            api_token_prefix_unique,
            api_token_hash_is_sha256,
            api_token_expires_after_creation,
        ]
    }
)
# Constraints that another one, stating the same rule, may refuse the row before.
SHADOWED_BY = {
    # PositiveIntegerField adds a check of its own on the column.
    "meeting_capacity_not_negative": "exchanges_exchangemeeting_capacity_check",
    # modeltranslation keeps the English name in the original column too.
    "theme_unique_name-en": "theme_unique_name",
}


def project_models():
    """Every model of the project's own apps (a package beside manage.py), from the registry:
    a new model with a constraint needs a case here without anyone adding it to a list."""
    root = Path(settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).parent == root
        for model in config.get_models()
    ]


MODELS = project_models()


@pytest.mark.parametrize("constraint", CASES)
def test_the_database_refuses(constraint):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        CASES[constraint]()

    # PostgreSQL names the constraint that refused the row; SQLite names only some.
    if connection.vendor == "postgresql":
        names = {constraint, SHADOWED_BY.get(constraint)}
        assert any(f'"{name}"' in str(error.value) for name in names if name)


def test_every_constraint_of_the_domain_models_has_a_case():
    constraints = {c.name for model in MODELS for c in model._meta.constraints}
    assert constraints == set(CASES)


# The same rules through full_clean(), as the admin and the forms meet them.


def messages_of(instance) -> list[str]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.messages


def test_a_meeting_that_ends_before_it_starts_is_explained():
    meeting = factories.MeetingFactory()
    meeting.end = meeting.start - HOUR

    assert "A meeting cannot end before it starts." in messages_of(meeting)


def test_a_negative_capacity_is_explained():
    meeting = factories.MeetingFactory()
    meeting.capacity = -1

    # The field's own validator speaks first, so the constraint's message is not repeated.
    assert messages_of(meeting) == ["Ensure this value is greater than or equal to 0."]


def test_a_second_conference_is_explained():
    conference = factories.MeetingFactory(
        network=None,
        programme=factories.ProgrammeFactory(),
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
    )
    second = factories.MeetingFactory.build(
        network=None, programme=conference.programme, kind=MeetingKind.INTERNATIONAL_CONFERENCE
    )

    assert messages_of(second) == ["This programme already has an international conference."]


def test_a_national_exchange_without_a_network_is_explained():
    meeting = factories.MeetingFactory()
    meeting.network = None

    assert "A national exchange belongs to a national network." in messages_of(meeting)


def test_a_duplicate_meeting_number_is_explained():
    meeting = factories.MeetingFactory(number=1)
    second = factories.MeetingFactory.build(network=meeting.network, number=1)

    assert messages_of(second) == ["The network already has a meeting with this number."]


def test_a_registration_deadline_after_the_end_is_explained():
    meeting = factories.MeetingFactory()
    meeting.registration_deadline = meeting.end + HOUR

    assert messages_of(meeting) == ["Registration must close before the meeting ends."]


def test_a_host_city_outside_the_network_is_named():
    meeting = factories.MeetingFactory(network__country__name="Poland")
    meeting.host_city = factories.CityFactory(name="Warszawa")

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert error.value.message_dict["host_city"] == [
        f"Warszawa is not a member of {meeting.network}; the host must be one of the "
        "network's cities."
    ]


def test_a_host_city_of_the_network_is_accepted():
    membership = factories.MembershipFactory()
    meeting = factories.MeetingFactory(network=membership.network, host_city=membership.city)

    meeting.full_clean()


def test_a_duplicate_consortium_meeting_number_is_explained():
    meeting = factories.ConsortiumMeetingFactory(number=1)
    second = factories.ConsortiumMeetingFactory.build(
        programme=meeting.programme, number=1, start_date=meeting.start_date
    )

    assert "This programme already has a meeting with this number." in messages_of(second)


def test_consortium_numbers_out_of_date_order_name_the_other_meeting():
    programme = factories.ProgrammeFactory()
    factories.ConsortiumMeetingFactory(
        programme=programme, number=2, start_date=dt.date(2019, 9, 30)
    )
    third = factories.ConsortiumMeetingFactory.build(
        programme=programme, number=3, start_date=dt.date(2019, 6, 1)
    )

    with pytest.raises(ValidationError) as error:
        third.full_clean()

    assert error.value.message_dict["start_date"] == [
        "Meeting 2 is earlier in the numbering but later in time (2019-09-30); numbers must "
        "follow the dates."
    ]


def test_a_past_consortium_meeting_held_nowhere_is_explained():
    meeting = factories.ConsortiumMeetingFactory.build(
        start_date=dt.date(2020, 10, 1), planned_place="Graz", held_place="", held_online=False
    )
    meeting.programme.save()

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert error.value.message_dict["held_place"] == [
        "The meeting has ended: say where it was held, or tick “held online”."
    ]


def test_a_future_consortium_meeting_needs_only_its_planned_place():
    next_month = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.ConsortiumMeetingFactory(
        start_date=next_month, planned_place="Graz", held_place="", held_online=False
    )

    meeting.full_clean()
    assert not meeting.is_relocated


def test_a_future_consortium_meeting_without_any_place_is_explained():
    next_month = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.ConsortiumMeetingFactory.build(
        start_date=next_month, end_date=next_month, held_place=""
    )
    meeting.programme.save()

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert error.value.message_dict["planned_place"] == [
        "Give the planned place, or tick “held online”."
    ]


def test_an_online_consortium_meeting_needs_no_place():
    meeting = factories.ConsortiumMeetingFactory(held_place="", held_online=True)

    meeting.full_clean()


def test_a_done_action_item_without_a_closing_date_is_explained():
    item = factories.ActionItemFactory()
    item.status = ActionItem.Status.DONE

    with pytest.raises(ValidationError) as error:
        item.full_clean()

    assert error.value.message_dict["closed_on"] == ["Give the date the item was closed."]


def test_a_second_special_award_city_is_explained():
    membership = factories.MembershipFactory(role=Role.SPECIAL_AWARD)
    second = factories.MembershipFactory.build(
        network=membership.network, role=Role.SPECIAL_AWARD, city=factories.CityFactory()
    )

    assert messages_of(second) == ["A network has at most one special-award city."]


def test_a_material_with_a_file_and_a_link_is_explained():
    material = factories.MaterialFactory()
    material.file = "materials/slides.pdf"

    messages = messages_of(material)

    assert "Upload a file or give a link (one of the two)." in messages
    assert "A material is either a file or a link, not both." in messages


def test_a_second_coordinator_is_explained():
    partner = factories.PartnerFactory(is_coordinator=True)
    second = factories.PartnerFactory.build(
        programme=partner.programme, is_coordinator=True, country=partner.country
    )

    assert messages_of(second) == ["The programme already has a coordinator."]


# Action items carried from meeting to meeting (meetings.selectors).


def test_open_action_items_are_carried_to_later_meetings_until_closed():
    programme = factories.ProgrammeFactory()
    one, two, three, four = (
        factories.ConsortiumMeetingFactory(
            programme=programme, number=n, start_date=dt.date(2019, n, 1)
        )
        for n in (1, 2, 3, 4)
    )
    still_open = factories.ActionItemFactory(meeting=one, title="Draft the peer-learning plan")
    closed_at_three = factories.ActionItemFactory(
        meeting=one,
        owner=still_open.owner,
        title="Run the city competition",
        status=ActionItem.Status.DONE,
        closed_on=three.start_date,
    )
    agreed_at_three = factories.ActionItemFactory(meeting=three, owner=still_open.owner)

    def titles(meeting):
        return {item.title for item in action_items_for_meeting(meeting=meeting)}

    assert titles(one) == {still_open.title, closed_at_three.title}
    assert titles(two) == {still_open.title, closed_at_three.title}
    assert titles(three) == {still_open.title, closed_at_three.title, agreed_at_three.title}
    assert titles(four) == {still_open.title, agreed_at_three.title}


def test_action_items_of_another_programme_are_not_carried():
    item = factories.ActionItemFactory(meeting__number=1, meeting__start_date=dt.date(2019, 1, 1))
    other = factories.ConsortiumMeetingFactory(number=2, start_date=dt.date(2019, 6, 1))

    assert item.meeting.programme != other.programme
    assert list(action_items_for_meeting(meeting=other)) == []
