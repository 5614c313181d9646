"""Which of a programme's texts are still missing in its languages.

Content is translated per field (django-modeltranslation); where a language's column is empty a
reader sees the English text instead. That fallback must be visible to the coordinator, so each
translated model says how it reaches its programme, and `programme_gaps` lists, for one
programme, every object whose texts are missing in one of the programme's languages. The same
check is shown on the object's own admin page (TranslationGapsMixin).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, Q
from django.urls import NoReverseMatch, reverse
from modeltranslation.translator import translator

from access import rules

from .models import Programme, portal_languages

# How each translated model reaches its programme (a lookup path, "" for the programme itself).
# The others (countries, target groups, the portal's privacy notice) are shared by every
# programme and are checked in every language of the portal.
PROGRAMME_PATHS = {
    "exchanges.Programme": "",
    "exchanges.NationalNetwork": "programme",
    "exchanges.Theme": "programme",
    "exchanges.Topic": "theme__programme",
    "exchanges.ExchangeMeeting": "programme",
    "exchanges.MeetingMaterial": "meeting__programme",
    "exchanges.Session": "meeting__programme",
    "exchanges.Question": "meeting__programme",
    "exchanges.QuestionChoice": "question__meeting__programme",
    "calls.Call": "programme",
    "calls.Question": "call__programme",
    "meetings.ConsortiumMeeting": "programme",
    "privacy.PrivacyNotice": "programme",
}


@dataclass
class Gap:
    """One object whose texts are missing in some languages: {language: [field labels]}."""

    obj: Model
    missing: dict[str, list[str]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.obj._meta.verbose_name)

    @property
    def admin_url(self) -> str | None:
        meta = self.obj._meta
        try:
            return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.obj.pk])
        except NoReverseMatch:
            return None


def translated_fields(model) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


def missing_languages(obj: Model, languages: list[str]) -> dict[str, list[str]]:
    """Per language, the labels of `obj`'s texts that have a text in some language but none in
    this one; languages with nothing missing are left out."""
    missing: dict[str, list[str]] = {}
    for name in translated_fields(type(obj)):
        values = {code: getattr(obj, f"{name}_{code}", None) for code in portal_languages()}
        if not any(values.values()):
            continue  # an empty field is empty in every language, not untranslated
        label = str(obj._meta.get_field(name).verbose_name)
        for code in languages:
            if not values.get(code):
                missing.setdefault(code, []).append(label)
    return missing


def languages_of(obj: Model) -> list[str]:
    """The languages `obj`'s texts should have: its programme's, or the portal's."""
    path = PROGRAMME_PATHS.get(obj._meta.label)
    if path is None:
        return portal_languages()
    if path == "":
        return obj.language_codes
    programme = obj
    for step in path.split("__"):
        programme = getattr(programme, step, None)
        if programme is None:
            return portal_languages()  # the portal's own notice
    return programme.language_codes


def programme_gaps(*, user, programme: Programme) -> list[Gap]:
    """Every object of the programme, within the person's scope, with a text missing in one of
    the programme's languages; one query per translated model."""
    languages = programme.language_codes
    gaps = []
    for label, path in PROGRAMME_PATHS.items():
        model = apps.get_model(label)
        condition = Q(pk=programme.pk) if path == "" else Q(**{path: programme})
        rows = _in_scope(user, model, path, model.objects.filter(condition))
        if path:
            rows = rows.select_related(path)  # what the objects' names print, in one query
        for obj in rows.order_by("pk"):
            missing = missing_languages(obj, languages)
            if missing:
                gaps.append(Gap(obj=obj, missing=missing))
    return gaps


def _in_scope(user, model, path: str, rows):
    """The rows the person coordinates; a model without a rule of its own (a session, a
    question's choice) is in scope with the object it belongs to."""
    if path == "":
        return rows  # the programme itself: the cockpit has already checked it
    if model in rules.RULES or rules.scope(user).everything:
        return rules.visible(user, rows)
    parent_name, _, rest = path.partition("__")
    parent = model._meta.get_field(parent_name).related_model
    return rows.filter(
        **{f"{parent_name}__in": _in_scope(user, parent, rest, parent.objects.all())}
    )
