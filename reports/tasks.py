from celery import shared_task

from .services import document_render, documents_sweep


@shared_task(name="reports.render_document")
def render_document(*, document_id: int) -> str | None:
    document = document_render(document_id=document_id)
    return document.status if document else None


@shared_task(name="reports.sweep_documents")
def sweep_documents() -> int:
    return documents_sweep()
