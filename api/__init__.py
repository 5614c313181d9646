"""The API (issue 16): public data under /api/ as the public pages show it (api.public), and a
coordinator's own data with a personal token (api.coordinator), described by an OpenAPI 3
schema at /api/schema/ with its documentation at /api/docs/."""
