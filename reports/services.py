"""The document pipeline: request a PDF (a row), render it in Celery, serve the newest ready one.

A download never renders: it serves from storage, or asks for a render and says so.
"""

import datetime as dt
import hashlib
import logging
import traceback

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from exchanges.models import Programme

from .builders import build_document
from .models import Document
from .plan import programmes_with_plan

logger = logging.getLogger(__name__)

# Saves that come together (a coordinator editing six meetings) make one render, not six.
DEBOUNCE_SECONDS = 30
IN_PROGRESS = [Document.Status.QUEUED, Document.Status.RENDERING]


def _subject(**subject) -> dict:
    """The fields naming what a document shows; missing ones are None."""
    keys = (
        "kind",
        "programme",
        "consortium_meeting",
        "meeting",
        "registration",
        "language",
        "period_start",
        "period_end",
    )
    values = {key: subject.get(key) for key in keys}
    values["reference"] = subject.get("reference") or ""
    return values


def document_latest(**subject) -> Document | None:
    """The newest ready document for this subject, if any."""
    return (
        Document.objects.filter(**_subject(**subject), status=Document.Status.READY)
        .order_by("-rendered_at", "-pk")
        .first()
    )


def published_refresh(*, kind: str, programme, **subject) -> int:
    """The data of a document changed: re-render every language of it already published,
    debounced, so that a burst of changes makes one render; a language nobody has asked for is
    rendered when first downloaded. Returns how many languages were asked for."""
    languages = set(
        Document.objects.filter(kind=kind, programme=programme, **subject).values_list(
            "language", flat=True
        )
    )
    for language in sorted(languages):
        document_request(
            kind=kind, programme=programme, language=language, delay=DEBOUNCE_SECONDS, **subject
        )
    return len(languages)


def document_request(*, delay: int = 0, **subject) -> Document:
    """Ask for a (new) render; a request already waiting or rendering is reused, so a burst of
    requests or data changes makes one render."""
    subject = _subject(**subject)
    with transaction.atomic():
        # Lock the programme row: two requests at once must not both create a render.
        type(subject["programme"]).objects.select_for_update().get(pk=subject["programme"].pk)
        pending = Document.objects.filter(**subject, status__in=IN_PROGRESS).first()
        if pending is not None:
            return pending
        document = Document.objects.create(**subject)
        transaction.on_commit(lambda: _enqueue(document.pk, delay))
    return document


def _enqueue(document_id: int, delay: int) -> None:
    # Imported here: reports.tasks imports this module to render what it is handed.
    from .tasks import render_document

    try:
        render_document.apply_async(kwargs={"document_id": document_id}, countdown=delay or None)
    except Exception:  # the broker is down: the sweeper picks the row up
        logger.warning("broker unavailable: document %s waits for the sweeper", document_id)


def _claim(document_id: int) -> Document | None:
    claimed = Document.objects.filter(pk=document_id, status=Document.Status.QUEUED).update(
        status=Document.Status.RENDERING
    )
    return Document.objects.get(pk=document_id) if claimed else None


def html_for(document: Document) -> tuple[str, str]:
    """The document's HTML and its file name, in its language."""
    with translation.override(document.language):
        template, context, filename = build_document(document)
        html = render_to_string(template, {**context, "document": document})
    return html, filename


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # heavy: imported in the worker, never on a web request

    return HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf()


def document_render(*, document_id: int) -> Document | None:
    """Render one queued document. A failure is recorded on the row; the previous ready
    document of the same subject stays online. Safe to run twice."""
    document = _claim(document_id)
    if document is None:
        return None
    try:
        html, filename = html_for(document)
        data_hash = hashlib.sha256(html.encode()).hexdigest()
        same = document_latest(**_subject(**document_fields(document)))
        if same is not None and same.data_hash == data_hash:
            document.file.name, document.size = same.file.name, same.size  # nothing changed
        else:
            pdf = pdf_from_html(html)
            document.file.save(filename, ContentFile(pdf), save=False)
            document.size = len(pdf)
    except Exception as error:  # any failure: recorded for the admin, the old file stays
        document.status = Document.Status.FAILED
        document.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
        document.save(update_fields=["status", "error"])
        logger.exception("document %s failed to render", document.pk)
        return document
    document.status = Document.Status.READY
    document.data_hash = data_hash
    document.rendered_at = timezone.now()
    document.save(update_fields=["status", "data_hash", "rendered_at", "file", "size"])
    return document


def document_fields(document: Document) -> dict:
    """The subject of a document, as document_request and document_latest take it."""
    return {
        "kind": document.kind,
        "programme": document.programme,
        "consortium_meeting": document.consortium_meeting,
        "meeting": document.meeting,
        "registration": document.registration,
        "language": document.language,
        "period_start": document.period_start,
        "period_end": document.period_end,
        "reference": document.reference,
    }


def documents_refresh(*, programme_ids) -> int:
    """Data a programme's plan shows has changed: re-render every language already published,
    once, after a short pause (debounced). A programme left with nothing to show has no plan
    any more (reports.plan): nothing is rendered for it."""
    plans = list(
        Document.objects.filter(kind=Document.Kind.PLAN, programme_id__in=programme_ids)
        .values_list("programme_id", "language")
        .distinct()
    )
    if not plans:
        return 0
    with_plan = programmes_with_plan(Programme.objects.filter(pk__in={pk for pk, _ in plans}))
    programmes = {programme.pk: programme for programme in with_plan}
    requested = 0
    for programme_id, language in plans:
        if programme_id not in programmes:
            continue
        document_request(
            kind=Document.Kind.PLAN,
            programme=programmes[programme_id],
            language=language,
            delay=DEBOUNCE_SECONDS,
        )
        requested += 1
    return requested


def documents_sweep(*, now=None) -> int:
    """Re-enqueue renders a broker outage or a dead worker left behind."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=10)
    Document.objects.filter(status=Document.Status.RENDERING, created_at__lt=stale).update(
        status=Document.Status.QUEUED
    )
    ids = list(
        Document.objects.filter(
            status=Document.Status.QUEUED, created_at__lt=now - dt.timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    for document_id in ids:
        _enqueue(document_id, 0)
    return len(ids)
