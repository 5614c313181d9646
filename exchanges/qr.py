"""The QR image of a registration's check-in code (exchanges/checkin.py reads it at the door).

The symbol carries the code alone, nothing else: a phone at the door reads it and the check-in
page looks it up. Medium error correction survives a cracked screen or a folded print-out. SVG
for pages (sharp at any size), PNG for e-mails (mail programs do not show SVG).
"""

import io

import segno


def _symbol(code: str) -> segno.QRCode:
    return segno.make(code, error="m", micro=False)


def code_svg(*, code: str, title: str = "") -> bytes:
    """A standalone SVG document (served as an image), black on white with its quiet zone;
    without a size of its own, so that opened alone it fills the screen held up at the door."""
    buffer = io.BytesIO()
    _symbol(code).save(
        buffer, kind="svg", scale=8, border=4, light="#fff", title=title or None, omitsize=True
    )
    return buffer.getvalue()


def code_png(*, code: str) -> bytes:
    """A PNG large enough to be read from a phone's screen held up to another phone."""
    buffer = io.BytesIO()
    _symbol(code).save(buffer, kind="png", scale=8, border=4, light="#fff")
    return buffer.getvalue()
