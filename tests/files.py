"""Real, minimal files of every type the portal accepts, made in the test: uploads are checked for
what they are (multiply/uploads.py), so a test that uploads a file uploads a real one."""

import io
import zipfile

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.{type}"/>
</Types>"""

RELATIONSHIPS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="{part}"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""

OFFICE_PARTS = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}

OPENDOCUMENT_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def pdf_bytes(padding: int = 0) -> bytes:
    """A one-page PDF; `padding` characters in its metadata make it at least that much larger."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Subject": "x" * padding})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(buffer, format=image_format)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Energy use"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def office_bytes(extension: str) -> bytes:
    """A .docx or .pptx: a zip whose [Content_Types].xml names the format's main part."""
    if extension == "xlsx":
        return xlsx_bytes()
    part, content_type = OFFICE_PARTS[extension]
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(part=part, type=content_type),
            "_rels/.rels": RELATIONSHIPS.format(part=part),
            part: '<?xml version="1.0" encoding="UTF-8"?><document/>',
        }
    )


def opendocument_bytes(extension: str) -> bytes:
    """An OpenDocument file: `mimetype` first and stored, as ODF requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", OPENDOCUMENT_TYPES[extension], zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><content/>')
    return buffer.getvalue()


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_file(extension: str) -> bytes:
    """A minimal valid file of the type `extension` names."""
    if extension == "pdf":
        return pdf_bytes()
    if extension in ("png", "jpg", "jpeg"):
        return image_bytes("PNG" if extension == "png" else "JPEG")
    if extension in OPENDOCUMENT_TYPES:
        return opendocument_bytes(extension)
    if extension == "zip":
        return zip_bytes({"plan.txt": "An energy plan."})
    return office_bytes(extension)
