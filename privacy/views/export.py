"""A person's data to take away (issue 15, item 2): their own from their profile, or a
contact's for a coordinator answering that person's request. The archive is privacy.export's."""

from auditlog.signals import accessed
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from access.rules import is_coordinator, visible
from cities.models import Contact

from ..export import person_archive
from ..selectors import person_of


@login_required
@require_GET
def me_export(request):
    archive = person_archive(person=person_of(user=request.user))
    return _zip_response(archive, f"multiply-data-{timezone.localdate():%Y-%m-%d}.zip")


@login_required
@require_GET
def contact_export(request, pk):
    """Only for a contact the coordinator coordinates; anyone else's is a 404."""
    if not is_coordinator(request.user):
        raise Http404
    contact = get_object_or_404(visible(request.user, Contact.objects.all()), pk=pk)
    archive = person_archive(person=person_of(contact=contact), internal_notes=True)
    # The audit log records who took a copy of the person's data ("accessed"), scoped like the
    # contact's other entries (access/audit.py).
    accessed.send(sender=Contact, instance=contact)
    filename = f"multiply-data-contact-{contact.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    return _zip_response(archive, filename)


def _zip_response(archive: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A person's whole data: no cache, shared or private, keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
