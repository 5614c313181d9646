"""The demo data's loader: the TOML files of demo/data/, read, checked and loaded idempotently.

The facts come from the sources docs/DESIGN.md lists (seeds/DIGEST.md and the originals beside it):
000 (Polish, MULTIPLY peer learning), 001 (Polish, MULTIPLY consortium meetings), 002 (Swedish,
MULTIPLY network exchange), 003 (Polish, MAYORS in ACTION) and 004 (Finnish, Motiva's second
peer-learning pilot). Quoted Polish, Swedish and Finnish text is copied from those pages.
Everything the sources do not say is marked ``# invented:`` in the files.

Each file is a set of sections (``[[programmes]]``, ``[[networks]]``, ...); each section's shape
and loader live in the module of the app it fills (cities, exchanges, meetings, calls,
mentorships, visits, campaigns). Every file is checked before any row is written (files.py),
then the files are loaded in the order of FILES, and within a file the sections in the order of
SECTIONS, so that what an entry names (a programme, a city, a theme) exists before it. Every row
is written with ``update_or_create`` on a natural key, so loading twice gives the same rows;
translated fields are written per language and into the base column (fields.py).

To add a file: put it in demo/data/, using only the sections below, and add its name to FILES
after the files that create what it refers to.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone, translation

from . import calls, campaigns, cities, exchanges, meetings, mentorships, people, visits
from .files import DATA_DIR, DemoDataError, Entry, Section, read_file, resolve_date

__all__ = ["DATA_DIR", "FILES", "SECTIONS", "DemoDataError", "load_files", "resolve_date"]

FILES = [
    "common.toml",
    "multiply.toml",
    "mayors-in-action.toml",
    "motiva.toml",
    "motiva-calls.toml",
    "motiva-visits.toml",
    # invented: a current cycle dated from the day it is loaded.
    "current.toml",
    # invented: an e-mail to a group of the current cycle, sent a week ago.
    "campaigns.toml",
]

_ALL = (
    cities.SECTIONS
    | exchanges.SECTIONS
    | meetings.SECTIONS
    | calls.SECTIONS
    | mentorships.SECTIONS
    | visits.SECTIONS
    | people.SECTIONS
    | campaigns.SECTIONS
)
SECTION_ORDER = [
    "countries",
    "target_groups",
    "programmes",
    "themes",
    "networks",
    "contacts",
    "national_exchanges",
    "meetings",
    "partners",
    "consortium_meetings",
    "action_items",
    "calls",
    "mentorships",
    "review_rounds",
    "invitations",
    "registrations",
    "campaigns",
]
if _ALL.keys() != set(SECTION_ORDER):  # a section missing from the order would never load
    raise ImportError(f"SECTION_ORDER does not match the sections: {sorted(_ALL)}")
SECTIONS: dict[str, Section] = {name: _ALL[name] for name in SECTION_ORDER}


def load_files(files: Sequence[str | Path] = FILES, *, today: dt.date | None = None) -> None:
    """Load ``files`` (names in DATA_DIR, or paths) in one transaction; relative days count
    from ``today`` (default: today in the portal's time zone).

    Every file is read and checked first, so that a mistake anywhere writes nothing.
    """
    today = today or timezone.localdate()
    shapes = {name: section.shape for name, section in SECTIONS.items()}
    contents = [read_file(DATA_DIR / name, shapes, today=today) for name in files]
    with transaction.atomic(), translation.override("en"):
        for content in contents:
            for name, section in SECTIONS.items():
                for entry in content.get(name, []):
                    _load_entry(section, entry)


def _load_entry(section: Section, entry: Entry) -> None:
    """Load one entry; a name that matches nothing fails with the file and entry it came from."""
    try:
        if section.ordered:
            section.load(entry.values, order=entry.order)
        else:
            section.load(entry.values)
    except DemoDataError:
        raise
    except (ObjectDoesNotExist, LookupError, ValueError, TypeError) as error:
        raise DemoDataError(f"{entry.where}: {type(error).__name__}: {error}") from error
