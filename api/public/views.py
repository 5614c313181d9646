"""The public read API (issue 16, item 1): what the public pages show, as JSON.

Every view here shares one contract, set in PublicView and documented by PublicSchema:
- no authentication and no session: nobody signs in, the API reads no session and sets no
  cookie, so there is no CSRF to think of and a response is the same for everyone;
- anonymous requests are rate-limited (settings.API_ANON_RATE, counted in the shared cache);
- content in the language of `lang`, else of Accept-Language, with English for what is not
  translated, as on the pages;
- a query parameter the address does not read, or a value it cannot read, is a 400 that says
  which and why; never a 500.
"""

import dataclasses

from django.core.cache import cache
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from api.pagination import CalendarPagination, PublicPagination
from exchanges import caching

from . import documents, selectors
from .filters import (
    CallFilter,
    DocumentFilter,
    MeetingFilter,
    NetworkFilter,
    ThemeFilter,
)
from .schema import (
    ID_SCHEMA,
    LANGUAGES,
    SLUG_PATTERN,
    PublicSchema,
    id_parameter,
    slug_parameter,
)
from .serializers import (
    CallSerializer,
    DocumentSerializer,
    MeetingSerializer,
    NetworkSerializer,
    ProgrammeSerializer,
    TargetGroupSerializer,
    ThemeSerializer,
)


class UnknownParameters(APIException):
    status_code = 400
    default_code = "unknown_parameters"


class JSONOnly(BaseContentNegotiation):
    """Every answer is JSON, whatever Accept says, and `format` is no parameter of DRF's here:
    the calendar's filters use that name for a meeting's format (in person, online...)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AnonymousThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, reading its rate when asked rather than when imported, so
    that the setting is the one in force (DRF binds the rates to the class at import)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class PublicView(viewsets.GenericViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    filter_backends = [DjangoFilterBackend]
    pagination_class = PublicPagination
    schema = PublicSchema()

    def dispatch(self, request, *args, **kwargs):
        """The whole request, rendering included, in the language asked for (an unknown
        `lang` is refused in initial(), in the language the request would otherwise have)."""
        language = request.GET.get("lang")
        self.language = language if language in LANGUAGES else translation.get_language()
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = self.language
            # Open data: a partner's page may read it from its own script. Nothing here
            # depends on who asks, and no credentials are taken, so any origin is fine.
            response["Access-Control-Allow-Origin"] = "*"
            return response.render()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the throttle counts refused requests too
        if self.action is None:
            return  # a method the address does not take: DRF answers 405
        self._refuse_unknown_parameters(request)
        empty = sorted({name for name, values in request.query_params.lists() if "" in values})
        if empty:
            message = _("Give a value, or leave the parameter out.")
            raise ValidationError({name: [message] for name in empty})
        if request.query_params.get("lang", LANGUAGES[0]) not in LANGUAGES:
            message = _("Unknown language: one of %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
            raise ValidationError({"lang": [message]})

    def query_parameters(self) -> list[str]:
        """The parameters this address reads: the language everywhere; a list's pages and
        filters."""
        names = ["lang"]
        if self.action == "list":
            names += [PublicPagination.page_query_param, PublicPagination.page_size_query_param]
            names += self.filter_parameters()
        return names

    def filter_parameters(self) -> list[str]:
        filterset = getattr(self, "filterset_class", None)
        return list(filterset.base_filters) if filterset else []

    def _refuse_unknown_parameters(self, request):
        allowed = self.query_parameters()
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            raise UnknownParameters(
                {
                    "detail": _(
                        "Unknown query parameters: %(unknown)s. This address reads: %(allowed)s."
                    )
                    % {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)},
                    "unknown": unknown,
                    "allowed": allowed,
                }
            )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.language}


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicView):
    """The published programmes, latest first, as the home page lists them."""

    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        return selectors.programmes()

    @extend_schema(description="One published programme.", parameters=[slug_parameter()])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class NetworkViewSet(mixins.ListModelMixin, PublicView):
    """The national networks of the published programmes, each with its cities and their
    roles in the programme's own words."""

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter

    def get_queryset(self):
        return selectors.networks()


class ThemeViewSet(mixins.ListModelMixin, PublicView):
    """The themes of the published programmes with their topics and target groups."""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter

    def get_queryset(self):
        return selectors.themes()


class TargetGroupViewSet(mixins.ListModelMixin, PublicView):
    """Who meetings speak to: decision makers, planning staff, communication staff..."""

    serializer_class = TargetGroupSerializer

    def get_queryset(self):
        return selectors.target_groups()


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicView):
    """The public calendar: upcoming meetings first (soonest first), then past ones (latest
    first); `when=upcoming` or `when=past` keeps one of the two."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    pagination_class = CalendarPagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.meetings()

    def list(self, request, *args, **kwargs):
        """A page of the calendar, cached as the calendar page's results are
        (exchanges.caching: any change to what it shows moves the key on): partner sites poll
        the same few addresses, each a few indexed queries when it is not cached. The host is
        part of the key, since every row carries absolute links."""
        query = dict(request.query_params.lists()) | {"_host": [request.get_host()]}
        key = caching.calendar_key(query, kind="api")
        data = cache.get(key)
        if data is None:
            data = super().list(request, *args, **kwargs).data
            cache.set(key, data, caching.LIFETIME)
        return Response(data)

    @extend_schema(description="One meeting of the calendar.", parameters=[id_parameter()])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicView):
    """The published calls for applications: open ones closing soonest first, then the
    upcoming ones, then the closed ones (latest first), as the call list page."""

    serializer_class = CallSerializer
    filterset_class = CallFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        return selectors.calls()

    @extend_schema(description="One published call.", parameters=[slug_parameter()])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


DOCUMENT_PARAMETERS = [
    OpenApiParameter("programme", OpenApiTypes.STR, description="Programme (its slug)"),
    OpenApiParameter("meeting", ID_SCHEMA, description="Meeting (its id)"),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, enum=[code for code, _label in DocumentFilter.KINDS]
    ),
]


class DocumentViewSet(mixins.ListModelMixin, PublicView):
    """The public documents' links: each programme's peer-learning plan and its calls'
    webinar slides, then its meetings' printable programmes and materials in date order.
    Each link is the portal's page that serves the file, never the file's place in storage;
    a PDF is linked in the language asked for."""

    serializer_class = DocumentSerializer
    filter_backends = []

    def filter_parameters(self) -> list[str]:
        return list(DocumentFilter.base_fields)

    @extend_schema(parameters=DOCUMENT_PARAMETERS)
    def list(self, request, *args, **kwargs):
        form = DocumentFilter(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        rows = documents.public_documents(language=self.language, **form.cleaned_data)
        page = self.paginate_queryset(rows)
        data = [
            {**dataclasses.asdict(document), "url": request.build_absolute_uri(document.path)}
            for document in page
        ]
        return self.get_paginated_response(self.get_serializer(data, many=True).data)


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the whole API, public and coordinator parts: readable by anyone,
    with no session (the coordinator part says which token it needs)."""

    authentication_classes = []
    permission_classes = [AllowAny]


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI on the schema, every file the portal's own (drf-spectacular-sidecar): its
    script is a separate address, since the portal's policy runs no inline script."""

    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    template_name_js = "api/swagger_ui.js"


@csrf_exempt  # whatever the method: the API takes no session, so no form of it can be forged
def not_found(request):
    """An address under /api/ that is none of the API's: a JSON 404, as the API's own are."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
