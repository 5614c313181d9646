"""Reading the demo files: each TOML entry checked against its section's shape, dates resolved.

A typo must not be silently ignored: every key of every entry is checked against the `Shape` of
its section (an unknown key and a missing required key both fail), translated texts may use only
the portal's languages, a choice must be one of the model's values, and a value with a validator
(a programme's ``languages``) must pass the model field's own validator. Every error names the
file and the entry, e.g. ``demo/data/multiply.toml, programmes #1 (slug = 'multiply'), name``.

Dates: wherever a date is expected, a TOML date (``2020-02-26``) or a day counted from the
loader's ``today``: ``"today"``, ``"today+14"``, ``"today-3"`` (see `resolve_date`). A date and
time is a local date and a wall-clock time, ``{ day = 2021-11-04, time = 10:00:00 }``; it is read
as a naive datetime, and the section's loader places it in the entry's time zone (fields.aware).
A time alone (``10:30:00``, a TOML local time) is a wall-clock time on a day the loader knows (an
agenda session's, on its meeting's day).
"""

import datetime as dt
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
RELATIVE_DAY = re.compile(r"(today|workday)(?:([+-])([0-9]+))?")
LABEL_KEYS = ("slug", "code", "number", "name", "title", "city", "country", "programme")


class DemoDataError(ValueError):
    """A demo file that does not say what the loader expects; the message names file and entry."""


def resolve_date(value: dt.date | str, today: dt.date) -> dt.date:
    """A TOML date as it is, or a day counted from ``today``: "today", "today+N" or "today-N"
    (N days), and "workday+N", the same day or, when it falls on a weekend, the Monday after.

    Relative days let a file describe a demo that is always current (a call open now, a meeting
    next week); "workday" keeps its meetings off Saturdays and Sundays whatever day it is loaded
    on. The historical programmes use absolute dates only.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    match = RELATIVE_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'expected a date such as 2020-02-26 or "today+14", not {value!r}')
    anchor, sign, days = match.groups()
    offset = dt.timedelta(days=int(days or 0))
    day = today - offset if sign == "-" else today + offset
    if anchor == "workday" and day.weekday() >= 5:  # Saturday or Sunday
        day += dt.timedelta(days=7 - day.weekday())
    return day


def local_datetime(value: Mapping, today: dt.date) -> dt.datetime:
    """``{ day = <date>, time = <local time> }`` as a naive (wall-clock) datetime."""
    if not isinstance(value, dict) or value.keys() != {"day", "time"}:
        raise ValueError(f"expected {{ day = <date>, time = <local time> }}, not {value!r}")
    if not isinstance(value["time"], dt.time):
        raise ValueError(f"time: expected a local time such as 10:00:00, not {value['time']!r}")
    return dt.datetime.combine(resolve_date(value["day"], today), value["time"])


class Shape:
    """The keys an entry (a TOML table) may have and how their values are read.

    A key named in ``texts``, ``dates``, ``datetimes``, ``times``, ``choices``, ``validators`` or
    ``nested`` is accepted without being listed in ``optional`` too; ``nested`` maps a key to the
    shape of its table, or of each table of its list; ``validators`` maps a key to a model field's
    validator (raising ValidationError), so that a bad value fails before anything is written.
    """

    def __init__(
        self,
        required: str = "",
        optional: str = "",
        *,
        texts: str = "",
        dates: str = "",
        datetimes: str = "",
        times: str = "",
        choices: Mapping[str, Collection[str]] | None = None,
        validators: Mapping[str, Callable[[object], None]] | None = None,
        nested: Mapping[str, "Shape"] | None = None,
    ):
        self.required = frozenset(required.split())
        self.texts = frozenset(texts.split())
        self.dates = frozenset(dates.split())
        self.datetimes = frozenset(datetimes.split())
        self.times = frozenset(times.split())
        self.choices = choices or {}
        self.validators = validators or {}
        self.nested = nested or {}
        self.keys = self.required.union(
            optional.split(),
            self.texts,
            self.dates,
            self.datetimes,
            self.times,
            self.choices,
            self.validators,
            self.nested,
        )


@dataclass(frozen=True)
class Section:
    """A top-level table of the files: its entries' shape and the function that loads one.

    ``ordered``: ``load`` also gets ``order``, the entry's position (from 1) among the section's
    entries of the same programme in the file, for models shown in a given order.
    """

    shape: Shape
    load: Callable[..., object]
    ordered: bool = False


class Entry(NamedTuple):
    where: str
    values: dict
    order: int


def check(entry: object, shape: Shape, where: str, today: dt.date) -> dict:
    """``entry`` checked against ``shape``, with its dates resolved; DemoDataError otherwise."""
    if not isinstance(entry, dict):
        raise DemoDataError(f"{where}: expected a table, not {entry!r}")
    unknown = sorted(entry.keys() - shape.keys)
    if unknown:
        expected = ", ".join(sorted(shape.keys))
        raise DemoDataError(f"{where}: unknown key {unknown[0]!r} (expected one of {expected})")
    missing = sorted(shape.required - entry.keys())
    if missing:
        raise DemoDataError(f"{where}: missing required key {missing[0]!r}")
    return {
        key: _value(shape, key, value, f"{where}, {key}", today) for key, value in entry.items()
    }


def _value(shape: Shape, key: str, value: object, where: str, today: dt.date) -> object:
    if key in shape.nested:
        return _nested(value, shape.nested[key], where, today)
    try:
        if key in shape.texts:
            return _texts(value)
        if key in shape.dates:
            return resolve_date(value, today)
        if key in shape.datetimes:
            return local_datetime(value, today)
        if key in shape.times and not isinstance(value, dt.time):
            raise ValueError(f"expected a local time such as 10:30:00, not {value!r}")
        if key in shape.choices and value not in shape.choices[key]:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(shape.choices[key]))}")
        if key in shape.validators:
            _validate(shape.validators[key], value)
    except ValueError as error:
        raise DemoDataError(f"{where}: {error}") from error
    return value


def _validate(validator: Callable[[object], None], value: object) -> None:
    """A model field's validator, its ValidationError told as a ValueError of the entry."""
    try:
        validator(value)
    except ValidationError as error:
        raise ValueError(f"{value!r}: {' '.join(error.messages)}") from error


def _nested(value: object, shape: Shape, where: str, today: dt.date) -> dict | list[dict]:
    if isinstance(value, list):
        return [check(item, shape, f"{where} #{n}", today) for n, item in enumerate(value, 1)]
    return check(value, shape, where, today)


def _texts(value: object) -> dict[str, str]:
    """A translated field: ``{ en = "...", pl = "..." }`` in the portal's languages."""
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValueError(f'expected texts by language such as {{ en = "..." }}, not {value!r}')
    unknown = sorted(value.keys() - LANGUAGES)
    if unknown:
        expected = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"unknown language {unknown[0]!r} (expected {expected})")
    return value


def read_toml(path: Path) -> dict:
    """A TOML file as it is; DemoDataError naming the file if it cannot be read."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"{_display(path)}: {error}") from error


def read_file(path: Path, shapes: Mapping[str, Shape], *, today: dt.date) -> dict[str, list]:
    """Every section of one file as a list of checked `Entry`s; DemoDataError on any mistake."""
    name = _display(path)
    data = read_toml(path)
    unknown = sorted(data.keys() - shapes.keys())
    if unknown:
        expected = ", ".join(shapes)
        raise DemoDataError(f"{name}: unknown section {unknown[0]!r} (expected one of {expected})")
    return {
        section: _entries(data[section], shapes[section], f"{name}, {section}", today)
        for section in data
    }


def _entries(entries: object, shape: Shape, where: str, today: dt.date) -> list[Entry]:
    if not isinstance(entries, list):
        raise DemoDataError(f"{where}: expected a list of tables ([[...]] entries)")
    positions = Counter()
    checked = []
    for number, entry in enumerate(entries, start=1):
        entry_where = f"{where} #{number}{_label(entry)}"
        values = check(entry, shape, entry_where, today)
        positions[values.get("programme")] += 1
        checked.append(Entry(entry_where, values, positions[values.get("programme")]))
    return checked


def _label(entry: object) -> str:
    """What tells a reader which entry it is: its slug, code, number, name..."""
    key = next((key for key in LABEL_KEYS if isinstance(entry, dict) and key in entry), None)
    if key is None:
        return ""
    value = entry[key]
    shown = value.get("en") if isinstance(value, dict) else value
    return f" ({key} = {shown!r})"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
