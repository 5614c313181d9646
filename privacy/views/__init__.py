"""The privacy pages: the notices (notices.py), a person's data to take away (export.py), and
erasure (erasure.py)."""
