"""The audit trail (issue 11, section 4): who changed what and when, for every model
coordinators edit.

django-auditlog keeps one table of log entries (no history table per model) on SQLite and
PostgreSQL alike, and it reads an object's fields when it is saved, so the translated columns
django-modeltranslation adds (title_pl, title_sv, ...) are recorded like any other field.

Every model with an access rule is audited, so a model that gets a rule is audited too. Each
entry also keeps the programme, national network and country of its object, read along the same
lookup paths as the object's rule: the log is scoped by access.rules (LogEntry has a rule there)
and filtered by network from these, and they stay true after the object is deleted.
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model, Q

from accounts.models import User
from cities.models import City, Country
from exchanges.models import Invitation, NationalNetwork, Programme
from notifications.models import Message
from reports.models import Document

from . import rules

# Rows the system writes by the thousand and nobody edits by hand; each is its own record.
NOT_AUDITED = {
    # The outbox: one row per e-mail, its status moved on by the workers (queued, sent, failed).
    Message,
    # Generated PDFs: rendered again whenever their subject changes, the newest ready one served.
    Document,
    # The log itself.
    LogEntry,
}

# Secrets stay out of the log (a log entry is read by more people than the row), and so does
# noise that changes on every sign-in.
NOT_RECORDED = {
    User: ["password", "calendar_token", "last_login"],
    Invitation: ["token"],
}

# A probe scope that holds the id 0 everywhere: applied to a rule's condition, it yields the
# rule's lookups, whose paths lead from an object to its programme, network or country.
_PROBE = rules.Scope(
    programmes=frozenset({0}),
    networks=frozenset({0}),
    network_programmes=frozenset({0}),
    network_countries=frozenset({(0, 0)}),
)


def audit_register() -> None:
    """Audit every model that has an access rule (called from AccessConfig.ready())."""
    for model, rule in rules.RULES.items():
        if model in NOT_AUDITED:
            continue
        _register(model)
        if not hasattr(model, "get_additional_data"):
            # auditlog asks an instance for get_additional_data() when it writes an entry.
            model.get_additional_data = _additional_data_of(_paths(model, rule))
    # Users are the superuser's (no rule), but who was made staff or superuser belongs here.
    _register(User)


def _register(model: type[Model]) -> None:
    auditlog.register(
        model,
        exclude_fields=NOT_RECORDED.get(model, []),
        m2m_fields={field.name for field in model._meta.many_to_many},
    )


def _paths(model: type[Model], rule: rules.Rule) -> dict[str, str]:
    """{"programme": path, "network": path, "country": path} of a model, from its rule."""
    paths = {}
    for condition in (rule.programme, rule.network):
        if condition is None:
            continue
        for lookup in _lookups(condition(_PROBE)):
            path = lookup.removesuffix("__in").removesuffix("_id")
            kind, path = _kind(model, path)
            if kind:
                paths.setdefault(kind, path)
    return paths


def _lookups(q: Q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        else:
            yield child[0]


def _kind(model: type[Model], path: str) -> tuple[str | None, str]:
    """What a lookup path leads to: a programme, a network or a country (a city's country)."""
    target = _target(model, path)
    if target is City:
        return "country", f"{path}__country"
    kinds = {Programme: "programme", NationalNetwork: "network", Country: "country"}
    return kinds.get(target), path


def _target(model: type[Model], path: str) -> type[Model] | None:
    for name in path.split("__"):
        if name == "pk":
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.many_to_many or field.one_to_many:
            return None
        model = field.related_model
    return model


def _additional_data_of(paths: dict[str, str]):
    def get_additional_data(self) -> dict:
        data = {kind: _value(self, paths[kind]) if kind in paths else None for kind in KINDS}
        if data["network"] is None and data["programme"] and data["country"]:
            # An application or a peer visit: the network of its country in the programme.
            networks = NationalNetwork.objects.filter(
                programme_id=data["programme"], country_id=data["country"]
            )
            data["network"] = networks.values_list("pk", flat=True).first()
        return data

    return get_additional_data


KINDS = ("programme", "network", "country")


def _value(obj: Model, path: str):
    """The id at the end of a path, following the object's attributes (not its row, which a
    deleted object no longer has)."""
    *hops, last = path.split("__")
    try:
        for hop in hops:
            obj = getattr(obj, hop)
            if obj is None:
                return None
    except ObjectDoesNotExist:
        return None
    if last == "pk":
        return obj.pk
    return getattr(obj, obj._meta.get_field(last).attname)
