"""Uploads are checked before anything is stored: the name, the size, the type, and then what the
file is (docs/DESIGN.md, "Uploads": Django has no per-file size cap). First bytes alone are not
enough: a `%PDF-` header followed by HTML, or a .docx that is a zip of index.html, would pass, and
a reviewer would open it. So a PDF must parse as a PDF, an image must decode, an office file must
be a zip holding that format's main part, and an archive must be sound and unpack safely.

Every check reads what it needs and no more, so that a 10 MB file is checked in well under a
second: an image is never decoded at full size, and an archive's declared sizes are checked
before anything in it is unpacked."""

import warnings
import zipfile
from typing import NoReturn

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

# Office Open XML: [Content_Types].xml names the main part's type, which is what makes the zip a
# document of that kind (ECMA-376 part 2). A macro-enabled file (.docm) has another type.
OFFICE_MAIN_TYPES = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}

# OpenDocument: the first member of the zip is `mimetype`, holding the document's type (ODF 1.2
# part 3, 3.3).
OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}

IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}

# An archive is unpacked (to check every member's CRC) only up to these: beyond them it is a zip
# bomb, or at least nothing a city sends. An office file of 10 MB unpacks to a few times that.
ZIP_MAX_UNPACKED = 100 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000


def validate_upload(upload, *, max_size: int, extensions: list[str]) -> None:
    """Refuse a file without a name, too large, of a type not accepted, or not what its name
    says. The file is read from its start and left at its start for whoever stores it."""
    name = upload.name or ""
    _check_name(name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    _check_size(upload, name, max_size)
    if extension not in extensions:
        _refuse(
            _("“%(name)s” is not an accepted type of file. Accepted: %(types)s."),
            "file_type",
            name=name,
            types=", ".join(extensions),
        )
    try:
        _check_signature(upload, name, extension)
        check = CONTENT_CHECKS.get(extension)
        if check is not None:  # a type with no reader here is taken by its name alone
            upload.seek(0)
            check(upload, name, extension)
    finally:
        upload.seek(0)


def _refuse(message, code: str, **params) -> NoReturn:
    raise ValidationError(message, code=code, params=params)


def _check_name(name: str) -> None:
    if not name.strip():
        _refuse(_("The file has no name; give it one and upload it again."), "file_name")
    if not name.rsplit(".", 1)[0].strip():
        _refuse(
            _("“%(name)s” has no name before its extension; rename it and upload it again."),
            "file_name",
            name=name,
        )


def _check_size(upload, name: str, max_size: int) -> None:
    if upload.size > max_size:
        _refuse(
            _("“%(name)s” is %(size)s; files here may be at most %(limit)s."),
            "file_too_large",
            name=name,
            size=filesizeformat(upload.size),
            limit=filesizeformat(max_size),
        )


def _check_signature(upload, name: str, extension: str) -> None:
    signatures = SIGNATURES.get(extension)
    if not signatures:
        return
    upload.seek(0)
    head = upload.read(16)
    if not any(head.startswith(signature) for signature in signatures):
        _refuse(
            _("“%(name)s” does not look like a %(type)s file."),
            "file_content",
            name=name,
            type=extension.upper(),
        )


def _refuse_unreadable(name: str, extension: str) -> NoReturn:
    _refuse(
        _("“%(name)s” is not a readable %(type)s file; it may be damaged or incomplete."),
        "file_unreadable",
        name=name,
        type=extension.upper(),
    )


def _check_pdf(upload, name: str, extension: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        # strict=False reads what PDF viewers read; a file that fails even so is no PDF.
        pages = len(PdfReader(upload, strict=False).pages)
    except (FileNotDecryptedError, DependencyError):
        # A user password (or an AES one we cannot open): no reviewer could read it either.
        _refuse(
            _("“%(name)s” is protected by a password; upload a copy without one."),
            "file_encrypted",
            name=name,
        )
    except Exception:  # a parser fed a hostile file raises anything; every error means unreadable
        _refuse_unreadable(name, extension)
    if not pages:
        _refuse(_("“%(name)s” is a PDF file with no pages."), "file_empty", name=name)


def _check_image(upload, name: str, extension: str) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=[IMAGE_FORMATS[extension]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(
            _("“%(name)s” has too many pixels; images here may have at most %(limit)s million."),
            "image_too_large",
            name=name,
            limit=Image.MAX_IMAGE_PIXELS // 1_000_000,
        )
    except Exception:
        _refuse_unreadable(name, extension)
    # WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on import (it renders what it can);
    # here a truncated image is what we refuse. Restored at once: a web or Celery process runs
    # one request or task at a time, so no render meets the check's setting.
    from PIL import ImageFile

    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        if image.format == "JPEG":
            # verify() checks nothing in a JPEG; decoding at 1/8 scale reads the whole stream
            # (and finds a truncated one) for a fraction of the memory and time.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        else:
            image.verify()  # every chunk's checksum, up to the end, without decoding pixels
    except Exception:
        _refuse_unreadable(name, extension)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _open_zip(upload, name: str, extension: str) -> zipfile.ZipFile:
    """The archive, once it is known to be sound and to unpack safely: within the limits above,
    and with no member that would land outside the folder it is unpacked into."""
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except Exception:
        _refuse_unreadable(name, extension)
    if len(members) > ZIP_MAX_MEMBERS:
        _refuse(
            _("“%(name)s” holds %(count)s files; archives here may hold at most %(limit)s."),
            "zip_too_many_files",
            name=name,
            count=len(members),
            limit=ZIP_MAX_MEMBERS,
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > ZIP_MAX_UNPACKED:
        _refuse(
            _("“%(name)s” unpacks to %(size)s; archives here may unpack to at most %(limit)s."),
            "zip_too_large",
            name=name,
            size=filesizeformat(unpacked),
            limit=filesizeformat(ZIP_MAX_UNPACKED),
        )
    if any(_unsafe_path(member.filename) for member in members):
        _refuse(
            _("“%(name)s” holds a file whose path leads outside the archive."),
            "zip_unsafe_path",
            name=name,
        )
    try:
        sound = archive.testzip() is None  # unpacks every member (within the limits): CRCs
    except Exception:  # encrypted members, an unknown compression, a corrupt stream
        sound = False
    if not sound:
        _refuse_unreadable(name, extension)
    return archive


def _unsafe_path(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts


def _check_zip(upload, name: str, extension: str) -> None:
    _open_zip(upload, name, extension)


def _refuse_not_document(name: str, extension: str) -> NoReturn:
    _refuse(
        _("“%(name)s” is a zip archive but not in the %(type)s format."),
        "file_content",
        name=name,
        type=extension.upper(),
    )


def _check_office(upload, name: str, extension: str) -> None:
    archive = _open_zip(upload, name, extension)
    try:
        content_types = archive.read("[Content_Types].xml")
    except KeyError:
        _refuse_not_document(name, extension)
    if OFFICE_MAIN_TYPES[extension] not in content_types:
        _refuse_not_document(name, extension)


def _check_opendocument(upload, name: str, extension: str) -> None:
    archive = _open_zip(upload, name, extension)
    members = archive.infolist()
    if not members or members[0].filename != "mimetype":
        _refuse_not_document(name, extension)
    if archive.read(members[0]).strip() != OPENDOCUMENT_TYPES[extension]:
        _refuse_not_document(name, extension)


CONTENT_CHECKS = {
    "pdf": _check_pdf,
    **dict.fromkeys(IMAGE_FORMATS, _check_image),
    **dict.fromkeys(OFFICE_MAIN_TYPES, _check_office),
    **dict.fromkeys(OPENDOCUMENT_TYPES, _check_opendocument),
    "zip": _check_zip,
}
