from django import template

from calls import selectors

register = template.Library()


@register.simple_tag
def programme_mentorships(programme):
    """The programme's mentorship pairs, for templates/calls/_programme_mentorships.html."""
    return selectors.programme_mentorships(programme=programme)


@register.simple_tag
def programme_calls(programme):
    """The programme's published calls, latest first."""
    return list(selectors.public_calls().filter(programme=programme).order_by("-closes_at"))
