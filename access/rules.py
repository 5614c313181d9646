"""Who may see and do what: the one place that answers it (docs/DESIGN.md, "Access"; issue 11).

Every view, selector, admin, export and PDF asks here. Roles are rows (access.models.Role):
- a superuser is unscoped;
- a programme coordinator has everything of their programmes;
- a national coordinator has their networks: the cities and contacts of the network's country,
  memberships, meetings with their registrations, invitations and messages, the applications
  to their programme's calls from that country, mentorships and peer visits of their cities,
  the e-mails to a group (campaigns) of their networks; they read (but do not change) their
  programme, its networks, themes, calls and rounds;
- a consortium partner reads the consortium meetings and minutes of their programme;
- anyone else, staff or not, coordinates nothing (fail closed).
What lies outside a person's scope is not there for them: views and the admin answer 404.

Each model has a `Rule`: the rows a programme coordinator has, and the rows a national
coordinator has, as query conditions on the person's `Scope`. A model without a rule is the
superuser's alone, so a model someone forgets to add here leaks nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from auditlog.models import LogEntry
from django.db.models import Model, OuterRef, Q, QuerySet

from accounts.models import LinkRequest
from calls.models import Answer, Application, Call, Question
from campaigns.models import Campaign, CampaignText
from cities.models import City, Contact, Country, TargetGroup
from exchanges import models as exchanges_models
from exchanges.models import (
    ExchangeMeeting,
    Invitation,
    MeetingFeedback,
    MeetingMaterial,
    MeetingWording,
    Membership,
    NationalNetwork,
    Programme,
    Registration,
    Theme,
    Topic,
)
from meetings.models import ActionItem, Attendance, ConsortiumMeeting, Partner
from mentorships.models import Mentorship, MentorshipContact
from notifications.models import Message, MessageTemplate
from privacy.models import PrivacyNotice
from reports.models import Document, FunderReport
from visits.models import (
    BackgroundMaterial,
    FeedbackReport,
    Finding,
    Interview,
    InterviewerSeat,
    ReviewRound,
    SelfAssessment,
    Visit,
)

from .models import Role, RoleKind


@dataclass(frozen=True)
class Scope:
    """What one person runs, read from their roles once per request."""

    everything: bool = False
    programmes: frozenset = frozenset()  # programmes they coordinate
    networks: frozenset = frozenset()  # networks they coordinate as national coordinator
    network_programmes: frozenset = frozenset()  # the programmes of those networks
    network_countries: frozenset = frozenset()  # (programme id, country id) of those networks
    partner_programmes: frozenset = frozenset()  # programmes whose consortium they belong to

    @property
    def coordinates(self) -> bool:
        return self.everything or bool(self.programmes or self.networks)

    def countries(self) -> QuerySet:
        """The countries of every network in scope: their cities and contacts are in scope."""
        networks = NationalNetwork.objects.filter(
            Q(programme__in=self.programmes) | Q(pk__in=self.networks)
        )
        return networks.values("country_id")

    def network_cities(self) -> QuerySet:
        return Membership.objects.filter(network__in=self.networks).values("city_id")


NOBODY = Scope()


def scope(user) -> Scope:
    """The person's scope, read once and kept on the user object for the rest of the request."""
    if not (user.is_authenticated and user.is_active):
        return NOBODY
    cached = getattr(user, "_access_scope", None)
    if cached is None:
        cached = _scope_of(user)
        user._access_scope = cached
    return cached


def _scope_of(user) -> Scope:
    if user.is_superuser:
        return Scope(everything=True)
    roles = list(Role.objects.filter(user=user).select_related("network"))
    national = [role for role in roles if role.kind == RoleKind.NATIONAL_COORDINATOR]
    return Scope(
        programmes=_ids(roles, RoleKind.PROGRAMME_COORDINATOR),
        networks=frozenset(role.network_id for role in national),
        network_programmes=frozenset(role.programme_id for role in national),
        network_countries=frozenset(
            (role.programme_id, role.network.country_id) for role in national
        ),
        partner_programmes=_ids(roles, RoleKind.CONSORTIUM_PARTNER),
    )


def _ids(roles: list[Role], kind: str) -> frozenset:
    return frozenset(role.programme_id for role in roles if role.kind == kind)


# --- The rule of each model ------------------------------------------------------------------

Condition = Callable[[Scope], Q]


@dataclass(frozen=True)
class Rule:
    programme: Condition | None  # the rows a programme coordinator has
    network: Condition | None = None  # the rows a national coordinator has
    national_writes: bool = False  # whether a national coordinator may change them


def _in(path: str, attribute: str) -> Condition:
    return lambda scope: Q(**{f"{path}__in": getattr(scope, attribute)})


def meeting_rule(prefix: str = "") -> Rule:
    """Rows of a meeting: the programme's coordinators, and the national coordinators of the
    meeting's network (not of the whole programme's conference)."""
    return Rule(_in(f"{prefix}programme", "programmes"), _in(f"{prefix}network", "networks"), True)


def programme_rule(path: str, *, network_reads: bool = True) -> Rule:
    """Rows of a programme that its national coordinators read but do not change."""
    reads = _in(path, "network_programmes") if network_reads else None
    return Rule(_in(path, "programmes"), reads)


def _from_network_countries(prefix: str) -> Condition:
    """Applications (and their answers) to a programme's calls from a national coordinator's
    country: an applicant is not yet a member of any network."""

    def condition(scope: Scope) -> Q:
        pairs = [
            Q(**{f"{prefix}call__programme_id": p, f"{prefix}country_id": c})
            for p, c in scope.network_countries
        ]
        return reduce(or_, pairs, Q(pk__in=[]))

    return condition


def _reference(scope: Scope) -> Q:
    # Every row, as a condition that counts: an empty Q() would vanish from the OR of the
    # person's conditions (Q(pk__in=[]) | Q() is Q(pk__in=[])) and leave them no row at all.
    return Q(pk__isnull=False) if scope.coordinates else Q(pk__in=[])


def _network_cities(path: str, programme: str) -> Condition:
    """Rows of a city of a national coordinator's networks, in the programme of that network: a
    city may belong to the networks of two programmes, and the other programme's rows (its peer
    visits, its mentorships) are not theirs."""

    def condition(scope: Scope) -> Q:
        cities = scope.network_cities().filter(network__programme=OuterRef(programme))
        return Q(**{f"{path}__in": cities})

    return condition


def visit_rule(prefix: str) -> Rule:
    """Rows of a peer visit: the programme's coordinators, and the national coordinators of the
    network of the round's programme the host city belongs to."""
    return Rule(
        _in(f"{prefix}round__programme", "programmes"),
        _network_cities(f"{prefix}host", f"{prefix}round__programme"),
        True,
    )


def _logged(key: str, attribute: str) -> Condition:
    """Entries of the audit log (access/audit.py keeps each object's programme, network and
    country in them): those of the person's programmes or networks, and those of the cities and
    contacts (which have no programme) of the countries of their networks."""

    def condition(scope: Scope) -> Q:
        own = Q(**{f"additional_data__{key}__in": list(getattr(scope, attribute))})
        # A list, not a subquery: PostgreSQL compares a JSON value with JSON, not with a column.
        countries = list(scope.countries().values_list("country_id", flat=True))
        countries = Q(additional_data__programme=None, additional_data__country__in=countries)
        return own | countries

    return condition


RULES: dict[type[Model], Rule] = {
    # Reference data every coordinator picks from; programme coordinators keep it up to date.
    Country: Rule(_reference, _reference),
    TargetGroup: Rule(_reference, _reference),
    City: Rule(
        lambda s: Q(country__in=s.countries()), lambda s: Q(country__in=s.countries()), True
    ),
    Contact: Rule(
        lambda s: Q(city__country__in=s.countries()),
        lambda s: Q(city__country__in=s.countries()),
        True,
    ),
    Programme: Rule(_in("pk", "programmes"), _in("pk", "network_programmes")),
    NationalNetwork: Rule(_in("programme", "programmes"), _in("pk", "networks")),
    Membership: Rule(_in("network__programme", "programmes"), _in("network", "networks"), True),
    Theme: programme_rule("programme"),
    Topic: programme_rule("theme__programme"),
    ExchangeMeeting: meeting_rule(),
    MeetingMaterial: meeting_rule("meeting__"),
    MeetingWording: meeting_rule("meeting__"),
    Registration: meeting_rule("meeting__"),
    Invitation: meeting_rule("meeting__"),
    # A programme's messages (a meeting's, a call's, a visit's, a campaign's); a network's are
    # its meetings' and its campaigns'.
    Message: Rule(
        lambda s: Q(programme__in=s.programmes),
        lambda s: Q(meeting__network__in=s.networks) | Q(campaign__network__in=s.networks),
        True,
    ),
    # E-mail to a group: the programme's coordinators', and a network's national coordinators'
    # for a campaign of their network (which their form requires; the group is read through
    # these rules again when it is sent, campaigns.segments).
    Campaign: Rule(_in("programme", "programmes"), _in("network", "networks"), True),
    CampaignText: Rule(
        _in("campaign__programme", "programmes"), _in("campaign__network", "networks"), True
    ),
    # A programme's own texts of its messages; the portal-wide ones (no programme: account
    # e-mail) are the superuser's.
    MessageTemplate: programme_rule("programme"),
    # Someone asking to be linked to a city: the coordinators of that country's networks.
    LinkRequest: Rule(
        lambda s: Q(
            country_id__in=exchanges_models.NationalNetwork.objects.filter(
                programme__in=s.programmes
            ).values("country_id")
        ),
        lambda s: Q(
            country_id__in=exchanges_models.NationalNetwork.objects.filter(
                pk__in=s.networks
            ).values("country_id")
        ),
        True,
    ),
    MeetingFeedback: meeting_rule("meeting__"),
    # A meeting's agenda, its questions and the answers to them are the meeting's.
    exchanges_models.Session: meeting_rule("meeting__"),
    exchanges_models.Question: meeting_rule("meeting__"),
    exchanges_models.QuestionChoice: meeting_rule("question__meeting__"),
    exchanges_models.RegistrationAnswer: meeting_rule("registration__meeting__"),
    exchanges_models.FeedbackAnswer: meeting_rule("feedback__meeting__"),
    Document: programme_rule("programme", network_reads=False),
    # The funder's report is the programme coordinators' (docs/DESIGN.md, "Who uses it").
    FunderReport: programme_rule("programme", network_reads=False),
    Partner: programme_rule("programme", network_reads=False),
    ConsortiumMeeting: programme_rule("programme", network_reads=False),
    Attendance: programme_rule("meeting__programme", network_reads=False),
    ActionItem: programme_rule("meeting__programme", network_reads=False),
    Call: programme_rule("programme"),
    Question: programme_rule("call__programme"),
    Answer: Rule(
        _in("application__call__programme", "programmes"),
        _from_network_countries("application__"),
        True,
    ),
    Application: Rule(_in("call__programme", "programmes"), _from_network_countries(""), True),
    Mentorship: Rule(_in("programme", "programmes"), _network_cities("mentee", "programme"), True),
    MentorshipContact: Rule(
        _in("mentorship__programme", "programmes"),
        _network_cities("mentorship__mentee", "mentorship__programme"),
        True,
    ),
    ReviewRound: programme_rule("programme"),
    Visit: visit_rule(""),
    InterviewerSeat: visit_rule("visit__"),
    Interview: visit_rule("visit__"),
    SelfAssessment: visit_rule("visit__"),
    BackgroundMaterial: visit_rule("visit__"),
    FeedbackReport: visit_rule("visit__"),
    Finding: visit_rule("report__visit__"),
    # A programme's privacy notice; the portal's own (no programme) is the superuser's.
    PrivacyNotice: programme_rule("programme"),
    # Programme coordinators give the roles of their own programme.
    Role: programme_rule("programme", network_reads=False),
    # Who changed what: read by those who run the programme or the network, written by nobody.
    LogEntry: Rule(_logged("programme", "programmes"), _logged("network", "networks")),
}


# --- Questions the rest of the code asks ---------------------------------------------------------


def visible(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` the person coordinates: all for a superuser, none without a
    role."""
    person = scope(user)
    if person.everything:
        return queryset
    rule = RULES.get(queryset.model)
    if rule is None or not person.coordinates:
        return queryset.none()
    # Every condition follows foreign keys forward or asks `pk__in` a subquery: no row twice.
    return queryset.filter(_condition(rule, person))


def _condition(rule: Rule, person: Scope, *, writes: bool = False) -> Q:
    conditions = []
    if rule.programme and person.programmes:
        conditions.append(rule.programme(person))
    if rule.network and person.networks and (rule.national_writes or not writes):
        conditions.append(rule.network(person))
    return reduce(or_, conditions, Q(pk__in=[]))


def may(user, action: str, model: type[Model], obj: Model | None = None) -> bool:
    """May the person ``action`` ("view", "add", "change", "delete") rows of ``model``, or this
    row? Reading needs the row in scope; writing needs a role that writes that model there."""
    person = scope(user)
    if person.everything:
        return True
    rule = RULES.get(model)
    if rule is None or not person.coordinates:
        return False
    writes = action != "view"
    if obj is None:
        return bool(person.programmes and rule.programme) or bool(
            person.networks and rule.network and (rule.national_writes or not writes)
        )
    condition = _condition(rule, person, writes=writes)
    return model._default_manager.filter(condition, pk=obj.pk).exists()


def programmes_run(user) -> QuerySet[Programme]:
    """The programmes the person coordinates as a whole (every one for a superuser): where a
    coordinator's page acts on a programme (propose mentor pairs, send a whole programme's
    invitations), the choice is among these."""
    person = scope(user)
    programmes = Programme.objects.all()
    return programmes if person.everything else programmes.filter(pk__in=person.programmes)


def runs_a_programme(user) -> bool:
    """Pages of a whole programme (the funder's report) are its coordinators' and superusers'."""
    person = scope(user)
    return person.everything or bool(person.programmes)


def is_coordinator(user) -> bool:
    """Does the person coordinate anything: the admin and the coordinator pages are theirs."""
    return scope(user).coordinates


def coordinates(user, obj: Model) -> bool:
    """Does the person coordinate this row (a meeting, a visit, an application)?"""
    return may(user, "view", type(obj), obj)


def may_read_consortium(user, programme_id: int) -> bool:
    """The consortium's meetings and minutes: its partners and the programme's coordinators."""
    person = scope(user)
    return (
        person.everything
        or programme_id in person.programmes
        or programme_id in person.partner_programmes
    )
