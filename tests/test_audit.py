"""The audit trail (issue 11, section 4): who changed what and when, on each object's history
page in the admin and in one log filterable by network, scoped like everything else."""

import html5lib
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from access.audit import NOT_AUDITED
from access.models import RoleKind
from access.rules import RULES
from exchanges.models import Invitation

from . import factories
from .test_access import with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """A programme with a Polish and a Swedish network and a meeting in each, and the national
    coordinators of both."""
    programme = factories.ProgrammeFactory(slug="exchange")
    data = {"programme": programme}
    for code in ("PL", "SE"):
        network = factories.NetworkFactory(programme=programme, country__code=code)
        data[code] = network
        data[f"{code}-meeting"] = factories.MeetingFactory(
            network=network, title=f"{code} exchange"
        )
        data[f"national {code}"] = with_role(
            RoleKind.NATIONAL_COORDINATOR, programme, network, email=f"nc@{code.lower()}.example"
        )
    data["programme coordinator"] = with_role(RoleKind.PROGRAMME_COORDINATOR, programme)
    return data


def form_data(response) -> dict:
    """What the browser would send back from the admin's change form, as it was rendered."""
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    form = next(f for f in document.iter("form") if f.get("id", "").endswith("_form"))
    data = {}
    for element in form.iter():
        if element.tag not in ("input", "select", "textarea"):
            continue
        name = element.get("name")
        kind = element.get("type", "text")
        if (
            not name
            or kind in ("submit", "file")
            or (kind == "checkbox" and element.get("checked") is None)
        ):
            continue
        if element.tag == "select":
            chosen = [
                o.get("value") for o in element.iter("option") if o.get("selected") is not None
            ]
            data[name] = chosen if element.get("multiple") is not None else (chosen or [""])[0]
        elif element.tag == "textarea":
            data[name] = element.text or ""
        else:
            data[name] = element.get("value", "on" if kind == "checkbox" else "")
    return data


def change(client, obj, **fields):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.post(url, {**form_data(client.get(url)), **fields})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history(client, obj):
    opts = obj._meta
    return client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))


def log_list(client, **params):
    return client.get(reverse("admin:auditlog_logentry_changelist"), params)


def objects(response) -> set:
    """The objects whose entries a log page lists."""
    entries = response.context["cl"].result_list
    return {(e.content_type.get_object_for_this_type(pk=e.object_id)) for e in entries}


def test_it_records_who_changed_a_meeting_title_from_what_to_what(client, world):
    meeting = world["PL-meeting"]
    coordinator = world["national PL"]
    client.force_login(coordinator)

    change(client, meeting, title_en="Warsaw exchange")

    entry = LogEntry.objects.get_for_object(meeting).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == coordinator
    assert entry.changes_dict["title_en"] == ["PL exchange", "Warsaw exchange"]
    assert entry.additional_data == {
        "programme": world["programme"].pk,
        "network": world["PL"].pk,
        "country": None,
    }
    page = history(client, meeting).content.decode()
    assert str(coordinator) in page
    assert "PL exchange" in page and "Warsaw exchange" in page


def test_a_national_coordinator_reads_the_history_of_their_network_only(client, world):
    client.force_login(world["national PL"])

    assert history(client, world["PL-meeting"]).status_code == 200
    assert history(client, world["SE-meeting"]).status_code == 404
    auditlog_url = reverse(
        "admin:exchanges_exchangemeeting_auditlog", args=[world["SE-meeting"].pk]
    )
    assert client.get(auditlog_url).status_code == 404


def test_the_log_lists_the_entries_of_the_persons_networks(client, world):
    client.force_login(world["national PL"])

    response = log_list(client)

    assert response.status_code == 200
    listed = objects(response)
    assert world["PL-meeting"] in listed and world["PL"] in listed
    assert not {world["SE-meeting"], world["SE"], world["programme"]} & listed


def test_the_log_filters_by_network(client, world):
    client.force_login(world["programme coordinator"])
    assert {world["PL-meeting"], world["SE-meeting"]} <= objects(log_list(client))

    narrowed = objects(log_list(client, network=world["SE"].pk))

    assert world["SE-meeting"] in narrowed
    assert world["PL-meeting"] not in narrowed


def test_people_without_a_role_do_not_read_the_log(client, world):
    client.force_login(factories.UserFactory(is_staff=True))

    assert log_list(client).status_code == 302  # to the admin's sign-in, like every admin page


def test_nobody_edits_the_log(client, world):
    client.force_login(factories.CoordinatorFactory())
    entry = LogEntry.objects.get_for_object(world["PL-meeting"]).first()

    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_log_never_records_a_password_or_a_token(client, world):
    person = factories.UserFactory(email="someone@pl.example")
    invitation = Invitation.objects.create(
        meeting=world["PL-meeting"], contact=factories.ContactFactory()
    )
    client.force_login(factories.CoordinatorFactory())
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    new_password = "a-Long-new-passw0rd"

    response = client.post(
        url, {"password1": new_password, "password2": new_password, "usable_password": "true"}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)
    entries = LogEntry.objects.get_for_object(person)
    assert entries.exists()
    recorded = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert person.password not in recorded
    assert person.calendar_token not in recorded
    assert all("password" not in e.changes_dict for e in entries)
    assert invitation.token not in recorded


def test_every_model_with_an_access_rule_is_audited():
    from auditlog.registry import auditlog

    assert {m for m in RULES if not auditlog.contains(m)} == NOT_AUDITED


def test_a_national_coordinator_reads_the_log_of_their_countrys_contacts(client, world):
    polish, swedish = (
        factories.ContactFactory(city__country=world[c].country) for c in ["PL", "SE"]
    )
    client.force_login(world["national PL"])

    listed = objects(log_list(client))

    assert polish in listed
    assert swedish not in listed
