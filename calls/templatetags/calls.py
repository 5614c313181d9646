from django import template

from calls import selectors

register = template.Library()


@register.simple_tag
def programme_calls(programme):
    """The programme's published calls, latest first, for its mentorship section
    (templates/calls/_programme_mentorships.html)."""
    return list(selectors.public_calls().filter(programme=programme).order_by("-closes_at"))
