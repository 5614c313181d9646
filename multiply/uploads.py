"""Uploads are checked before anything is stored: size, type, and the file's first bytes
(docs/DESIGN.md, "Uploads": Django has no per-file size cap)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The first bytes of each accepted file type: a renamed file is refused for what it is.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
    "ods": [b"PK\x03\x04"],
    "odp": [b"PK\x03\x04"],
    "zip": [b"PK\x03\x04"],
}


def validate_upload(upload, *, max_size: int, extensions: list[str]) -> None:
    """Refuse a file that is too large, of a type not accepted, or not what its name says."""
    name = upload.name
    if upload.size > max_size:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files here may be at most %(limit)s."),
            code="file_too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_size),
            },
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in extensions:
        raise ValidationError(
            _("“%(name)s” is not an accepted type of file. Accepted: %(types)s."),
            code="file_type",
            params={"name": name, "types": ", ".join(extensions)},
        )
    signatures = SIGNATURES.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("“%(name)s” does not look like a %(type)s file."),
                code="file_content",
                params={"name": name, "type": extension.upper()},
            )
