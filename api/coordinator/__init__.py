"""The coordinator API: personal tokens scoped by the access module; registrations, meetings."""
