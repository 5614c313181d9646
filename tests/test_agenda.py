"""A meeting's agenda: typed in the admin in the meeting's zone, shown on the meeting page and
printed as a public programme PDF (issue 13, item 5)."""

import datetime as dt
import io
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exchanges.models import Session
from reports.models import Document
from reports.services import document_render, document_request

from . import factories

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")  # UTC+2 in March
UTC = dt.UTC


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting():
    """A day in Helsinki, 09:00-17:00 local time."""
    return factories.MeetingFactory(
        title="Energy day",
        timezone="Europe/Helsinki",
        start=dt.datetime(2030, 3, 5, 9, tzinfo=HELSINKI),
        end=dt.datetime(2030, 3, 5, 17, tzinfo=HELSINKI),
        venue="Oodi",
        address="Töölönlahdenkatu 4",
        online_url="https://meet.example/energy-day",
    )


def session(meeting, hour: int, minute: int = 0, **fields) -> Session:
    start = dt.datetime(2030, 3, 5, hour, minute, tzinfo=HELSINKI)
    return factories.SessionFactory(
        meeting=meeting, start=start, end=start + dt.timedelta(minutes=45), **fields
    )


def full_session(meeting, hour: int, title: str) -> Session:
    """A session with everything the agenda shows: speakers, target group, materials."""
    speaker = factories.ContactFactory(
        first_name="Aino", last_name=f"Virtanen {title}", city__name="Lahti"
    )
    item = session(
        meeting,
        hour,
        title=title,
        room="Hall B",
        other_speakers="Prof. Outside Guest",
        target_group=factories.TargetGroupFactory(name="Energy planners"),
        online_url="https://meet.example/session-7",
    )
    item.speakers.add(speaker)
    item.materials.add(factories.MaterialFactory(meeting=meeting, title=f"Slides of {title}"))
    return item


# --- The admin ----------------------------------------------------------------------------------


class ChangeForm(HTMLParser):
    """The fields of the admin's change form with the values a browser would send back."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._form = True
        name = attrs.get("name")
        if not self._form or not (name or tag == "option"):
            return
        if tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if not checkable or "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = False


def change_url(meeting) -> str:
    return reverse("admin:exchanges_exchangemeeting_change", args=[meeting.pk])


def meeting_with_a_session(client, meeting, **fields) -> dict:
    """The meeting's change form as shown, without the inlines' empty templates, plus one new
    session row."""
    parser = ChangeForm()
    parser.feed(client.get(change_url(meeting)).text)
    data = {key: value for key, value in parser.data.items() if "__prefix__" not in key}
    row = {
        "title_en": "Opening",
        "start_0": "2030-03-05",
        "start_1": "10:30:00",
        "end_0": "2030-03-05",
        "end_1": "11:15:00",
        "room": "Hall A",
        "meeting": str(meeting.pk),
        **fields,
    }
    data |= {f"sessions-0-{key}": value for key, value in row.items()}
    return data | {"sessions-TOTAL_FORMS": "1", "_save": "Save"}


def test_a_session_typed_in_the_meetings_zone_is_stored_in_utc(admin_client, meeting):
    speaker = factories.ContactFactory(first_name="Aino", last_name="Virtanen")
    slides = factories.MaterialFactory(meeting=meeting, title="Opening slides")
    data = meeting_with_a_session(
        admin_client, meeting, speakers=[str(speaker.pk)], materials=[str(slides.pk)]
    )

    response = admin_client.post(change_url(meeting), data)

    assert response.status_code == 302
    saved = Session.objects.get()
    assert saved.start == dt.datetime(2030, 3, 5, 8, 30, tzinfo=UTC)
    assert saved.end == dt.datetime(2030, 3, 5, 9, 15, tzinfo=UTC)
    assert list(saved.speakers.all()) == [speaker]
    assert list(saved.materials.all()) == [slides]
    page = admin_client.get(change_url(meeting)).text
    assert 'name="sessions-0-start_1" value="10:30:00"' in page


def test_a_session_outside_its_meeting_is_refused_with_a_message(admin_client, meeting):
    data = meeting_with_a_session(admin_client, meeting, start_1="18:00:00", end_1="19:00:00")

    response = admin_client.post(change_url(meeting), data)

    assert response.status_code == 200
    assert "A session takes place during its meeting." in response.text
    assert not Session.objects.exists()


def test_a_session_offers_only_its_own_meetings_materials(admin_client, meeting):
    factories.MaterialFactory(meeting=meeting, title="Our slides")
    elsewhere = factories.MaterialFactory(title="Another meeting's slides")
    session(meeting, 10)

    page = admin_client.get(change_url(meeting)).text
    response = admin_client.post(
        change_url(meeting), meeting_with_a_session(admin_client, meeting, materials=[elsewhere.pk])
    )

    assert "Our slides" in page and "Another meeting&#x27;s slides" not in page
    assert response.status_code == 200  # the form again: that choice is not offered
    assert Session.objects.count() == 1


def test_the_material_search_offers_the_meetings_own_materials(admin_client, meeting):
    factories.MaterialFactory(meeting=meeting, title="Our slides")
    factories.MaterialFactory(title="Their slides")
    query = {"app_label": "exchanges", "model_name": "session", "field_name": "materials"}

    found = admin_client.get(
        reverse("admin:autocomplete"), {**query, "term": "slides", "forward_meeting": meeting.pk}
    ).json()

    assert [result["text"] for result in found["results"]] == ["Our slides"]


def test_a_new_meeting_refuses_a_session_outside_it(admin_client, meeting):
    """On the page that adds a meeting, its sessions are checked against the times typed."""
    data = meeting_with_a_session(admin_client, meeting, start_1="18:00:00", end_1="19:00:00")
    data |= {"sessions-0-meeting": "", "number": "7", "title_en": "A new day"}

    response = admin_client.post(reverse("admin:exchanges_exchangemeeting_add"), data)

    assert response.status_code == 200
    assert "A session takes place during its meeting." in response.text
    assert not Session.objects.exists()
    assert not meeting.programme.meetings.filter(title_en="A new day").exists()


# --- The meeting page ---------------------------------------------------------------------------


def meeting_page(client, meeting):
    return client.get(reverse("exchanges:meeting", args=[meeting.pk])).text


def text_of(html: str) -> str:
    """What a reader reads: the words without the tags, "10:00–10:45" however it wraps."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r"\s*–\s*", "–", text)


def test_the_meeting_page_shows_the_agenda_in_the_meetings_local_times(client, meeting):
    item = full_session(meeting, 10, "Heat pumps for schools")
    session(meeting, 14, 30, title="Closing words", room="")
    material = item.materials.get()

    html = meeting_page(client, meeting)
    text = text_of(html)

    assert 'id="agenda"' in html
    assert "Tuesday 5 March 2030" in text
    assert "10:00–10:45 Heat pumps for schools Room: Hall B" in text
    assert "14:30–15:15 Closing words" in text
    assert text.index("Heat pumps for schools") < text.index("Closing words")
    assert "Aino Virtanen Heat pumps for schools (Lahti), Prof. Outside Guest" in text
    assert "For: Energy planners" in text
    assert reverse("exchanges:material", args=[meeting.pk, material.pk]) in html
    assert reverse("reports:agenda", args=[meeting.pk]) in html


def test_a_sessions_online_link_is_for_confirmed_participants_only(client, meeting):
    full_session(meeting, 10, "Heat pumps for schools")
    user = factories.UserFactory()
    contact = factories.ContactFactory(user=user, email=user.email)

    public = meeting_page(client, meeting)
    client.force_login(user)
    registered_elsewhere = meeting_page(client, meeting)
    factories.RegistrationFactory(meeting=meeting, contact=contact)
    confirmed = meeting_page(client, meeting)

    assert "meet.example/session-7" not in public
    assert "the link is sent to registered participants" in public
    assert "meet.example/session-7" not in registered_elsewhere
    assert 'href="https://meet.example/session-7"' in confirmed


def test_a_meeting_without_sessions_has_no_agenda_and_no_programme(client, meeting):
    html = meeting_page(client, meeting)
    response = client.get(reverse("reports:agenda", args=[meeting.pk]))

    assert 'id="agenda"' not in html
    assert "Printable programme" not in html
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_anyone_may_ask_for_the_programme_of_a_published_meeting(client, meeting):
    session(meeting, 10)

    response = client.get(reverse("reports:agenda", args=[meeting.pk]))

    assert response.status_code == 202  # being prepared: a render is queued, never done here
    assert Document.objects.get().kind == Document.Kind.AGENDA


def test_an_unpublished_programmes_meeting_has_no_programme_pdf(client, meeting):
    session(meeting, 10)
    meeting.programme.is_published = False
    meeting.programme.save()

    response = client.get(reverse("reports:agenda", args=[meeting.pk]))

    assert response.status_code == 404


def build_agenda(count: int):
    meeting = factories.MeetingFactory(timezone="Europe/Helsinki")
    for index in range(count):
        item = factories.SessionFactory(
            meeting=meeting,
            start=meeting.start + dt.timedelta(minutes=index * 60),
            target_group=factories.TargetGroupFactory(),
        )
        item.speakers.add(factories.ContactFactory(), factories.ContactFactory())
        item.materials.add(factories.MaterialFactory(meeting=meeting))
    return meeting


@pytest.mark.parametrize("count", [1, 3])
def test_the_meeting_page_costs_the_same_for_1_and_3_sessions(
    client, django_assert_num_queries, count
):
    meeting = build_agenda(count)
    url = reverse("exchanges:meeting", args=[meeting.pk])

    # The meeting page's own four (the meeting, its topics, materials, registration questions),
    # then three for the agenda: the sessions, their speakers, their materials.
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count('class="meeting-row"') == count


# --- The programme PDF --------------------------------------------------------------------------


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return text_of(" ".join(page.extract_text() for page in reader.pages))


def rendered_programme(meeting) -> Document:
    document = document_request(
        kind=Document.Kind.AGENDA, programme=meeting.programme, meeting=meeting, language="en"
    )
    return document_render(document_id=document.pk)


def test_the_programme_pdf_lists_the_meeting_its_sessions_and_speakers(media, meeting):
    meeting.programme.funding_statement = "Funded by the European Union."
    meeting.programme.save()
    full_session(meeting, 10, "Heat pumps for schools")
    session(meeting, 14, 30, title="Closing words")

    document = rendered_programme(meeting)

    assert document.status == Document.Status.READY, document.error
    text = pdf_text(document)
    for expected in (
        "Energy day",
        "Oodi, Töölönlahdenkatu 4",
        "09:00–17:00 (Europe/Helsinki)",
        "Tuesday 5 March 2030",
        "10:00–10:45",
        "Heat pumps for schools",
        "14:30–15:15",
        "Closing words",
        "Aino Virtanen Heat pumps for schools (Lahti)",
        "Prof. Outside Guest",
        "Energy planners",
        "Slides of Heat pumps for schools",
        "Funded by the European Union.",
    ):
        assert expected in text, expected
    assert "meet.example" not in text  # the PDF is public: no online link


def test_a_changed_session_renders_the_published_programme_again(
    media, meeting, django_capture_on_commit_callbacks
):
    item = session(meeting, 10, title="Opening")
    rendered_programme(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Opening by the mayor"
        item.save()

    newest = Document.objects.filter(kind=Document.Kind.AGENDA).order_by("-pk").first()
    assert Document.objects.filter(kind=Document.Kind.AGENDA).count() == 2
    assert newest.status == Document.Status.READY, newest.error
    assert "Opening by the mayor" in pdf_text(newest)
