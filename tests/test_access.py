"""Who may see and do what (access.rules), in the admin and on the coordinators' pages: one
permission matrix in the manner of pretix's tests/control/test_permissions.py (issue 11,
section 2).

Personas: anonymous, city staff of a Polish city, staff without a role, the national
coordinators of Poland and of Sweden, a programme coordinator and a superuser, each with their
real role (not a superuser with a costume). Each cell is what the rules demand: in scope 200
(302 after a successful POST, 202 for a PDF still being rendered); another network's or
programme's object 404, never 403, so that nothing leaks; a model the role may not write 403 on
add, change (POST) and delete; anonymous people are sent to sign in; staff without a role are
refused (the admin sends them to its sign-in, the pages answer 403, or 404 for an object).

The matrix has a row for every model admin's list and add pages and for the change, delete and
history pages of a Polish, a Swedish and another programme's row; for every page a model admin
adds; and for every coordinator page outside the admin. `test_every_url_has_a_row_in_the_matrix`
fails for a URL that has none.
"""

import datetime as dt
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.forms import ModelChoiceField
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from access import rules
from access.admin import ScopedMixin
from access.models import Role, RoleKind
from accounts.models import LinkRequest, User
from api.models import ApiToken
from calls.models import Application, Call
from campaigns.models import Campaign, CampaignText
from cities.models import City, Contact, Country, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    Invitation,
    MeetingFeedback,
    MeetingMaterial,
    Membership,
    NationalNetwork,
    Programme,
    Registration,
    Theme,
    Topic,
)
from exchanges.models import Question as MeetingQuestion
from meetings.models import ActionItem, ConsortiumMeeting, Partner
from mentorships.models import Mentorship, MentorshipContact
from notifications.models import Message, MessageTemplate
from privacy.models import PrivacyNotice, RemovalRecord
from privacy.notices import notice_draft_create
from reports.funder import funder_report_publish
from reports.models import Document, FunderReport
from visits.models import (
    BackgroundMaterial,
    FeedbackReport,
    Interview,
    ReportStatus,
    ReviewRound,
    Visit,
)

from . import factories
from .factories_calls import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
    MentorshipContactFactory,
    MentorshipFactory,
    QuestionFactory,
)
from .factories_visits import RoundFactory, VisitFactory

pytestmark = pytest.mark.django_db

# --- The world -------------------------------------------------------------------------------

# The Polish and the Swedish network's city, and its staff's surname.
NAMES = {"PL": ("Płock", "Kowalski"), "SE": ("Malmö", "Svensson")}

# Words only the Swedish network's rows and the other programme's rows hold: no page, list,
# dropdown, autocomplete or export shown to the national coordinator of Poland may hold one.
NOT_FOR_POLAND = ("Malmö", "Svensson", "Elsewhere")


@pytest.fixture
def world(db, settings, tmp_path):
    """A programme with a Polish and a Swedish network, with a row of every model admin in each,
    and another programme ("Elsewhere") nobody here coordinates. Its network is Polish too, and
    Płock belongs to it as well: a city can be in two programmes, and its rows of the other
    programme (an application, a mentorship, a peer visit) are that programme's."""
    settings.MEDIA_ROOT = tmp_path
    programme = factories.ProgrammeFactory(slug="exchange", name="Exchange programme")
    elsewhere = factories.ProgrammeFactory(slug="elsewhere", name="Elsewhere programme")
    ours, theirs = _programme_rows(programme, "Exchange"), _programme_rows(elsewhere, "Elsewhere")
    data = {"programme": programme, "elsewhere": elsewhere}
    for code in ("PL", "SE"):
        name = f"Network of {NAMES[code][0]}"
        data[code] = factories.NetworkFactory(programme=programme, country__code=code, name=name)
        data |= _network_rows(code, data[code], ours)
    network = factories.NetworkFactory(
        programme=elsewhere, country__code="PL", name="Elsewhere network"
    )
    data |= _elsewhere_rows(network, theirs, data["PL-city"])
    data["rows"] = _rows_by_model(data, ours, theirs)
    return data


def _programme_rows(programme, word):
    theme = factories.ThemeFactory(programme=programme, name=f"{word} theme")
    call = CallFactory(programme=programme, title=f"{word} call", slug=f"{word.lower()}-call")
    consortium_meeting = factories.ConsortiumMeetingFactory(programme=programme, number=1)
    partner = factories.PartnerFactory(programme=programme, name=f"{word} partner")
    return {
        "programme": programme,
        "theme": theme,
        "topic": factories.TopicFactory(theme=theme, name=f"{word} topic"),
        "call": call,
        "question": QuestionFactory(call=call, kind="file", text=f"{word} plan?"),
        "round": RoundFactory(programme=programme, name=f"{word} round", themes=[theme]),
        "partner": partner,
        "consortium-meeting": consortium_meeting,
        "action-item": factories.ActionItemFactory(
            meeting=consortium_meeting, owner=partner, title=f"{word} action"
        ),
        "document": factories.DocumentFactory(
            kind="peer_learning_plan", meeting=None, programme=programme
        ),
        "funder-report": funder_report_publish(
            programme=programme, start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30), by=None
        ),
        "role": factories.RoleFactory(
            programme=programme,
            kind=RoleKind.CONSORTIUM_PARTNER,
            user__email=f"partner@{word.lower()}.example",
        ),
        "message-template": MessageTemplate.objects.create(
            programme=programme, kind="invitation", language="pl", subject=f"{word}", body="Hi."
        ),
        # A draft: a published version is read-only for everyone (tests/test_privacy_notices.py).
        "privacy-notice": notice_draft_create(programme=programme, by=None),
    }


def _network_rows(code, network, ours):
    name, surname = NAMES[code]
    city = factories.CityFactory(name=name, country=network.country)
    contact = factories.ContactFactory(city=city, last_name=surname, email=f"staff@{code}.example")
    factories.ContactFactory(city=city, last_name=surname, email=f"invitee@{code}.example")
    meeting = factories.MeetingFactory(network=network, title=f"Exchange in {name}")
    application = ApplicationFactory(
        call=ours["call"], city=city, contact_name=f"Anna {surname}", contact_email=contact.email
    )
    mentor = factories.CityFactory(name=f"{name} mentor", country=network.country)
    mentorship = MentorshipFactory(programme=network.programme, mentee=city, mentor_city=mentor)
    return {
        f"{code}-city": city,
        f"{code}-membership": factories.MembershipFactory(network=network, city=city),
        f"{code}-contact": contact,
        **_meeting_rows(code, meeting, contact),
        **_application_rows(code, application, ours["question"]),
        f"{code}-mentorship": mentorship,
        f"{code}-mentorship-contact": MentorshipContactFactory(mentorship=mentorship),
        **_visit_rows(code, VisitFactory(round=ours["round"], host=city)),
        f"{code}-campaign": _campaign(network, f"Letter to {name}"),
        f"{code}-link-request": _link_request(network.country, f"asking@{code.lower()}.example"),
    }


def _link_request(country, email):
    """Someone of this country asking to be linked to a city: the country's coordinators'."""
    return LinkRequest.objects.create(
        user=factories.UserFactory(email=email), country=country, city_name=f"Town of {email}"
    )


def _campaign(network, title):
    """A draft e-mail to the network's engaged cities."""
    campaign = Campaign.objects.create(
        programme=network.programme,
        network=network,
        title=title,
        segment="network",
        roles=["engaged"],
    )
    CampaignText.objects.create(campaign=campaign, language="en", subject=title, body="Hello.")
    return campaign


def _meeting_rows(code, meeting, contact):
    return {
        f"{code}-meeting": meeting,
        f"{code}-registration": factories.RegistrationFactory(meeting=meeting, contact=contact),
        f"{code}-material": factories.MaterialFactory(meeting=meeting, title=f"{meeting} slides"),
        f"{code}-invitation": factories.InvitationFactory(meeting=meeting, contact=contact),
        f"{code}-message": factories.MessageFactory(
            meeting=meeting, recipient_email=contact.email, subject=f"About {meeting.title}"
        ),
        f"{code}-feedback": factories.MeetingFeedbackFactory(meeting=meeting, contact=contact),
        f"{code}-meeting-question": factories.QuestionFactory(
            meeting=meeting, label=f"{meeting.title}: diet?"
        ),
        f"{code}-log": LogEntry.objects.get_for_object(meeting).order_by("pk").first(),
    }


def _application_rows(code, application, question):
    answer = AnswerFactory(application=application, question=question, value="")
    answer.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"))
    return {f"{code}-application": application, f"{code}-answer": answer}


def _visit_rows(code, visit):
    report = factories.FeedbackReportFactory(
        visit=visit, status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    interview = Interview.objects.create(
        visit=visit, starts_at=timezone.now(), role="Energy manager", interviewee="Ewa"
    )
    return {
        f"{code}-visit": visit,
        f"{code}-visit-material": factories.BackgroundMaterialFactory(visit=visit),
        f"{code}-report": report,
        f"{code}-interview": interview,
    }


def _elsewhere_rows(network, theirs, polish_city):
    """The other programme's rows: a German city and contact, a meeting of its Polish network,
    and Płock's application, mentorship and peer visit there."""
    city = factories.CityFactory(name="Elsewhereburg", country__code="DE")
    contact = factories.ContactFactory(city=city, last_name="Elsewhere")
    meeting = factories.MeetingFactory(network=network, title="Exchange elsewhere")
    application = ApplicationFactory(
        call=theirs["call"], city=polish_city, contact_name="Anna Elsewhere"
    )
    mentorship = MentorshipFactory(
        programme=network.programme, mentee=polish_city, mentor_city=city
    )
    return {
        "elsewhere-network": network,
        "elsewhere-city": city,
        "elsewhere-membership": factories.MembershipFactory(network=network, city=polish_city),
        "elsewhere-contact": contact,
        **_meeting_rows("elsewhere", meeting, contact),
        **_application_rows("elsewhere", application, theirs["question"]),
        "elsewhere-mentorship": mentorship,
        "elsewhere-mentorship-contact": MentorshipContactFactory(mentorship=mentorship),
        "elsewhere-campaign": _campaign(network, "Elsewhere letter"),
        # A country with no network here (the German city's): nobody's but the superuser's.
        "elsewhere-link-request": _link_request(city.country, "asking@elsewhere.example"),
        **_visit_rows("elsewhere", VisitFactory(round=theirs["round"], host=polish_city)),
    }


# Models with a row in each network (and one of the other programme), by their world key.
NETWORK_ROWS = {
    City: "city",
    Contact: "contact",
    Membership: "membership",
    ExchangeMeeting: "meeting",
    MeetingMaterial: "material",
    Registration: "registration",
    Invitation: "invitation",
    Message: "message",
    LinkRequest: "link-request",
    MeetingFeedback: "feedback",
    MeetingQuestion: "meeting-question",
    Application: "application",
    Mentorship: "mentorship",
    MentorshipContact: "mentorship-contact",
    Visit: "visit",
    Campaign: "campaign",
    BackgroundMaterial: "visit-material",
    FeedbackReport: "report",
    LogEntry: "log",
}
# Models of a programme as a whole: a row of ours and one of the other programme.
PROGRAMME_ROWS = {
    Programme: "programme",
    Theme: "theme",
    Topic: "topic",
    Call: "call",
    ReviewRound: "round",
    Partner: "partner",
    ConsortiumMeeting: "consortium-meeting",
    ActionItem: "action-item",
    Document: "document",
    FunderReport: "funder-report",
    Role: "role",
    MessageTemplate: "message-template",
    PrivacyNotice: "privacy-notice",
}


def _rows_by_model(data, ours, theirs):
    """{model: {tag: row}}, tagged PL, SE and elsewhere for a network's rows, ours and
    elsewhere for a programme's, one for the rest."""
    rows = {
        model: {tag: data[f"{tag}-{key}"] for tag in ("PL", "SE", "elsewhere")}
        for model, key in NETWORK_ROWS.items()
    }
    rows[NationalNetwork] = {
        "PL": data["PL"],
        "SE": data["SE"],
        "elsewhere": data["elsewhere-network"],
    }
    rows |= {
        model: {"ours": ours[key], "elsewhere": theirs[key]}
        for model, key in PROGRAMME_ROWS.items()
    }
    user = factories.UserFactory(email="someone@example.org")
    return rows | {
        Country: {"one": data["PL"].country},
        TargetGroup: {"one": factories.TargetGroupFactory(name="Energy managers")},
        User: {"one": user},
        EmailAddress: {"one": EmailAddress.objects.create(user=user, email=user.email)},
        RemovalRecord: {"one": RemovalRecord.objects.create(reason="retention", removed={})},
        ApiToken: {
            "one": ApiToken.objects.create(
                user=user, name="Website", prefix="abcd1234", key_hash="a" * 64
            )
        },
    }


def with_role(kind, programme, network=None, **user):
    person = factories.UserFactory(**user)
    Role.objects.create(user=person, kind=kind, programme=programme, network=network)
    return person


@pytest.fixture
def personas(world):
    staff_user = factories.UserFactory(email="staff@pl-city.example")
    world["PL-contact"].user = staff_user
    world["PL-contact"].save()
    programme = world["programme"]
    return {
        "anonymous": None,
        "city staff": staff_user,  # of Płock, which hosts a peer visit in each programme
        "national PL": with_role(RoleKind.NATIONAL_COORDINATOR, programme, world["PL"]),
        "national SE": with_role(RoleKind.NATIONAL_COORDINATOR, programme, world["SE"]),
        "programme": with_role(RoleKind.PROGRAMME_COORDINATOR, programme),
        "staff, no role": factories.UserFactory(is_staff=True),
        "superuser": factories.CoordinatorFactory(),
    }


PERSONAS = [
    "anonymous",
    "city staff",
    "staff, no role",
    "national PL",
    "national SE",
    "programme",
    "superuser",
]
COORDINATORS = ("national PL", "national SE", "programme", "superuser")
NATIONAL = {"national PL": "PL", "national SE": "SE"}


# --- The matrix ------------------------------------------------------------------------------


class Row(NamedTuple):
    """One URL: a coordinator's cell is `ok` unless `overrides` says otherwise; POSTed with
    `data` when there is any."""

    label: str
    url: str
    overrides: dict
    ok: int = 200
    data: dict | None = None


# What each persona gets where the row does not say otherwise. The admin sends anyone it does
# not let in to its sign-in (which refuses city staff and staff without a role); the pages
# outside it send anonymous people to sign in and refuse everyone who coordinates nothing.
ADMIN_DEFAULT = {"anonymous": 302, "city staff": 302, "staff, no role": 302}
SITE_DEFAULT = {"anonymous": 302, "city staff": 403, "staff, no role": 403}


def expected(row: Row, persona: str, default: dict) -> int:
    return row.overrides.get(persona, default.get(persona, row.ok))


def url(name, *args, query=None):
    address = reverse(f"admin:{name}", args=args)
    return f"{address}?{urlencode(query)}" if query else address


def only(ok: int, *personas: str, otherwise: int = 404) -> dict:
    """Overrides for a row of one object: `personas` get `ok`, the other coordinators
    `otherwise`."""
    return {persona: ok if persona in personas else otherwise for persona in COORDINATORS}


def coordinators_of(tag: str) -> tuple[str, ...]:
    """Who coordinates a row of the Polish network (PL), of the Swedish one (SE), of our
    programme as a whole (ours), or of the other programme (elsewhere)."""
    if tag == "elsewhere":
        return ("superuser",)
    national = tuple(persona for persona, code in NATIONAL.items() if tag in (code, "ours"))
    return ("superuser", "programme", *national)


def national_of(tag: str, status: int) -> dict:
    """The national coordinator of the row's network: for a row they read but do not write."""
    return {persona: status for persona, code in NATIONAL.items() if code == tag}


# --- The admin of each model: what the rules say, written out here (not read from them) ------


@dataclass(frozen=True)
class Admin:
    national: str = ""  # what a national coordinator does: "writes", "reads" or "" (nothing)
    programme: bool = True  # whether a programme coordinator has it (and writes it)
    adds: bool = True  # whether the admin has an add form at all
    edits: bool = True  # whether the admin changes and deletes at all


W, R = "writes", "reads"
MODELS = {
    # Reference data every coordinator picks from; programme coordinators keep it up to date.
    Country: Admin(national=R),
    TargetGroup: Admin(national=R),
    # The cities and contacts of a network's country.
    City: Admin(national=W),
    Contact: Admin(national=W),
    # A programme and its networks: a national coordinator reads their programme and network.
    Programme: Admin(national=R),
    NationalNetwork: Admin(national=R),
    Membership: Admin(national=W),
    Theme: Admin(national=R),
    Topic: Admin(national=R),
    # A network's meetings and everything of them.
    ExchangeMeeting: Admin(national=W),
    MeetingMaterial: Admin(national=W),
    Registration: Admin(national=W, adds=False),  # seats are taken on the site, under a lock
    Invitation: Admin(national=W, adds=False),  # sent from the meeting's invitation page
    Message: Admin(national=W, adds=False),  # written by the services
    Campaign: Admin(national=W),  # e-mail to a group of the network
    MessageTemplate: Admin(national=R),  # a programme's own texts of its messages
    LinkRequest: Admin(national=W, adds=False),  # asked from a person's profile
    MeetingFeedback: Admin(national=W, adds=False),  # the attendees' answers
    MeetingQuestion: Admin(national=W),
    # Calls, applications from the network's country, mentorships of its cities.
    Call: Admin(national=R),
    Application: Admin(national=W, adds=False),  # sent by the applicants
    Mentorship: Admin(national=W),
    MentorshipContact: Admin(national=W),
    # Peer visits of the network's cities.
    ReviewRound: Admin(national=R),
    Visit: Admin(national=W),
    BackgroundMaterial: Admin(national=W, adds=False),  # uploaded by the host
    FeedbackReport: Admin(national=W, adds=False),  # written by the interview group
    # The programme's own business: its consortium, its documents, its roles.
    Partner: Admin(),
    ConsortiumMeeting: Admin(),
    ActionItem: Admin(),
    Document: Admin(adds=False),  # rendered, never typed
    FunderReport: Admin(adds=False, edits=False),  # published from the report, then frozen
    Role: Admin(),
    # A programme's privacy notice: its national coordinators read it.
    PrivacyNotice: Admin(national=R),
    # Who changed what: read by those who run the programme or the network, written by nobody.
    LogEntry: Admin(national=R, adds=False, edits=False),
    # The superuser's alone.
    User: Admin(programme=False),
    EmailAddress: Admin(programme=False),
    # What was erased, counts only: written by the services, read by the superuser.
    RemovalRecord: Admin(programme=False, adds=False, edits=False),
    # Everyone's API tokens: the superuser's to see and revoke; each person has theirs on /me/.
    ApiToken: Admin(programme=False, adds=False, edits=False),
}


def in_scope(persona: str, spec: Admin, tag: str) -> bool:
    if persona == "superuser":
        return True
    if not spec.programme:
        return False
    if persona == "programme":
        return tag != "elsewhere"
    return bool(spec.national) and tag in (NATIONAL[persona], "ours", "one")


def role_has(persona: str, spec: Admin, action: str) -> bool:
    """Whether the persona's role reads (or writes) the model at all."""
    if persona == "superuser":
        return True
    if persona == "programme":
        return spec.programme
    return spec.national == W or (action == "read" and spec.national == R)


def admin_cell(page: str, persona: str, spec: Admin, tag: str | None = None) -> int:
    if page == "changelist":
        return 200 if role_has(persona, spec, "read") else 403
    if page == "add":
        return 200 if spec.adds and role_has(persona, spec, "write") else 403
    if not in_scope(persona, spec, tag):
        return 404
    writes = spec.edits and role_has(persona, spec, "write")
    if page == "change POST":
        return 302 if writes else 403
    if page == "delete":
        return 200 if writes else 403
    return 200  # the change form (read-only without the right to write), history, audit log


OBJECT_PAGES = ("change", "change POST", "delete", "history", "auditlog")


def model_rows(world, forms: dict) -> list[Row]:
    """The list and add pages of every model admin, and the pages of each of its rows; a change
    is POSTed with the row's form as the superuser is shown it (`forms`)."""
    rows = []
    for model in admin.site._registry:
        spec, prefix = MODELS[model], f"{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.verbose_name_plural
        for page in ("changelist", "add"):
            cells = {persona: admin_cell(page, persona, spec) for persona in COORDINATORS}
            rows.append(Row(f"{label}: {page}", url(f"{prefix}_{page}"), cells))
        for tag, obj in world["rows"][model].items():
            for page in OBJECT_PAGES:
                name = f"{prefix}_{page.removesuffix(' POST')}"
                if not _has_url(name):
                    continue  # the admins of other apps (groups, e-mail addresses): no audit log
                cells = {persona: admin_cell(page, persona, spec, tag) for persona in COORDINATORS}
                data = forms.get(obj, {}) if page == "change POST" else None
                rows.append(Row(f"{label} {tag}: {page}", url(name, obj.pk), cells, data=data))
    return rows


def _has_url(name: str) -> bool:
    try:
        reverse(f"admin:{name}", args=[1])
    except NoReverseMatch:
        return False
    return True


def admin_page_rows(world) -> list[Row]:
    """The admin's own pages, and every page a model admin adds (its get_urls)."""
    user = world["rows"][User]["one"]
    return [
        Row("index", url("index"), {}),
        *app_rows(),
        Row("autocomplete: a meeting's network", _autocomplete(ExchangeMeeting, "network"), {}),
        Row(
            "autocomplete: an action item's owner",
            _autocomplete(ActionItem, "owner"),
            national_of("PL", 403) | national_of("SE", 403),
        ),
        Row("a user's password", url("auth_user_password_change", user.pk), only(200, "superuser")),
        *rotation_rows(world),
        *invitation_rows(world),
        # Pairs of mentors are proposed within a programme the person runs; one they do not run
        # is not among the choices (the form again, with an error).
        Row("mentor pairs", url("mentorships_mentorship_propose"), {}),
        Row(
            "mentor pairs: another programme",
            url("mentorships_mentorship_propose"),
            {},
            data=_pairs(world["elsewhere"], world["programme"]),
        ),
        *view_on_site_rows(world),
        *campaign_rows(world),
    ]


# The admin's pages of each app: there for whoever reads one of its models.
APPS = {
    "account": (),
    "accounts": COORDINATORS,  # the requests to link an account to a city
    "access": ("programme",),
    "meetings": ("programme",),
    "reports": ("programme",),
    "auditlog": COORDINATORS,
    "cities": COORDINATORS,
    "exchanges": COORDINATORS,
    "notifications": COORDINATORS,
    "calls": COORDINATORS,
    "mentorships": COORDINATORS,
    "visits": COORDINATORS,
    "campaigns": COORDINATORS,
    "privacy": COORDINATORS,  # a programme's privacy notice
    "api": (),  # API tokens
}


def app_rows() -> list[Row]:
    labels = {model._meta.app_label for model in admin.site._registry}
    assert labels == set(APPS), "an app of the admin without a line in APPS"
    return [
        Row(f"app {label}", url("app_list", label), only(200, "superuser", *readers))
        for label, readers in APPS.items()
    ]


def _autocomplete(model, field):
    query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
    return url("autocomplete", query=query | {"field_name": field})


def rotation_rows(world) -> list[Row]:
    """The rule-1 plan's rotation, proposed (POST) and shown: planning writes the network's
    series, so a national coordinator, who reads their network, may not."""
    first = timezone.localdate() + dt.timedelta(days=60)
    period = {"first_date": first, "last_date": first + dt.timedelta(days=300)}
    rows = []
    for tag, network in world["rows"][NationalNetwork].items():
        address = url("exchanges_nationalnetwork_rotation", network.pk)
        cells = only(200, *coordinators_of(tag)) | national_of(tag, 403)
        rows += [
            Row(f"rotation {tag}", address, cells),
            Row(f"rotation {tag}: propose", address, cells, data=period),
        ]
    return rows


def invitation_rows(world) -> list[Row]:
    """A meeting's invitations: the preview, then the sending (to a contact of the network)."""
    rows = []
    for tag, meeting in world["rows"][ExchangeMeeting].items():
        address = url("exchanges_exchangemeeting_invite", meeting.pk)
        invitee = "" if tag == "elsewhere" else f"invitee@{tag}.example"
        rows += [
            Row(f"invitations {tag}: preview", address, only(200, *coordinators_of(tag))),
            Row(
                f"invitations {tag}: send",
                address,
                only(302, *coordinators_of(tag)),
                data={"send": "1", "extra_emails": invitee},
            ),
        ]
    return rows


def _pairs(programme, previous):
    start = {"kind": "mentoring", "start_date": "2027-01-01"}
    return {"programme": programme.pk, "previous": previous.pk, **start}


def campaign_rows(world) -> list[Row]:
    """A campaign's confirmation pages and what they do: sending it to the network's engaged
    cities, scheduling it, cancelling it (a draft: nothing to cancel)."""
    rows = []
    for tag, campaign in world["rows"][Campaign].items():
        send = url("campaigns_campaign_send", campaign.pk)
        cancel = url("campaigns_campaign_cancel", campaign.pk)
        pages = [
            ("send now", f"{send}?when=now", 200, None),
            ("send now: send", f"{send}?when=now", 302, {}),
            ("schedule", f"{send}?when=later", 200, None),
            ("cancel", cancel, 200, None),
            ("cancel: cancel", cancel, 302, {}),
        ]
        for label, address, ok, data in pages:
            cells = only(ok, *coordinators_of(tag))
            rows.append(Row(f"campaign {tag}: {label}", address, cells, ok, data))
    return rows


def view_on_site_rows(world) -> list[Row]:
    """The admin's link to an object's page on the site (an invitation's has its token)."""
    rows = []
    for model in (Invitation, Application, Visit):
        content_type = ContentType.objects.get_for_model(model).pk
        for tag, obj in world["rows"][model].items():
            address = url("view_on_site", content_type, obj.pk)
            label = f"view on site: {model._meta.model_name} {tag}"
            rows.append(Row(label, address, only(302, *coordinators_of(tag))))
    return rows


# --- The coordinators' pages outside the admin -----------------------------------------------


def site_rows(world) -> list[Row]:
    return [
        # The cockpit: with one programme, straight to it.
        Row("cockpit", "/manage/", {"national PL": 302, "national SE": 302, "programme": 302}),
        Row("cockpit: the programme", "/manage/exchange/", {}),
        Row("cockpit: another programme", "/manage/elsewhere/", only(200, "superuser")),
        Row("cockpit: send again", "/manage/exchange/messages/resend/", {}, 302, {}),
        Row("cockpit: missing translations", "/manage/exchange/translations/", {}),
        Row(
            "cockpit: another programme: missing translations",
            "/manage/elsewhere/translations/",
            only(200, "superuser"),
        ),
        Row(
            "cockpit: another programme: send again",
            "/manage/elsewhere/messages/resend/",
            only(302, "superuser"),
            302,
            {},
        ),
        *report_rows(),
        *funder_version_rows(world),
        *meeting_rows(world),
        *check_in_rows(world),
        *application_rows(world),
        *round_rows(world),
        *visit_rows(world),
        *privacy_rows(world),
    ]


def privacy_rows(world) -> list[Row]:
    """A contact's data, downloaded or erased on the person's request: whoever coordinates the
    contact; to anyone else it is not there (city staff included)."""
    rows = []
    for tag, contact in world["rows"][Contact].items():
        cells = only(200, *coordinators_of(tag)) | {"city staff": 404, "staff, no role": 404}
        for page in ("export", "erase"):
            address = f"/privacy/contacts/{contact.pk}/{page}/"
            rows.append(Row(f"contact {tag}: {page} their data", address, cells))
    return rows


def report_rows() -> list[Row]:
    """The funder's report is a whole programme's: its coordinators' (and superusers'). The
    consortium's minutes are its partners' and its coordinators'."""
    nationals = national_of("PL", 403) | national_of("SE", 403)
    rows = []
    for page, ok in (("/", 200), (".csv", 200), (".pdf", 202)):
        address = f"/reports/attendance{page}?programme="
        rows += [
            Row(f"attendance{page}", f"{address}exchange", nationals, ok),
            Row(
                f"attendance{page}: another programme",
                f"{address}elsewhere",
                only(ok, "superuser") | nationals,
                ok,
            ),
        ]
    minutes = "/programmes/{}/consortium/1/minutes.pdf"
    return [
        *rows,
        Row("minutes", minutes.format("exchange"), nationals, 202),
        Row("minutes: another programme", minutes.format("elsewhere"), only(202, "superuser"), 202),
    ]


def funder_version_rows(world) -> list[Row]:
    """Published versions of the funder's report: the programme's coordinators'."""
    nationals = national_of("PL", 403) | national_of("SE", 403)
    period = {"programme": "exchange", "date_from": "2027-01-01", "date_to": "2027-06-30"}
    rows = [
        Row("attendance.xlsx", "/reports/attendance.xlsx?programme=exchange", nationals),
        Row("funder report: publish", "/reports/funder/publish/", nationals, 302, data=period),
    ]
    for tag, report in world["rows"][FunderReport].items():
        cells = only(200, *coordinators_of(tag)) | nationals
        for page in ("/", ".csv", ".xlsx"):
            address = f"/reports/funder/{report.pk}{page}"
            rows.append(Row(f"funder report {tag}{page}", address, cells))
        pdf = only(202, *coordinators_of(tag)) | nationals
        rows.append(Row(f"funder report {tag}.pdf", f"/reports/funder/{report.pk}.pdf", pdf, 202))
    return rows


def check_in_rows(world) -> list[Row]:
    """A meeting's check-in at the door and registering someone on their behalf: its
    coordinators'. The meeting is a month ahead, so a check-in is refused with a message (302)."""
    rows = []
    for tag, meeting in world["rows"][ExchangeMeeting].items():
        registration = world[f"{tag}-registration"]
        base = f"/manage/meetings/{meeting.pk}/"
        pages = [
            ("check-in", f"{base}check-in/", 200, None),
            ("check-in: scan", f"{base}check-in/scan/", 302, {"code": registration.code}),
            ("check-in: one person", f"{base}check-in/{registration.pk}/", 302, {}),
            ("check-in: walk-in", f"{base}check-in/walk-in/", 200, None),
            ("register someone", f"{base}register/", 200, None),
        ]
        for label, address, ok, data in pages:
            cells = only(ok, *coordinators_of(tag))
            rows.append(Row(f"meeting {tag}: {label}", address, cells, ok, data))
    return rows


def meeting_rows(world) -> list[Row]:
    """A meeting's participant list and feedback summary: its coordinators'."""
    pages = (("participants.pdf", 202), ("feedback/summary/", 200), ("feedback/summary.pdf", 202))
    return [
        Row(
            f"meeting {tag}: {page}",
            f"/meetings/{meeting.pk}/{page}",
            only(ok, *coordinators_of(tag)),
            ok,
        )
        for page, ok in pages
        for tag, meeting in world["rows"][ExchangeMeeting].items()
    ]


def application_rows(world) -> list[Row]:
    """An application and its files: the applicant's, and its coordinators'; nobody else's."""
    rows = []
    for tag, application in world["rows"][Application].items():
        cells = only(200, *coordinators_of(tag)) | {"city staff": 404, "staff, no role": 404}
        address = f"/me/applications/{application.pk}/"
        answer = world[f"{tag}-answer"]
        rows += [
            Row(f"application {tag}", address, cells),
            Row(f"application {tag}: file", f"{address}files/{answer.pk}/", cells),
        ]
    return rows


def round_rows(world) -> list[Row]:
    """A round of peer visits: its coordinators' and its participants' (Płock takes part in
    both rounds); its interview groups are formed by those who run it."""
    rows = []
    for tag, review_round in world["rows"][ReviewRound].items():
        address = f"/visits/rounds/{review_round.pk}/"
        readers = coordinators_of(tag)
        seen = only(200, *readers) | {"city staff": 200, "staff, no role": 404}
        runs = only(200, *(r for r in readers if r not in NATIONAL), otherwise=404)
        rows += [
            Row(f"round {tag}", address, seen),
            Row(f"round {tag}: summary", f"{address}summary/", seen),
            # Participants read the summary's PDF from the comments window on (not open yet).
            Row(
                f"round {tag}: summary PDF",
                f"{address}summary.pdf",
                only(202, *readers) | {"city staff": 403, "staff, no role": 404},
                202,
            ),
            Row(
                f"round {tag}: assignment",
                f"{address}assignment/",
                runs | {p: 403 for p in NATIONAL if p in readers},
            ),
        ]
    return rows


# A visit's pages: `ok` for who sees the visit, but 403 where the page is the host's (or the
# interview group's) and they are not; 404 for who does not see it. Some are POSTed.
VISIT_PAGES = [
    ("", 200, "anyone"),
    ("edit/", 200, "host"),
    ("interviews/", 200, "host"),
    ("interviews/{interview}/delete/", 302, "host"),
    ("invite/", 302, "host"),
    ("self-assessment/", 200, "host"),
    ("materials/", 200, "host"),
    ("materials/{material}/", 200, "anyone"),
    ("materials/{material}/delete/", 302, "host"),
    ("report/", 200, "group"),
    ("report.pdf", 202, "anyone"),
    ("comment/", 200, "host"),
]
POSTED = {"interviews/{interview}/delete/", "invite/", "materials/{material}/delete/"}


def visit_rows(world) -> list[Row]:
    rows = []
    for tag, visit in world["rows"][Visit].items():
        ids = {
            "interview": world[f"{tag}-interview"].pk,
            "material": world[f"{tag}-visit-material"].pk,
        }
        for page, ok, whose in VISIT_PAGES:
            address = f"/visits/{visit.pk}/{page.format(**ids)}"
            data = {} if page in POSTED else None
            cells = _visit_cells(tag, ok, whose)
            rows.append(Row(f"visit {tag}: {page or 'page'}", address, cells, ok, data))
    return rows


def _visit_cells(tag: str, ok: int, whose: str) -> dict:
    """The visit's coordinators see it; so does Płock's staff, who host the Polish visit and the
    other programme's (but sit on no interview group)."""
    cells = {"staff, no role": 404}
    for persona in (*COORDINATORS, "city staff"):
        hosts = persona == "city staff"
        sees = tag != "SE" if hosts else persona in coordinators_of(tag)
        theirs = whose == "anyone" or (hosts and whose == "host")
        cells[persona] = (ok if theirs else 403) if sees else 404
    return cells


# Pages that are nobody's to coordinate, so not in the matrix: signing in and the account's
# pages, the public programme pages, and a person's own pages (showing their own rows only).
# fmt: off
PUBLIC_OR_OWN = {
    # The portal itself.
    "healthz", "set_language",
    # Signing in, up and out (allauth), and the admin's own sign-in and password pages.
    "account_login", "account_logout", "account_inactive", "account_signup",
    "account_reauthenticate", "account_request_reauthentication_code",
    "account_confirm_reauthentication_code", "account_email", "account_email_verification_sent",
    "account_change_password", "account_set_password", "account_reset_password",
    "account_confirm_login_code", "account_confirm_email", "account_reset_password_from_key",
    "account_reset_password_from_key_done", "account_reset_password_done",
    "admin:login", "admin:logout", "admin:password_change", "admin:password_change_done",
    "admin:jsi18n",
    # Public: the programmes, the calendar and its meetings, calls, the consortium, the plan.
    "exchanges:home", "exchanges:programme", "exchanges:meetings", "exchanges:meeting",
    "exchanges:meeting_ics", "exchanges:material", "meetings:consortium", "reports:plan",
    "calls:list", "calls:detail", "calls:slides",
    # A person's own: profile, registrations, calendar feed, invitation, certificate,
    # applications, mentorship, peer visits and feedback on a meeting they attended.
    "accounts:profile", "accounts:reset_calendar_token", "accounts:link_request",
    "exchanges:register",
    "exchanges:my_meetings", "exchanges:cancel", "exchanges:accept_offer",
    "exchanges:personal_feed", "exchanges:invitation", "reports:certificate", "calls:apply",
    "calls:my_applications", "mentorships:my_mentorship", "visits:mine",
    "exchanges:meeting_feedback",
    # The QR image of a registration, found only by its secret code (as the e-mail carries it);
    # a meeting's printed programme; checking a certificate by its code.
    "exchanges:check_in_code", "exchanges:check_in_code_svg", "reports:agenda",
    "reports:certificate_lookup", "reports:certificate_verify",
    # The privacy notices, public: the portal's and each programme's, by version.
    "privacy:portal", "privacy:portal_version", "privacy:programme", "privacy:programme_version",
    # A person's own data: downloaded, or erased with their account.
    "privacy:me_export", "privacy:me_delete",
    # Open data (issue 16): a programme's calendar and Atom feeds, the embeddable calendar.
    "exchanges:programme_calendar", "exchanges:programme_meetings_feed",
    "exchanges:programme_calls_feed", "exchanges:embed_calendar",
    # A coordinator's own API tokens, on their profile.
    "api_tokens:index", "api_tokens:revoke",
    # The public API, its schema and documentation (issue 16).
    "api:programme-list", "api:programme-detail", "api:network-list", "api:theme-list",
    "api:target-group-list", "api:meeting-list", "api:meeting-detail", "api:call-list",
    "api:call-detail", "api:document-list", "api:schema", "api:docs",
    # The coordinator API answers a token, never a session (401 to every persona here); its
    # scope per role is tests/test_api_coordinator.py's.
    "api:coordinator:meetings", "api:coordinator:meeting", "api:coordinator:registrations",
}
# fmt: on


# --- Running it ------------------------------------------------------------------------------


class ChangeForm(HTMLParser):
    """The fields of an admin change form with the values a browser would send back."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._form = True
        name = attrs.get("name")
        if not (self._form and name or tag == "option"):
            return
        if tag == "input":
            self._input(name, attrs)
        elif tag == "select":
            self._select = (name, "multiple" in attrs, [])
        elif tag == "option" and self._select:
            self._select[2].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = (name, [])

    def _input(self, name, attrs):
        kind = attrs.get("type", "text")
        checkable = kind in ("checkbox", "radio")
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        if not checkable or "checked" in attrs:
            self.data.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = False
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.data.setdefault(name, []).append("".join(text).removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]  # what a browser sends for a select left alone
            self.data.setdefault(name, []).extend(chosen)
            self._select = None


def change_form(client, address) -> dict:
    parser = ChangeForm()
    parser.feed(client.get(address).content.decode())
    return parser.data | {"_save": "Save"}


def change_forms(client, world, superuser) -> dict:
    """Each row's change form as the superuser is shown it, to be posted back unchanged."""
    client.force_login(superuser)
    forms = {}
    for model, rows in world["rows"].items():
        info = model._meta.app_label, model._meta.model_name
        for obj in rows.values():
            forms[obj] = change_form(client, url("{}_{}_change".format(*info), obj.pk))
    client.logout()
    return forms


def run(client, personas, rows, names=PERSONAS) -> dict:
    """{(row label, persona): response}; every request's writes are rolled back."""
    got = {}
    for persona in names:
        client.logout()
        if personas[persona]:
            client.force_login(personas[persona])
        for row in rows:
            with transaction.atomic():
                if row.data is None:
                    got[row.label, persona] = client.get(row.url)
                else:
                    got[row.label, persona] = client.post(row.url, row.data)
                transaction.set_rollback(True)
    return got


def assert_cells(got, rows, default) -> None:
    """One line per cell that is not what the rules demand: row | persona: got, expected."""
    rows = {row.label: row for row in rows}
    assert len(rows) * len({persona for _, persona in got}) == len(got), "two rows, one label"
    wrong = []
    for (label, persona), response in got.items():
        want = expected(rows[label], persona, default)
        if response.status_code != want:
            wrong.append(f"{label} | {persona}: {response.status_code}, expected {want}")
    assert not wrong, f"{len(wrong)} cells not as the rules demand:\n" + "\n".join(sorted(wrong))


def all_rows(world, forms=None) -> list[tuple[Row, dict]]:
    return [
        *((row, ADMIN_DEFAULT) for row in model_rows(world, forms or {})),
        *((row, ADMIN_DEFAULT) for row in admin_page_rows(world)),
        *((row, SITE_DEFAULT) for row in site_rows(world)),
    ]


def test_the_admin_matrix_of_every_model(client, world, personas):
    rows = model_rows(world, change_forms(client, world, personas["superuser"]))
    assert_cells(run(client, personas, rows), rows, ADMIN_DEFAULT)


def test_the_matrix_of_the_admins_own_pages_and_those_the_model_admins_add(client, world, personas):
    rows = admin_page_rows(world)
    assert_cells(run(client, personas, rows), rows, ADMIN_DEFAULT)


def test_the_matrix_of_the_coordinators_pages(client, world, personas):
    rows = site_rows(world)
    assert_cells(run(client, personas, rows), rows, SITE_DEFAULT)


def test_every_url_has_a_row_in_the_matrix(world):
    """A new admin URL or coordinator page fails here until the matrix has a row for it (or,
    for a public page or a person's own, PUBLIC_OR_OWN names it)."""
    assert set(MODELS) == set(admin.site._registry), "a model admin without a line in MODELS"
    covered = {resolve(urlsplit(row.url).path).view_name for row, _default in all_rows(world)}
    names = set(_url_names(get_resolver().url_patterns))
    assert names - covered - PUBLIC_OR_OWN == set()
    assert PUBLIC_OR_OWN - names == set(), "PUBLIC_OR_OWN names a URL that is gone"
    assert PUBLIC_OR_OWN & covered == set(), "a URL both public and in the matrix"


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


# --- Nothing of Sweden or of the other programme reaches Poland's coordinator ----------------


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if response.streaming:
        return ""  # a file (a PDF, an upload): whose it is, the matrix's status says
    return response.content.decode("utf-8", "replace")


def test_no_page_shown_to_polands_coordinator_names_a_swedish_or_another_programmes_row(
    client, world, personas
):
    """Every list (and its filters), form (and its dropdowns), deletion summary, history and
    page the matrix shows them, and every autocomplete of every admin."""
    rows = [
        row
        for row, default in all_rows(world)
        if row.data is None and expected(row, "national PL", default) == 200
    ]
    rows += autocomplete_rows()
    found = []
    for (label, _persona), response in run(client, personas, rows, ["national PL"]).items():
        words = [word for word in NOT_FOR_POLAND if word in _text(response)]
        if response.status_code == 200 and words:
            found.append(f"{label}: {', '.join(words)}")
    assert not found, "\n".join(["Poland's coordinator is shown:", *found])


def autocomplete_rows() -> list[Row]:
    return [
        Row(f"autocomplete {model._meta.model_name}.{field}", _autocomplete(model, field), {})
        for model, model_admin in admin.site._registry.items()
        for field in model_admin.autocomplete_fields
    ]


def test_every_dropdown_of_polands_forms_offers_only_rows_they_coordinate(client, world, personas):
    """The choices of every field of every add and change form (inlines included) the national
    coordinator of Poland is shown: no Swedish row, none of the other programme, no user."""
    client.force_login(personas["national PL"])
    offered = []
    for address in _polish_forms(world):
        context = client.get(address).context
        for name, field in _choice_fields(context):
            related = world["rows"].get(field.queryset.model, {})
            spec = MODELS.get(field.queryset.model)
            outside = [o for t, o in related.items() if not in_scope("national PL", spec, t)]
            shown = field.queryset.filter(pk__in=[obj.pk for obj in outside])
            if shown.exists():
                offered.append(f"{address} {name}: {', '.join(str(obj) for obj in shown)}")
    assert not offered, "\n".join(["Poland's coordinator is offered:", *offered])


def _polish_forms(world):
    for model in admin.site._registry:
        spec, prefix = MODELS[model], f"{model._meta.app_label}_{model._meta.model_name}"
        if admin_cell("add", "national PL", spec) == 200:
            yield url(f"{prefix}_add")
        for tag, obj in world["rows"][model].items():
            if admin_cell("change POST", "national PL", spec, tag) == 302:
                yield url(f"{prefix}_change", obj.pk)


def _choice_fields(context):
    """The choice fields of the form and of its inlines' forms, but an inline row's own id (a
    hidden field Django checks against the inline's rows, not a choice)."""
    forms = [(context["adminform"].form, None)]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [(form, formset.model._meta.pk.name) for form in [formset.empty_form]]
    for form, own_id in forms:
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField) and name != own_id:
                yield f"{form.prefix + '-' if form.prefix else ''}{name}", field


# --- Actions: a row chosen outside the scope is left alone -----------------------------------


def swedish_rows(personas) -> dict:
    """Every row the national coordinator of Sweden coordinates, as it is now."""
    sweden = personas["national SE"]
    return {
        model: list(rules.visible(sweden, model._default_manager.order_by("pk")).values())
        for model in rules.RULES
    }


# The second step of the actions that ask first.
CONFIRM = {
    "delete_selected": {"post": "yes"},
    "select_applications": {"apply": "1", "role": "engaged"},
}


def test_an_action_on_a_polish_and_a_swedish_row_leaves_the_swedish_one_alone(
    client, world, personas
):
    """Every action of every admin with rows of both networks, exports and deletions included,
    on a Polish and a Swedish row chosen by Poland's coordinator: the Swedish row is neither
    exported nor changed, and an export holds the Polish one."""
    client.force_login(personas["national PL"])
    before = swedish_rows(personas)
    wrong = {}
    for model, model_admin in admin.site._registry.items():
        if model not in NETWORK_ROWS:
            continue
        rows = world["rows"][model]
        changelist = url(f"{model._meta.app_label}_{model._meta.model_name}_changelist")
        for _function, name, _description in model_admin._get_base_actions():
            data = {"action": name, ACTION_CHECKBOX_NAME: [rows["PL"].pk, rows["SE"].pk]}
            with transaction.atomic():
                response = client.post(changelist, {**data, "index": 0, **CONFIRM.get(name, {})})
                changed = swedish_rows(personas) != before
                transaction.set_rollback(True)
            problems = _action_problems(response, changed)
            if problems:
                wrong[model._meta.model_name, name] = problems
    assert wrong == {}


def _action_problems(response, changed: bool) -> list[str]:
    text = _text(response)
    problems = [f"a Swedish row changed ({response.status_code})"] if changed else []
    if response.status_code >= 400:
        problems.append(f"refused: {response.status_code}")
    problems += [f"shows {word}" for word in NOT_FOR_POLAND if word in text]
    if response.get("Content-Type", "").startswith("text/csv") and "Płock" not in text:
        problems.append("the export lacks the Polish row")
    return problems


# --- What a coordinator makes stays within their scope ---------------------------------------


def test_a_coordinator_cannot_pair_mentors_in_a_programme_they_do_not_run(client, world, personas):
    client.force_login(personas["programme"])
    before = Mentorship.objects.count()
    data = _pairs(world["elsewhere"], world["programme"]) | {"accept": "1"}
    response = client.post(url("mentorships_mentorship_propose"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]
    assert Mentorship.objects.count() == before


def test_a_national_coordinator_cannot_make_a_meeting_of_the_whole_programme(
    client, world, personas
):
    """A meeting without a network is the programme's (a conference): not Poland's to make, and
    once saved not theirs to open again. The form refuses it."""
    client.force_login(personas["national PL"])
    form = change_form(client, url("exchanges_exchangemeeting_change", world["PL-meeting"].pk))
    inlines = {key.split("-")[0] for key in form if key.endswith("-TOTAL_FORMS")}
    data = {key: value for key, value in form.items() if "-" not in key}  # no inline rows
    data |= {
        f"{inline}-{count}": "0" for inline in inlines for count in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    data |= {"network": "", "kind": "international_conference", "title_en": "A conference"}
    response = client.post(url("exchanges_exchangemeeting_add"), data)
    assert response.status_code == 200  # the form again, with errors
    assert not ExchangeMeeting.objects.filter(title_en="A conference").exists()


def test_a_national_coordinator_cannot_add_a_city_to_another_network(client, world, personas):
    client.force_login(personas["national PL"])
    sweden_city = factories.CityFactory(country=world["SE"].country)
    response = client.post(
        url("exchanges_membership_add"),
        {"network": world["SE"].pk, "city": sweden_city.pk, "role": "engaged"},
    )
    assert response.status_code == 200  # the form again, with errors
    assert not world["SE"].memberships.filter(city=sweden_city).exists()


def test_a_national_coordinator_cannot_pick_another_countrys_city(client, world, personas):
    client.force_login(personas["national PL"])
    form = client.get(url("exchanges_membership_add")).context["adminform"].form
    assert {city.country.code for city in form.fields["city"].queryset} == {"PL"}
    assert list(form.fields["network"].queryset) == [world["PL"]]


# --- The rules themselves ----------------------------------------------------------------------


def test_a_national_coordinator_sees_only_their_networks_rows(world, personas):
    poland = personas["national PL"]
    assert list(rules.visible(poland, ExchangeMeeting.objects.all())) == [world["PL-meeting"]]
    cities = rules.visible(poland, City.objects.all())
    assert world["PL-city"] in cities and {city.country.code for city in cities} == {"PL"}
    assert world["PL-contact"] in rules.visible(poland, Contact.objects.all())
    assert world["SE-contact"] not in rules.visible(poland, Contact.objects.all())


def test_a_national_coordinator_has_the_applications_mentorships_and_visits_of_their_network(
    world, personas
):
    """Of their programme only: Płock's application, mentorship and visit of the other
    programme are not theirs."""
    poland = personas["national PL"]
    assert list(rules.visible(poland, Application.objects.all())) == [world["PL-application"]]
    assert list(rules.visible(poland, Mentorship.objects.all())) == [world["PL-mentorship"]]
    assert list(rules.visible(poland, MentorshipContact.objects.all())) == [
        world["PL-mentorship-contact"]
    ]
    assert list(rules.visible(poland, Visit.objects.all())) == [world["PL-visit"]]
    assert rules.visible(personas["programme"], Visit.objects.all()).count() == 2
    review_round = world["rows"][ReviewRound]["ours"]
    assert not rules.may(poland, "change", ReviewRound, review_round)


def test_every_coordinator_reads_the_reference_data(world, personas):
    for persona in COORDINATORS:
        person = personas[persona]
        assert world["PL"].country in rules.visible(person, Country.objects.all()), persona
        assert rules.may(person, "view", Country, world["PL"].country), persona
    assert not rules.visible(personas["staff, no role"], Country.objects.all()).exists()


def test_staff_without_a_role_coordinate_nothing(personas):
    assert not rules.is_coordinator(personas["staff, no role"])
    assert not rules.visible(personas["staff, no role"], ExchangeMeeting.objects.all()).exists()


def test_every_admin_and_inline_asks_the_access_rules():
    """A model admin or an inline that forgets its scope would show every network's rows."""
    unscoped = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "sites":
            continue
        classes = [type(model_admin), *model_admin.inlines]
        unscoped += [cls.__name__ for cls in classes if not issubclass(cls, ScopedMixin)]
    assert unscoped == []
