"""How the values of the files become columns: translated texts, aware datetimes, ASCII names.

Translated fields (django-modeltranslation) are written per language *and* into the base column:
``update_or_create`` saves only the fields it was given, so the base column would otherwise keep
a stale value. The base column gets the English text, the portal's fallback language.
"""

import datetime as dt
import unicodedata
import zoneinfo


def tr(field: str, texts: dict[str, str]) -> dict[str, str]:
    """A translated field's per-language columns, plus the base column (the English text)."""
    values = {f"{field}_{lang}": text for lang, text in texts.items()}
    values[field] = texts.get("en", "")
    return values


def trs(values: dict, fields: str) -> dict[str, str]:
    """`tr` for each of the space-separated ``fields`` that the entry gives."""
    columns = {}
    for field in fields.split():
        if field in values:
            columns.update(tr(field, values[field]))
    return columns


def aware(local: dt.datetime, zone: str) -> dt.datetime:
    """A wall-clock time in an IANA zone: 10:00 stays 10:00 local on either side of summer time."""
    return local.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def aware_or_none(local: dt.datetime | None, zone: str) -> dt.datetime | None:
    """`aware` for a time an entry may leave out."""
    return None if local is None else aware(local, zone)


def ascii_lower(text: str) -> str:
    """Lower-case ASCII for e-mail addresses and domains: Łukasz Dąbrowski -> lukasz dabrowski."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode().lower()
