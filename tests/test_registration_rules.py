"""Issue 13's registration rules: a meeting's own questions, approval, a city's quota and a
coordinator registering someone on their behalf, through the service, the pages and the admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchanges import registrations
from exchanges.models import (
    QuestionPurpose,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
    Role,
)
from exchanges.questions import field_name, questions_add_starters
from exchanges.registrations import RegistrationRefused
from notifications.models import Message
from notifications.services import message_render_pending as rendered

from . import factories

pytestmark = pytest.mark.django_db


def member(network, city=None, **contact):
    if city is None:
        city = factories.MembershipFactory(network=network, role=Role.ENGAGED).city
    return factories.ContactFactory(city=city, **contact)


def city_staff(network, city=None):
    user = factories.UserFactory()
    member(network, city=city, user=user, email=user.email)
    return user


def register(meeting, contact, **kwargs):
    kwargs.setdefault("privacy_consent", True)
    return registrations.registration_create(meeting_id=meeting.pk, contact=contact, **kwargs)


@pytest.fixture
def meeting():
    return factories.MeetingFactory(capacity=2)


@pytest.fixture
def questions(meeting):
    """A required single choice, an optional multiple choice and a required yes/no."""
    diet = factories.QuestionFactory(meeting=meeting, kind="single", label="Diet", required=True)
    vegan = factories.QuestionChoiceFactory(question=diet, label="vegan")
    factories.QuestionChoiceFactory(question=diet, label="anything")
    sessions = factories.QuestionFactory(meeting=meeting, kind="multiple", label="Sessions")
    morning = factories.QuestionChoiceFactory(question=sessions, label="morning")
    site_visit = factories.QuestionChoiceFactory(question=sessions, label="site visit")
    hotel = factories.QuestionFactory(
        meeting=meeting, kind="yes_no", label="Do you need a hotel?", required=True
    )
    return {
        "diet": diet,
        "vegan": vegan,
        "sessions": sessions,
        "morning": morning,
        "site_visit": site_visit,
        "hotel": hotel,
    }


# --- Questions ------------------------------------------------------------------------------


def test_the_answers_are_stored_with_the_registration_and_read_back(meeting, questions):
    registration = register(
        meeting,
        member(meeting.network),
        answers={
            questions["diet"].pk: str(questions["vegan"].pk),
            questions["sessions"].pk: [str(questions["morning"].pk), questions["site_visit"].pk],
            questions["hotel"].pk: False,
        },
    )
    answers = {a.question.label: a.display() for a in registration.answers.all()}
    assert answers == {
        "Diet": "vegan",
        "Sessions": "morning; site visit",
        "Do you need a hotel?": "no",  # "no" is an answer to a required yes/no question
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("required left out", "Please answer “Diet”."),
        ("choice not offered", "“Diet”: that choice is not offered."),
        ("choice of another question", "“Diet”: that choice is not offered."),
        ("two choices for one", "“Diet” takes one choice."),
        ("not a choice at all", "“Diet”: that choice is not offered."),
        ("yes/no as text", "“Do you need a hotel?” is answered yes or no."),
        ("question not asked", "An answer was given to a question this form does not ask."),
    ],
)
def test_an_answer_that_does_not_fit_is_refused_and_nothing_is_written(
    meeting, questions, case, message
):
    diet, hotel = questions["diet"].pk, questions["hotel"].pk
    good = {diet: str(questions["vegan"].pk), hotel: True}
    bad = {
        "required left out": {hotel: True},
        "choice not offered": {**good, diet: "999999"},
        "choice of another question": {**good, diet: str(questions["morning"].pk)},
        "two choices for one": {**good, diet: [questions["vegan"].pk, questions["vegan"].pk + 1]},
        "not a choice at all": {**good, diet: "vegan"},
        "yes/no as text": {**good, hotel: "yes"},
        "question not asked": {**good, factories.QuestionFactory().pk: "x"},
    }[case]
    with pytest.raises(RegistrationRefused) as refused:
        register(meeting, member(meeting.network), answers=bad)
    assert refused.value.message == message
    assert not Registration.objects.exists()
    assert not RegistrationAnswer.objects.exists()
    assert not Message.objects.exists()


def test_the_meeting_page_asks_the_questions_and_says_what_is_missing(client, meeting, questions):
    client.force_login(city_staff(meeting.network))

    page = client.get(f"/meetings/{meeting.pk}/")
    assert "Diet" in page.text and "Do you need a hotel?" in page.text
    response = client.post(
        f"/meetings/{meeting.pk}/register/",
        {"privacy_consent": "on", field_name(questions["diet"]): str(questions["morning"].pk)},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.text  # a choice of another question
    assert "This field is required." in response.text  # the hotel
    assert not Registration.objects.exists()

    client.post(
        f"/meetings/{meeting.pk}/register/",
        {
            "privacy_consent": "on",
            field_name(questions["diet"]): str(questions["vegan"].pk),
            field_name(questions["hotel"]): "yes",
        },
    )
    registration = Registration.objects.get()
    assert [a.display() for a in registration.answers.all()] == ["vegan", "yes"]


def test_answers_are_never_shown_to_other_participants(client, meeting, questions):
    meeting.capacity = 5
    meeting.save()
    register(
        meeting,
        member(meeting.network, first_name="Agata"),
        listed=True,
        answers={questions["diet"].pk: str(questions["vegan"].pk), questions["hotel"].pk: True},
    )
    other = city_staff(meeting.network)
    register(
        meeting,
        other.contact,
        answers={questions["diet"].pk: str(questions["vegan"].pk), questions["hotel"].pk: True},
    )
    client.force_login(other)

    page = client.get(f"/meetings/{meeting.pk}/")

    assert "Agata" in page.text  # listed, so other participants see her name
    assert "vegan" not in page.text


def test_the_coordinator_reads_the_answers_on_the_registration(admin_client, meeting, questions):
    registration = register(
        meeting,
        member(meeting.network),
        answers={questions["diet"].pk: str(questions["vegan"].pk), questions["hotel"].pk: True},
    )
    page = admin_client.get(f"/admin/exchanges/registration/{registration.pk}/change/")
    assert "<strong>Diet</strong><br>vegan" in page.text


def test_a_choice_question_without_choices_is_not_asked(meeting):
    factories.QuestionFactory(meeting=meeting, kind="multiple", label="Empty", required=True)
    # Nobody could answer it, so it cannot block a registration.
    assert register(meeting, member(meeting.network)).status == RegistrationStatus.CONFIRMED


def test_the_typical_questions_are_added_once_with_the_agenda_as_sessions(meeting):
    factories.SessionFactory(meeting=meeting, title="Heat planning")
    added = questions_add_starters(meeting=meeting, purpose=QuestionPurpose.REGISTRATION)
    again = questions_add_starters(meeting=meeting, purpose=QuestionPurpose.REGISTRATION)

    assert [q.label for q in added] == [
        "Do you need help with travel or accommodation?",
        "Dietary needs",
        "Accessibility needs",
        "Which sessions will you attend?",
    ]
    assert again == []
    assert [c.label for c in added[3].choices.all()] == ["Heat planning"]
    # Translated like other content: each language has its words.
    assert added[1].label_pl and added[1].label_pl != "Dietary needs"


# --- Approval -------------------------------------------------------------------------------


@pytest.fixture
def moderated(meeting):
    meeting.requires_approval = True
    meeting.capacity = 1
    meeting.save()
    return meeting


def test_a_pending_registration_holds_no_seat_and_says_so(moderated):
    first = register(moderated, member(moderated.network))
    second = register(moderated, member(moderated.network))

    assert (first.status, second.status) == ("pending", "pending")
    assert first.waiting_number is None
    message = rendered(
        Message.objects.get(kind="registration_pending", recipient_email=first.contact.email)
    )
    assert "awaiting approval" in message.subject
    assert "holds no seat" in message.body_text


def test_approval_gives_a_seat_then_the_waiting_list_and_tells_the_person(moderated):
    coordinator = factories.CoordinatorFactory()
    first = register(moderated, member(moderated.network))
    second = register(moderated, member(moderated.network))

    approved = registrations.registration_approve(registration_id=second.pk, by=coordinator)
    later = registrations.registration_approve(registration_id=first.pk, by=coordinator)

    assert approved.status == RegistrationStatus.CONFIRMED  # approved first, seated first
    assert (later.status, later.waiting_number) == (RegistrationStatus.WAITING, 1)
    assert approved.decided_by == coordinator and approved.decided_at is not None
    subjects = {
        message.kind: rendered(message).subject
        for message in Message.objects.filter(kind__startswith="registration_approved")
    }
    assert subjects == {
        "registration_approved": f"Registration approved: {moderated.title}",
        "registration_approved_waiting": f"Approved, on the waiting list: {moderated.title}",
    }
    # The waiting list still works: the seat passes on when the first person cancels.
    registrations.registration_cancel(registration_id=approved.pk)
    later.refresh_from_db()
    assert later.status == RegistrationStatus.CONFIRMED


def test_rejection_tells_the_person_and_they_cannot_simply_register_again(moderated):
    coordinator = factories.CoordinatorFactory()
    contact = member(moderated.network)
    pending = register(moderated, contact)

    rejected = registrations.registration_reject(registration_id=pending.pk, by=coordinator)

    assert rejected.status == RegistrationStatus.REJECTED
    assert Message.objects.filter(kind="registration_rejected").count() == 1
    with pytest.raises(RegistrationRefused, match="was not accepted"):
        register(moderated, contact)
    with pytest.raises(RegistrationRefused, match="Only registrations awaiting approval"):
        registrations.registration_approve(registration_id=pending.pk, by=coordinator)


def test_approving_twice_changes_nothing_the_second_time(moderated):
    coordinator = factories.CoordinatorFactory()
    pending = register(moderated, member(moderated.network))
    registrations.registration_approve(registration_id=pending.pk, by=coordinator)
    with pytest.raises(RegistrationRefused):
        registrations.registration_approve(registration_id=pending.pk, by=coordinator)
    assert Message.objects.filter(kind="registration_approved").count() == 1


def test_the_admin_approves_and_rejects_with_its_actions(admin_client, moderated):
    first = register(moderated, member(moderated.network))
    second = register(moderated, member(moderated.network))
    changelist = reverse("admin:exchanges_registration_changelist")

    admin_client.post(changelist, {"action": "approve", ACTION_CHECKBOX_NAME: [first.pk]})
    response = admin_client.post(
        changelist,
        {"action": "reject", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "rejected")
    assert "Only registrations awaiting approval can be rejected." in response.text


# --- City quota -----------------------------------------------------------------------------


def test_a_city_registers_at_most_its_quota_and_the_next_person_is_told_why(meeting):
    meeting.city_quota = 2
    meeting.capacity = 10
    meeting.save()
    city = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED).city

    register(meeting, member(meeting.network, city=city))
    waiting = register(meeting, member(meeting.network, city=city))
    with pytest.raises(RegistrationRefused) as refused:
        register(meeting, member(meeting.network, city=city))

    assert refused.value.code == "quota"
    assert refused.value.message.startswith(
        f"{city.name} has already registered 2 people, the most this meeting takes"
    )
    assert meeting.registrations.count() == 2
    # Another city is not held back, and a cancellation frees the city's place.
    assert register(meeting, member(meeting.network)).status == RegistrationStatus.CONFIRMED
    registrations.registration_cancel(registration_id=waiting.pk)
    assert register(meeting, member(meeting.network, city=city)).holds_seat


def test_pending_and_waiting_people_count_in_the_quota(moderated):
    moderated.city_quota = 1
    moderated.save()
    city = factories.MembershipFactory(network=moderated.network, role=Role.ENGAGED).city
    register(moderated, member(moderated.network, city=city))
    with pytest.raises(RegistrationRefused, match="already registered 1 person"):
        register(moderated, member(moderated.network, city=city))


def test_the_page_tells_the_person_beyond_the_quota(client, meeting):
    meeting.city_quota = 1
    meeting.save()
    city = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED).city
    register(meeting, member(meeting.network, city=city))
    client.force_login(city_staff(meeting.network, city=city))

    page = client.get(f"/meetings/{meeting.pk}/")
    response = client.post(
        f"/meetings/{meeting.pk}/register/", {"privacy_consent": "on"}, follow=True
    )

    assert "Each city may register 1 person." in page.text
    assert f"{city.name} has already registered 1 person" in response.text
    assert meeting.registrations.count() == 1


# --- On someone's behalf --------------------------------------------------------------------


def test_a_coordinator_registers_a_contact_with_the_same_questions_and_messages(
    admin_client, coordinator, meeting, questions
):
    contact = member(meeting.network, last_name="Nowak")
    address = reverse("cockpit:register_contact", args=[meeting.pk])

    found = admin_client.get(address, {"q": "nowak"})
    assert f"contact={contact.pk}" in found.text
    form = admin_client.get(address, {"contact": contact.pk})
    assert "Diet" in form.text
    refused = admin_client.post(f"{address}?contact={contact.pk}", {"privacy_consent": "on"})
    assert refused.status_code == 200 and "This field is required." in refused.text
    response = admin_client.post(
        f"{address}?contact={contact.pk}",
        {
            "privacy_consent": "on",
            field_name(questions["diet"]): str(questions["vegan"].pk),
            field_name(questions["hotel"]): "no",
        },
        follow=True,
    )

    registration = Registration.objects.get(contact=contact)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.registered_by == coordinator
    assert f"{contact.full_name} is registered (confirmed)" in response.text
    message = rendered(Message.objects.get(kind="registration_confirmed"))
    assert message.recipient_email == contact.email
    assert "registered you for this meeting on your behalf" in message.body_text


def test_on_someones_behalf_the_same_rules_hold(admin_client, meeting):
    meeting.city_quota = 1
    meeting.save()
    city = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED).city
    register(meeting, member(meeting.network, city=city))
    contact = member(meeting.network, city=city)
    address = reverse("cockpit:register_contact", args=[meeting.pk])

    response = admin_client.post(
        f"{address}?contact={contact.pk}", {"privacy_consent": "on"}, follow=True
    )

    assert "has already registered 1 person" in response.text
    assert not Registration.objects.filter(contact=contact).exists()


def test_a_coordinators_registration_needs_no_approval(moderated):
    coordinator = factories.CoordinatorFactory()
    registration = register(moderated, member(moderated.network), by=coordinator)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.decided_by == coordinator


def test_another_networks_coordinator_cannot_register_people_for_the_meeting(client, meeting):
    sweden = factories.NetworkFactory(
        programme=meeting.programme, country=factories.CountryFactory(code="SE")
    )
    national = factories.RoleFactory(
        kind="national_coordinator", programme=meeting.programme, network=sweden
    ).user
    client.force_login(national)
    response = client.get(reverse("cockpit:register_contact", args=[meeting.pk]))
    assert response.status_code == 404


def test_city_staff_are_refused_the_page(client, meeting):
    client.force_login(city_staff(meeting.network))
    response = client.get(reverse("cockpit:register_contact", args=[meeting.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_contact_search_costs_the_same_queries_for_1_and_3_people(
    admin_client, meeting, count, django_assert_num_queries
):
    for index in range(count):
        member(meeting.network, last_name=f"Kowalski{index}")
    address = reverse("cockpit:register_contact", args=[meeting.pk])
    admin_client.get(address)
    with django_assert_num_queries(4):
        response = admin_client.get(address, {"q": "kowalski"})
    assert response.text.count("Kowalski") == count


# --- Constant queries -----------------------------------------------------------------------


def _questions(meeting, count):
    for index in range(count):
        question = factories.QuestionFactory(meeting=meeting, kind="multiple", label=f"Q{index}")
        factories.QuestionChoiceFactory.create_batch(2, question=question)


@pytest.mark.parametrize("count", [1, 3])
def test_the_registration_form_costs_the_same_queries_for_1_and_3_questions(
    client, meeting, count, django_assert_num_queries
):
    _questions(meeting, count)
    client.force_login(city_staff(meeting.network))
    client.get("/me/meetings/")
    with django_assert_num_queries(13):
        response = client.get(f"/meetings/{meeting.pk}/")
    assert response.text.count('type="checkbox" name="question_') == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_the_registrations_list_costs_the_same_queries_for_1_and_3_registrations(
    admin_client, meeting, count, django_assert_num_queries
):
    meeting.capacity = None
    meeting.save()
    _questions(meeting, 2)
    questions = list(meeting.questions.prefetch_related("choices"))
    for _ in range(count):
        answers = {q.pk: [str(c.pk) for c in q.choices.all()] for q in questions}
        register(meeting, member(meeting.network), answers=answers)
    address = reverse("admin:exchanges_registration_changelist")
    admin_client.get(address)
    with django_assert_num_queries(12):
        response = admin_client.get(address)
    assert response.text.count('class="action-select"') == count


def test_the_registration_page_approves_with_one_click(admin_client, moderated):
    pending = register(moderated, member(moderated.network))
    page = admin_client.get(f"/admin/exchanges/registration/{pending.pk}/change/")
    assert 'value="approve"' in page.text and 'value="reject"' in page.text

    response = admin_client.post(
        reverse("admin:exchanges_registration_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [pending.pk], "index": "0"},
        follow=True,
    )

    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert "is approved: confirmed." in response.text
    # Once decided, the buttons are gone.
    again = admin_client.get(f"/admin/exchanges/registration/{pending.pk}/change/")
    assert 'value="approve"' not in again.text


def test_a_registrations_message_is_rendered_by_its_sender_not_under_the_seat_lock(
    monkeypatch, mailoutbox
):
    # Under the meeting's lock the message is only a row with what it will say: no template
    # is rendered there (issue 18), and sending it renders it, in the person's words.
    from notifications import kinds
    from notifications.outbox import message_send_batch

    renders = []
    original = kinds.message_render
    monkeypatch.setattr(
        "notifications.services.message_render",
        lambda **kwargs: renders.append(kwargs["kind"]) or original(**kwargs),
    )
    meeting = factories.MeetingFactory(title="Energy planning day", capacity=10)
    contact = factories.ContactFactory(
        city=factories.MembershipFactory(network=meeting.network).city
    )

    registration = registrations.registration_create(
        meeting_id=meeting.pk, contact=contact, privacy_consent=True
    )

    message = Message.objects.get(kind="registration_confirmed")
    assert renders == [] and message.render_pending and message.body_text == ""
    assert message.values["checkin_code"] == registration.code

    message_send_batch(message_ids=[message.pk])

    assert renders == ["registration_confirmed"]
    [email] = mailoutbox
    assert "Energy planning day" in email.subject and registration.code in email.body
    message.refresh_from_db()
    assert not message.render_pending and message.values == {}  # its text replaced its values
    assert message.status == Message.Status.SENT and registration.code in message.body_text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the row lock is PostgreSQL's (set DATABASE_URL)"
)
def test_under_the_seat_lock_a_registration_only_counts_decides_and_writes_its_rows():
    # Issue 18: whatever does not depend on the seats (who may register, the privacy notice,
    # the e-mail limit, the invitation, what the message names) is read before the meeting's
    # lock, so that the next person waits for a count and a few inserts, not for all of it.
    meeting = factories.MeetingFactory(
        capacity=5, host_city=factories.CityFactory(), theme=factories.ThemeFactory()
    )
    diet = factories.QuestionFactory(meeting=meeting, kind="single", label="Diet", required=True)
    vegan = factories.QuestionChoiceFactory(question=diet, label="vegan")
    user = factories.UserFactory()
    contact = member(meeting.network, user=user, email=user.email)
    factories.InvitationFactory(meeting=meeting, contact=contact)

    with CaptureQueriesContext(connection) as context:
        registration = register(
            meeting, contact, answers={diet.pk: str(vegan.pk)}, requested_by=user
        )

    statements = [query["sql"] for query in context.captured_queries]
    [lock] = [i for i, sql in enumerate(statements) if "FOR UPDATE" in sql and "meeting" in sql]
    locked = [sql.split(" (")[0].split(" WHERE")[0] for sql in statements[lock:]]
    reads = [sql for sql in locked if sql.startswith("SELECT")]
    # The meeting's deciding columns, one count of its registrations, the message's key.
    assert len(reads) == 3, locked
    assert "COUNT" in reads[1] and "notifications_message" in reads[2]
    writes = [sql.split()[2] for sql in locked if sql.startswith("INSERT")]
    assert writes == [
        '"exchanges_registration"',
        '"auditlog_logentry"',
        '"exchanges_registrationanswer"',
        '"exchanges_registrationanswer_choices"',
        '"notifications_message"',
    ]
    assert registration.status == RegistrationStatus.CONFIRMED
    message = Message.objects.get(kind="registration_confirmed")
    assert meeting.host_city.name in message.values["meeting_facts"]
    assert meeting.theme.name in message.values["meeting_facts"]
    assert registration.privacy_notice is not None
