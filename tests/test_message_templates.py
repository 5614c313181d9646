"""The editor of message templates in the admin (issue 14, item 5): an overview of every kind
and language per programme, the default to start from, a text refused on save when it would not
render, a preview for a real recipient, the reset to the default, and who may do what."""

import pytest
from django.test import Client
from django.urls import reverse

from access.models import Role, RoleKind
from cities.models import Contact
from notifications.kinds import KINDS, Kind, message_render
from notifications.models import MessageTemplate

from . import factories

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:notifications_messagetemplate_changelist")
ADD = reverse("admin:notifications_messagetemplate_add")


def change_url(template):
    return reverse("admin:notifications_messagetemplate_change", args=[template.pk])


def delete_url(template):
    return reverse("admin:notifications_messagetemplate_delete", args=[template.pk])


# --- Kinds of our own, so that these tests do not wait for the apps' registrations -----------


def _first_contact(programme):
    contact = (
        Contact.objects.filter(city__memberships__network__programme=programme)
        .order_by("pk")
        .first()
    )
    if contact is None:
        return None
    return {"contact_name": f"{contact.first_name} {contact.last_name}", "city": contact.city.name}


GREETING = Kind(
    code="test-greeting",
    label="A greeting (test)",
    group="Tests",
    placeholders={"contact_name": "The recipient's name", "city": "The recipient's city"},
    sample=_first_contact,
)
WELCOME = Kind(
    code="test-welcome",
    label="An account's welcome (test)",
    group="Tests: accounts",
    placeholders={"email": "The account's address"},
    sample=lambda programme: None,
    per_programme=False,
)
FILES = {
    "test-greeting-subject.txt": "{% load i18n %}{% translate 'Hello' %} {{ contact_name }}",
    "test-greeting-body.txt": "Dear {{ contact_name }},\n\nThe default sentence from {{ city }}.\n",
    "test-welcome-subject.txt": "Welcome",
    "test-welcome-body.txt": "Your account {{ email }} is ready.\n",
}


@pytest.fixture(autouse=True)
def kinds(settings, tmp_path):
    """Two kinds with their default files in a template folder of the test's own."""
    (tmp_path / "emails").mkdir()
    for name, text in FILES.items():
        (tmp_path / "emails" / name).write_text(text)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]
    for kind in (GREETING, WELCOME):
        KINDS[kind.code] = kind
    yield
    for kind in (GREETING, WELCOME):
        KINDS.pop(kind.code, None)


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(name="Exchange programme")


@pytest.fixture
def coordinator_client(client, programme):
    person = factories.UserFactory(first_name="Olga", last_name="Coordinator")
    Role.objects.create(user=person, kind=RoleKind.PROGRAMME_COORDINATOR, programme=programme)
    client.force_login(person)
    client.user = person
    return client


def recipient(programme, first_name="Ewa", last_name="Nowak", city="Sztum"):
    network = factories.NetworkFactory(programme=programme)
    membership = factories.MembershipFactory(network=network, city__name=city)
    return factories.ContactFactory(
        city=membership.city, first_name=first_name, last_name=last_name
    )


def override(programme, language="pl", kind="test-greeting", **fields):
    return MessageTemplate.objects.create(
        programme=programme,
        kind=kind,
        language=language,
        subject=fields.get("subject", "Cześć {{ contact_name }}"),
        body=fields.get("body", "Our own sentence, {{ contact_name }}.\n"),
    )


def form_data(programme, **fields):
    return {
        "programme": programme.pk if programme else "",
        "kind": "test-greeting",
        "language": "pl",
        "subject": "Witamy {{ contact_name }}",
        "body": "Dear {{ contact_name }},\n\nOur own sentence.\n",
        "_save": "Save",
        **fields,
    }


def render(programme, language="pl"):
    values = {"contact_name": "Ewa Nowak", "city": "Sztum"}
    return message_render(
        kind="test-greeting", language=language, values=values, programme=programme
    )


# --- Refused on save, with the reason ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "source", "reason"),
    [
        ("body", "Dear {{ password }},", "Unknown placeholder {{ password }}"),
        ("body", "Dear {{ contact.user.password }},", "Unknown placeholder"),
        ("body", "{% if contact_name %}Dear you", "broken tag"),
        ("body", "Dear you{% endif %}", "broken tag"),
        ("body", '{% include "emails/_layout.html" %}', "cannot be used in a message"),
        ("body", "{% load static %}Hello", "broken tag"),  # no tag library is there
        ("body", 'Sent in {% now "Y" %}', "“{% now %}” cannot be used in a message"),
        ("body", "Dear {{ contact_name,", "is not closed"),
        ("subject", "Hello {{ city|safe }}", "“safe” cannot be used"),
        ("subject", "Hello\n{{ city }}", "The subject is one line"),
    ],
)
def test_a_text_that_would_not_render_is_refused_on_save_with_the_reason(
    coordinator_client, programme, field, source, reason
):
    response = coordinator_client.post(ADD, form_data(programme, **{field: source}))

    assert response.status_code == 200  # the form again
    errors = " ".join(response.context["adminform"].form.errors[field])
    assert reason in errors
    assert reason in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_a_change_that_would_not_render_leaves_the_saved_text_as_it_was(
    coordinator_client, programme
):
    template = override(programme)
    data = {"subject": "Cześć", "body": "{{ nope }}", "_save": "Save"}

    response = coordinator_client.post(change_url(template), data)

    assert response.status_code == 200
    template.refresh_from_db()
    assert template.body == "Our own sentence, {{ contact_name }}.\n"


# --- Saved, and used for that programme and language only -----------------------------------


def test_a_saved_text_is_used_for_its_programme_and_language_only(coordinator_client, programme):
    other = factories.ProgrammeFactory()

    response = coordinator_client.post(ADD, form_data(programme))

    assert response.status_code == 302
    assert response["Location"] == f"{OVERVIEW}?programme={programme.pk}"
    template = MessageTemplate.objects.get()
    assert template.updated_by == coordinator_client.user
    subject, text, html = render(programme, "pl")
    assert (subject, "Our own sentence." in text) == ("Witamy Ewa Nowak", True)
    assert "Our own sentence." in html
    assert "The default sentence from Sztum." in render(programme, "en")[1]
    assert "The default sentence from Sztum." in render(other, "pl")[1]


def test_the_text_keeps_the_line_breaks_it_was_written_with(coordinator_client, programme):
    coordinator_client.post(ADD, form_data(programme, body="Dear {{ city }},\r\n\r\nHello."))

    assert MessageTemplate.objects.get().body == "Dear {{ city }},\n\nHello."


def test_the_add_form_opened_from_a_cell_starts_from_the_default(coordinator_client, programme):
    query = f"?programme={programme.pk}&kind=test-greeting&language=pl"

    form = coordinator_client.get(ADD + query).context["adminform"].form

    assert form.initial["subject"] == "Hello {{ contact_name }}"
    assert (
        form.initial["body"]
        == "Dear {{ contact_name }},\n\nThe default sentence from {{ city }}.\n"
    )
    assert str(form.initial["programme"]) == str(programme.pk)


def test_the_form_lists_the_placeholders_with_what_they_hold(coordinator_client, programme):
    response = coordinator_client.get(change_url(override(programme)))

    content = response.content.decode()
    assert "<dt><code>{{ contact_name }}</code></dt>" in content
    assert "<dd>The recipient&#x27;s name</dd>" in content
    assert "Reset to the default" in content


def test_account_messages_are_portal_wide_and_only_a_superusers(coordinator_client, programme):
    offered = coordinator_client.get(ADD).context["adminform"].form.fields["kind"].choices
    assert "test-welcome" not in str(offered)
    refused = coordinator_client.post(ADD, form_data(programme, kind="test-welcome"))
    assert "kind" in refused.context["adminform"].form.errors

    client = Client()
    client.force_login(factories.CoordinatorFactory())
    with_programme = client.post(
        ADD, form_data(programme, kind="test-welcome", subject="Hi", body="{{ email }}")
    )
    assert "programme" in with_programme.context["adminform"].form.errors
    saved = client.post(ADD, form_data(None, kind="test-welcome", subject="Hi", body="{{ email }}"))
    assert saved["Location"] == f"{OVERVIEW}?programme=portal"
    assert MessageTemplate.objects.get().programme is None
    assert client.get(OVERVIEW + "?programme=portal").status_code == 200
    assert coordinator_client.get(OVERVIEW + "?programme=portal").status_code == 404


# --- The preview ------------------------------------------------------------------------------


def test_the_preview_shows_a_real_recipients_values_and_saves_nothing(
    coordinator_client, programme
):
    recipient(programme, first_name="Ewa", last_name="Nowak", city="Sztum")
    data = form_data(programme, body="Dear {{ contact_name }} of {{ city }}.") | {"_preview": "1"}
    del data["_save"]

    response = coordinator_client.post(ADD, data)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.real_recipient
    assert preview.subject == "Witamy Ewa Nowak"
    assert preview.text == "Dear Ewa Nowak of Sztum."
    assert "Dear Ewa Nowak of Sztum." in preview.html
    content = response.content.decode()
    assert '<iframe sandbox="" srcdoc="' in content
    assert "nothing is saved yet" in content
    assert not MessageTemplate.objects.exists()


def test_a_preview_of_a_saved_text_changes_nothing(coordinator_client, programme):
    template = override(programme)
    data = {"subject": "Other", "body": "Other text, {{ city }}.", "_preview": "1"}

    response = coordinator_client.post(change_url(template), data)

    assert response.context["preview"].text == "Other text, [city]."
    assert "Nobody in this programme can receive this message yet" in response.content.decode()
    template.refresh_from_db()
    assert template.subject == "Cześć {{ contact_name }}"


def test_a_preview_of_a_text_that_would_not_render_shows_the_reason_instead(
    coordinator_client, programme
):
    data = form_data(programme, body="{{ nope }}") | {"_preview": "1"}

    response = coordinator_client.post(ADD, data)

    assert response.context["preview"] is None
    assert "Unknown placeholder {{ nope }}" in response.content.decode()


# --- The reset to the default -----------------------------------------------------------------


def test_the_reset_asks_first_then_the_default_is_used_again(coordinator_client, programme):
    template = override(programme)
    assert "Our own sentence" in render(programme)[1]

    confirmation = coordinator_client.get(delete_url(template))
    assert "Yes, reset to the default" in confirmation.content.decode()
    assert MessageTemplate.objects.exists()

    response = coordinator_client.post(
        delete_url(template), {"post": "yes", "programme": programme.pk}, follow=True
    )

    assert response.redirect_chain[0][0] == f"{OVERVIEW}?programme={programme.pk}"
    assert "The default text is used again." in response.content.decode()
    assert not MessageTemplate.objects.exists()
    assert "The default sentence from Sztum." in render(programme)[1]


# --- Who may do what --------------------------------------------------------------------------


def test_another_programmes_template_is_not_there_for_a_programme_coordinator(
    coordinator_client,
):
    theirs = override(factories.ProgrammeFactory(name="Elsewhere"))
    preview = {"subject": "x", "body": "y", "_preview": "1"}

    assert coordinator_client.get(change_url(theirs)).status_code == 404
    assert coordinator_client.post(change_url(theirs), preview).status_code == 404
    assert coordinator_client.get(delete_url(theirs)).status_code == 404
    assert coordinator_client.post(delete_url(theirs), {"post": "yes"}).status_code == 404
    assert coordinator_client.get(f"{OVERVIEW}?programme={theirs.programme_id}").status_code == 404
    assert MessageTemplate.objects.get() == theirs


def test_a_portal_wide_text_is_not_there_for_a_programme_coordinator(coordinator_client):
    portal = override(None, kind="test-welcome", subject="Hi", body="{{ email }}")

    assert coordinator_client.get(change_url(portal)).status_code == 404
    assert coordinator_client.get(delete_url(portal)).status_code == 404


def test_a_coordinator_cannot_write_another_programmes_text(coordinator_client):
    elsewhere = factories.ProgrammeFactory(name="Elsewhere")

    response = coordinator_client.post(ADD, form_data(elsewhere))

    assert "programme" in response.context["adminform"].form.errors
    assert not MessageTemplate.objects.exists()


def test_a_national_coordinator_reads_the_texts_but_does_not_change_them(client, programme):
    template = override(programme)
    network = factories.NetworkFactory(programme=programme)
    person = factories.UserFactory()
    Role.objects.create(
        user=person, kind=RoleKind.NATIONAL_COORDINATOR, programme=programme, network=network
    )
    client.force_login(person)

    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert ADD not in overview.content.decode()  # a default is not a link to write one
    assert client.get(change_url(template)).status_code == 200
    data = {"subject": "x", "body": "y", "_save": "Save"}
    assert client.post(change_url(template), data).status_code == 403
    assert client.post(change_url(template), data | {"_preview": "1"}).status_code == 403
    assert client.get(ADD).status_code == 403


# --- The overview -----------------------------------------------------------------------------


def test_the_overview_shows_each_kind_and_language_the_default_or_who_changed_it(
    coordinator_client, programme
):
    template = override(programme, language="pl")
    template.updated_by = coordinator_client.user
    template.save()

    response = coordinator_client.get(OVERVIEW)

    row = next(
        row
        for group in response.context["groups"]
        for row in group.rows
        if row.code == GREETING.code
    )
    assert [cell.override for cell in row.cells] == [None, template, None, None, None, None, None]
    content = response.content.decode()
    assert change_url(template) in content
    assert f"{ADD}?programme={programme.pk}&amp;kind=test-greeting&amp;language=sv" in content
    assert "Olga Coordinator" in content
    assert "test-welcome" not in content  # account messages are portal-wide

    # A programme that speaks two languages shows only those two, its main one first.
    programme.languages = ["pl", "en"]
    programme.save()
    response = coordinator_client.get(OVERVIEW)
    row = next(r for g in response.context["groups"] for r in g.rows if r.code == GREETING.code)
    assert [(cell.language, cell.override) for cell in row.cells] == [
        ("pl", template),
        ("en", None),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_the_overview_runs_a_constant_number_of_queries(
    coordinator_client, programme, django_assert_num_queries, count
):
    for language in ("en", "pl", "sv")[:count]:
        override(programme, language=language).updated_by = coordinator_client.user
    MessageTemplate.objects.update(updated_by=coordinator_client.user)

    # The session, the user, the roles, the programmes and the programme's texts.
    with django_assert_num_queries(5):
        response = coordinator_client.get(f"{OVERVIEW}?programme={programme.pk}")

    assert response.status_code == 200
    assert response.content.decode().count(">changed</strong>") == count
