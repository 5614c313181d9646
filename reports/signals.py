"""Data a published plan shows has changed: ask for a new render, debounced (see services)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.models import City
from exchanges.models import (
    ExchangeMeeting,
    Membership,
    NationalNetwork,
    Programme,
    Session,
    Theme,
    Topic,
)
from meetings.models import Attendance, ConsortiumMeeting, Partner

from .models import Document


def _programme_ids(instance) -> set[int]:
    if isinstance(instance, Programme):
        return {instance.pk}
    if isinstance(instance, City):
        return set(instance.networks.values_list("programme_id", flat=True))
    if getattr(instance, "programme_id", None):
        return {instance.programme_id}
    meeting = getattr(instance, "meeting", None)  # an attendance row
    if meeting is not None and getattr(meeting, "programme_id", None):
        return {meeting.programme_id}
    network = getattr(instance, "network", None)
    if network is not None:
        return {network.programme_id}
    theme = getattr(instance, "theme", None)
    return {theme.programme_id} if theme is not None else set()


def data_changed(sender, instance, **kwargs) -> None:
    """Gather the programmes a transaction touched; refresh their documents once it commits.

    A transaction that saves a thousand rows (load_demo, an admin action) asks for one render
    per programme, not one per row; with eager Celery, where countdowns do not wait, this is
    the debounce.
    """
    programme_ids = _programme_ids(instance)
    if not programme_ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_multiply_documents_pending", None)
    if pending is None:
        pending = connection._multiply_documents_pending = set()
    pending.update(programme_ids)
    # Every save registers the callback; the first to run takes the whole set, the rest find
    # it empty and do nothing.
    transaction.on_commit(_refresh_pending)


def _refresh_pending() -> None:
    # Imported when it runs: reports.services imports the tasks, which import the builders,
    # which read plan sections registered through this module.
    from .services import documents_refresh

    connection = transaction.get_connection()
    programme_ids = getattr(connection, "_multiply_documents_pending", None) or set()
    connection._multiply_documents_pending = None
    if programme_ids:
        documents_refresh(programme_ids=programme_ids)


def watch_model(model) -> None:
    """Saving or deleting a row of `model` refreshes the documents of its programme."""
    uid = f"documents-{model._meta.label_lower}"
    post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")


def agenda_changed(sender, instance, raw=False, **kwargs) -> None:
    """A session (its speakers, its materials) or its meeting changed: the meeting's published
    programme PDF is asked for again once the transaction commits, once per meeting however
    many rows the transaction saved (the debounce of data_changed)."""
    if raw:  # loaddata writes rows as they are, without their consequences
        return
    meeting_id = instance.pk if isinstance(instance, ExchangeMeeting) else instance.meeting_id
    connection = transaction.get_connection()
    pending = getattr(connection, "_multiply_agendas_pending", None)
    if pending is None:
        pending = connection._multiply_agendas_pending = set()
    pending.add(meeting_id)
    transaction.on_commit(_refresh_agendas)


def _refresh_agendas() -> None:
    from .services import published_refresh  # imported when it runs: see _refresh_pending

    connection = transaction.get_connection()
    meeting_ids = getattr(connection, "_multiply_agendas_pending", None) or set()
    connection._multiply_agendas_pending = None
    # The meetings whose programme was downloaded, still there and still with sessions: one
    # query, and nothing more when nobody has downloaded one.
    published = ExchangeMeeting.objects.filter(
        Exists(Session.objects.filter(meeting=OuterRef("pk"))),
        Exists(Document.objects.filter(kind=Document.Kind.AGENDA, meeting=OuterRef("pk"))),
        pk__in=meeting_ids,
    ).select_related("programme")
    for meeting in published:
        published_refresh(kind=Document.Kind.AGENDA, programme=meeting.programme, meeting=meeting)


def _session_m2m_changed(sender, instance, action, reverse, **kwargs) -> None:
    # From the session's side only: the admin and the demo change speakers and materials there.
    if action.startswith("post_") and not reverse:
        agenda_changed(sender, instance)


def connect_agenda_signals() -> None:
    for model in (Session, ExchangeMeeting):
        uid = f"agenda-{model._meta.label_lower}"
        post_save.connect(agenda_changed, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(agenda_changed, sender=Session, dispatch_uid="agenda-session-delete")
    for through in (Session.speakers.through, Session.materials.through):
        m2m_changed.connect(
            _session_m2m_changed, sender=through, dispatch_uid=f"agenda-{through._meta.label_lower}"
        )


def connect_signals() -> None:
    connect_agenda_signals()
    # Other apps' models are watched when they register their plan sections (reports.plan).
    for model in (
        Programme,
        NationalNetwork,
        Membership,
        Theme,
        Topic,
        ExchangeMeeting,
        City,
        ConsortiumMeeting,
        Attendance,
        Partner,
    ):
        watch_model(model)
