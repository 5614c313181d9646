"""The text of a message: placeholders filled in, the HTML made from the text, one layout for all.

A coordinator writes a message (a template override, a campaign) in the Django template language
cut down to what a message needs: placeholders (`{{ meeting_title }}`), an `{% if %}` around a
line that only some recipients need, and a few filters. Everything else (`{% include %}`,
`{% load %}`, `{{ meeting.programme.coordinator.password }}`) is refused with its reason when the
text is saved (template_errors), so that a message is never found broken at send time.

The HTML part is made from the text, so the two cannot say different things, and is wrapped in
emails/_layout.html: every message the portal sends is branded alike.
"""

import re

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.template.defaultfilters import linebreaksbr, urlize
from django.template.defaulttags import IfNode
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# No loaders: `{% include %}` and `{% extends %}` find nothing; template_errors refuses them first.
ENGINE = Engine(autoescape=False)
ALLOWED_FILTERS = frozenset({"default", "upper", "lower", "capfirst", "title"})
SUBJECT_MAX = 300


def template_errors(source: str, placeholders) -> list[str]:
    """Why this text cannot be a message, in words for the person who wrote it; [] if it can.

    `placeholders` names what the message offers: anything else is an unknown placeholder.
    """
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        return [_("The text has a broken tag: %(error)s") % {"error": error}]
    errors: list[str] = []
    _check_nodes(template.nodelist, frozenset(placeholders), errors)
    # One message per mistake, in the order written, even if the same one recurs.
    return list(dict.fromkeys(errors))


def _check_nodes(nodelist, placeholders, errors) -> None:
    for node in nodelist:
        if isinstance(node, TextNode):
            # The lexer leaves an unclosed "{{ name" as text, which would reach the recipient.
            if "{{" in node.s or "{%" in node.s:
                errors.append(
                    _("A placeholder or tag is not closed: write {{ name }} or {% if … %}.")
                )
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, placeholders, errors)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    _check_condition(condition, placeholders, errors)
                _check_nodes(branch, placeholders, errors)
        else:
            errors.append(
                _(
                    "“%(tag)s” cannot be used in a message: only placeholders and "
                    "{%% if %%} … {%% endif %%} can."
                )
                % {"tag": _tag_name(node)}
            )


def _tag_name(node: Node) -> str:
    token = getattr(node, "token", None)
    contents = token.contents.split()[0] if token is not None and token.contents else ""
    return "{%% %s %%}" % (contents or type(node).__name__)


def _check_condition(condition, placeholders, errors) -> None:
    """An {% if %} condition: a tree of operators whose leaves hold filter expressions."""
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        _check_expression(value, placeholders, errors)
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            _check_condition(part, placeholders, errors)


def _check_expression(expression: FilterExpression, placeholders, errors) -> None:
    variable = expression.var
    lookups = getattr(variable, "lookups", None)
    if lookups is not None:  # None: a literal, "text" or 3
        name = ".".join(lookups)
        if len(lookups) != 1 or lookups[0] not in placeholders:
            errors.append(
                _(
                    "Unknown placeholder {{ %(name)s }}: "
                    "the placeholders are listed beside the text."
                )
                % {"name": name}
            )
    for function, _arguments in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in ALLOWED_FILTERS:
            errors.append(
                _("The filter “%(filter)s” cannot be used in a message.") % {"filter": name}
            )


def render_source(source: str, values: dict) -> str:
    """A checked text with its placeholders filled in (plain text: nothing is escaped)."""
    return ENGINE.from_string(source).render(Context(values, autoescape=False))


def subject_line(text: str) -> str:
    """A subject is one line: whitespace collapsed, cut to what the outbox stores."""
    return " ".join(text.split())[:SUBJECT_MAX]


def html_from_text(text: str, *, language: str, title: str, brand: str = "") -> str:
    """The HTML part of a message: the text's paragraphs, links made clickable, in the layout."""
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    content = format_html_join(
        "\n", "<p>{}</p>", ((linebreaksbr(urlize(part, autoescape=True)),) for part in paragraphs)
    )
    with translation.override(language):
        return render_to_string(
            "emails/_layout.html",
            {
                "content": mark_safe(content),
                "LANGUAGE_CODE": language,
                "title": title,
                "brand": brand,
            },
        )
