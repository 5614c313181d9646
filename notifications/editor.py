"""The coordinator's editor of message templates: the overview of every kind, and the preview.

Each kind of message has a default per language in files (notifications.kinds); a coordinator
overrides it per programme and language (MessageTemplate), portal-wide for account messages.
The overview shows, for one programme, which texts are still the default; the preview renders
an unsaved text for a real recipient, exactly as message_render will send it (issue 14, item 5).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Kind
from .models import MessageTemplate
from .rendering import html_from_text, render_source, subject_line


@dataclass(frozen=True)
class Cell:
    """One kind in one language: the override, or None while the default is used."""

    language: str
    language_name: str
    override: MessageTemplate | None


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Group:
    name: str
    rows: list[Row]


def templates_overview(
    *, overrides: QuerySet, portal_wide: bool, languages: list | None = None
) -> list[Group]:
    """Every registered kind of a programme's messages (portal_wide: of the account messages,
    which belong to no programme), grouped as registered, with one cell per language.

    `overrides` holds the templates of that programme (or the portal-wide ones), already read
    through the access rules: one query, however many kinds and languages. An override of a
    kind no longer registered is still listed, so that it can be found and removed.
    """
    found = {(t.kind, t.language): t for t in overrides.select_related("updated_by")}
    groups: dict[str, list[Row]] = {}
    for kind in KINDS.values():
        if kind.per_programme == portal_wide:
            continue
        groups.setdefault(str(kind.group), []).append(_row(kind.code, kind.label, found, languages))
    gone = sorted({code for code, _language in found} - set(KINDS))
    if gone:
        groups[str(_("No longer sent"))] = [_row(code, code, found, languages) for code in gone]
    return [Group(name, rows) for name, rows in groups.items()]


def _row(code: str, label, found: dict, languages: list | None = None) -> Row:
    """One kind's cells, one per language: the programme's languages, or the portal's."""
    cells = [
        Cell(language, str(name), found.get((code, language)))
        for language, name in languages or settings.LANGUAGES
    ]
    return Row(code, str(label), cells)


@dataclass(frozen=True)
class Preview:
    language: str
    subject: str
    text: str
    html: str
    real_recipient: bool  # False: nobody to show it for, each placeholder shows its name


def template_preview(*, kind: Kind, programme, language: str, subject: str, body: str) -> Preview:
    """An unsaved (already checked) subject and text as a real recipient of the kind in the
    programme would read them in `language`, rendered as message_render sends a saved one.

    The recipient is the kind's `sample`; a programme with nobody to show it for yet gets each
    placeholder's name in its place, so the text can still be read through.
    """
    with translation.override(language):
        values = kind.sample(programme) if kind.sample else None
    real = values is not None
    if not real:
        values = {name: f"[{name}]" for name in kind.placeholders}
    subject = subject_line(render_source(subject, values))
    text = render_source(body, values)
    brand = programme.name if programme is not None else ""
    html = html_from_text(text, language=language, title=subject, brand=brand)
    return Preview(language, subject, text, html, real)
