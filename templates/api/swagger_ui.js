"use strict";
// Starts Swagger UI on the schema. Unlike drf-spectacular's own script it sends no CSRF token
// (rendering one would set a cookie): the public API takes no session and writes nothing.
window.ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  ...{{ settings|safe }},
});
