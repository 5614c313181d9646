"""How the public API is described in its OpenAPI schema (drf-spectacular): what every
operation shares, so that the schema promises exactly what the views do (PublicView) and a
client driven by the schema alone (schemathesis, .ci/run) finds nothing it did not promise."""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.pagination import LARGEST

from .serializers import PublicErrorSerializer

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SLUG_PATTERN = "[-a-zA-Z0-9_]+"
NO_NUL = r"^[^\u0000]*$"
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": LARGEST}

COMMON_PARAMETERS = [
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=LANGUAGES,
        description="The language of the content; without it, Accept-Language's. What is not "
        "translated reads in English.",
    ),
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The language of the content when `lang` is not given, as browsers send "
        "it (e.g. `pl,en;q=0.8`); a language the portal does not have reads in English.",
    ),
]

JSON, HTML = "application/json", "text/html"
# What every operation may answer besides its 200, by status and media type. The HTML ones are
# refused before the API reads the request: by the web server (an address too long) or by
# multiply/hardening.py (a NUL byte or a lone surrogate), with the site's own error page.
ERRORS = {
    ("400", JSON): OpenApiResponse(
        PublicErrorSerializer,
        description="A query parameter this address does not read (`detail`, `unknown` and "
        "`allowed` say which), or a value it cannot read (by parameter, with the reason). As "
        "an HTML page: a NUL byte or a lone surrogate anywhere in the request.",
    ),
    ("400", HTML): OpenApiTypes.STR,
    ("404", JSON): OpenApiResponse(
        PublicErrorSerializer, description="No such row, or no such page of the list."
    ),
    ("414", HTML): OpenApiResponse(
        OpenApiTypes.STR, description="An address longer than the web server reads."
    ),
    ("429", JSON): OpenApiResponse(
        PublicErrorSerializer,
        description="Too many requests from this address; Retry-After says when to come back.",
    ),
}


class PublicSchema(AutoSchema):
    """The parameters and errors every public operation shares, in the schema."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *COMMON_PARAMETERS]

    def _get_parameters(self):
        """A query parameter, when given, has a value (PublicView.initial); no text holds a
        NUL (multiply/hardening.py); a number is an id or a page, from 1 (IdFilter)."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] != "query":
                continue
            if schema.get("type") == "string":
                schema.setdefault("minLength", 1)
                if "enum" not in schema:
                    schema.setdefault("pattern", NO_NUL)
            elif schema.get("type") == "integer":
                schema.update(ID_SCHEMA)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for (code, media_type), response in ERRORS.items():
            answer = self._get_response_for_code(response, code, [media_type], direction)
            if code in responses:
                responses[code]["content"].update(answer["content"])
            else:
                responses[code] = answer
        return responses


def slug_parameter() -> OpenApiParameter:
    return OpenApiParameter(
        "slug", {"type": "string", "pattern": f"^{SLUG_PATTERN}$"}, OpenApiParameter.PATH
    )


def id_parameter() -> OpenApiParameter:
    return OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH)
