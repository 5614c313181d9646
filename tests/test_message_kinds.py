"""Every message the portal sends is a registered kind with flat placeholders (issue 14, item
5): its default in files passes the editor's own check in every language, its sample fills every
placeholder for a real recipient of the programme, and a programme's own text is what is sent."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone, translation

from calls.services import application_reject, application_select
from exchanges import registrations
from exchanges.models import Role
from notifications.kinds import KINDS, default_source, message_render
from notifications.models import Message, MessageTemplate
from notifications.rendering import template_errors
from notifications.services import message_render_pending as rendered

from . import factories
from . import factories_calls as calls_factories
from . import factories_visits as visits_factories

LANGUAGES = [code for code, _name in settings.LANGUAGES]

MEETING_KINDS = {
    "invitation",
    "reminder_7d",
    "reminder_1d",
    "feedback_request",
    "meeting_changed",
    "meeting_moved_online",
    "meeting_postponed",
    "meeting_cancelled",
    "meeting_updated",
}
REGISTRATION_KINDS = {
    f"registration_{event}"
    for event in (
        "confirmed",
        "pending",
        "approved",
        "approved_waiting",
        "rejected",
        "waiting",
        "promoted",
        "offered",
        "offer_expired",
        "cancelled",
    )
}
CALL_KINDS = {
    "call_application_received",
    "call_application_updated",
    "call_selected",
    "call_not_selected",
}
VISIT_KINDS = {"visit_session", "visit_report"}
PROGRAMME_KINDS = MEETING_KINDS | REGISTRATION_KINDS | CALL_KINDS | VISIT_KINDS


def test_every_message_a_coordinator_thinks_of_is_a_kind_with_a_label_and_group():
    assert set(KINDS) >= PROGRAMME_KINDS
    for code in PROGRAMME_KINDS:
        kind = KINDS[code]
        assert kind.per_programme and kind.sample is not None
        assert str(kind.label) and str(kind.group)
        assert "recipient_name" in kind.placeholders
        assert all(str(description) for description in kind.placeholders.values())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_default_passes_the_editors_check_in_every_language(code, language):
    kind = KINDS[code]
    subject, body = default_source(kind, language)

    assert template_errors(subject, kind.placeholders) == []
    assert template_errors(body, kind.placeholders) == []
    assert subject.strip() and "\n" not in subject
    assert "{{ recipient_name }}" in body or not kind.per_programme


@pytest.mark.parametrize("language", ["pl", "fi"])
def test_the_defaults_reuse_the_translated_sentences(language):
    with translation.override(language):
        signature = translation.gettext("Multiply – peer learning between cities")
        invited = translation.gettext("Register or decline with your personal link:")
    _subject, body = default_source(KINDS["invitation"], language)
    assert signature != "Multiply – peer learning between cities"
    assert signature in body and invited in body


# --- Samples: a real recipient of the programme for every kind ------------------------------


@pytest.fixture
def programme(db):
    """A programme with a bit of everything: registrations in every state, an invitation, an
    application selected and one not, a peer visit with its feedback session."""
    meeting = factories.MeetingFactory(status_note="Room 2")
    programme = meeting.programme
    factories.SessionFactory(meeting=meeting)
    city = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED).city
    by = factories.CoordinatorFactory(first_name="Olga", last_name="Nowak")
    for status in ("confirmed", "pending", "waiting", "rejected", "cancelled", "attended"):
        factories.RegistrationFactory(
            meeting=meeting,
            contact=factories.ContactFactory(city=city, language="pl"),
            status=status,
            registered_by=by,
            waiting_number=1 if status == "waiting" else None,
        )
    factories.RegistrationFactory(
        meeting=meeting,
        contact=factories.ContactFactory(city=city),
        status="offered",
        offer_expires_at=timezone.now() + dt.timedelta(hours=24),
    )
    factories.InvitationFactory(meeting=meeting, contact=factories.ContactFactory(city=city))
    call = calls_factories.CallFactory(programme=programme)
    calls_factories.AnswerFactory(application__call=call)
    calls_factories.ApplicationFactory(call=call, status="selected", role=Role.ENGAGED)
    calls_factories.ApplicationFactory(call=call, status="rejected")
    review_round = visits_factories.RoundFactory(programme=programme)
    visit = visits_factories.VisitFactory(
        round=review_round,
        responsible=factories.ContactFactory(),
        session_at=timezone.now() + dt.timedelta(days=3),
        session_place="Room 7",
    )
    visit.interviews.create(
        starts_at=timezone.now(), role="Mayor", interviewee="Anna Mäki", email="anna@city.example"
    )
    return programme


@pytest.mark.parametrize("code", sorted(PROGRAMME_KINDS))
def test_each_sample_fills_every_placeholder_for_a_real_recipient(programme, code):
    kind = KINDS[code]
    with translation.override("pl"):
        values = kind.sample(programme)

    assert values is not None
    assert set(kind.placeholders) <= set(values)
    assert values["recipient_name"]
    assert KINDS[code].sample(factories.ProgrammeFactory()) is None  # nobody there yet


def test_a_sample_prefers_a_recipient_who_reads_the_language(programme):
    with translation.override("pl"):
        values = KINDS["registration_confirmed"].sample(programme)
    assert values["registered_by_name"] == "Olga Nowak"
    assert "\nKiedy: " in values["meeting_facts"]  # in Polish, for a Polish reader


# --- What is sent ---------------------------------------------------------------------------


@pytest.fixture
def meeting(db):
    meeting = factories.MeetingFactory(title="Energy & climate <2026>", capacity=10)
    factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    return meeting


def register(meeting, **contact):
    city = meeting.network.memberships.first().city
    return registrations.registration_create(
        meeting_id=meeting.pk,
        contact=factories.ContactFactory(city=city, **contact),
        privacy_consent=True,
    )


def test_a_programmes_own_text_is_sent_to_its_registrants_only(meeting):
    MessageTemplate.objects.create(
        programme=meeting.programme,
        kind="registration_confirmed",
        language="en",
        subject="Seat for {{ recipient_name }}",
        body="See you at {{ meeting_where }}. Code {{ checkin_code }}.",
    )
    other = factories.MeetingFactory(capacity=10)
    factories.MembershipFactory(network=other.network, role=Role.ENGAGED)

    ours = register(meeting, first_name="Ewa", last_name="Lis")
    theirs = register(other)

    message = rendered(Message.objects.get(recipient_email=ours.contact.email))
    assert (message.kind, message.subject) == ("registration_confirmed", "Seat for Ewa Lis")
    assert message.body_text == f"See you at City hall. Code {ours.code}."
    assert ours.code in message.body_html and '<html lang="en">' in message.body_html
    default = rendered(Message.objects.get(recipient_email=theirs.contact.email))
    assert default.subject == f"You are registered: {other.title}"


def test_the_text_is_plain_and_the_html_escapes_it(meeting):
    registration = register(meeting)

    message = rendered(Message.objects.get(recipient_email=registration.contact.email))
    assert message.subject == "You are registered: Energy & climate <2026>"
    assert "Energy & climate <2026>" in message.body_text
    assert "Energy &amp; climate &lt;2026&gt;" in message.body_html
    assert "<2026>" not in message.body_html


def test_a_message_is_rendered_in_the_recipients_language_with_its_own_dates(meeting):
    registration = register(meeting, language="fi")

    message = rendered(Message.objects.get(recipient_email=registration.contact.email))
    with translation.override("fi"):
        subject, _text, _html = message_render(
            kind="registration_confirmed",
            language="fi",
            values={"meeting_title": meeting.title},
        )
    assert message.language == "fi" and message.subject == subject
    assert "(Europe/Warsaw)" in message.body_text
    assert f"{settings.SITE_URL}/meetings/{meeting.pk}/" in message.body_text


def test_a_decision_is_its_own_kind_selected_or_not(db):
    call = calls_factories.CallFactory()
    chosen = calls_factories.ApplicationFactory(call=call)
    refused = calls_factories.ApplicationFactory(call=call)

    application_select(application_id=chosen.pk, role=Role.ENGAGED)
    application_reject(application_id=refused.pk)

    kinds = dict(Message.objects.values_list("recipient_email", "kind"))
    assert kinds == {
        chosen.contact_email: "call_selected",
        refused.contact_email: "call_not_selected",
    }
    selected = Message.objects.get(kind="call_selected")
    assert f"You have been selected: {call.title}" == selected.subject
    assert f"{settings.SITE_URL}/me/applications/{chosen.pk}/" in selected.body_text
