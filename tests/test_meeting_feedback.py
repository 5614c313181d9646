"""Feedback on meetings: the form the day-after e-mail links to, with the questions the
coordinator chose (the typical three unless they chose others), one answer per attendee,
anonymous to other participants, and the coordinators' summary as a page and a PDF."""

import datetime as dt
import io

import html5lib
import pytest
from django.db import IntegrityError
from django.utils import timezone
from pypdf import PdfReader

from exchanges.feedback import FeedbackRefused, meeting_feedback_save
from exchanges.models import (
    FeedbackAnswer,
    MeetingFeedback,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from exchanges.notices import feedback_requests_send
from exchanges.questions import feedback_questions, field_name
from notifications.models import Message
from reports.models import Document

from . import factories
from .factories_visits import staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def held_meeting(**fields):
    start = timezone.now() - dt.timedelta(days=1, hours=6)
    return factories.MeetingFactory(
        start=start, end=start + dt.timedelta(hours=4), status=MeetingStatus.HELD, **fields
    )


def attendee(meeting, status=RegistrationStatus.ATTENDED):
    user = staff_of(factories.CityFactory())
    Registration.objects.create(
        meeting=meeting, contact=user.contact, status=status, privacy_consent_at=timezone.now()
    )
    return user


def parse_strict(content: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def assert_page(response):
    document = parse_strict(response.content)
    assert len(document.findall(".//h1")) == 1
    labels = {label.get("for") for label in document.iter("label")}
    for element in [*document.iter("input"), *document.iter("select"), *document.iter("textarea")]:
        if element.get("type") not in ("hidden", "submit"):
            assert element.get("id") in labels, element.get("name")
    return document


def typical(meeting, usefulness="very useful", will_apply="", to_change="") -> dict:
    """Answers to the typical three questions, as the form posts them: the usefulness by the
    id of the choice with that label."""
    usefulness_question, apply_question, change_question = feedback_questions(meeting=meeting)
    data = {
        field_name(apply_question): will_apply,
        field_name(change_question): to_change,
    }
    if usefulness:
        choice = usefulness_question.choices.get(label_en=usefulness)
        data[field_name(usefulness_question)] = str(choice.pk)
    return data


def answer(meeting, contact, **answers):
    """Store an answer through the service, as the form does."""
    posted = typical(meeting, **answers)
    values = {
        question.pk: posted.get(field_name(question)) or None
        for question in feedback_questions(meeting=meeting)
    }
    return meeting_feedback_save(meeting=meeting, contact=contact, answers=values)


ANSWER = {"will_apply": "The heat-pump procurement model.", "to_change": "Longer breaks."}


def answers_of(feedback) -> dict:
    return {answer.question.label: answer.display() for answer in feedback.answers.all()}


def test_the_day_after_e_mail_links_to_the_feedback_form():
    meeting = held_meeting()
    attendee(meeting)
    assert feedback_requests_send(now=meeting.end + dt.timedelta(days=1)) == 1
    message = Message.objects.get(kind="feedback_request")
    assert f"/meetings/{meeting.pk}/feedback/" in message.body_text
    assert f'/meetings/{meeting.pk}/feedback/"' in message.body_html


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED])
def test_an_attendee_answers_once_and_answering_again_changes_the_one_answer(client, status):
    meeting = held_meeting()
    client.force_login(attendee(meeting, status))

    page = client.get(f"/meetings/{meeting.pk}/feedback/")
    assert page.status_code == 200
    assert_page(page)
    assert "How useful was the meeting for your work?" in page.text
    response = client.post(
        f"/meetings/{meeting.pk}/feedback/", typical(meeting, **ANSWER), follow=True
    )
    assert "Thank you for your feedback." in response.text
    client.post(
        f"/meetings/{meeting.pk}/feedback/",
        typical(meeting, usefulness="quite useful", will_apply="The heat-pump procurement model."),
    )

    feedback = MeetingFeedback.objects.get()
    assert answers_of(feedback) == {
        "How useful was the meeting for your work?": "quite useful",
        "What will you apply in your own work?": "The heat-pump procurement model.",
    }
    # The form shows the answer being changed.
    again = client.get(f"/meetings/{meeting.pk}/feedback/")
    assert "The heat-pump procurement model." in again.text


def test_the_typical_questions_are_optional(client):
    meeting = held_meeting()
    client.force_login(attendee(meeting))
    response = client.post(f"/meetings/{meeting.pk}/feedback/", {})
    assert response.status_code == 302
    assert not MeetingFeedback.objects.get().answers.exists()


def test_the_coordinators_own_questions_replace_the_typical_three(client):
    meeting = held_meeting()
    rating = factories.QuestionFactory(
        meeting=meeting, purpose="feedback", kind="single", label="Venue", required=True
    )
    good = factories.QuestionChoiceFactory(question=rating, label="good")
    factories.QuestionChoiceFactory(question=rating, label="poor")
    again = factories.QuestionFactory(
        meeting=meeting, purpose="feedback", kind="yes_no", label="Would you come again?"
    )
    client.force_login(attendee(meeting))

    page = client.get(f"/meetings/{meeting.pk}/feedback/")
    assert "Venue" in page.text and "Would you come again?" in page.text
    assert "How useful was the meeting" not in page.text
    assert_page(page)
    missing = client.post(f"/meetings/{meeting.pk}/feedback/", {field_name(again): "yes"})
    assert missing.status_code == 400 and "This field is required." in missing.text
    assert not MeetingFeedback.objects.exists()
    client.post(
        f"/meetings/{meeting.pk}/feedback/",
        {field_name(rating): str(good.pk), field_name(again): "no"},
    )
    assert answers_of(MeetingFeedback.objects.get()) == {
        "Venue": "good",
        "Would you come again?": "no",
    }


@pytest.mark.parametrize(
    "bad",
    [
        "a choice of another question",
        "two choices for a single-choice question",
        "a question of another meeting",
        "text for a yes/no question",
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused_and_nothing_is_stored(bad):
    meeting = held_meeting()
    contact = attendee(meeting).contact
    usefulness = feedback_questions(meeting=meeting)[0]
    elsewhere = factories.QuestionChoiceFactory()
    yes_no = factories.QuestionFactory(meeting=meeting, purpose="feedback", kind="yes_no")
    first, second = usefulness.choices.all()[:2]
    values = {
        "a choice of another question": {usefulness.pk: str(elsewhere.pk)},
        "two choices for a single-choice question": {usefulness.pk: [first.pk, second.pk]},
        "a question of another meeting": {elsewhere.question_id: str(elsewhere.pk)},
        "text for a yes/no question": {yes_no.pk: "maybe"},
    }[bad]
    with pytest.raises(FeedbackRefused):
        meeting_feedback_save(meeting=meeting, contact=contact, answers=values)
    assert not FeedbackAnswer.objects.exists()


def test_a_forged_choice_posted_to_the_form_is_an_error_not_a_500(client):
    meeting = held_meeting()
    client.force_login(attendee(meeting))
    usefulness = feedback_questions(meeting=meeting)[0]
    response = client.post(f"/meetings/{meeting.pk}/feedback/", {field_name(usefulness): "99999"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert not MeetingFeedback.objects.exists()


def test_the_database_keeps_one_answer_per_attendee():
    meeting = held_meeting()
    contact = attendee(meeting).contact
    MeetingFeedback.objects.create(meeting=meeting, contact=contact)
    with pytest.raises(IntegrityError):
        MeetingFeedback.objects.create(meeting=meeting, contact=contact)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_registered", "Only the people who took part in this meeting"),
        ("cancelled_registration", "Only the people who took part in this meeting"),
        ("no_show", "Only the people who took part in this meeting"),
        ("future", "The feedback form opens when the meeting is over."),
        ("cancelled_meeting", "This meeting did not take place"),
    ],
)
def test_only_attendees_of_a_held_meeting_may_answer(client, case, message):
    meeting = held_meeting()
    if case == "future":
        meeting.start = timezone.now() + dt.timedelta(days=2)
        meeting.end = meeting.start + dt.timedelta(hours=3)
        meeting.status = MeetingStatus.CONFIRMED
        meeting.save()
    if case == "cancelled_meeting":
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
    statuses = {
        "cancelled_registration": RegistrationStatus.CANCELLED,
        "no_show": RegistrationStatus.NO_SHOW,
    }
    if case == "not_registered":
        user = staff_of(factories.CityFactory())
    else:
        user = attendee(meeting, statuses.get(case, RegistrationStatus.CONFIRMED))
    client.force_login(user)

    page = client.get(f"/meetings/{meeting.pk}/feedback/")
    posted = client.post(f"/meetings/{meeting.pk}/feedback/", {})

    assert page.status_code == posted.status_code == 403
    assert message in page.text
    assert_page(page)
    assert not MeetingFeedback.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"form": 302, "summary": 302, "pdf": 302}),
        ("attendee", {"form": 200, "summary": 403, "pdf": 403}),
        ("other_attendee", {"form": 200, "summary": 403, "pdf": 403}),
        ("outsider", {"form": 403, "summary": 403, "pdf": 403}),
        ("staff_without_permission", {"form": 403, "summary": 403, "pdf": 403}),
        ("coordinator", {"form": 403, "summary": 200, "pdf": 202}),
    ],
)
def test_permission_matrix(client, persona, expected):
    meeting = held_meeting()
    author = attendee(meeting)
    answer(meeting, author.contact, **ANSWER)
    users = {
        "anonymous": None,
        "attendee": author,
        "other_attendee": attendee(meeting),
        "outsider": staff_of(factories.CityFactory()),
        "staff_without_permission": factories.UserFactory(is_staff=True),
        "coordinator": factories.CoordinatorFactory(),
    }
    if users[persona]:
        client.force_login(users[persona])

    status = {
        "form": client.get(f"/meetings/{meeting.pk}/feedback/").status_code,
        "summary": client.get(f"/meetings/{meeting.pk}/feedback/summary/").status_code,
        "pdf": client.get(f"/meetings/{meeting.pk}/feedback/summary.pdf").status_code,
    }

    assert status == expected
    if persona == "anonymous":
        response = client.get(f"/meetings/{meeting.pk}/feedback/")
        assert response["Location"].startswith("/accounts/login/")


def test_other_participants_never_see_anyone_elses_answer(client):
    meeting = held_meeting()
    author = attendee(meeting)
    answer(meeting, author.contact, **ANSWER)
    client.force_login(attendee(meeting))
    for url in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/feedback/"):
        assert "heat-pump" not in client.get(url).text


def test_coordinators_read_counts_and_free_texts_without_names(client):
    meeting = held_meeting()
    answers = [
        ("very useful", "The heat-pump procurement model.", ""),
        ("very useful", "", "Longer breaks."),
        ("of little use", "Nothing new.", ""),
        ("", "", ""),
    ]
    authors = []
    for usefulness, will_apply, to_change in answers:
        author = attendee(meeting)
        authors.append(author)
        answer(
            meeting,
            author.contact,
            usefulness=usefulness,
            will_apply=will_apply,
            to_change=to_change,
        )
    attendee(meeting)  # attended, did not answer
    client.force_login(factories.CoordinatorFactory())

    response = client.get(f"/meetings/{meeting.pk}/feedback/summary/")

    document = assert_page(response)
    rows = {
        row.find("th").text: row.find("td").text
        for row in document.find(".//main//table/tbody").iter("tr")
    }
    assert rows == {
        "Very useful": "2",
        "Quite useful": "0",
        "Of little use": "1",
        "Not useful": "0",
    }
    assert "3 answers" in response.text  # to the first question; one person left it out
    assert "4 answers from 5 attendees." in response.text
    assert "The heat-pump procurement model." in response.text
    assert "Longer breaks." in response.text
    for author in authors:
        assert author.contact.last_name not in response.text
        assert author.email not in response.text


def test_the_summary_pdf_reads_back_with_the_counts_and_the_texts(
    client, django_capture_on_commit_callbacks
):
    meeting = held_meeting(title="Kick-off of the second pilot")
    author = attendee(meeting)
    answer(meeting, author.contact, **ANSWER)
    client.force_login(factories.CoordinatorFactory())

    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(f"/meetings/{meeting.pk}/feedback/summary.pdf?lang=en")
    assert first.status_code == 202  # rendered by the worker, never on the request
    response = client.get(f"/meetings/{meeting.pk}/feedback/summary.pdf?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Kick-off of the second pilot" in text
    assert "1 answer from 1 attendees." in text
    assert "Very useful 1" in text
    assert "The heat-pump procurement model." in text and "Longer breaks." in text
    assert author.contact.last_name not in text
    document = Document.objects.get(kind="meeting_feedback", meeting=meeting)
    assert document.language == "en"


def test_a_new_answer_asks_for_a_fresh_summary_pdf(client, django_capture_on_commit_callbacks):
    meeting = held_meeting()
    author = attendee(meeting)
    coordinator = factories.CoordinatorFactory()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/meetings/{meeting.pk}/feedback/summary.pdf?lang=en")
    assert Document.objects.filter(meeting=meeting, status="ready").count() == 1

    client.force_login(author)
    client.post(f"/meetings/{meeting.pk}/feedback/", typical(meeting, **ANSWER))

    assert Document.objects.filter(meeting=meeting, status="queued").count() == 1


@pytest.mark.parametrize("count", [1, 30])
def test_the_summary_costs_the_same_queries_for_1_and_30_answers(
    client, count, django_assert_num_queries
):
    meeting = held_meeting()
    for _ in range(count):
        answer(meeting, attendee(meeting).contact, **ANSWER)
    client.force_login(factories.CoordinatorFactory())
    client.get("/visits/")
    # The questions, their choices, the answers and their choices: four, whatever the count.
    with django_assert_num_queries(9):
        response = client.get(f"/meetings/{meeting.pk}/feedback/summary/")
    assert response.text.count("Longer breaks.") == count
