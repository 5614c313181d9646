"""The public, read-only API: programmes, networks, themes, meetings, calls, documents."""
