"""The public documents' links (GET /api/documents/): what the public pages link to a file.

Four kinds, each read the way its page reads it: a programme's peer-learning plan (when it has
one, reports.plan), a meeting's printable programme (when it has sessions, reports.views
.agenda_download), a meeting's materials (exchanges.views.material_download) and a call's
webinar slides (calls.views.call_slides). Every link is the portal's page that serves or
forwards to the file, never the file's place in storage; a PDF is linked in the language asked
for. One query per kind, so four at most, whatever the number of documents; the list is
sorted here, so it costs as much as the public documents are many (hundreds, not thousands).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from calls.selectors import public_calls
from exchanges.models import ExchangeMeeting, MeetingMaterial, Programme, Session
from reports.plan import programmes_with_plan


def plan_path(programme: Programme, language: str) -> str:
    """The plan PDF in `language`, at the address the programme page links (English has no
    ?lang=)."""
    path = reverse("reports:plan", kwargs={"slug": programme.slug})
    return path if language == "en" else f"{path}?lang={language}"


def agenda_path(meeting: ExchangeMeeting, language: str) -> str:
    path = reverse("reports:agenda", kwargs={"pk": meeting.pk})
    return path if language == "en" else f"{path}?lang={language}"


@dataclass(frozen=True)
class PublicDocument:
    """A link the public pages offer to a file: always the page that serves it."""

    kind: str
    title: str
    language: str | None
    programme: str
    meeting: int | None
    call: str | None
    path: str
    order: tuple  # where it stands in the list


def _programme_order(programme: Programme) -> tuple:
    # The pages' order of programmes: the latest first, then by name.
    return (-programme.start_date.toordinal(), programme.name, programme.pk)


def public_documents(
    *, language: str, programme: str = "", meeting: int | None = None, kind: str = ""
) -> list[PublicDocument]:
    """Every public document of the published programmes, in the language asked for where
    there is one, per programme: its plan, its calls' slides, then its meetings' printable
    programmes and materials in date order. One query per kind, four at most."""
    sources = {
        "peer_learning_plan": _plans,
        "call_slides": _call_slides,
        "meeting_programme": _agendas,
        "material": _materials,
    }
    found = []
    for name, source in sources.items():
        if kind in ("", name):
            found.extend(source(language=language, programme=programme, meeting=meeting))
    return sorted(found, key=lambda document: document.order)


def _by_programme(queryset: QuerySet, programme: str, prefix: str = "") -> QuerySet:
    return queryset.filter(**{f"{prefix}slug__iexact": programme}) if programme else queryset


def _plans(*, language, programme, meeting) -> list[PublicDocument]:
    if meeting is not None:  # a plan belongs to no meeting
        return []
    return [
        PublicDocument(
            kind="peer_learning_plan",
            title=_("%(programme)s: peer-learning plan") % {"programme": row.name},
            language=language,
            programme=row.slug,
            meeting=None,
            call=None,
            path=plan_path(row, language),
            order=(_programme_order(row), 0),
        )
        for row in _by_programme(programmes_with_plan(), programme)
    ]


def _call_slides(*, language, programme, meeting) -> list[PublicDocument]:
    if meeting is not None:
        return []
    calls = _by_programme(public_calls(), programme, "programme__").exclude(
        slides_file="", slides_url=""
    )
    return [
        PublicDocument(
            kind="call_slides",
            title=_("%(call)s: slides of the info webinar") % {"call": call.title},
            language=None,
            programme=call.programme.slug,
            meeting=None,
            call=call.slug,
            path=reverse("calls:slides", kwargs={"slug": call.slug}),
            order=(_programme_order(call.programme), 1, call.opens_at.timestamp(), call.pk),
        )
        for call in calls.order_by("opens_at", "pk")
    ]


def _meeting_rows(queryset: QuerySet, programme: str, meeting: int | None) -> QuerySet:
    queryset = _by_programme(queryset, programme, "programme__")
    return queryset.filter(pk=meeting) if meeting is not None else queryset


def _agendas(*, language, programme, meeting) -> list[PublicDocument]:
    """A meeting with sessions has a printable programme (reports.views.agenda_download)."""
    meetings = ExchangeMeeting.objects.filter(
        Exists(Session.objects.filter(meeting=OuterRef("pk"))), programme__is_published=True
    ).select_related("programme")
    return [
        PublicDocument(
            kind="meeting_programme",
            title=_("%(meeting)s: printable programme") % {"meeting": row.title},
            language=language,
            programme=row.programme.slug,
            meeting=row.pk,
            call=None,
            path=agenda_path(row, language),
            order=(_programme_order(row.programme), 2, row.start.timestamp(), row.pk, -1),
        )
        for row in _meeting_rows(meetings, programme, meeting)
    ]


def _materials(*, language, programme, meeting) -> list[PublicDocument]:
    materials = MeetingMaterial.objects.filter(
        meeting__programme__is_published=True
    ).select_related("meeting__programme")
    if programme:
        materials = materials.filter(meeting__programme__slug__iexact=programme)
    if meeting is not None:
        materials = materials.filter(meeting=meeting)
    return [
        PublicDocument(
            kind="material",
            title=material.title,
            language=None,
            programme=material.meeting.programme.slug,
            meeting=material.meeting_id,
            call=None,
            path=reverse(
                "exchanges:material",
                kwargs={"pk": material.meeting_id, "material_pk": material.pk},
            ),
            order=(
                _programme_order(material.meeting.programme),
                2,
                material.meeting.start.timestamp(),
                material.meeting_id,
                material.order,
                material.pk,
            ),
        )
        for material in materials
    ]
