"""Coordinators review applications in the admin: notes, shortlist, select, reject, export."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Application, ApplicationStatus, Call, QuestionKind
from exchanges.models import Membership, Role
from notifications.models import Message

from . import factories
from .factories_calls import AnswerFactory, ApplicationFactory, CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/calls/application/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def applications():
    network = factories.NetworkFactory()
    call = CallFactory(programme=network.programme)
    return [
        ApplicationFactory(call=call, city__country=network.country, city__name=name)
        for name in ("Kerava", "Lohja")
    ]


def action(name, applications, **extra):
    return {"action": name, ACTION_CHECKBOX_NAME: [a.pk for a in applications], **extra}


def test_select_asks_for_the_role_first_and_changes_nothing(admin_client, applications):
    response = admin_client.post(CHANGELIST, action("select_applications", applications))
    assert response.status_code == 200
    assert "Role in the programme&#x27;s network" in response.text
    assert "Kerava" in response.text and "Lohja" in response.text
    assert not Membership.objects.exists()


def test_selecting_twice_makes_members_and_sends_each_decision_once(
    admin_client, applications, django_capture_on_commit_callbacks
):
    data = action("select_applications", applications, apply="1", role=Role.ENGAGED)
    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(CHANGELIST, data, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = admin_client.post(CHANGELIST, data, follow=True)

    assert "2 applications were selected" in first.text
    assert "2 applications had already been decided" in second.text
    assert Membership.objects.filter(role=Role.ENGAGED).count() == 2
    assert Message.objects.filter(kind="call_selected").count() == 2
    assert len(mail.outbox) == 2
    assert all(a.status == ApplicationStatus.SELECTED for a in Application.objects.all())


def test_shortlist_then_reject_tells_the_applicants_once(
    admin_client, applications, django_capture_on_commit_callbacks
):
    admin_client.post(CHANGELIST, action("shortlist", applications))
    assert Application.objects.filter(status=ApplicationStatus.SHORTLISTED).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CHANGELIST, action("reject", applications))
        admin_client.post(CHANGELIST, action("reject", applications))
    assert Application.objects.filter(status=ApplicationStatus.REJECTED).count() == 2
    assert len(mail.outbox) == 2


def test_coordinators_write_criteria_notes_and_see_the_answers(admin_client, applications):
    application = applications[0]
    question = QuestionFactory(call=application.call, text="Why apply?")
    AnswerFactory(application=application, question=question, value="To learn from Turku.")
    url = f"/admin/calls/application/{application.pk}/change/"

    page = admin_client.get(url)
    assert "To learn from Turku." in page.text
    admin_client.post(url, {"criteria_notes": "Strong commitment.", "answers-TOTAL_FORMS": "1",
                            "answers-INITIAL_FORMS": "1", "answers-MIN_NUM_FORMS": "0",
                            "answers-MAX_NUM_FORMS": "1000",
                            "answers-0-id": application.answers.get().pk,
                            "answers-0-application": application.pk})  # fmt: skip

    application.refresh_from_db()
    assert application.criteria_notes == "Strong commitment."
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_csv_export_has_a_bom_and_a_column_per_question(admin_client, applications):
    call = applications[0].call
    choice = QuestionFactory(call=call, kind=QuestionKind.CHOICE, text="Size", choices="S\nM\nL")
    AnswerFactory(application=applications[0], question=choice, value="2")
    applications[1].criteria_notes = "Hämeenlinna's neighbour"
    applications[1].save()

    response = admin_client.post(CHANGELIST, action("export_csv", applications))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert rows[0][1] == "municipality" and rows[0][-1] == "Size"
    assert [row[1] for row in rows[1:]] == ["Kerava", "Lohja"]
    assert rows[1][-1] == "M"
    assert "Hämeenlinna's neighbour" in rows[2]


def test_the_call_admin_takes_times_in_the_calls_zone_and_refuses_a_wrong_slides_file(
    admin_client,
):
    programme = factories.ProgrammeFactory()
    data = {
        "programme": programme.pk,
        "title_en": "Pilot 2",
        "slug": "pilot-2",
        "timezone": "Europe/Helsinki",
        "opens_at_0": "2021-11-01",
        "opens_at_1": "00:00",
        "closes_at_0": "2021-12-04",
        "closes_at_1": "23:59",
        "is_published": "on",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    refused = admin_client.post(
        "/admin/calls/call/add/",
        {**data, "slides_file": SimpleUploadedFile("slides.pdf", b"not a pdf")},
    )
    assert refused.status_code == 200
    assert "does not look like a PDF file" in refused.text
    assert not Call.objects.exists()

    admin_client.post("/admin/calls/call/add/", data)

    call = Call.objects.get()
    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    assert call.closes_at == dt.datetime(2021, 12, 4, 23, 59, tzinfo=helsinki)


def test_the_admin_pages_of_the_app_open(admin_client, applications):
    call = applications[0].call
    QuestionFactory(call=call)
    for url in [
        "/admin/calls/call/",
        f"/admin/calls/call/{call.pk}/change/",
        CHANGELIST,
        "/admin/mentorships/mentorship/",
        "/admin/mentorships/mentorship/add/",
        "/admin/mentorships/mentorship/propose/",
        "/admin/mentorships/mentorshipcontact/",
    ]:
        assert admin_client.get(url).status_code == 200, url
