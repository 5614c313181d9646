"""What a ``meetings`` entry may say of its meeting's day and form: its agenda (``sessions``) and
the questions its registration and feedback forms ask (``questions``), issue 13.

A session is given in wall-clock times on the meeting's first local day, and must fit in the
meeting's hours, as the admin requires (Session.clean). Sessions are keyed by their English title
and questions by form and English label, so a coordinator's own additions survive a reload; the
starting set a coordinator adds with one click (exchanges.questions) uses the same English labels,
so adding it to a demo meeting adds only what the file does not already ask.
"""

import datetime as dt

from cities.models import Contact, TargetGroup
from exchanges.models import (
    CHOICE_KINDS,
    ExchangeMeeting,
    Question,
    QuestionChoice,
    QuestionKind,
    QuestionPurpose,
    Session,
)

from .fields import aware, tr, trs
from .files import LANGUAGES, Shape


def sessions_load(meeting: ExchangeMeeting, sessions: list[dict]) -> None:
    """The meeting's agenda, each session with its speakers (contacts, by e-mail) and the target
    group it is for (by slug)."""
    for values in sessions:
        start, end = (_on_meeting_day(meeting, values[key]) for key in ("start", "end"))
        if not meeting.start <= start <= end <= meeting.end:
            raise ValueError(f"session {values['title']['en']!r}: not within the meeting's hours")
        session, _ = Session.objects.update_or_create(
            meeting=meeting,
            title_en=values["title"]["en"],
            defaults={
                "start": start,
                "end": end,
                "room": values.get("room", ""),
                "online_url": values.get("online_url", ""),
                "other_speakers": values.get("other_speakers", ""),
                "target_group": _group(values.get("group")),
                **trs(values, "title description"),
            },
        )
        session.speakers.set(_speakers(values.get("speakers", [])))


def _on_meeting_day(meeting: ExchangeMeeting, time: dt.time) -> dt.datetime:
    return aware(dt.datetime.combine(meeting.local_start.date(), time), meeting.timezone)


def _speakers(emails: list[str]) -> list[Contact]:
    return [Contact.objects.get(email=email) for email in emails]


def _group(slug: str | None) -> TargetGroup | None:
    return None if slug is None else TargetGroup.objects.get(slug=slug)


def questions_load(meeting: ExchangeMeeting, questions: list[dict]) -> None:
    """The meeting's questions, asked in the order of the file on each form; a choice question
    offers its ``choices``, or with ``session_choices`` the agenda's sessions (as the starting
    set's "Which sessions will you attend?" does)."""
    for order, values in enumerate(questions):
        _check_choices(values)
        question, _ = Question.objects.update_or_create(
            meeting=meeting,
            purpose=values.get("purpose", QuestionPurpose.REGISTRATION),
            label_en=values["label"]["en"],
            defaults={
                "kind": values["kind"],
                "required": values.get("required", False),
                "order": order,
                **trs(values, "label help_text"),
            },
        )
        labels = [choice["label"] for choice in values.get("choices", [])]
        if values.get("session_choices"):
            labels = [_title(session) for session in meeting.sessions.order_by("start", "pk")]
        for choice_order, label in enumerate(labels):
            QuestionChoice.objects.update_or_create(
                question=question,
                label_en=label["en"],
                defaults={"order": choice_order, **tr("label", label)},
            )


def _check_choices(values: dict) -> None:
    """A choice question offers something to choose, and only a choice question does."""
    offers = bool(values.get("choices")) or values.get("session_choices", False)
    if values["kind"] in CHOICE_KINDS and not offers:
        raise ValueError(f"question {values['label']['en']!r}: a choice question needs choices")
    if values["kind"] not in CHOICE_KINDS and offers:
        raise ValueError(f"question {values['label']['en']!r}: only choice questions have choices")


def _title(session: Session) -> dict[str, str]:
    """A session's title in the languages it has, as a choice's label."""
    titles = {lang: getattr(session, f"title_{lang}") for lang in LANGUAGES}
    return {lang: title for lang, title in titles.items() if title}


SESSION = Shape(
    required="title start end",
    optional="room online_url speakers other_speakers group",
    texts="title description",
    times="start end",
)
CHOICE = Shape(required="label", texts="label")
QUESTION = Shape(
    required="kind label",
    optional="required session_choices",
    texts="label help_text",
    choices={"kind": QuestionKind.values, "purpose": QuestionPurpose.values},
    nested={"choices": CHOICE},
)
