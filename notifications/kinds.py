"""Every kind of message the portal sends, with its placeholders, its default and its overrides.

An app registers its kinds from its AppConfig.ready() (as reports.builders does for documents):
notifications renders every message without importing the apps that cause them.

The default of a kind is two files, emails/<template>-subject.txt and -body.txt, written with the
kind's placeholders only ({{ meeting_title }}, never {{ meeting.title }}) and {% translate %} for
the words: the locale catalogues make it one default per language. A coordinator may override
it per programme and language (MessageTemplate); the override is checked when saved
(rendering.template_errors), so a message never fails at send time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .rendering import html_from_text, render_source, subject_line


@dataclass(frozen=True)
class Kind:
    code: str  # stored on Message.kind and MessageTemplate.kind, e.g. "invitation"
    label: str  # lazy: what the coordinator reads, e.g. "Invitation to a meeting"
    group: str  # lazy: where it is listed, e.g. "Meetings"
    # name -> what it holds (lazy), listed beside the editor; only these may be written.
    placeholders: dict[str, str] = field(default_factory=dict)
    # Values for a real recipient of this kind in a programme (or None), for the preview;
    # None when the programme has nobody to show it for yet.
    sample: Callable[[object], dict | None] | None = None
    # False: the message belongs to no programme (account e-mail); overridden portal-wide.
    per_programme: bool = True

    @property
    def template(self) -> str:
        """emails/<template>-subject.txt and -body.txt: the code, with dashes."""
        return self.code.replace("_", "-")


KINDS: dict[str, Kind] = {}


def kind_register(kind: Kind) -> None:
    """Called from an app's ready(); registering a code twice is a mistake in the code."""
    if kind.code in KINDS:
        raise ValueError(f"message kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind


def kind_get(code: str) -> Kind:
    return KINDS[code]


def _language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def default_render(kind: Kind, language: str, values: dict) -> tuple[str, str]:
    """The default subject and text of a kind in a language, its placeholders filled in."""
    context = {**values, "LANGUAGE_CODE": language}
    with translation.override(language):
        subject = render_to_string(f"emails/{kind.template}-subject.txt", context)
        text = render_to_string(f"emails/{kind.template}-body.txt", context)
    return subject_line(subject), text


def default_source(kind: Kind, language: str) -> tuple[str, str]:
    """The default as a coordinator starts editing it: the words in `language`, each
    placeholder left as {{ name }} (an optional line appears, as if its value were set)."""
    values = {name: "{{ " + name + " }}" for name in kind.placeholders}
    return default_render(kind, language, values)


def override_for(kind: Kind, language: str, programme=None):
    """The coordinator's version of this kind, or None: the programme's own, else the
    portal-wide one (account messages have only that)."""
    from .models import MessageTemplate

    candidates = MessageTemplate.objects.filter(kind=kind.code, language=language)
    if kind.per_programme and programme is not None:
        return candidates.filter(programme=programme).first()
    return candidates.filter(programme__isnull=True).first()


def message_render(
    *, kind: str, language: str, values: dict, programme=None
) -> tuple[str, str, str]:
    """Subject, text and HTML of one message: the override if there is one, else the default.

    `values` holds every placeholder of the kind, already in the recipient's language (dates
    formatted, words translated): render_source only fills them in.
    """
    entry = kind_get(kind)
    language = _language(language)
    override = override_for(entry, language, programme)
    if override is not None:
        subject = subject_line(render_source(override.subject, values))
        text = render_source(override.body, values)
    else:
        subject, text = default_render(entry, language, values)
    brand = getattr(programme, "name", "") if programme is not None else ""
    return subject, text, html_from_text(text, language=language, title=subject, brand=brand)
