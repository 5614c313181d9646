"""The catalogues of every language but English: complete, not fuzzy, compiled, and served.

The .po files are read with a small parser of their own (no polib dependency); it understands
what `makemessages` writes: comments, msgctxt, msgid, msgid_plural, msgstr and msgstr[N], each
possibly continued over several quoted lines.

After adding or changing strings:
    .venv/bin/python manage.py makemessages -l pl -l sv -l fi -l de -l hu -l it --ignore=.venv \
        --ignore=bench --ignore=tests --ignore=staticfiles --ignore=.vnu --no-obsolete
    (translate the new or fuzzy entries), then
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import gettext
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

# Every language of the portal but English, the language of the source.
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


@dataclass
class Entry:
    msgid: str
    line: int
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    def where(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    # PO escapes (\n, \t, \", \\) are a subset of JSON's.
    return json.loads(text)


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first."""
    entries: list[Entry] = []
    flags: set[str] = set()
    fields: dict = {}
    obsolete = False
    current = None  # (field name, plural index or None)
    start = 0

    def flush():
        nonlocal fields, flags, obsolete, current
        if "msgid" in fields:
            entries.append(
                Entry(
                    msgid=fields["msgid"],
                    line=start,
                    msgctxt=fields.get("msgctxt"),
                    msgid_plural=fields.get("msgid_plural"),
                    msgstr=fields.get("msgstr"),
                    msgstr_plural=fields.get("msgstr_plural", {}),
                    flags=flags,
                    obsolete=obsolete,
                )
            )
        fields, flags, obsolete, current = {}, set(), False, None

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            if "msgid" in fields:
                flush()
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        elif line.startswith("#") or not line:
            if not line and "msgid" in fields:
                flush()
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.groups()
            if (
                name in ("msgctxt", "msgid")
                and "msgid" in fields
                and current[0].startswith("msgstr")
            ):
                flush()
            if name == "msgid" and "msgid" not in fields:
                start = number
            if index is not None:
                fields.setdefault("msgstr_plural", {})[int(index)] = _unquote(value)
                current = ("msgstr_plural", int(index))
            else:
                fields[name] = _unquote(value)
                current = (name, None)
        elif line.startswith('"') and current:
            name, index = current
            if index is None:
                fields[name] += _unquote(line)
            else:
                fields[name][index] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    return entries


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def nplurals(header: Entry) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr or "")
    assert found, "the header has no Plural-Forms"
    return int(found.group(1))


def messages(language: str) -> list[Entry]:
    entries = [entry for entry in parse_po(po_path(language)) if not entry.obsolete]
    assert entries and entries[0].msgid == "", "the .po file has no header entry"
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    header, *entries = messages(language)
    forms = nplurals(header)

    assert len(entries) > 100, "the catalogue looks empty: was makemessages run?"
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy"
    fuzzy = [entry.where() for entry in entries if "fuzzy" in entry.flags]
    untranslated = []
    for entry in entries:
        if entry.msgid_plural is None:
            if not entry.msgstr:
                untranslated.append(entry.where())
        elif sorted(entry.msgstr_plural) != list(range(forms)) or not all(
            entry.msgstr_plural.values()
        ):
            untranslated.append(entry.where() + f" (needs {forms} plural forms)")

    assert not fuzzy, f"{language}: fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, f"{language}: untranslated entries:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language_and_its_plural_forms(language):
    header = messages(language)[0]

    assert f"Language: {language}\n" in header.msgstr
    assert nplurals(header) == (4 if language == "pl" else 2)


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}|</?[a-z]+[^>]*>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(language):
    _, *entries = messages(language)
    wrong = []
    for entry in entries:
        if entry.msgid_plural is None:
            pairs = [(entry.msgid, entry.msgstr or "")]
        else:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        for source, text in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(f"{entry.where()} -> {text!r}")

    assert not wrong, f"{language}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(language):
    """The .mo files are committed; they must say what the .po files say."""
    _, *entries = messages(language)
    with open(po_path(language).with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                compiled = catalogue.gettext(entry.msgid)
            else:
                compiled = catalogue.pgettext(entry.msgctxt, entry.msgid)
            if compiled != entry.msgstr:
                stale.append(entry.where())
            continue
        for n in (1, 2, 5, 22):
            if entry.msgctxt is None:
                compiled = catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                compiled = catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if compiled != entry.msgstr_plural[catalogue.plural(n)]:
                stale.append(f"{entry.where()} (n={n})")
                break

    assert not stale, (
        f"{language}: django.mo is out of date; run "
        "`.venv/bin/python manage.py compilemessages --ignore=.venv`:\n" + "\n".join(stale)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("pl", "Kalendarz spotkań"),
        ("sv", "Möteskalender"),
        ("fi", "Tapaamiskalenteri"),
        ("de", "Kalender der Treffen"),
        ("hu", "Találkozónaptár"),
        ("it", "Calendario degli incontri"),
    ],
    ids=["pl", "sv", "fi", "de", "hu", "it"],
)
def test_the_meeting_calendar_speaks_the_visitors_language(client, language, title):
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    assert title in response.text
    assert "Meeting calendar" not in response.text
