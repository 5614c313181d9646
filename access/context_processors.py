from django.utils.functional import SimpleLazyObject

from . import rules


def access(request):
    """`access.coordinates` in every template: whether to show the coordinators' links. Lazy, so
    that a page that never asks reads no roles."""
    return {"access": SimpleLazyObject(lambda: rules.scope(request.user))}
