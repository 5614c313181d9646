"""Changes made through the coordinator API are recorded as such in the audit trail
(docs/DESIGN.md, "The audit trail"): the token's owner is the actor, and each entry's
additional data says `"source": "api"` and which token, beside the programme, network and
country access/audit.py keeps there.

auditlog's own context (auditlog.context) sets the actor and the request's address on every
entry written inside it, but it can only replace an entry's additional data, not add to it; so
the source is added by a receiver of our own, to the data the entry already has.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.context import set_extra_data
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.db.models.signals import pre_save

_source: ContextVar[dict | None] = ContextVar("api_audit_source", default=None)


@contextmanager
def recorded_as_api(request):
    """Inside it, every audit entry names the request's user (the token's owner) as actor and
    the API, with the token's prefix, as source. `request` is DRF's, already authenticated."""
    # What the middleware records (actor, address, port), read now that DRF knows the user:
    # the middleware ran before the token was read and saw nobody.
    context = AuditlogMiddleware().get_extra_data(request._request)
    reset = _source.set({"source": "api", "token": request.auth.prefix})
    try:
        with set_extra_data(context_data=context):
            yield
    finally:
        _source.reset(reset)


def _add_source(sender, instance, **kwargs):
    source = _source.get()
    if source is not None:
        instance.additional_data = {**(instance.additional_data or {}), **source}


# Connected when this module is imported, which whoever uses recorded_as_api has done.
pre_save.connect(_add_source, sender=LogEntry, dispatch_uid="api.coordinator.audit.source")
