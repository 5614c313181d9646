"""The calls' pages: the list, a call with its form, applying and editing, and who sees what."""

import datetime as dt
import zoneinfo
from email.utils import parseaddr

import html5lib
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from access.models import Role, RoleKind
from calls.models import Answer, Application, QuestionKind
from notifications.models import Message

from . import factories
from .factories_calls import AnswerFactory, ApplicationFactory, CallFactory, QuestionFactory
from .files import pdf_bytes

pytestmark = pytest.mark.django_db

KETS = "The municipality has joined the energy-efficiency agreement (KETS)."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_SIZE = 1024 * 1024


def parse_strict(content: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(content)


def assert_page(response):
    """Valid HTML5 with one h1, and every visible field has a label."""
    document = parse_strict(response.content)
    assert len(document.findall(".//h1")) == 1
    labels = {label.get("for") for label in document.iter("label")}
    for element in [*document.iter("input"), *document.iter("select"), *document.iter("textarea")]:
        if element.get("type") in ("hidden", "submit"):
            continue
        assert element.get("id") in labels, element.get("name")
    return document


@pytest.fixture
def call():
    call = CallFactory(title="Second peer-learning pilot", eligibility=KETS, places_min=5)
    call.places_max = 6
    call.save()
    return call


@pytest.fixture
def questions(call):
    return {
        "short": QuestionFactory(call=call, text="Who leads the work?"),
        "long": QuestionFactory(call=call, kind=QuestionKind.LONG_TEXT, text="Why apply?"),
        "choice": QuestionFactory(
            call=call, kind=QuestionKind.CHOICE, text="Size", choices="small\nmedium\nlarge"
        ),
        "yes_no": QuestionFactory(call=call, kind=QuestionKind.YES_NO, text="Committed?"),
        "file": QuestionFactory(
            call=call,
            kind=QuestionKind.FILE,
            text="Action plan",
            allowed_extensions="pdf",
            max_file_size_mb=1,
        ),
    }


def pdf(name="plan.pdf", size=100):
    return SimpleUploadedFile(name, pdf_bytes(padding=size), content_type="application/pdf")


def form_data(city, questions, **overrides):
    data = {
        "city": city.pk,
        "contact_name": "Aino Virtanen",
        "contact_email": "aino@kerava.example",
        "language": "en",
        "eligibility": "on",
        f"q{questions['short'].pk}": "The environment manager",
        f"q{questions['long'].pk}": "To learn from the first pilot.",
        f"q{questions['choice'].pk}": "2",
        f"q{questions['yes_no'].pk}": "yes",
        f"q{questions['file'].pk}": pdf(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def addresses(message) -> list[str]:
    return [parseaddr(recipient)[1] for recipient in message.to]


def applicant(call):
    """An account that speaks for Kerava: linked to one of its contacts."""
    user = factories.UserFactory(verified=True)
    city = factories.CityFactory(name="Kerava")
    factories.ContactFactory(city=city, user=user)
    return user, city


# --- the list --------------------------------------------------------------------------------


def test_the_list_separates_open_and_past_calls(client):
    CallFactory(title="Open now")
    CallFactory(
        title="Closed long ago",
        opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() - dt.timedelta(days=30),
    )
    response = client.get("/calls/")
    assert_page(response)
    text = response.text
    assert text.index("Open calls") < text.index("Open now") < text.index("Past calls")
    assert text.index("Past calls") < text.index("Closed long ago")


def test_the_list_gives_the_deadline_in_the_calls_own_time_zone(client, settings):
    settings.TIME_ZONE = "America/New_York"
    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    CallFactory(
        opens_at=dt.datetime(2021, 11, 1, tzinfo=helsinki),
        closes_at=dt.datetime(2021, 12, 4, 23, 59, tzinfo=helsinki),
    )
    assert "4 December 2021, 23:59" in client.get("/calls/").text


def test_the_list_says_so_when_nothing_is_open(client):
    response = client.get("/calls/")
    assert "No call is open at the moment." in response.text
    assert "No past calls yet." in response.text


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_costs_the_same_queries_for_1_and_30_calls(
    client, django_assert_num_queries, count
):
    programme = factories.ProgrammeFactory()
    for _ in range(count):
        CallFactory(programme=programme)
    with django_assert_num_queries(1):  # the calls with their programmes, in one query
        client.get("/calls/")


# --- a call -----------------------------------------------------------------------------------


def test_a_call_page_shows_the_deadline_countdown_places_webinar_and_criteria(client, call):
    call.selection_criteria = "Management commitment."
    call.webinar_start = dt.datetime(2021, 11, 4, 8, 0, tzinfo=dt.UTC)
    call.webinar_end = dt.datetime(2021, 11, 4, 9, 0, tzinfo=dt.UTC)
    call.slides_url = "https://www.motiva.fi/slides.pdf"
    call.slides_size = 637 * 1024
    call.recording_url = "https://www.motiva.fi/recording"
    call.save()

    response = client.get(call.get_absolute_url())

    assert_page(response)
    text = response.text
    assert "left to apply" in text
    assert "5–6 municipalities sought" in text
    assert KETS in text and "Management commitment." in text
    # Times read in the call's zone whatever the server's: 08:00 UTC is 10:00 in Helsinki.
    assert "Thursday 4 November 2021, 10:00" in text
    assert "637.0\xa0KB" in text
    assert "https://www.motiva.fi/recording" in text
    assert "Sign in" in text and 'name="contact_name"' not in text
    assert client.get(f"/calls/{call.slug}/slides/").url == "https://www.motiva.fi/slides.pdf"


def test_a_signed_in_user_sees_a_labelled_form_with_every_question(client, call, questions):
    client.force_login(factories.UserFactory())
    response = client.get(call.get_absolute_url())
    document = assert_page(response)
    assert document.find(".//form[@enctype='multipart/form-data']") is not None
    for question in questions.values():
        assert f'name="q{question.pk}"' in response.text
    assert f"We confirm: {KETS}" in response.text


def test_an_applicant_applies_and_gets_a_copy_of_the_answers(
    client, call, questions, django_capture_on_commit_callbacks
):
    user, city = applicant(call)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/calls/{call.slug}/apply/", form_data(city, questions), follow=True
        )

    assert "your application has been received" in response.text
    application = Application.objects.get()
    assert application.city == city and application.applicant == user
    assert Answer.objects.count() == 5
    assert len(mail.outbox) == 1
    assert addresses(mail.outbox[0]) == [user.email]  # the account's own, not the one typed
    body = mail.outbox[0].body
    assert "The environment manager" in body and "medium" in body and "Yes" in body
    assert "plan.pdf" in body
    assert_page(response)


def test_the_copy_never_goes_to_the_contact_address_typed_in_the_form(
    client, call, questions, django_capture_on_commit_callbacks
):
    user, city = applicant(call)
    client.force_login(user)
    data = {**form_data(city, questions), "contact_email": "someone@elsewhere.example"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/calls/{call.slug}/apply/", data, follow=True)

    assert Application.objects.get().contact_email == "someone@elsewhere.example"
    assert [addresses(message) for message in mail.outbox] == [[user.email]]


def test_an_account_that_keeps_changing_its_application_is_stopped_and_nothing_changes(
    client, call, questions, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_LIMIT_PER_ACCOUNT = 3
    user, city = applicant(call)
    client.force_login(user)
    for round_ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/calls/{call.slug}/apply/",
                {**form_data(city, questions), "contact_name": f"Version {round_}"},
            )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/calls/{call.slug}/apply/",
            {**form_data(city, questions), "contact_name": "One too many"},
            follow=True,
        )

    assert "You have caused many e-mails within the last hour" in response.text
    assert "try again in 60 minutes" in response.text
    assert Application.objects.get().contact_name == "Version 2"
    assert len(mail.outbox) == 3


def test_without_confirming_eligibility_nothing_is_written(client, call, questions):
    user, city = applicant(call)
    client.force_login(user)

    response = client.post(
        f"/calls/{call.slug}/apply/", form_data(city, questions, eligibility=None)
    )

    assert response.status_code == 400
    assert "Only municipalities that meet this condition may apply." in response.text
    assert not Application.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("question", "value", "error"),
    [
        ("short", "", "This field is required."),
        ("long", "", "This field is required."),
        ("short", "x" * 301, "Ensure this value has at most 300 characters"),
        ("choice", "9", "Select a valid choice."),
        ("yes_no", "maybe", "Select a valid choice."),
        ("file", None, "This field is required."),
        ("file", "oversized", "files here may be at most 1.0\xa0MB"),
        ("file", "wrong-type", "is not an accepted type of file. Accepted: pdf."),
        ("file", "renamed", "does not look like a PDF file."),
    ],
)
def test_each_question_type_is_validated_and_a_wrong_answer_writes_nothing(
    client, call, questions, question, value, error, tmp_path
):
    files = {
        "oversized": pdf(size=1024 * 1024 + 1),
        "wrong-type": SimpleUploadedFile("plan.exe", b"MZ..."),
        "renamed": SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>"),
    }
    user, city = applicant(call)
    client.force_login(user)
    key = f"q{questions[question].pk}"
    data = form_data(city, questions)
    data.pop(key)
    if value is not None:
        data[key] = files.get(value, value)

    response = client.post(f"/calls/{call.slug}/apply/", data)

    assert response.status_code == 400
    assert error in response.text
    assert "nothing has been saved" in response.text
    assert not Application.objects.exists()
    assert not list(tmp_path.rglob("*.*"))  # no file reached the storage


def test_the_municipality_is_chosen_or_named_not_both(client, call, questions):
    user, city = applicant(call)
    client.force_login(user)
    response = client.post(
        f"/calls/{call.slug}/apply/", form_data(city, questions, new_city_name="Kuhmo")
    )
    assert "not both" in response.text
    data = {**form_data(city, questions), "city": "", "new_city_name": "Kuhmo"}
    response = client.post(f"/calls/{call.slug}/apply/", data)
    assert "Choose the country of the municipality." in response.text
    assert not Application.objects.exists()


# --- Who speaks for a city (issue 15, item 5) ------------------------------------------------


def test_a_stranger_cannot_take_a_citys_application_and_the_city_still_applies(
    client, call, questions
):
    hollola = factories.CityFactory(name="Hollola")
    stranger = factories.UserFactory(verified=True)
    client.force_login(stranger)

    page = client.get(call.get_absolute_url())
    assert "Hollola" not in page.text  # no list of cities to choose from
    assert "Your account is not linked to a municipality yet" in page.text
    refused = client.post(f"/calls/{call.slug}/apply/", form_data(hollola, questions), follow=True)
    assert "You can apply only for a municipality whose contact you are." in refused.text
    assert not Application.objects.exists()

    named = {**form_data(hollola, questions), "city": "", "new_city_name": "Hollola"}
    named["country"] = hollola.country.pk
    client.post(f"/calls/{call.slug}/apply/", named)
    assert Application.objects.get().new_city_name == "Hollola"  # for a coordinator to confirm

    staff = factories.UserFactory(verified=True)
    factories.ContactFactory(city=hollola, user=staff)
    client.force_login(staff)
    client.post(f"/calls/{call.slug}/apply/", form_data(hollola, questions))
    assert Application.objects.filter(city=hollola, applicant=staff).exists()


def test_a_contact_of_one_city_cannot_apply_for_another(client, call, questions):
    user, _kerava = applicant(call)
    other = factories.CityFactory(name="Lahti")
    client.force_login(user)

    page = client.get(call.get_absolute_url())
    assert "Kerava" in page.text and "Lahti" not in page.text
    client.post(f"/calls/{call.slug}/apply/", form_data(other, questions))
    assert not Application.objects.exists()


def test_a_coordinator_of_the_programme_applies_for_any_of_its_cities(client, call, questions):
    coordinator = factories.UserFactory(verified=True)
    Role.objects.create(
        user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=call.programme
    )
    city = factories.CityFactory(name="Lahti")
    client.force_login(coordinator)

    client.post(f"/calls/{call.slug}/apply/", form_data(city, questions))

    assert Application.objects.get().city == city


def test_the_applicant_edits_until_the_deadline_keeping_the_file(client, call, questions):
    user, city = applicant(call)
    client.force_login(user)
    client.post(f"/calls/{call.slug}/apply/", form_data(city, questions))

    page = client.get(call.get_absolute_url())
    assert "Save changes" in page.text and "The environment manager" in page.text
    assert "Sent: plan.pdf" in page.text
    key = f"q{questions['file'].pk}"
    response = client.post(
        f"/calls/{call.slug}/apply/",
        form_data(city, questions, **{f"q{questions['short'].pk}": "The mayor", key: None}),
        follow=True,
    )

    assert "Your application has been updated." in response.text
    application = Application.objects.get()
    assert application.revision == 2
    assert application.answers.get(question=questions["short"]).value == "The mayor"
    assert application.answers.get(question=questions["file"]).filename == "plan.pdf"


def test_after_the_deadline_the_form_is_closed_and_says_so(client, call, questions):
    user, city = applicant(call)
    client.force_login(user)
    call.closes_at = timezone.now() - dt.timedelta(seconds=1)
    call.save()

    response = client.get(call.get_absolute_url())

    assert "The call closed on" in response.text and "The form is closed." in response.text
    assert 'name="contact_name"' not in response.text
    assert_page(response)


def test_a_late_post_is_refused_with_a_message_and_writes_nothing(
    client, call, questions, tmp_path
):
    user, city = applicant(call)
    client.force_login(user)
    client.get(call.get_absolute_url())  # the form was loaded while the call was open
    call.closes_at = timezone.now() - dt.timedelta(seconds=1)
    call.save()

    response = client.post(f"/calls/{call.slug}/apply/", form_data(city, questions), follow=True)

    assert "The call closed on" in response.text
    assert not Application.objects.exists()
    assert not Message.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_late_edit_leaves_the_application_as_it_was(client, call, questions):
    user, city = applicant(call)
    client.force_login(user)
    client.post(f"/calls/{call.slug}/apply/", form_data(city, questions))
    call.closes_at = timezone.now() - dt.timedelta(seconds=1)
    call.save()

    client.post(
        f"/calls/{call.slug}/apply/",
        form_data(city, questions, **{f"q{questions['short'].pk}": "Too late"}),
    )

    application = Application.objects.get()
    assert application.revision == 1
    assert application.answers.get(question=questions["short"]).value == "The environment manager"


# --- permissions ----------------------------------------------------------------------------


@pytest.fixture
def application(call, questions):
    application = ApplicationFactory(call=call)
    answer = AnswerFactory(application=application, question=questions["file"], value="")
    answer.file.save("plan.pdf", SimpleUploadedFile("plan.pdf", b"%PDF-1.4 secret"))
    return application


def test_the_applicant_sees_its_own_application_and_file(client, application):
    client.force_login(application.applicant)
    response = client.get(f"/me/applications/{application.pk}/")
    assert_page(response)
    assert application.city.name in response.text
    answer = application.answers.get()
    download = client.get(f"/me/applications/{application.pk}/files/{answer.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 secret"
    assert "no-store" in download["Cache-Control"]


def test_another_user_gets_404_for_someone_elses_application_and_file(client, application):
    client.force_login(factories.UserFactory())
    answer = application.answers.get()
    assert client.get(f"/me/applications/{application.pk}/").status_code == 404
    assert client.get(f"/me/applications/{application.pk}/files/{answer.pk}/").status_code == 404


def test_the_public_is_sent_to_sign_in(client, application):
    answer = application.answers.get()
    for url in [
        "/me/applications/",
        f"/me/applications/{application.pk}/",
        f"/me/applications/{application.pk}/files/{answer.pk}/",
        "/me/mentorship/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert client.post(f"/calls/{application.call.slug}/apply/").status_code == 302


def test_coordinators_see_any_application_and_its_file(admin_client, application):
    answer = application.answers.get()
    assert admin_client.get(f"/me/applications/{application.pk}/").status_code == 200
    response = admin_client.get(f"/me/applications/{application.pk}/files/{answer.pk}/")
    assert response.status_code == 200


def test_my_applications_lists_only_mine(client, application):
    other = ApplicationFactory(call=application.call)
    client.force_login(application.applicant)
    response = client.get("/me/applications/")
    assert_page(response)
    assert application.city.name in response.text
    assert other.city.name not in response.text


def test_my_applications_says_so_when_there_are_none(client):
    client.force_login(factories.UserFactory())
    assert "You have not applied to any call yet." in client.get("/me/applications/").text


@pytest.mark.parametrize("count", [1, 30])
def test_my_applications_costs_the_same_queries_for_1_and_30(
    client, django_assert_num_queries, count
):
    user = factories.UserFactory()
    for _ in range(count):
        ApplicationFactory(applicant=user)
    client.force_login(user)
    with django_assert_num_queries(4):  # session, user, applications, roles (the menu)
        client.get("/me/applications/")
