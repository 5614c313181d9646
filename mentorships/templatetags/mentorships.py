from django import template

from mentorships import selectors

register = template.Library()


@register.simple_tag
def programme_mentorships(programme):
    """The programme's mentorship pairs, for templates/mentorships/_programme_mentorships.html."""
    return selectors.programme_mentorships(programme=programme)
